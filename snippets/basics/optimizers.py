# profiles: cpu
# --8<-- [start:imports]
import torch
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:by-hand]
model = nn.Linear(3, 1)
x, y = torch.randn(8, 3), torch.randn(8, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

loss = nn.functional.mse_loss(model(x), y)
loss.backward()
expected = [p - 0.1 * p.grad for p in model.parameters()]  # the SGD rule
optimizer.step()
print([torch.allclose(p, e) for p, e in zip(model.parameters(), expected,
                                             strict=True)])
# --8<-- [end:by-hand]

# --8<-- [start:zero-grad]
print(model.bias.grad)
optimizer.zero_grad()
print(model.bias.grad)  # None: zero_grad() drops the gradients

for _ in range(2):  # two backward passes without zero_grad() in between
    nn.functional.mse_loss(model(x), y).backward()
    print(model.bias.grad)
# --8<-- [end:zero-grad]


# --8<-- [start:valley]
def valley(p):  # a long, narrow valley: 50 times steeper along y than along x
    return 0.5 * (p[0] ** 2 + 50 * p[1] ** 2)


def descend(make_optimizer, steps=100):
    p = torch.tensor([-4.0, 1.0], requires_grad=True)  # the minimum is (0, 0)
    optimizer = make_optimizer([p])
    for _ in range(steps):
        optimizer.zero_grad()
        valley(p).backward()
        optimizer.step()
    return valley(p).item()


for name, make_optimizer in [
    ("SGD lr=0.01", lambda ps: torch.optim.SGD(ps, lr=0.01)),
    ("SGD lr=0.035", lambda ps: torch.optim.SGD(ps, lr=0.035)),
    ("SGD lr=0.045", lambda ps: torch.optim.SGD(ps, lr=0.045)),
    ("SGD lr=0.01 momentum=0.9",
     lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)),
    ("Adam lr=0.1", lambda ps: torch.optim.Adam(ps, lr=0.1)),
]:
    print(f"{name:25} loss after 100 steps: {descend(make_optimizer):.2e}")
# --8<-- [end:valley]

# --8<-- [start:adam-state]
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
print(len(optimizer.state))  # nothing yet: the state is created by the first step

nn.functional.mse_loss(model(x), y).backward()
optimizer.step()
state = optimizer.state[model[0].weight]
print({name: tuple(value.shape) for name, value in state.items()})
print(model[0].weight.shape)
# --8<-- [end:adam-state]

# --8<-- [start:param-groups]
optimizer = torch.optim.AdamW([
    {"params": model[0].parameters(), "lr": 1e-4},  # this group's own lr
    {"params": model[2].parameters()},  # the default below
], lr=1e-3, weight_decay=0.01)
for group in optimizer.param_groups:
    print(len(group["params"]), group["lr"], group["weight_decay"])
# --8<-- [end:param-groups]

# --8<-- [start:lr-change]
for group in optimizer.param_groups:
    group["lr"] *= 0.5  # in essence what a learning-rate scheduler does
print([group["lr"] for group in optimizer.param_groups])
# --8<-- [end:lr-change]
