# profiles: cpu
import torch

# --8<-- [start:cat-and-stack]
a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5, 6], [7, 8]])
print(torch.cat([a, b]))
print(torch.cat([a, b], dim=1))
s = torch.stack([a, b])
print(s.shape)
print(torch.equal(s[1], b))
# --8<-- [end:cat-and-stack]

# --8<-- [start:split-and-chunk]
x = torch.arange(10)
print(x.split(4))
print(x.split([2, 8]))
print(x.chunk(2))
print(torch.arange(6).chunk(4))
# --8<-- [end:split-and-chunk]
