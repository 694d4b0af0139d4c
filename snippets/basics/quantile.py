# profiles: cpu
# compare: same-cpu (300 epochs of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import math

import torch
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
Z = 1.6449  # the standard normal's 95% quantile: 5% of its mass lies above Z


def noise_scale(x):
    return 0.1 + 0.6 * x / (2 * math.pi)  # (1)!


def sample(n, generator):
    x = torch.rand(n, 1, generator=generator) * 2 * math.pi
    y = torch.sin(x) + noise_scale(x) * torch.randn(n, 1, generator=generator)
    return x, y


generator = torch.Generator().manual_seed(0)
X_train, y_train = sample(2000, generator)
X_cal, y_cal = sample(1000, generator)
X_test, y_test = sample(20000, generator)
print(X_train.shape, X_cal.shape, X_test.shape)
# --8<-- [end:data]


# --8<-- [start:pinball]
def pinball(prediction, target, q):
    error = target - prediction
    return torch.maximum(q * error, (q - 1) * error).mean()  # (1)!


values = torch.randn(10001, generator=torch.Generator().manual_seed(1))
for q in [0.05, 0.5, 0.95]:
    c = torch.zeros((), requires_grad=True)  # one number, fitted to all the values
    optimizer = torch.optim.Adam([c], lr=0.05)
    for _ in range(500):
        loss = pinball(c, values, q)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"q={q}: fitted {c.item():.3f}, torch.quantile {torch.quantile(values, q):.3f}")
# --8<-- [end:pinball]

# --8<-- [start:train]
levels = torch.tensor([0.05, 0.5, 0.95])  # (1)!
model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
order = torch.Generator().manual_seed(0)
for _ in range(300):
    for batch in torch.randperm(len(X_train), generator=order).split(100):
        loss = pinball(model(X_train[batch]), y_train[batch], levels)  # (2)!
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

with torch.no_grad():
    predicted = model(X_test)  # (20000, 3): the three quantiles at each x
print("share below each predicted quantile:", [f"{s:.3f}" for s in (y_test < predicted).float().mean(dim=0)])
# --8<-- [end:train]


# --8<-- [start:coverage]
def covered(low, high):  # 1.0 for each test point inside [low, high], else 0.0
    return ((y_test >= low) & (y_test <= high)).float()


def interval(x):  # the predicted 5% and 95% quantiles: the 90% interval's ends
    with torch.no_grad():
        out = model(x)
    return out[:, :1], out[:, 2:]


stretch = X_test.floor().clamp(max=5).squeeze(1)  # x from start to start + 1 (the last: to 2 pi)


def report(low, high):
    """The share of test points inside [low, high], overall and for each stretch of x."""
    inside = covered(low, high)
    print(f"inside the interval: {inside.mean():.3f}")
    print("x from  inside  mean width  true width")
    for start in range(6):
        part = stretch == start
        true_width = 2 * Z * noise_scale(X_test[part]).mean()  # (1)!
        print(f"{start:6d}{inside[part].mean():8.3f}{(high - low)[part].mean():12.3f}{true_width:12.3f}")


low, high = interval(X_test)
report(low, high)
# --8<-- [end:coverage]

# --8<-- [start:conformal]
def conformal_margin(x, y, share=0.9):
    low, high = interval(x)
    scores = torch.maximum(low - y, y - high).squeeze(1)  # (1)!
    k = math.ceil((len(scores) + 1) * share)  # (2)!
    return scores.kthvalue(k).values


margin = conformal_margin(X_cal, y_cal)
print(f"margin {margin:.3f}")
report(low - margin, high + margin)
# --8<-- [end:conformal]

# --8<-- [start:on-average]
shares = []
for _ in range(200):
    m = conformal_margin(*sample(1000, generator))  # a new calibration set each time
    shares.append(covered(low - m, high + m).mean())
shares = torch.stack(shares)
print(f"inside the interval, over 200 calibration sets: mean {shares.mean():.3f},"
      f" lowest {shares.min():.3f}, highest {shares.max():.3f}")
# --8<-- [end:on-average]
