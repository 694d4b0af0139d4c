# profiles: cpu
# --8<-- [start:imports]
import copy
import math
import textwrap
import warnings

import torch
from torch import nn
# --8<-- [end:imports]


# --8<-- [start:dataset]
def make_noisy_rings(n, seed, noise=0.2):
    """Class 1: outside radius 1.18. A share `noise` of the labels is flipped."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g)
    y = (x.norm(dim=1) > 1.18).long()
    flip = torch.rand(n, generator=g) < noise
    y[flip] = 1 - y[flip]
    return x, y


x, y = make_noisy_rings(1000, seed=0)
g = torch.Generator().manual_seed(0)
order = torch.randperm(len(x), generator=g)
train_idx, val_idx, test_idx = order.split([200, 400, 400])
train_x, train_y = x[train_idx], y[train_idx]
val_x, val_y = x[val_idx], y[val_idx]
test_x, test_y = x[test_idx], y[test_idx]
print(len(train_x), len(val_x), len(test_x))
# --8<-- [end:dataset]


# --8<-- [start:model-and-helpers]
def make_model():
    torch.manual_seed(0)  # the same starting weights in every section
    return nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(),
        nn.Linear(64, 64), nn.ReLU(),
        nn.Linear(64, 2),
    )


loss_fn = nn.CrossEntropyLoss()


def train_one_epoch(model, optimizer, g, batch_size=20):
    model.train()
    order = torch.randperm(len(train_x), generator=g)
    for i in range(0, len(order), batch_size):
        batch = order[i:i + batch_size]
        loss = loss_fn(model(train_x[batch]), train_y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(model, x, y):
    """Mean loss and accuracy on (x, y)."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
        accuracy = (logits.argmax(dim=1) == y).float().mean()
        return loss_fn(logits, y).item(), accuracy.item()


def fit(model, optimizer, epochs=100, patience=None, scheduler=None):
    """Train, keeping each epoch's figures in `history`. With `patience`, stop
    after that many epochs without a lower validation loss and go back to the
    best epoch's parameters."""
    g = torch.Generator().manual_seed(0)
    history = []
    best_loss, best_epoch, best_state = math.inf, 0, None
    for epoch in range(1, epochs + 1):
        lr = optimizer.param_groups[0]["lr"]  # the learning rate of this epoch
        train_one_epoch(model, optimizer, g)
        if scheduler is not None:
            scheduler.step()  # (1)!
        train_loss, _ = evaluate(model, train_x, train_y)
        val_loss, val_acc = evaluate(model, val_x, val_y)
        history.append({"epoch": epoch, "lr": lr, "train": train_loss,
                        "val": val_loss, "val_acc": val_acc})
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())  # (2)!
        elif patience is not None and epoch - best_epoch >= patience:
            break
    if patience is not None:
        model.load_state_dict(best_state)  # go back to the best epoch
    return history


def show(history, epochs=(1, 10, 20, 50, 100)):
    for row in history:
        if row["epoch"] in epochs:
            print(f"epoch {row['epoch']:3d}  train {row['train']:.3f}  "
                  f"val {row['val']:.3f}  val acc {row['val_acc']:.3f}")
# --8<-- [end:model-and-helpers]


# --8<-- [start:overfitting]
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
history = fit(model, optimizer)
show(history)
best = min(history, key=lambda row: row["val"])
print(f"lowest validation loss {best['val']:.3f} at epoch {best['epoch']}")
print(f"test accuracy {evaluate(model, test_x, test_y)[1]:.3f}")
# --8<-- [end:overfitting]


# --8<-- [start:early-stopping]
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
history = fit(model, optimizer, patience=10)
print(f"stopped after epoch {history[-1]['epoch']}")
print(f"validation loss {evaluate(model, val_x, val_y)[0]:.3f}")
print(f"test accuracy {evaluate(model, test_x, test_y)[1]:.3f}")
# --8<-- [end:early-stopping]


