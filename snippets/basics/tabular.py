# profiles: cpu
# compare: same-cpu (21 MLP trainings: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_diabetes
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
diabetes = load_diabetes(scaled=False)  # ships with scikit-learn: nothing to download
X = torch.tensor(diabetes.data, dtype=torch.float32)
y = torch.tensor(diabetes.target, dtype=torch.float32)
print(X.shape, y.shape)
print(diabetes.feature_names)
print(X[:2])
print(y[:2], y.min(), y.max())
# --8<-- [end:data]

# --8<-- [start:split]
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
test_idx, train_idx = perm[:88], perm[88:]  # 20 % for the test set, put aside until the end
X_train, y_train = X[train_idx], y[train_idx]
X_test, y_test = X[test_idx], y[test_idx]
print(len(train_idx), len(test_idx))
# --8<-- [end:split]

# --8<-- [start:scales]
print(X_train.mean(dim=0))
print(X_train.std(dim=0))
# --8<-- [end:scales]


# --8<-- [start:standardize]
def standardizer(X_fit):
    """Standardize each column with the mean and std of X_fit: the training data only.
    (A column that is constant in X_fit has std 0: drop it first.)"""
    mean, std = X_fit.mean(dim=0), X_fit.std(dim=0)
    return lambda X: (X - mean) / std


scale = standardizer(X_train)
Z_train = scale(X_train)
print(Z_train.mean(dim=0).abs().max(), Z_train.std(dim=0))
# --8<-- [end:standardize]


# --8<-- [start:lstsq]
def with_bias(Z):
    return torch.cat([Z, Z.new_ones(len(Z), 1)], dim=1)  # a column of ones: its weight is the bias


def least_squares(Z, y):
    A, b = with_bias(Z).double(), y.unsqueeze(1).double()
    return torch.linalg.lstsq(A, b).solution.squeeze(1).float()  # (1)!


w = least_squares(Z_train, y_train)
print(" ".join(f"{v:.2f}" for v in w))
print(y_train.mean())
# --8<-- [end:lstsq]

# --8<-- [start:gradient-descent]
model = nn.Linear(10, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(2000):
    optimizer.zero_grad()
    loss = (model(Z_train).squeeze(1) - y_train).pow(2).mean()
    loss.backward()
    optimizer.step()
learned = torch.cat([model.weight.detach().squeeze(0), model.bias.detach()])
mse = (with_bias(Z_train) @ learned - y_train).pow(2).mean()
print(f"MSE {mse:.1f} (lstsq: {(with_bias(Z_train) @ w - y_train).pow(2).mean():.1f})")
print((learned - w).abs().max(), (learned - w).abs().argmax())
print([round(d, 2) for d in (learned - w)[4:9].tolist()])  # s1 to s5
# --8<-- [end:gradient-descent]

# --8<-- [start:dependence]
eigenvalues = torch.linalg.eigvalsh(Z_train.T @ Z_train / len(Z_train))
print(eigenvalues.min(), eigenvalues.max(), eigenvalues.max() / eigenvalues.min())
s1, s2, s3, s5 = X_train[:, 4], X_train[:, 5], X_train[:, 6], X_train[:, 8]
print((s1 - (s2 + s3 + s5.exp() / 5)).abs().mean())  # (1)!
# --8<-- [end:dependence]


# --8<-- [start:metrics]
def rmse(pred, target):
    return (pred - target).pow(2).mean().sqrt().item()


def mae(pred, target):
    return (pred - target).abs().mean().item()


def r2(pred, target):
    """1 - MSE / (the MSE of always predicting the mean): 0 is no better than the mean, 1 is perfect."""
    return 1 - (pred - target).pow(2).mean().item() / (target - target.mean()).pow(2).mean().item()


train_pred = with_bias(Z_train) @ w
print(f"RMSE {rmse(train_pred, y_train):.1f}  MAE {mae(train_pred, y_train):.1f}  R² {r2(train_pred, y_train):.3f}")
# --8<-- [end:metrics]


# --8<-- [start:fitters]
def fit_mean(X_fit, y_fit):
    """The baseline: whatever the features, predict the mean of the training targets."""
    return lambda X: torch.full((len(X),), y_fit.mean().item())


def fit_linear(X_fit, y_fit):
    scale = standardizer(X_fit)
    w = least_squares(scale(X_fit), y_fit)
    return lambda X: with_bias(scale(X)) @ w


def fit_mlp(X_fit, y_fit, epochs=500, weight_decay=0.0):
    scale = standardizer(X_fit)
    y_mean, y_std = y_fit.mean(), y_fit.std()  # the network learns the standardized target
    Z, target = scale(X_fit), (y_fit - y_mean) / y_std
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=weight_decay)
    for _ in range(epochs):  # all the samples in one batch, each epoch one step
        optimizer.zero_grad()
        loss = (model(Z).squeeze(1) - target).pow(2).mean()
        loss.backward()
        optimizer.step()

    def predict(X):
        with torch.no_grad():
            return model(scale(X)).squeeze(1) * y_std + y_mean

    return predict
# --8<-- [end:fitters]


# --8<-- [start:overfit]
mlp = fit_mlp(X_train, y_train)
print(f"MLP on its own training data: RMSE {rmse(mlp(X_train), y_train):.1f}")
# --8<-- [end:overfit]

# --8<-- [start:k-fold]
folds = torch.randperm(len(X_train), generator=torch.Generator().manual_seed(1)).tensor_split(5)
print([len(fold) for fold in folds])


def cross_validate(fit):
    """RMSE on each fold, by a model fitted on the other four."""
    scores = []
    for k, val in enumerate(folds):
        train = torch.cat([fold for j, fold in enumerate(folds) if j != k])
        predict = fit(X_train[train], y_train[train])
        scores.append(rmse(predict(X_train[val]), y_train[val]))
    return torch.tensor(scores)
# --8<-- [end:k-fold]


# --8<-- [start:compare]
candidates = {
    "mean": fit_mean,
    "linear": fit_linear,
    "MLP, 500 epochs": fit_mlp,
    "MLP, 50 epochs": lambda X, y: fit_mlp(X, y, epochs=50),
    "MLP, weight decay 1": lambda X, y: fit_mlp(X, y, weight_decay=1.0),
    "MLP, weight decay 10": lambda X, y: fit_mlp(X, y, weight_decay=10.0),
}
for name, fit in candidates.items():
    scores = cross_validate(fit)
    print(f"{name:20} {scores.mean():5.1f} ± {scores.std():4.1f}   folds", scores.round().int().tolist())
# --8<-- [end:compare]

# --8<-- [start:test]
final = fit_linear(X_train, y_train)  # refitted on all 354 training samples
pred = final(X_test)
print(f"test: RMSE {rmse(pred, y_test):.1f}  MAE {mae(pred, y_test):.1f}  R² {r2(pred, y_test):.3f}")
print(f"mean: RMSE {rmse(fit_mean(X_train, y_train)(X_test), y_test):.1f}")
# --8<-- [end:test]

# --8<-- [start:weights]
# w: the lstsq weights from above, the same as the final model's (both fit all 354 samples)
for name, weight in sorted(zip(diabetes.feature_names, w[:10].tolist(), strict=True), key=lambda p: -abs(p[1])):
    print(f"{name:4} {weight:6.1f}")
print(torch.corrcoef(torch.stack([s1, y_train])))  # s1 alone against the target
# --8<-- [end:weights]
