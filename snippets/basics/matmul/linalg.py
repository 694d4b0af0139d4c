# profiles: cpu
# compare: same-cpu (the errors of an ill-conditioned solve depend on how LAPACK rounds on this CPU)
import torch

# --8<-- [start:solve]
A = torch.tensor([[3.0, 1.0],
                  [1.0, 2.0]])
b = torch.tensor([9.0, 8.0])
x = torch.linalg.solve(A, b)  # the x with A @ x == b
print(x)
print(A @ x)

g = torch.Generator().manual_seed(0)
As = torch.randn(4, 3, 3, generator=g)  # a batch of 4 systems, each 3 x 3
bs = torch.randn(4, 3, generator=g)
print(torch.linalg.solve(As, bs).shape)
# --8<-- [end:solve]

# --8<-- [start:solve-vs-inv]
n = 10
i = torch.arange(n, dtype=torch.float64)
H = 1 / (i[:, None] + i[None, :] + 1)  # the Hilbert matrix
x_true = torch.ones(n, dtype=torch.float64)
b = H @ x_true
cond = torch.linalg.cond(H)
print(f"condition number {cond:.1e}")


def relative_error(x):
    return torch.linalg.norm(x - x_true) / torch.linalg.norm(x_true)


for name, x in [("solve", torch.linalg.solve(H, b)),
                ("inv @ b", torch.linalg.inv(H) @ b)]:
    residual = torch.linalg.norm(H @ x - b)
    print(f"{name:8s} residual {residual:.1e}  "
          f"relative error {relative_error(x):.1e}")

for dtype in (torch.float64, torch.float32):
    eps = torch.finfo(dtype).eps
    x = torch.linalg.solve(H.to(dtype), b.to(dtype)).double()
    print(f"{str(dtype):14s} eps {eps:.1e}  cond x eps {cond * eps:.1e}  "
          f"relative error {relative_error(x):.1e}")
# --8<-- [end:solve-vs-inv]

# --8<-- [start:singular]
S = torch.tensor([[1.0, 2.0],
                  [2.0, 4.0]])  # the second row is twice the first
b = torch.tensor([1.0, 2.0])
try:
    torch.linalg.solve(S, b)
except torch.linalg.LinAlgError as error:
    # the type and message as a traceback shows them
    print(f"{type(error).__module__}.{type(error).__name__}: {error}")

x = torch.linalg.lstsq(S, b.unsqueeze(1)).solution.squeeze(1)
# of all the solutions, the shortest; S @ x is b again (rounded: its last bit differs between torch releases)
print(x, (S @ x).round(decimals=4))

T = torch.arange(1.0, 10.0, dtype=torch.float64).reshape(3, 3)  # singular too
print(torch.linalg.solve(T, torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)))
# --8<-- [end:singular]

# --8<-- [start:lstsq]
g = torch.Generator().manual_seed(0)
t = torch.linspace(0, 1, 50)
y = 2 * t + 1 + 0.1 * torch.randn(50, generator=g)  # a line plus noise
X = torch.stack([t, torch.ones_like(t)], dim=1)  # columns: t and 1
fit = torch.linalg.lstsq(X, y.unsqueeze(1))
slope, intercept = fit.solution.squeeze(1)
print(f"slope {slope:.3f}  intercept {intercept:.3f}")
# --8<-- [end:lstsq]

# --8<-- [start:slogdet]
M = 0.01 * torch.eye(500)
print(torch.linalg.det(M))  # 0.01 ** 500 = 1e-1000, below any float
sign, logabsdet = torch.linalg.slogdet(M)
print(sign, logabsdet)  # det = sign * exp(logabsdet)
# --8<-- [end:slogdet]