# --8<-- [start:weight-decay]
def weight_norm(model):
    weights = torch.cat([p.detach().flatten() for p in model.parameters()])
    return weights.norm().item()


for decay in (0.0, 0.1):
    model = make_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=decay)
    history = fit(model, optimizer)
    print(f"weight_decay={decay}  val {history[-1]['val']:.3f}  "
          f"weight norm {weight_norm(model):.1f}  "
          f"test accuracy {evaluate(model, test_x, test_y)[1]:.3f}")
# --8<-- [end:weight-decay]


# --8<-- [start:dropout]
def make_dropout_model(p):
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(), nn.Dropout(p),  # (1)!
        nn.Linear(64, 64), nn.ReLU(), nn.Dropout(p),
        nn.Linear(64, 2),
    )


for p in (0.0, 0.2, 0.5):
    model = make_dropout_model(p)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    history = fit(model, optimizer)
    best = min(history, key=lambda row: row["val"])
    print(f"p={p}  train {history[-1]['train']:.3f}  val {history[-1]['val']:.3f}  "
          f"best val {best['val']:.3f} (epoch {best['epoch']})  "
          f"test acc {evaluate(model, test_x, test_y)[1]:.3f}")
# --8<-- [end:dropout]


# --8<-- [start:lr-schedule]
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)  # (1)!
history = fit(model, optimizer, scheduler=scheduler)
rates = [row["lr"] for row in history]
print("lr", " ".join(f"{rates[e - 1]:.5f}" for e in (1, 26, 51, 76, 100)))
show(history)
print(f"test accuracy {evaluate(model, test_x, test_y)[1]:.3f}")
# --8<-- [end:lr-schedule]


# --8<-- [start:scheduler-order]
model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scheduler.step()  # before any optimizer.step()
print(textwrap.fill(str(caught[0].message), 80))
print(optimizer.param_groups[0]["lr"])
# --8<-- [end:scheduler-order]


# --8<-- [start:gradient-clipping]
def gradients(model):
    return torch.cat([p.grad.flatten() for p in model.parameters()])


model = make_model()
loss_fn(model(train_x[:20]), train_y[:20]).backward()
print(f"a normal batch: {gradients(model).norm():.3f}")

model = make_model()
batch_x, batch_y = train_x[:20].clone(), train_y[:20].clone()
batch_x[0] *= 1000  # one sample in the wrong units
batch_y[0] = 1 - batch_y[0]  # and with the wrong label
loss_fn(model(batch_x), batch_y).backward()
before = gradients(model)
total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # (1)!
after = gradients(model)
print(f"one bad sample: {total:.1f}, clipped: {after.norm():.4f}")
print(f"{torch.cosine_similarity(before, after, dim=0):.4f}")  # same direction
# --8<-- [end:gradient-clipping]


# --8<-- [start:gradient-accumulation]
big = make_model()  # batches of 20, a step after each
optimizer = torch.optim.SGD(big.parameters(), lr=0.1)
for batch_x, batch_y in zip(train_x.split(20), train_y.split(20), strict=True):
    optimizer.zero_grad()
    loss_fn(big(batch_x), batch_y).backward()
    optimizer.step()

accumulation_steps = 4
model = make_model()  # small batches of 5, a step after every 4
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
for i, (part_x, part_y) in enumerate(zip(train_x.split(5), train_y.split(5), strict=True)):
    loss = loss_fn(model(part_x), part_y) / accumulation_steps  # (1)!
    loss.backward()  # adds to each .grad
    if (i + 1) % accumulation_steps == 0:
        optimizer.step()
        optimizer.zero_grad()

print(all(torch.allclose(a, b) for a, b in zip(big.parameters(), model.parameters(), strict=True)))
# --8<-- [end:gradient-accumulation]


# --8<-- [start:uneven-batches]
batch_x, batch_y = train_x[:50], train_y[:50]  # split into 16, 16, 16 and 2 samples
whole = make_model()
loss_fn(whole(batch_x), batch_y).backward()

