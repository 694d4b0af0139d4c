# profiles: cpu
"""Where the memory of a training step goes: parameters, gradients, the optimizer's state and the
activations kept for the backward pass, counted tensor by tensor, and what that means for big models."""
# --8<-- [start:model]
import math

import torch
from torch import nn

MiB, GiB = 2**20, 2**30


class Block(nn.Module):
    """A block shaped like a Transformer's feed-forward layer."""

    def __init__(self, width=512):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.up = nn.Linear(width, 4 * width)
        self.act = nn.GELU()
        self.down = nn.Linear(4 * width, width)

    def forward(self, h):
        return h + self.down(self.act(self.up(self.norm(h))))


torch.manual_seed(0)
model = nn.Sequential(*[Block() for _ in range(4)], nn.Linear(512, 10))


def nbytes(tensors):
    return sum(t.numel() * t.element_size() for t in tensors)  # (1)!
# --8<-- [end:model]


# --8<-- [start:parameters]
count = sum(p.numel() for p in model.parameters())
print(f"parameters: {count:,}")
for name, p in model[0].named_parameters():
    print(f"  block 0, {name}: {tuple(p.shape)}, {p.numel():,}")
weights = nbytes(model.parameters())
print(f"float32: {weights / MiB:.1f} MiB, {weights / count:.0f} bytes per parameter")
half = nbytes(p.to(torch.bfloat16) for p in model.parameters())
print(f"bfloat16: {half / MiB:.1f} MiB, {half / count:.0f} bytes per parameter")
# --8<-- [end:parameters]


# --8<-- [start:gradients]
x, y = torch.randn(64, 512), torch.randint(0, 10, (64,))
nn.functional.cross_entropy(model(x), y).backward()
grads = nbytes(p.grad for p in model.parameters())
print(f"gradients: {grads / MiB:.1f} MiB, {grads / count:.0f} bytes per parameter")
# --8<-- [end:gradients]


# --8<-- [start:optimizer-state]
optimizers = {
    "SGD": lambda params: torch.optim.SGD(params, lr=0.01),
    "SGD, momentum=0.9": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9),
    "AdamW": lambda params: torch.optim.AdamW(params, lr=1e-3),
}
state_per_parameter = {}
for name, make in optimizers.items():
    optimizer = make(model.parameters())
    optimizer.step()  # (1)!
    size = nbytes(t for s in optimizer.state.values() for t in s.values() if torch.is_tensor(t))
    state_per_parameter[name] = size / count
    print(f"{name}: {size / MiB:.1f} MiB, {size / count:.2f} bytes per parameter")
# --8<-- [end:optimizer-state]


# --8<-- [start:activations]
def kept_for_backward(batch_size, **autocast):
    """MiB that autograd keeps from the forward pass of one batch for the backward pass."""
    parameters = {p.untyped_storage().data_ptr() for p in model.parameters()}
    kept = {}

    def pack(t):  # (1)!
        storage = t.untyped_storage()
        if storage.data_ptr() not in parameters:
            kept[storage.data_ptr()] = storage.nbytes()  # each storage once
        return t.detach()

    x = torch.randn(batch_size, 512)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), \
            torch.autocast("cpu", **autocast, enabled=bool(autocast)):  # (2)!
        model(x)
    return sum(kept.values()) / MiB


def by_batch_size(**autocast):
    kept = {b: kept_for_backward(b, **autocast) for b in (64, 128, 256)}
    for batch_size, mib in kept.items():
        print(f"batch {batch_size}: {mib:.1f} MiB kept for backward")
    per_sample = (kept[256] - kept[128]) / 128  # (3)!
    fixed = kept[128] - 128 * per_sample
    print(f"per sample: {per_sample * 1024:.0f} KiB; fixed part: {fixed:.1f} MiB")
    return per_sample, fixed


float32_per_sample, _ = by_batch_size()
# --8<-- [end:activations]


# --8<-- [start:no-grad]
with torch.no_grad():
    print(f"under no_grad: {kept_for_backward(256):.1f} MiB")
# --8<-- [end:no-grad]


# --8<-- [start:autocast]
per_sample, fixed = by_batch_size(dtype=torch.bfloat16)
matrices = nbytes(p.to(torch.bfloat16) for p in model.parameters() if p.dim() == 2)
print(f"the weight matrices in bfloat16: {matrices / MiB:.1f} MiB")
print(f"less than float32 from batch {math.ceil(fixed / (float32_per_sample - per_sample))} on")
# --8<-- [end:autocast]


# --8<-- [start:big-models]
per_parameter = {  # bytes, as measured above
    "inference, bfloat16": half / count,
    "inference, float32": weights / count,
    "training, SGD, no momentum": (weights + grads) / count,
    "training, AdamW": (weights + grads) / count + state_per_parameter["AdamW"],
}
sizes = {"1.5B": 1.5e9, "7B": 7e9, "70B": 70e9}
print(f"{'GiB, activations not counted':30}" + "".join(f"{size:>8}" for size in sizes))
for what, nbytes_each in per_parameter.items():
    print(f"{what:30}" + "".join(f"{n * nbytes_each / GiB:8.0f}" for n in sizes.values()))
# --8<-- [end:big-models]
