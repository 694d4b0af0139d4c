# profiles: cpu
# compare: same-cpu (500 steps of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import math

import torch
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:problem]
def f(x):
    return math.pi**2 * torch.sin(math.pi * x)  # the right-hand side of -u'' = f


def exact(x):
    return torch.sin(math.pi * x)  # the solution, known here so that the answer can be checked


grid = torch.linspace(0, 1, 101).unsqueeze(1)  # (101, 1): where the answer is checked
print(grid.shape, f(grid)[50].item(), exact(grid)[50].item())
# --8<-- [end:problem]

# --8<-- [start:network]
model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))  # (1)!
print(sum(p.numel() for p in model.parameters()), "parameters")
# --8<-- [end:network]


# --8<-- [start:derivatives]
def second_derivative(u, x):
    """u''(x) for every row of x, by autograd; u maps (n, 1) to (n, 1)."""
    x = x.detach().requires_grad_(True)
    du = torch.autograd.grad(u(x).sum(), x, create_graph=True)[0]  # (1)!
    return torch.autograd.grad(du.sum(), x, create_graph=True)[0]  # (2)!


x = torch.tensor([[0.0], [0.5], [1.0]])
print(second_derivative(lambda x: x**3, x).flatten())  # 6x
# --8<-- [end:derivatives]


# --8<-- [start:forgot-create-graph]
def second_derivative_wrong(u, x):
    x = x.detach().requires_grad_(True)
    du = torch.autograd.grad(u(x).sum(), x)[0]  # no create_graph: du is a plain tensor, cut off from x
    return torch.autograd.grad(du.sum(), x)[0]


try:
    second_derivative_wrong(lambda x: x**3, x)
except RuntimeError as error:
    print(error)
# --8<-- [end:forgot-create-graph]


# --8<-- [start:loss]
ends = torch.tensor([[0.0], [1.0]])


def pinn_loss(points):
    equation = -second_derivative(model, points) - f(points)  # 0 wherever -u'' = f holds
    boundary = model(ends)  # should be u(0) = u(1) = 0
    return equation.pow(2).mean() + boundary.pow(2).mean()


def max_error():
    with torch.no_grad():
        return (model(grid) - exact(grid)).abs().max().item()
# --8<-- [end:loss]


# --8<-- [start:adam]
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(1, 501):
    loss = pinn_loss(torch.rand(100, 1))  # (1)!
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step}: loss {loss.item():.2e}, largest error {max_error():.2e}")
# --8<-- [end:adam]

# --8<-- [start:lbfgs]
points = torch.linspace(0, 1, 201).unsqueeze(1)
optimizer = torch.optim.LBFGS(model.parameters(), max_iter=500, line_search_fn="strong_wolfe")


def closure():
    optimizer.zero_grad()
    loss = pinn_loss(points)
    loss.backward()
    return loss


optimizer.step(closure)
print(f"loss {pinn_loss(points).item():.2e}, largest error {max_error():.2e}")
# --8<-- [end:lbfgs]

# --8<-- [start:finite-differences]
for n, dtype in [(99, torch.float64), (999, torch.float64), (999, torch.float32)]:
    h = 1 / (n + 1)  # n unknowns: u at the inner points of a grid of spacing h
    inner = torch.linspace(h, 1 - h, n, dtype=dtype).unsqueeze(1)
    ones = torch.ones(n - 1, dtype=dtype)
    A = (2 * torch.eye(n, dtype=dtype) - torch.diag(ones, 1) - torch.diag(ones, -1)) / h**2  # (1)!
    solution = torch.linalg.solve(A, f(inner))
    print(f"{n} points, {dtype}: largest error {(solution - exact(inner)).abs().max().item():.2e}")
# --8<-- [end:finite-differences]
