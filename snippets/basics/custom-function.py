# profiles: cpu
import torch

# --8<-- [start:finite-differences]
def f(x):
    return (x.sin() * x**2).sum()


x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
f(x).backward()
analytic = x.grad

h = 1e-6
numeric = torch.zeros_like(x)
with torch.no_grad():
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e[i] = h
        numeric[i] = (f(x + e) - f(x - e)) / (2 * h)

print(analytic)
print(numeric)
print(torch.allclose(analytic, numeric, rtol=0, atol=1e-8))
# --8<-- [end:finite-differences]

# --8<-- [start:gradcheck]
print(torch.autograd.gradcheck(f, (x,)))
# --8<-- [end:gradcheck]

# --8<-- [start:custom-function]
class MySiLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * s * (1 + x * (1 - s))
# --8<-- [end:custom-function]

# --8<-- [start:custom-function-check]
x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
y = MySiLU.apply(x)
print(type(y.grad_fn).__name__)
print(torch.allclose(y, torch.nn.functional.silu(x)))
print(torch.autograd.gradcheck(MySiLU.apply, (x,)))
# --8<-- [end:custom-function-check]

# --8<-- [start:gradcheck-catches-bug]
class BadSiLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s  # (1)!


try:
    torch.autograd.gradcheck(BadSiLU.apply, (x,))
except RuntimeError as error:
    print(type(error).__name__)
    print(str(error).splitlines()[0])
# --8<-- [end:gradcheck-catches-bug]
