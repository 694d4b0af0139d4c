# profiles: cpu
# compare: same-cpu (hundreds of epochs of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
torch.set_num_threads(1)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()  # 8x8 images that ship with scikit-learn
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1) / 16
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train, val, test = perm[:1100], perm[1100:1400], perm[1400:]  # (1)!


def corrupt(labels, rate, generator):
    """Replace a share `rate` of the labels with a different class, chosen at random."""
    wrong = torch.rand(len(labels), generator=generator) < rate
    shift = torch.randint(1, 10, labels.shape, generator=generator)  # (2)!
    return torch.where(wrong, (labels + shift) % 10, labels), wrong


noisy, wrong = corrupt(y, 0.4, torch.Generator().manual_seed(1))  # (3)!
clean, flipped = train[~wrong[train]], train[wrong[train]]  # training examples with right and wrong labels
print(f"wrong labels: {wrong[train].float().mean():.1%} of training, {wrong[val].float().mean():.1%} of validation")
# --8<-- [end:data]


# --8<-- [start:memorize]
def accuracy(model, idx, labels):
    with torch.no_grad():
        return (model(X[idx]).argmax(dim=1) == labels[idx]).float().mean().item()


def fit(labels, idx=train, epochs=200, report=()):
    torch.manual_seed(0)  # (1)!
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, epochs + 1):
        for batch in idx[torch.randperm(len(idx))].split(128):
            loss = F.cross_entropy(model(X[batch]), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch in report:
            print(f"{epoch:5}{accuracy(model, clean, labels):9.3f}{accuracy(model, flipped, labels):9.3f}"
                  f"{accuracy(model, flipped, y):9.3f}{accuracy(model, val, labels):9.3f}{accuracy(model, test, y):9.3f}")
    return model


print("epoch" + "".join(f"{column:>9}" for column in ["clean", "flipped", "truth", "val", "test"]))  # (2)!
fit(noisy, report=(1, 5, 10, 20, 50, 100, 200))
# --8<-- [end:memorize]

# --8<-- [start:random-labels]
random_labels = torch.randint(0, 10, y.shape, generator=torch.Generator().manual_seed(2))
model = fit(random_labels)
print(f"training accuracy {accuracy(model, train, random_labels):.3f}, test accuracy {accuracy(model, test, y):.3f}")
# --8<-- [end:random-labels]

# --8<-- [start:small-loss]
model = fit(noisy, epochs=20)  # (1)!
with torch.no_grad():
    losses = F.cross_entropy(model(X[train]), noisy[train], reduction="none")
order = losses.argsort()  # smallest loss first
kept, dropped = train[order[:660]], train[order[660:]]  # (2)!
print(f"kept: {(~wrong[kept]).float().mean():.1%} right labels; dropped: {wrong[dropped].float().mean():.1%} wrong ones")
print(f"wrong labels caught: {wrong[dropped].sum()} of {wrong[train].sum()}")
trained = {"all noisy labels": model, "small-loss subset": fit(noisy, kept, epochs=20),
           "all true labels": fit(y, epochs=20)}
for name, m in trained.items():
    print(f"{name:<18} test accuracy {accuracy(m, test, y):.3f}")
# --8<-- [end:small-loss]
