# profiles: cpu
# compare: same-cpu (2000 L-BFGS steps and 3000 gradient-descent steps at an unstable learning rate, through tanh, and differences of order 1e-15: their last digits depend on how this processor rounds its vectorized tanh and sums)
# --8<-- [start:imports]
import torch
import torch.autograd.forward_ad as fwAD
from torch import nn
from torch.func import functional_call, grad, hessian, jacfwd, jacrev, jvp, vjp
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:dual]
def f(x):  # three inputs, two outputs
    return torch.stack([x[0] * x[1] * x[2], torch.sin(x[0]) + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0])
v = torch.tensor([1.0, 0.0, 0.0])  # the direction: along x[0]
with fwAD.dual_level():
    dual = fwAD.make_dual(x, v)  # (1)!
    value, tangent = fwAD.unpack_dual(f(dual))
print(value)
print(tangent)  # the derivative of each output along v
# --8<-- [end:dual]

# --8<-- [start:jvp-vjp]
J = jacrev(f)(x)  # the whole 2 x 3 Jacobian, to check against
v = torch.tensor([1.0, 1.0, 1.0])
value, Jv = jvp(f, (x,), (v,))
print(Jv, J @ v)

u = torch.tensor([1.0, 0.0])
value, pullback = vjp(f, x)
print(pullback(u), u @ J)  # (1)!
# --8<-- [end:jvp-vjp]

# --8<-- [start:cost]
W1 = torch.randn(64, 1000) / 1000 ** 0.5
W2 = torch.randn(5, 64) / 8


def wide(x):  # 1000 inputs, 5 outputs
    return torch.tanh(x @ W1.T) @ W2.T


def tall(z):  # 5 inputs, 1000 outputs
    return torch.tanh(z @ W2) @ W1


def mflop(function, *args):
    """Millions of floating-point operations in the matrix products of one call."""
    with FlopCounterMode(display=False) as counter:  # (1)!
        function(*args)
    return counter.get_total_flops() / 1e6


x, z = torch.randn(1000), torch.randn(5)
print(f"one call of wide: {mflop(wide, x):.2f} MFLOP")
for name, function, point in (("wide", wide, x), ("tall", tall, z)):
    print(f"{name}: jacrev {mflop(jacrev(function), point):6.2f} MFLOP, jacfwd {mflop(jacfwd(function), point):6.2f} MFLOP")
# --8<-- [end:cost]

# --8<-- [start:model]
X = torch.linspace(-1, 1, 128, dtype=torch.float64).unsqueeze(1)
Y = torch.sin(3 * X) + 0.1 * torch.randn(128, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(1, 10), nn.Tanh(), nn.Linear(10, 1)).double()
shapes = {name: p.shape for name, p in model.named_parameters()}


def predict(flat):
    """The model's outputs on X, with its parameters taken from one flat vector."""
    chunks = flat.split([s.numel() for s in shapes.values()])
    params = {name: c.view(s) for (name, s), c in zip(shapes.items(), chunks, strict=True)}
    return functional_call(model, params, (X,))


def loss_of(flat):
    return ((predict(flat) - Y) ** 2).mean()  # (1)!


p0 = nn.utils.parameters_to_vector(model.parameters()).detach()
print(p0.numel(), "parameters")
# --8<-- [end:model]


# --8<-- [start:hvp]
def hvp(loss, p, v):
    """H @ v for the Hessian H of loss at p: forward mode over the gradient."""
    return jvp(grad(loss), (p,), (v,))[1]


def hvp_reverse(loss, p, v):
    """The same product, reverse mode over reverse mode."""
    p = p.detach().requires_grad_()
    (g,) = torch.autograd.grad(loss(p), p, create_graph=True)  # (1)!
    return torch.autograd.grad(g, p, grad_outputs=v)[0]


