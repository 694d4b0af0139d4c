# profiles: cpu
# compare: same-cpu (several networks trained for 1000 steps: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
def noise_std(x):  # 0.1 left of 0, 0.2 right of it
    return 0.1 + 0.1 * (x > 0)


x_train = torch.cat([torch.empty(200, 1).uniform_(-4, -1), torch.empty(200, 1).uniform_(1, 4)])
y_train = torch.sin(x_train) + noise_std(x_train) * torch.randn_like(x_train)

x = torch.linspace(-7, 7, 1401)  # (1)!
y = torch.sin(x) + noise_std(x) * torch.randn_like(x)  # fresh noise: what a new measurement would give
regions = {
    "left data": (x >= -4) & (x <= -1),
    "gap": (x > -1) & (x < 1),
    "right data": (x >= 1) & (x <= 4),
    "beyond": x.abs() > 4,
}
print({name: int(mask.sum()) for name, mask in regions.items()})
# --8<-- [end:data]


# --8<-- [start:mean-variance]
def make_model(dropout=0.0):
    return nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(64, 64), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(64, 2))  # (1)!


def predict(model, inputs):
    out = model(inputs)
    return out[:, 0], F.softplus(out[:, 1])  # mean, variance (2)!


def train(model):
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(1000):
        mean, variance = predict(model, x_train)
        loss = F.gaussian_nll_loss(mean, y_train.squeeze(1), variance)  # (3)!
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


def report(columns):
    """One row per region: the mean of each column over the region's points."""
    print(f"{'':<11}" + "".join(f"{name:>11}" for name in columns))
    for region, mask in regions.items():
        print(f"{region:<11}" + "".join(f"{column[mask].float().mean():11.3f}" for column in columns.values()))


def covered(mean, variance):  # inside mean ± 1.645 std, the interval holding 90% of a normal distribution?
    return (y - mean).abs() <= 1.645 * variance.sqrt()


model = train(make_model())
with torch.no_grad():
    mean, variance = predict(model, x[:, None])
report({"error": (mean - torch.sin(x)).abs(), "std": variance.sqrt(), "true std": noise_std(x),
        "coverage": covered(mean, variance)})
# --8<-- [end:mean-variance]

# --8<-- [start:ensemble]
def predict_all(models):
    """Each model's predicted means and variances on x, one row per model."""
    means, variances = [], []
    with torch.no_grad():
        for m in models:
            mean, variance = predict(m, x[:, None])
            means.append(mean)
            variances.append(variance)
    return torch.stack(means), torch.stack(variances)


members = [model] + [train(make_model()) for _ in range(4)]  # (1)!
means, variances = predict_all(members)
mean = means.mean(dim=0)
disagreement = means.var(dim=0, unbiased=False)  # (2)!
noise = variances.mean(dim=0)
report({"error": (mean - torch.sin(x)).abs(), "disagree": disagreement.sqrt(), "noise": noise.sqrt(),
        "noise-only": covered(mean, noise), "coverage": covered(mean, disagreement + noise)})
# --8<-- [end:ensemble]

# --8<-- [start:extrapolation]
print("   x   sin x    mean  disagree   members")
for value in [-7, -6, -5, -4, -2.5, 0, 2.5, 4, 5, 6, 7]:
    k = int((x - value).abs().argmin())
    print(f"{value:4} {torch.sin(x[k]):7.2f} {mean[k]:7.2f} {disagreement[k].sqrt():9.2f}  "
          + " ".join(f"{m:5.2f}" for m in means[:, k]))
# --8<-- [end:extrapolation]

# --8<-- [start:mc-dropout]
torch.manual_seed(0)
dropout_model = train(make_model(dropout=0.1))
dropout_model.train()  # (1)!
samples, variances = predict_all([dropout_model] * 100)  # 100 passes, each with its own dropout
mean = samples.mean(dim=0)
spread, noise = samples.var(dim=0, unbiased=False), variances.mean(dim=0)
report({"error": (mean - torch.sin(x)).abs(), "spread": spread.sqrt(), "noise": noise.sqrt(),
        "coverage": covered(mean, spread + noise)})
# --8<-- [end:mc-dropout]
