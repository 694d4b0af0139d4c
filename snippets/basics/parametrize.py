# profiles: cpu
# compare: same-cpu (Adam runs of 500 steps, matrix_exp and power iteration: another CPU model rounds the last digits differently)
# --8<-- [start:imports]
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrizations, parametrize
# --8<-- [end:imports]

# --8<-- [start:positive]
class Positive(nn.Module):
    def forward(self, raw):  # (1)!
        return F.softplus(raw)

    def right_inverse(self, weight):  # (2)!
        return weight + torch.log(-torch.expm1(-weight))


torch.manual_seed(0)
layer = nn.Linear(4, 3)
print(f"{(layer.weight < 0).sum()} of {layer.weight.numel()} weights negative")
with torch.no_grad():
    layer.weight.abs_()  # (3)!
before = layer.weight.detach().clone()
parametrize.register_parametrization(layer, "weight", Positive())
print(type(layer).__name__, [name for name, _ in layer.named_parameters()])
print(f"weights changed by at most {(layer.weight - before).abs().max():.1e}")
# --8<-- [end:positive]

# --8<-- [start:assign]
layer.weight = torch.full((3, 4), 0.5)  # (1)!
print("original:", [round(v, 4) for v in layer.parametrizations.weight.original[0].tolist()])
print("weight:  ", [round(v, 4) for v in layer.weight[0].tolist()])
# --8<-- [end:assign]

# --8<-- [start:nonnegative]
generator = torch.Generator().manual_seed(1)
X = torch.randn(200, 4, generator=generator)
w_true = torch.tensor([[2.0], [0.5], [-1.0], [0.0]])
y = X @ w_true + 0.1 * torch.randn(200, 1, generator=generator)


def fit(model, X, y, lr, project=False):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(500):
        loss = F.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if project:
            with torch.no_grad():
                model.weight.clamp_(min=0)  # (1)!
    return loss.item()


def positive_start():
    torch.manual_seed(0)
    model = nn.Linear(4, 1, bias=False)
    with torch.no_grad():
        model.weight.abs_()
    return model


constrained = positive_start()
parametrize.register_parametrization(constrained, "weight", Positive())
projected = positive_start()
for name, model, loss in [("softplus", constrained, fit(constrained, X, y, lr=0.05)),
                          ("clamp", projected, fit(projected, X, y, lr=0.05, project=True))]:
    print(f"{name:9} weights {[round(w, 4) for w in model.weight[0].tolist()]}  loss {loss:.4f}")
# --8<-- [end:nonnegative]

# --8<-- [start:orthogonal]
generator = torch.Generator().manual_seed(2)
Q_true = torch.linalg.qr(torch.randn(8, 8, generator=generator)).Q
if torch.linalg.det(Q_true) < 0:
    Q_true[:, 0] *= -1  # (1)!
X_train = torch.randn(20, 8, generator=generator)
Y_train = X_train @ Q_true.T + 0.5 * torch.randn(20, 8, generator=generator)
X_test = torch.randn(1000, 8, generator=generator)



def measure(model):
    with torch.no_grad():
        W = model.weight
        test = F.mse_loss(model(X_test), X_test @ Q_true.T)  # (2)!
        drift = torch.linalg.matrix_norm(W.T @ W - torch.eye(8))
        x = X_test[0]
        growth = (torch.linalg.matrix_power(W, 100) @ x).norm() / x.norm()  # (3)!
    return test.item(), drift.item(), growth.item()


torch.manual_seed(0)
plain = nn.Linear(8, 8, bias=False)
rotation = nn.Linear(8, 8, bias=False)
nn.init.eye_(rotation.weight)  # (4)!
parametrizations.orthogonal(rotation)  # (5)!
for name, model in [("plain", plain), ("orthogonal", rotation)]:
    train_loss = fit(model, X_train, Y_train, lr=0.02)
    test_loss, drift, growth = measure(model)
    print(f"{name:10} train {train_loss:.3f}  test {test_loss:.4f}  ‖WᵀW − I‖ {drift:.1e}  ‖W¹⁰⁰x‖/‖x‖ {growth:.3e}")
# --8<-- [end:orthogonal]

# --8<-- [start:spectral]
torch.manual_seed(0)
layer = nn.Linear(20, 20)
sigma_before = torch.linalg.matrix_norm(layer.weight.detach(), ord=2)
parametrizations.spectral_norm(layer)
sigma_after = torch.linalg.matrix_norm(layer.weight.detach(), ord=2)
print(f"largest singular value: {sigma_before:.6f} before, {sigma_after:.6f} after")
a, b = torch.randn(1000, 20), torch.randn(1000, 20)
layer.eval()  # (1)!
with torch.no_grad():
    ratio = (layer(a) - layer(b)).norm(dim=1) / (a - b).norm(dim=1)
print(f"‖f(a) − f(b)‖ / ‖a − b‖: at most {ratio.max():.4f}")
# --8<-- [end:spectral]

# --8<-- [start:weight-norm]
torch.manual_seed(0)
layer = parametrizations.weight_norm(nn.Linear(20, 10))
for name, parameter in layer.named_parameters():
    print(f"{name:35} {tuple(parameter.shape)}")
g, v = layer.parametrizations.weight.original0, layer.parametrizations.weight.original1
print(f"weight = g · v / ‖v‖, row by row: off by {(layer.weight - g * v / v.norm(dim=1, keepdim=True)).abs().max():.1e}")
# --8<-- [end:weight-norm]

# --8<-- [start:cached]
class Counted(nn.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, raw):
        self.calls += 1
        return raw


def run(cell, steps=10):
    h = torch.zeros(1, 16)
    for _ in range(steps):
        h = torch.tanh(cell(h))
    return h


counter = Counted()
cell = nn.Linear(16, 16)
parametrize.register_parametrization(cell, "weight", counter)
counter.calls = 0  # (1)!
run(cell)
without = counter.calls
counter.calls = 0
with parametrize.cached():
    run(cell)
print(f"forward ran {without} times without cached(), {counter.calls} with it")
# --8<-- [end:cached]

# --8<-- [start:remove]
print(list(rotation.state_dict()))
parametrize.remove_parametrizations(rotation, "weight")  # (1)!
print(type(rotation).__name__, list(rotation.state_dict()))
W = rotation.weight.detach()
print(f"‖WᵀW − I‖ {torch.linalg.matrix_norm(W.T @ W - torch.eye(8)):.1e}")
# --8<-- [end:remove]
