# profiles: cpu, cuda
import torch

torch.manual_seed(0)

# --8<-- [start:create-from-data]
a = torch.tensor([[1, 2, 3], [4, 5, 6]])
b = torch.tensor([0.5, 1.5])
print(a)
print(b)
print(a.dtype, b.dtype)
# --8<-- [end:create-from-data]

# --8<-- [start:create-by-shape]
print(torch.zeros(2, 3))
print(torch.ones(2, 2, dtype=torch.int64))
print(torch.full((2, 2), 7.0))
print(torch.arange(5))
print(torch.arange(0, 1, 0.25))
print(torch.linspace(0, 1, steps=5))
# --8<-- [end:create-by-shape]

# --8<-- [start:create-random]
torch.manual_seed(0)
r1 = torch.randn(2, 3)
torch.manual_seed(0)
r2 = torch.randn(2, 3)
print(r1)
print(torch.equal(r1, r2))
# --8<-- [end:create-random]

# --8<-- [start:create-like]
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(torch.zeros_like(x))
print(torch.full_like(x, 7))
print(torch.ones_like(x, dtype=torch.int64))
# --8<-- [end:create-like]

# --8<-- [start:inspect-shape]
x = torch.zeros(2, 3, 4)
print(x.shape)
print(x.shape[0], x.size(-1))
print(x.ndim, x.numel())
print(x.dtype)
# --8<-- [end:inspect-shape]

# --8<-- [start:convert-dtype]
i = torch.tensor([1, 2, 3])
f = i.to(torch.float32)
print(i.dtype, f.dtype)
print(i / 2)
print(i // 2)
print((i + 0.5).dtype)
print(torch.tensor([0.7, 1.9, -1.5]).long())
# --8<-- [end:convert-dtype]

# --8<-- [start:move-to-device]
device = "cuda" if torch.cuda.is_available() else "cpu"

x = torch.ones(2, 3)
z = torch.zeros(2, 3, device=device)
y = x.to(device)  # (1)!
# --8<-- [end:move-to-device]

# --8<-- [start:print-devices]
print(device)
print(x.device, y.device)
print((y + z).device)
# --8<-- [end:print-devices]

# --8<-- [start:elementwise-ops]
a = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([10.0, 20.0, 30.0])
print(a + b)
print(a * b)
print(b / a)
print(a**2)
print(a.sum(), a.mean())
print(a.sum().item())
# --8<-- [end:elementwise-ops]

# --8<-- [start:matrix-multiply]
m = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
n = torch.ones(3, 2)
print(m @ n)
print(torch.matmul(m, n).shape)
print((m * m).shape)
# --8<-- [end:matrix-multiply]

# --8<-- [start:broadcast-shapes]
col = torch.tensor([[0], [10], [20]])
row = torch.tensor([1, 2, 3, 4])
out = col + row
print(col.shape, row.shape, "->", out.shape)
print(out)
# --8<-- [end:broadcast-shapes]

# --8<-- [start:broadcast-mismatch]
a = torch.ones(2, 3)
b = torch.tensor([1.0, 2.0])
try:
    a + b
except RuntimeError as err:
    print(err)
print(a + b.reshape(2, 1))
# --8<-- [end:broadcast-mismatch]

# --8<-- [start:in-place-ops]
x = torch.tensor([1.0, 2.0, 3.0])
y = x.add(1)
print(x, y)
x.add_(1)
print(x)
x.mul_(10)
print(x)
# --8<-- [end:in-place-ops]

# --8<-- [start:index-and-slice]
t = torch.arange(12).reshape(3, 4)
print(t)
print(t[0])
print(t[:, 1])
print(t[1:, ::2])
print(t[-1, -1], t[-1, -1].item())
row = t[0]
row[0] = 100
print(t[0])
# --8<-- [end:index-and-slice]

# --8<-- [start:boolean-mask]
t = torch.arange(12).reshape(3, 4)
mask = t % 3 == 0
print(mask)
print(t[mask])
t[t > 8] = -1
print(t)
# --8<-- [end:boolean-mask]

# --8<-- [start:fancy-index]
t = torch.arange(12).reshape(3, 4)
print(t[[0, 2]])
print(t[[0, 1, 2], [3, 2, 1]])
print(t[:, torch.tensor([3, 0])])
# --8<-- [end:fancy-index]

# --8<-- [start:view-and-reshape]
x = torch.arange(6)
v = x.view(2, 3)
r = x.reshape(3, -1)
print(v)
print(r.shape)
v[0, 0] = 100
print(x)
# --8<-- [end:view-and-reshape]

# --8<-- [start:permute-and-transpose]
img = torch.zeros(3, 32, 64)
print(img.permute(1, 2, 0).shape)

m = torch.arange(6).reshape(2, 3)
mt = m.transpose(0, 1)
print(mt)
print(mt.is_contiguous())
try:
    mt.view(6)
except RuntimeError as err:
    print(err)
print(mt.reshape(6))
# --8<-- [end:permute-and-transpose]

# --8<-- [start:squeeze-and-unsqueeze]
x = torch.zeros(1, 3, 1)
print(x.squeeze().shape)
print(x.squeeze(0).shape)

img = torch.zeros(3, 32, 32)
batch = img.unsqueeze(0)
print(batch.shape)
print(batch.squeeze(0).shape)
v = torch.tensor([1.0, 2.0, 3.0])
print(v.unsqueeze(1).shape)
# --8<-- [end:squeeze-and-unsqueeze]

# --8<-- [start:numpy-shared-memory]
import numpy as np

a = np.array([1.0, 2.0, 3.0])
t = torch.from_numpy(a)
a[0] = 100.0
print(t)
back = t.numpy()
back[1] = -1.0
print(a)
# --8<-- [end:numpy-shared-memory]

# --8<-- [start:numpy-copy]
a = np.array([1.0, 2.0, 3.0])
c = torch.tensor(a)
a[0] = 100.0
print(c)
print(torch.from_numpy(a).float())
# --8<-- [end:numpy-copy]

# --8<-- [start:gpu-tensor-to-numpy]
device = "cuda" if torch.cuda.is_available() else "cpu"
g = torch.ones(2, 2, device=device)
print(g.cpu().numpy())
# --8<-- [end:gpu-tensor-to-numpy]
