# profiles: cpu
# --8<-- [start:imports]
import torch
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:by-dimension]
a = torch.arange(6.0).reshape(2, 3)
b = torch.arange(6.0).reshape(3, 2)
v = torch.tensor([1.0, 0.0, -1.0])
w = torch.tensor([1.0, 2.0])
print((a @ b).shape)  # matrix @ matrix
print((a @ v).shape)  # matrix @ vector
print((w @ a).shape)  # vector @ matrix
print((v @ v).shape, v @ v)  # vector @ vector: the dot product
# --8<-- [end:by-dimension]

# --8<-- [start:batched]
batch = torch.arange(24.0).reshape(4, 2, 3)  # 4 matrices of shape (2, 3)
others = torch.arange(24.0).reshape(4, 3, 2)
print((batch @ others).shape)  # the i-th with the i-th
print((batch @ b).shape)  # each of the 4 with the same b
print(torch.allclose((batch @ b)[1], batch[1] @ b))
print((torch.ones(2, 1, 2, 3) @ torch.ones(5, 3, 4)).shape)  # (1)!
# --8<-- [end:batched]

# --8<-- [start:batched-error]
try:
    batch @ batch
except RuntimeError as error:
    print(error)
# --8<-- [end:batched-error]

# --8<-- [start:mm-bmm]
print(torch.mm(a, b).shape, torch.bmm(batch, others).shape)
for second in [b, torch.ones(1, 3, 2)]:  # bmm does not broadcast
    try:
        torch.bmm(batch, second)
    except RuntimeError as error:
        print(error)
# --8<-- [end:mm-bmm]

# --8<-- [start:linear]
layer = nn.Linear(3, 2)
x = torch.randn(5, 3)
print(layer.weight.shape)  # (out_features, in_features)
print(torch.allclose(layer(x), x @ layer.weight.T + layer.bias))
print(layer(x).shape, layer(torch.randn(8, 5, 3)).shape)
# --8<-- [end:linear]

# --8<-- [start:einsum]
print(torch.einsum("ij,jk->ik", a, b))  # the same as a @ b
print(torch.einsum("ij->ji", a))  # transpose
print(torch.einsum("ij->i", a), torch.einsum("ij->", a))  # row sums, total
# --8<-- [end:einsum]

# --8<-- [start:einsum-more]
m = torch.arange(9.0).reshape(3, 3)
print(torch.einsum("ii->", m), torch.einsum("ii->i", m))  # trace, diagonal
print(torch.einsum("i,j->ij", v, w))  # outer product
print(torch.einsum("bij,bjk->bik", batch, others).shape)  # batched product
print(torch.einsum("ji", a).shape)  # no ->: the letters in alphabetical order
# --8<-- [end:einsum-more]

# --8<-- [start:attention-scores]
q = torch.randn(2, 4, 5, 8)  # (batch, heads, queries, features)
k = torch.randn(2, 4, 6, 8)  # (batch, heads, keys, features)
scores = torch.einsum("bhqd,bhkd->bhqk", q, k)
print(scores.shape)
print(torch.allclose(scores, q @ k.transpose(-2, -1)))
# --8<-- [end:attention-scores]

# --8<-- [start:einsum-error]
try:
    torch.einsum("ij,jk->ik", a, a)
except RuntimeError as error:
    print(error)
# --8<-- [end:einsum-error]