v = torch.randn_like(p0)
H = hessian(loss_of)(p0)  # the whole matrix, to check against
print(H.shape)
print((hvp(loss_of, p0, v) - H @ v).abs().max(), (hvp_reverse(loss_of, p0, v) - H @ v).abs().max())
cost = {"gradient": mflop(grad(loss_of), p0), "forward over reverse": mflop(hvp, loss_of, p0, v),
        "reverse over reverse": mflop(hvp_reverse, loss_of, p0, v), "whole H": mflop(hessian(loss_of), p0)}
print(", ".join(f"{name} {value * 1e3:.1f}" for name, value in cost.items()), "(kFLOP)")
# --8<-- [end:hvp]

# --8<-- [start:coverage]
losses = {"F.mse_loss": lambda flat: F.mse_loss(predict(flat), Y),
          "F.huber_loss": lambda flat: F.huber_loss(predict(flat), Y)}
for name, loss in losses.items():
    try:
        hvp(loss, p0, v)
    except RuntimeError as error:
        print(f"{name}: {str(error).splitlines()[0]}")  # (1)!
    print(f"  reverse over reverse: {hvp_reverse(loss, p0, v).norm():.4f}")
print(f"loss_of, mean of squares written out: {hvp(loss_of, p0, v).norm():.4f}")
# --8<-- [end:coverage]

# --8<-- [start:train]
p = p0.clone().requires_grad_()
optimizer = torch.optim.LBFGS([p], max_iter=2000, tolerance_change=0, line_search_fn="strong_wolfe")  # (1)!


def closure():
    optimizer.zero_grad()
    loss = loss_of(p)
    loss.backward()
    return loss


optimizer.step(closure)
p_min = p.detach()
print(f"loss {loss_of(p_min):.5f}, gradient norm {grad(loss_of)(p_min).norm():.1e}")
# --8<-- [end:train]


# --8<-- [start:sharpness]
def power_iteration(p, steps):
    """Estimates of the Hessian's eigenvalue of largest magnitude at p, one per step, and its eigenvector."""
    u = torch.randn_like(p)
    u = u / u.norm()
    estimates = []
    for _ in range(steps):
        Hu = hvp(loss_of, p, u)
        estimates.append((u @ Hu).item())  # (1)!
        u = Hu / Hu.norm()
    return estimates, u


estimates, u = power_iteration(p_min, 30)
for step in (1, 2, 5, 10, 30):
    print(f"step {step:2d}: {estimates[step - 1]:.4f}")
sharpness = estimates[-1]

eigenvalues = torch.linalg.eigvalsh(hessian(loss_of)(p_min))  # ascending
print(f"eigvalsh: largest {eigenvalues[-1]:.4f}, next {eigenvalues[-2]:.4f}, smallest {eigenvalues[0]:.1e}")
# --8<-- [end:sharpness]

# --8<-- [start:stability]
print(f"2/λ = {2 / sharpness:.4f}")
for factor in (1.9, 2.1):
    lr = factor / sharpness
    q = p_min + 1e-3 * u  # a small step away from the minimum, along u
    along = []
    for _ in range(60):
        along.append(f"{(q - p_min) @ u:+.2e}")
        q = q - lr * grad(loss_of)(q)  # plain gradient descent
    print(f"lr = {factor}/λ: {', '.join(along[:4])}, ...; after 60 steps: "
          f"distance {(q - p_min).norm():.1e}, loss {loss_of(q):.5f}")
# --8<-- [end:stability]

# --8<-- [start:flatter]
for _ in range(3000):  # lr = 2.1/λ still
    q = q - lr * grad(loss_of)(q)
print(f"2/lr = {2 / lr:.2f}")
for step in (3060, 3061):  # two steps in a row
    estimates, _ = power_iteration(q, 100)
    print(f"after {step} steps: distance {(q - p_min).norm():.2f}, loss {loss_of(q):.5f}, "
          f"gradient norm {grad(loss_of)(q).norm():.2f}, largest eigenvalue {estimates[-1]:.2f}")
    q = q - lr * grad(loss_of)(q)
# --8<-- [end:flatter]
