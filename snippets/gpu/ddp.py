# profiles: cpu
# launch: torchrun --standalone --nproc-per-node=2
# compare: same-cpu (it trains for 40 steps, and the losses' last digits may differ on another processor model)
# --8<-- [start:imports]
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
# --8<-- [end:imports]

# --8<-- [start:init]
local_rank = int(os.environ["LOCAL_RANK"])  # (1)!
if torch.cuda.device_count() >= int(os.environ["LOCAL_WORLD_SIZE"]):  # (2)!
    device = torch.device("cuda", local_rank)
    torch.cuda.set_device(device)
    dist.init_process_group("nccl", device_id=device)
else:
    device = torch.device("cpu")
    dist.init_process_group("gloo")
rank = dist.get_rank()  # (3)!
world_size = dist.get_world_size()
if rank == 0:  # (4)!
    print(f"{world_size} processes, backend {dist.get_backend()}, device {device.type}")
# --8<-- [end:init]

# --8<-- [start:collectives]
x = torch.tensor([rank + 1.0], device=device)
dist.all_reduce(x)  # (1)!
if rank == 0:
    print("all_reduce, the sum over processes:", x.item())


def gather(value):
    """Every process's value, in rank order, on every process."""
    values = [None] * world_size
    dist.all_gather_object(values, value)  # (2)!
    return values


names = gather(f"process {rank} of {world_size}")
if rank == 0:
    print("all_gather_object:", names)
# --8<-- [end:collectives]

# --8<-- [start:sampler]
torch.manual_seed(0)  # the same data in every process
X = torch.randn(16, 8)
y = X @ torch.randn(8, 1) + 0.1 * torch.randn(16, 1)
dataset = TensorDataset(X, y)
sampler = DistributedSampler(dataset, shuffle=True, seed=0)  # (1)!
loader = DataLoader(dataset, batch_size=4, sampler=sampler)  # (2)!
for epoch in range(2):
    sampler.set_epoch(epoch)  # (3)!
    shares = gather(list(sampler))
    if rank == 0:
        for r, indices in enumerate(shares):
            print(f"epoch {epoch}, process {r}: {indices}")
# --8<-- [end:sampler]

# --8<-- [start:padding]
if rank == 0:
    for r in range(2):
        uneven = DistributedSampler(range(5), num_replicas=2, rank=r, shuffle=False)
        print(f"5 samples, process {r} of 2: {list(uneven)}")
# --8<-- [end:padding]

# --8<-- [start:wrap]
def make_model():
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)).to(device)


torch.manual_seed(rank)  # (1)!
model = make_model()
before = gather(model[0].weight[0, 0].item())
model = DDP(model, device_ids=[local_rank] if device.type == "cuda" else None)  # (2)!
after = gather(model.module[0].weight[0, 0].item())  # (3)!
if rank == 0:
    print("one weight before DDP:", [f"{w:.4f}" for w in before])
    print("one weight after DDP: ", [f"{w:.4f}" for w in after])
# --8<-- [end:wrap]

# --8<-- [start:train]
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for epoch in range(20):
    sampler.set_epoch(epoch)
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()  # (1)!
        optimizer.step()
    losses = gather(round(loss.item(), 4))
    if rank == 0 and epoch % 5 == 4:
        print(f"epoch {epoch + 1}: last batch's loss in each process {losses}")
sums = gather(sum(p.sum().item() for p in model.parameters()))
if rank == 0:
    print("the same parameters in every process:", len(set(sums)) == 1)
# --8<-- [end:train]

# --8<-- [start:average]
xb, yb = next(iter(loader))  # this process's 4 samples
xb, yb = xb.to(device), yb.to(device)
optimizer.zero_grad()
loss_fn(model(xb), yb).backward()
ddp_grad = model.module[0].weight.grad

everyone_x = [torch.empty_like(xb) for _ in range(world_size)]
everyone_y = [torch.empty_like(yb) for _ in range(world_size)]
dist.all_gather(everyone_x, xb)  # (1)!
dist.all_gather(everyone_y, yb)
single = make_model()  # the same model, without DDP
single.load_state_dict(model.module.state_dict())  # (2)!
loss_fn(single(torch.cat(everyone_x)), torch.cat(everyone_y)).backward()
if rank == 0:
    print("batch per process:", len(xb), " all processes together:", len(torch.cat(everyone_x)))
    print("DDP's gradient = one model's gradient on all of them:",
          torch.allclose(ddp_grad, single[0].weight.grad, atol=1e-6))
# --8<-- [end:average]

# --8<-- [start:no-sync]
batches = [(xb.to(device), yb.to(device)) for xb, yb in loader]  # this process's 2 batches
optimizer.zero_grad()
with model.no_sync():  # (1)!
    loss_fn(model(batches[0][0]), batches[0][1]).backward()
differ = gather(model.module[0].weight.grad.sum().item())
loss_fn(model(batches[1][0]), batches[1][1]).backward()  # (2)!
accumulated = model.module[0].weight.grad.clone()

optimizer.zero_grad()
for xb, yb in batches:  # for comparison: synchronized at every backward()
    loss_fn(model(xb), yb).backward()
if rank == 0:
    print("inside no_sync, each process keeps its own gradient:", differ[0] != differ[1])
    print("the same as synchronizing every backward():",
          torch.allclose(accumulated, model.module[0].weight.grad, atol=1e-6))
# --8<-- [end:no-sync]

# --8<-- [start:save]
if rank == 0:
    torch.save(model.module.state_dict(), "model.pt")  # (1)!
dist.barrier()  # (2)!
state = torch.load("model.pt", map_location=device, weights_only=True)
model.module.load_state_dict(state)
if rank == 0:
    print("saved names:", list(state)[:2])
    print("DDP's names:", list(model.state_dict())[:2])
# --8<-- [end:save]

# --8<-- [start:evaluate]
totals = torch.zeros(2, device=device)  # this process's summed squared error, and its number of samples
model.eval()
with torch.no_grad():
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        totals[0] += ((model(xb) - yb) ** 2).sum()
        totals[1] += len(xb)
dist.all_reduce(totals)  # (1)!
if rank == 0:
    print(f"mean squared error over {int(totals[1])} samples: {(totals[0] / totals[1]).item():.4f}")
# --8<-- [end:evaluate]

# --8<-- [start:clean-up]
dist.destroy_process_group()  # (1)!
# --8<-- [end:clean-up]
