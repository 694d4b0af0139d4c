# profiles: cpu
# compare: same-cpu (training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:setup]
digits = load_digits()  # 8x8 images that ship with scikit-learn
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1) / 16
y = torch.tensor(digits.target)
seen = (y < 5).nonzero().squeeze(1)  # (1)!
seen = seen[torch.randperm(len(seen), generator=torch.Generator().manual_seed(0))]
train, val, test = seen[:600], seen[600:750], seen[750:]  # (2)!
inputs = {
    "test digits 0-4": X[test],
    "digits 5-9": X[y >= 5],  # (3)!
    "random noise": torch.rand(300, 64, generator=torch.Generator().manual_seed(1)),  # (4)!
}

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(30):
    for batch in train[torch.randperm(len(train))].split(64):
        loss = F.cross_entropy(model(X[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
model.eval().requires_grad_(False)  # (5)!
print(f"test accuracy on digits 0-4: {(model(X[test]).argmax(dim=1) == y[test]).float().mean():.3f}")
# --8<-- [end:setup]

# --8<-- [start:confidence]
def confidence(logits):
    return logits.softmax(dim=1).amax(dim=1)  # (1)!


print(f"{'':<16}{'mean confidence':>16}{'share above 0.99':>18}")
for name, x in inputs.items():
    c = confidence(model(x))
    print(f"{name:<16}{c.mean():16.3f}{(c > 0.99).float().mean():18.1%}")
# --8<-- [end:confidence]

# --8<-- [start:scores]
features = model[:4]  # (1)!
train_features = F.normalize(features(X[train]), dim=1)


def scores(x):
    """Higher means more likely out of distribution."""
    hidden = features(x)
    logits = model[4:](hidden)  # model(x), from the features already computed
    similarity = F.normalize(hidden, dim=1) @ train_features.T
    return {
        "softmax": -confidence(logits),  # (2)!
        "energy": -torch.logsumexp(logits, dim=1),  # (3)!
        "kNN features": -similarity.topk(5, dim=1).values[:, -1],  # (4)!
        "kNN pixels": torch.cdist(x, X[train]).topk(5, dim=1, largest=False).values[:, -1],  # (5)!
    }


def auroc(inside, outside):
    """Chance that a random outside input scores higher than a random inside one (ties count half)."""
    higher = (outside[:, None] > inside[None, :]).float().mean()  # (6)!
    tied = (outside[:, None] == inside[None, :]).float().mean()
    return (higher + tied / 2).item()


results = {name: scores(x) for name, x in inputs.items()}
inside, unseen, noise = results.values()
print(f"{'score':<14}{'AUROC digits 5-9':>18}{'AUROC noise':>13}")
for name in inside:
    print(f"{name:<14}{auroc(inside[name], unseen[name]):18.3f}{auroc(inside[name], noise[name]):13.3f}")
# --8<-- [end:scores]

# --8<-- [start:threshold]
held_out = scores(X[val])
print(f"{'score':<14}" + "".join(f"{name:>17}" for name in results))
for name in ("softmax", "kNN features"):
    threshold = held_out[name].quantile(0.95)  # (1)!
    flagged = [(s[name] > threshold).float().mean() for s in results.values()]
    print(f"{name:<14}" + "".join(f"{share:17.1%}" for share in flagged))
# --8<-- [end:threshold]

# --8<-- [start:far-away]
for factor in (1, 2, 5, 10):
    c = confidence(model(factor * inputs["random noise"]))  # (1)!
    print(f"noise x {factor:<3} mean confidence {c.mean():.3f}, above 0.99: {(c > 0.99).float().mean():.1%}")
# --8<-- [end:far-away]
