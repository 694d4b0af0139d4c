# profiles: cpu
# --8<-- [start:imports]
import torch
from torch import nn
from torch.func import functional_call, grad, hessian, jacrev, vmap
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:grad]
def f(x):
    return (x ** 3).sum()  # a function that returns one number


x = torch.tensor([1.0, 2.0])
print(grad(f)(x))  # 3 * x ** 2

second = grad(grad(torch.sin))  # the derivative of the derivative
t = torch.tensor(0.5)
print(second(t), -torch.sin(t))
# --8<-- [end:grad]


# --8<-- [start:vmap]
def dot(a, b):
    """Written for one pair of vectors."""
    return (a * b).sum()


A = torch.randn(4, 3)
B = torch.randn(4, 3)
print(vmap(dot)(A, B))  # (1)!
print(torch.stack([dot(a, b) for a, b in zip(A, B, strict=True)]))
# --8<-- [end:vmap]

# --8<-- [start:in-dims]
print(vmap(dot, in_dims=(0, None))(A, B[0]))  # every row of A with B[0]
# --8<-- [end:in-dims]

# --8<-- [start:per-sample-setup]
model = nn.Linear(3, 1)
X = torch.randn(5, 3)  # five samples
y = torch.randn(5, 1)
params = {name: p.detach() for name, p in model.named_parameters()}


def sample_loss(params, x, y):
    """The loss of one sample, as a function of the parameters."""
    pred = functional_call(model, params, (x.unsqueeze(0),))  # (1)!
    return F.mse_loss(pred, y.unsqueeze(0))
# --8<-- [end:per-sample-setup]


# --8<-- [start:per-sample]
per_sample = vmap(grad(sample_loss), in_dims=(None, 0, 0))(params, X, y)
print({name: g.shape for name, g in per_sample.items()})
print(per_sample["weight"].flatten(start_dim=1).norm(dim=1))
# --8<-- [end:per-sample]

# --8<-- [start:per-sample-check]
one_by_one = torch.stack([
    torch.autograd.grad(F.mse_loss(model(X[i:i + 1]), y[i:i + 1]),
                        model.weight)[0]
    for i in range(len(X))
])
print(torch.allclose(per_sample["weight"], one_by_one))

batch_grad, = torch.autograd.grad(F.mse_loss(model(X), y), model.weight)
print(torch.allclose(per_sample["weight"].mean(dim=0), batch_grad))
# --8<-- [end:per-sample-check]


# --8<-- [start:jacobian]
def h(x):
    return torch.stack([x[0] * x[1], x[0] + torch.sin(x[1])])


x = torch.tensor([1.0, 2.0])
print(jacrev(h)(x))
print(hessian(f)(x))  # the Hessian of f: 6 * x on the diagonal
# --8<-- [end:jacobian]


# --8<-- [start:item]
def scaled(x):
    return x / x.sum().item()


try:
    vmap(scaled)(A)
except RuntimeError as error:
    print(error)
print(vmap(lambda x: x / x.sum())(A).sum(dim=1))  # stay in tensors
# --8<-- [end:item]


# --8<-- [start:control-flow]
def flip_if_negative(x):
    if x.sum() > 0:
        return x
    return -x


try:
    vmap(flip_if_negative)(A)
except RuntimeError as error:
    print(error)
print(vmap(lambda x: torch.where(x.sum() > 0, x, -x))(A))
# --8<-- [end:control-flow]

# --8<-- [start:randomness]
dropout = nn.Dropout(p=0.5)
ones = torch.ones(2, 4)
try:
    vmap(dropout)(ones)
except RuntimeError as error:
    print(error)
print(vmap(dropout, randomness="different")(ones))
print(vmap(dropout, randomness="same")(ones))
# --8<-- [end:randomness]
