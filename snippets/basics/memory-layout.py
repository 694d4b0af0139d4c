# profiles: cpu
# --8<-- [start:imports]
import io

import numpy as np
import torch
# --8<-- [end:imports]

# --8<-- [start:strides]
x = torch.arange(12).reshape(3, 4)
print(x)
print(x.shape, x.stride(), x.storage_offset())
flat = x.flatten()  # x is contiguous: this is the order in memory
i, j = 2, 1
print(x[i, j], flat[i * x.stride(0) + j * x.stride(1)])
print(x.is_contiguous())
# --8<-- [end:strides]

# --8<-- [start:same-memory]
def same_memory(a, b):
    """True when a and b are two windows onto the same block of memory."""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
# --8<-- [end:same-memory]

# --8<-- [start:slice-is-view]
y = x[1:, ::2]  # rows 1 and 2, every other column
print(y)
print(y.shape, y.stride(), y.storage_offset())
print(same_memory(x, y), y.is_contiguous())
y[0, 0] = 100
print(x[1])
# --8<-- [end:slice-is-view]

# --8<-- [start:transpose]
x = torch.arange(12).reshape(3, 4)
t = x.t()
print(t.shape, t.stride(), t.is_contiguous(), same_memory(x, t))
try:
    t.view(12)
except RuntimeError as err:
    print("RuntimeError:", err)
c = t.contiguous()
print(c.stride(), c.is_contiguous(), same_memory(t, c))
print(same_memory(t, t.reshape(12)), same_memory(x, x.reshape(12)))
# --8<-- [end:transpose]

# --8<-- [start:expand]
row = torch.tensor([1, 2, 3])
e = row.expand(4, 3)  # four rows, no copy
r = row.repeat(4, 1)  # four rows, copied
print(e.stride(), e.untyped_storage().nbytes())
print(r.stride(), r.untyped_storage().nbytes())
print(torch.equal(e, r))
try:
    e.add_(1)
except RuntimeError as err:
    print("RuntimeError:", err)
print(e.clone().add_(1))
# --8<-- [end:expand]

# --8<-- [start:which-ops]
x = torch.arange(24.0).reshape(2, 3, 4)
results = {
    "x[0]": x[0],
    "x[:, 1:]": x[:, 1:],
    "x.view(6, 4)": x.view(6, 4),
    "x.permute(2, 0, 1)": x.permute(2, 0, 1),
    "x.unsqueeze(0)": x.unsqueeze(0),
    "x.narrow(2, 1, 2)": x.narrow(2, 1, 2),
    "x.unbind(0)[1]": x.unbind(0)[1],
    "x.split(2, dim=2)[1]": x.split(2, dim=2)[1],
    "x[0].diagonal()": x[0].diagonal(),
    "x.detach()": x.detach(),
    "x.reshape(6, 4)": x.reshape(6, 4),
    "x.flatten()": x.flatten(),
    "x.mT.reshape(-1)": x.mT.reshape(-1),
    "x.mT.contiguous()": x.mT.contiguous(),
    "x[[0, 1]]": x[[0, 1]],
    "x[x > 5]": x[x > 5],
    "x.clone()": x.clone(),
    "x.to(torch.float64)": x.to(torch.float64),
    "x.to(torch.float32)": x.to(torch.float32),
    "x.contiguous()": x.contiguous(),
}
for name, out in results.items():
    kind = "x itself" if out is x else "view" if same_memory(x, out) else "copy"
    print(f"{name:22} {kind}")
# --8<-- [end:which-ops]

# --8<-- [start:write-through-copy]
x = torch.zeros(3, 4)
x[[0, 2]][:, 0] = 1  # x[[0, 2]] is a copy: the 1s go into it
print(x[:, 0])
x[[0, 2], 0] = 1  # one indexing: writes into x
print(x[:, 0])
mask = x[:, 0] > 0
x[mask][:, 1] = 2  # a copy again
x[mask, 1] = 2  # writes into x
print(x)
# --8<-- [end:write-through-copy]

# --8<-- [start:autograd]
w = torch.ones(3, requires_grad=True)
y = w.exp()  # exp saves its output y for the backward pass
first_two = y[:2]  # a view of y
first_two.mul_(2)  # changes y too
try:
    y.sum().backward()
except RuntimeError as err:
    print("RuntimeError:", str(err).split(". Hint")[0])
# --8<-- [end:autograd]

# --8<-- [start:negative-strides]
x = torch.arange(5)
try:
    x[::-1]
except ValueError as err:
    print("ValueError:", err)
print(x.flip(0), same_memory(x, x.flip(0)))
image = np.arange(6).reshape(1, 2, 3)  # height, width, channels (say BGR)
rgb = image[..., ::-1]  # a NumPy view with a negative stride
print(rgb.strides)
try:
    torch.from_numpy(rgb)
except ValueError as err:
    print("ValueError:", err)
print(torch.from_numpy(rgb.copy()))
# --8<-- [end:negative-strides]

# --8<-- [start:small-view-big-storage]
def saved_bytes(t):
    buffer = io.BytesIO()
    torch.save(t, buffer)
    return len(buffer.getvalue())


big = torch.zeros(1_000_000)  # 4 MB of float32
head = big[:10]
del big  # the 4 MB stay alive: head still points into them
print(head.untyped_storage().nbytes(), saved_bytes(head))
head = head.clone()  # a block of its own, 40 bytes
print(head.untyped_storage().nbytes(), saved_bytes(head))
# --8<-- [end:small-view-big-storage]

# --8<-- [start:channels-last]
images = torch.randn(2, 3, 4, 5)  # batch, channels, height, width
print(images.stride())
cl = images.to(memory_format=torch.channels_last)
print(cl.shape, cl.stride())
print(cl.is_contiguous(), cl.is_contiguous(memory_format=torch.channels_last))
print(torch.equal(images, cl))
conv = torch.nn.Conv2d(3, 8, kernel_size=3)
out = conv(cl)
print(out.shape, out.is_contiguous(memory_format=torch.channels_last))
# --8<-- [end:channels-last]
