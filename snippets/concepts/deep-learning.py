# profiles: cpu
import torch

torch.manual_seed(0)

# --8<-- [start:two-layers]
x = torch.tensor([[0.5, -1.0, 2.0],
                  [1.5, 0.0, -0.5]])

W1 = torch.randn(3, 4)
b1 = torch.zeros(4)
h = torch.relu(x @ W1 + b1)

W2 = torch.randn(4, 1)
b2 = torch.zeros(1)
out = h @ W2 + b2

print(x.shape, "->", h.shape, "->", out.shape)
print(h)
print(out)
# --8<-- [end:two-layers]

# --8<-- [start:line-data]
x = torch.linspace(-1, 1, 20)
y = 2 * x + 1 + 0.1 * torch.randn(20)
# --8<-- [end:line-data]

# --8<-- [start:line-fit]
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.1

for step in range(101):
    pred = w * x + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")

print(f"w = {w.item():.3f}, b = {b.item():.3f}")
# --8<-- [end:line-fit]

# --8<-- [start:curve-fit]
x = torch.linspace(-1, 1, 50).reshape(-1, 1)
y = x**2


def fit(model, params, steps=3000, lr=0.2):
    for _ in range(steps):
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
    return loss.item()


w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
line_loss = fit(lambda x: x @ w + b, [w, b])

W1 = torch.randn(1, 16, requires_grad=True)
b1 = torch.zeros(16, requires_grad=True)
W2 = torch.randn(16, 1, requires_grad=True)
b2 = torch.zeros(1, requires_grad=True)
net_loss = fit(lambda x: torch.tanh(x @ W1 + b1) @ W2 + b2, [W1, b1, W2, b2])

print(f"straight line: loss {line_loss:.4f}")
print(f"two layers:    loss {net_loss:.4f}")
# --8<-- [end:curve-fit]
