# profiles: cpu
# compare: same-cpu (500 epochs of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import copy

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
centers = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])  # one per class


def sample(n, generator):
    labels = torch.randint(0, 3, (n,), generator=generator)
    points = centers[labels] + torch.randn(n, 2, generator=generator)  # (1)!
    return points, labels


def true_probabilities(points):
    """P(class | point), known because we made the data."""
    return (-0.5 * (points[:, None, :] - centers).pow(2).sum(dim=-1)).softmax(dim=1)  # (2)!


generator = torch.Generator().manual_seed(0)
X_train, y_train = sample(500, generator)
X_val, y_val = sample(1000, generator)
X_test, y_test = sample(20000, generator)
best = true_probabilities(X_test)
print(f"best possible: accuracy {(best.argmax(dim=1) == y_test).float().mean():.3f},"
      f" NLL {F.nll_loss(best.log(), y_test):.3f}")
# --8<-- [end:data]


# --8<-- [start:reliability]
BINS = 10  # bin i holds the confidences in (i/BINS, (i+1)/BINS]


def bins_of(probs, labels):
    """(bin index, share of the points, mean confidence, accuracy) for each bin with points in it."""
    confidence, predicted = probs.max(dim=1)  # (1)!
    right = (predicted == labels).float()
    which = (confidence * BINS).ceil().long().clamp(1, BINS) - 1
    rows = []
    for i in range(BINS):
        inside = which == i
        if inside.any():
            rows.append((i, inside.float().mean(), confidence[inside].mean(), right[inside].mean()))
    return rows


def ece(rows):  # expected calibration error, from the rows of bins_of
    return sum(share * (acc - conf).abs() for _, share, conf, acc in rows).item()  # (2)!


def reliability(probs, labels):
    rows = bins_of(probs, labels)
    print("confidence   share  mean confidence  accuracy")
    for i, share, conf, acc in rows:
        print(f"{i / BINS:.1f} to {(i + 1) / BINS:.1f}{share:8.3f}{conf:17.3f}{acc:10.3f}")
    print(f"ECE {ece(rows):.3f}")


reliability(best, y_test)
# --8<-- [end:reliability]


# --8<-- [start:overfit]
def report(epoch, model):
    with torch.no_grad():
        train_loss = F.cross_entropy(model(X_train), y_train)
        logits = model(X_test)
    probs = logits.softmax(dim=1)
    accuracy = (probs.argmax(dim=1) == y_test).float().mean()
    confidence = probs.max(dim=1).values.mean()
    print(f"{epoch:5d}{train_loss:12.3f}{accuracy:15.3f}{confidence:17.3f}"
          f"{F.cross_entropy(logits, y_test):10.3f}{ece(bins_of(probs, y_test)):7.3f}")


model = nn.Sequential(nn.Linear(2, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
order = torch.Generator().manual_seed(0)
print("epoch  train loss  test accuracy  mean confidence  test NLL    ECE")
for epoch in range(1, 501):
    for batch in torch.randperm(len(X_train), generator=order).split(50):
        loss = F.cross_entropy(model(X_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch == 10:
        early = copy.deepcopy(model)  # (1)!
    if epoch in (10, 100, 500):
        report(epoch, model)
# --8<-- [end:overfit]

# --8<-- [start:overconfident]
with torch.no_grad():
    test_logits = model(X_test)
reliability(test_logits.softmax(dim=1), y_test)
# --8<-- [end:overconfident]


# --8<-- [start:temperature]
def fit_temperature(logits, labels):
    log_t = torch.zeros((), requires_grad=True)  # (1)!
    optimizer = torch.optim.LBFGS([log_t], max_iter=100, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return log_t.exp().item()


with torch.no_grad():
    val_logits = model(X_val)
T = fit_temperature(val_logits, y_val)  # (2)!
print(f"T = {T:.2f}")
scaled = test_logits / T
print(f"test NLL {F.cross_entropy(test_logits, y_test):.3f} -> {F.cross_entropy(scaled, y_test):.3f}")
print("same predictions:", torch.equal(scaled.argmax(dim=1), test_logits.argmax(dim=1)))  # (3)!
reliability(scaled.softmax(dim=1), y_test)
# --8<-- [end:temperature]

# --8<-- [start:early]
with torch.no_grad():
    early_val = early(X_val)
print(f"epoch 10: T = {fit_temperature(early_val, y_val):.2f}")
# --8<-- [end:early]