by_count, by_size = make_model(), make_model()
for part_x, part_y in zip(batch_x.split(16), batch_y.split(16), strict=True):
    (loss_fn(by_count(part_x), part_y) / 4).backward()  # 4 small batches
    (loss_fn(by_size(part_x), part_y) * len(part_x) / len(batch_x)).backward()

expected = gradients(whole)
for name, accumulated in [("/ 4", by_count), ("* len(part_x) / len(batch_x)", by_size)]:
    got = gradients(accumulated)
    error = (got - expected).norm() / expected.norm()
    print(f"{name}: {torch.allclose(got, expected)}, relative error {error:.1%}")
# --8<-- [end:uneven-batches]


# --8<-- [start:activation-checkpointing]
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    """Shaped like a Transformer's feed-forward layer: inside, it is 4 times as wide as its input."""

    def __init__(self, width=256):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, 4 * width),
                                 nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, h):
        return h + self.net(h)


torch.manual_seed(0)
blocks = nn.ModuleList(Block() for _ in range(8))
inputs = torch.randn(512, 256)


def forward_backward(checkpointed):
    """One forward and backward pass. Returns the MiB that autograd kept for
    the backward pass (parameters not counted) and the gradients."""
    parameters = {p.untyped_storage().data_ptr() for p in blocks.parameters()}
    saved_bytes = {}

    def pack(t):  # (1)!
        storage = t.untyped_storage()
        if storage.data_ptr() not in parameters:
            saved_bytes[storage.data_ptr()] = storage.nbytes()  # each storage once
        return t.detach()

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        h = inputs
        for block in blocks:
            h = checkpoint(block, h, use_reentrant=False) if checkpointed else block(h)  # (2)!
    blocks.zero_grad()
    h.pow(2).mean().backward()  # a stand-in for a loss
    return sum(saved_bytes.values()) / 2**20, [p.grad.clone() for p in blocks.parameters()]


plain_mib, plain_grads = forward_backward(checkpointed=False)
checkpointed_mib, checkpointed_grads = forward_backward(checkpointed=True)
print(f"kept for backward: {plain_mib:.1f} MiB, with checkpoints {checkpointed_mib:.1f} MiB")
print(all(torch.equal(a, b) for a, b in zip(plain_grads, checkpointed_grads, strict=True)))
# --8<-- [end:activation-checkpointing]


# --8<-- [start:autocast]
model = make_model()
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    logits = model(train_x)
    loss = loss_fn(logits, train_y)
print(logits.dtype, loss.dtype)
loss.backward()
print(model[0].weight.dtype, model[0].weight.grad.dtype)
# --8<-- [end:autocast]


# --8<-- [start:float16-range]
grads = torch.tensor([1e-3, 1e-6, 1e-8])
print(grads.half())
print((grads * 65536).half())
print(torch.finfo(torch.float16).max)
# --8<-- [end:float16-range]


# --8<-- [start:grad-scaler]
model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cpu")  # on an NVIDIA GPU: GradScaler("cuda")


def scaled_step(batch_x, batch_y):
    with torch.autocast(device_type="cpu", dtype=torch.float16):
        loss = loss_fn(model(batch_x), batch_y)
    before = model[0].weight.detach().clone()
    optimizer.zero_grad()
    scaler.scale(loss).backward()  # gradients scaled by scaler.get_scale()
    scaler.step(optimizer)  # divides them back; skips the step on inf or nan
    scaler.update()
    changed = not torch.equal(before, model[0].weight)
    print(f"loss {loss.item():.3f}  stepped {changed}  "
          f"next scale {scaler.get_scale():.0f}")


print(f"scale {scaler.get_scale():.0f}")
scaled_step(train_x[:20], train_y[:20])
scaled_step(train_x[:20] * 10000, train_y[:20])  # inputs in the wrong units
# --8<-- [end:grad-scaler]
