# profiles: cpu
# compare: same-cpu (L-BFGS runs: another CPU model rounds the small matrix products differently)
# --8<-- [start:imports]
import math

import torch
from torch import nn
# --8<-- [end:imports]

# --8<-- [start:data]
NOISE = 0.1  # the standard deviation of the measurement noise, which the model will not be told


def truth(x):
    return torch.sin(x) + 0.3 * torch.sin(3 * x)


generator = torch.Generator().manual_seed(0)
x_train = torch.cat([torch.rand(15, generator=generator, dtype=torch.float64) * 4,  # (1)!
                     6 + torch.rand(15, generator=generator, dtype=torch.float64) * 4])
y_train = truth(x_train) + NOISE * torch.randn(30, generator=generator, dtype=torch.float64)
print(x_train.shape, x_train.dtype, f"y from {y_train.min():.2f} to {y_train.max():.2f}")
# --8<-- [end:data]


# --8<-- [start:kernel]
def rbf(a, b, lengthscale, signal):  # (1)!
    squared_distance = (a[:, None] - b[None, :]) ** 2
    return signal**2 * torch.exp(-0.5 * squared_distance / lengthscale**2)


K = rbf(x_train, x_train, lengthscale=1.0, signal=1.0)
eigenvalues = torch.linalg.eigvalsh(K)
print(f"K: {tuple(K.shape)}, largest eigenvalue {eigenvalues[-1]:.2f}, "
      f"{(eigenvalues < 1e-10).sum()} of 30 below 1e-10")
for name, matrix in [("K, float64", K), ("K, float32", K.float()),
                     ("K + 0.1² I, float64", K + 0.1**2 * torch.eye(30, dtype=torch.float64))]:  # 0.1: a noise level to try
    _, info = torch.linalg.cholesky_ex(matrix)  # (2)!
    print(f"{name:20} cholesky: {'ok' if info == 0 else f'fails at column {info}'}")
# --8<-- [end:kernel]


# --8<-- [start:model]
class GP(nn.Module):
    def __init__(self, lengthscale, signal, noise):
        super().__init__()
        self.log_lengthscale = nn.Parameter(torch.tensor(lengthscale, dtype=torch.float64).log())  # (1)!
        self.log_signal = nn.Parameter(torch.tensor(signal, dtype=torch.float64).log())
        self.log_noise = nn.Parameter(torch.tensor(noise, dtype=torch.float64).log())

    def hyperparameters(self):
        return self.log_lengthscale.exp(), self.log_signal.exp(), self.log_noise.exp()

    def kernel(self, a, b):
        lengthscale, signal, _ = self.hyperparameters()
        return rbf(a, b, lengthscale, signal)

    def cholesky(self, x):  # L with L Lᵀ = K + noise² I, the covariance of the measured y
        _, _, noise = self.hyperparameters()
        return torch.linalg.cholesky(self.kernel(x, x) + noise**2 * torch.eye(len(x), dtype=x.dtype))

    def predict(self, x, y, x_new):  # the posterior mean and standard deviation of the function at x_new
        L = self.cholesky(x)
        K_new = self.kernel(x, x_new)  # (n, m): covariance between training and new points
        alpha = torch.cholesky_solve(y[:, None], L)  # (2)!
        mean = (K_new.T @ alpha).squeeze(1)
        v = torch.linalg.solve_triangular(L, K_new, upper=False)  # (3)!
        _, signal, _ = self.hyperparameters()
        variance = signal**2 - (v**2).sum(0)  # k(x*, x*) = signal² for the RBF kernel
        return mean, variance.clamp_min(0).sqrt()


def show(gp, points):
    with torch.no_grad():
        mean, std = gp.predict(x_train, y_train, points)
    for x, m, s, t in zip(points, mean, std, truth(points), strict=True):
        print(f"x = {x:4.1f}: {m:6.3f} ± {1.96 * s:.3f}   true {t:6.3f}")


points = torch.tensor([2.0, 5.0, 8.0, 12.0], dtype=torch.float64)
show(GP(lengthscale=1.0, signal=1.0, noise=0.1), points)
# --8<-- [end:model]


# --8<-- [start:lengthscale]
def neg_log_marginal_likelihood(gp, x, y):  # (1)!
    L = gp.cholesky(x)
    alpha = torch.cholesky_solve(y[:, None], L)
    return 0.5 * (y[:, None] * alpha).sum() + L.diagonal().log().sum() + 0.5 * len(x) * math.log(2 * math.pi)


def far(x):  # True where the nearest training point is more than 0.5 away
    return torch.cdist(x[:, None], x_train[:, None]).min(dim=1).values > 0.5


grid = torch.linspace(0, 10, 201, dtype=torch.float64)  # where the posterior mean is compared with the truth
grid_far = far(grid)


def errors(gp):  # root mean square distance of the posterior mean from the truth, near the data and far from it
    with torch.no_grad():
        mean, _ = gp.predict(x_train, y_train, grid)
    squared = (mean - truth(grid)) ** 2
    return squared[~grid_far].mean().sqrt(), squared[grid_far].mean().sqrt()


for lengthscale in [0.1, 0.3, 1.0, 3.0, 10.0]:
    gp = GP(lengthscale, signal=1.0, noise=0.1)
    with torch.no_grad():
        nlml = neg_log_marginal_likelihood(gp, x_train, y_train)
    near, away = errors(gp)
    print(f"lengthscale {lengthscale:4}: -log p(y) {nlml:6.2f}, error near the data {near:.3f}, far from it {away:.3f}")

gp = GP(1.0, 1.0, 0.1)
with torch.no_grad():
    _, _, noise = gp.hyperparameters()
    covariance = gp.kernel(x_train, x_train) + noise**2 * torch.eye(30, dtype=torch.float64)
    mvn = torch.distributions.MultivariateNormal(torch.zeros(30, dtype=torch.float64), covariance)
    print(f"check with MultivariateNormal.log_prob: {-mvn.log_prob(y_train):.2f}")  # (2)!
# --8<-- [end:lengthscale]


# --8<-- [start:fit]
def fit(gp):
    optimizer = torch.optim.LBFGS(gp.parameters(), max_iter=200, line_search_fn="strong_wolfe",
                                  tolerance_grad=1e-9, tolerance_change=1e-12)

    def closure():
        optimizer.zero_grad()
        loss = neg_log_marginal_likelihood(gp, x_train, y_train)
        loss.backward()
        return loss

    optimizer.step(closure)
    return gp


def report(name, gp):
    with torch.no_grad():
        nlml = neg_log_marginal_likelihood(gp, x_train, y_train)
        lengthscale, signal, noise = gp.hyperparameters()
    near, away = errors(gp)
    print(f"{name}: lengthscale {lengthscale:.3g}, signal {signal:.3f}, noise {noise:.3f}, "
          f"-log p(y) {nlml:.2f}\n  error near the data {near:.3f}, far from it {away:.3f}")


good = fit(GP(lengthscale=1.0, signal=1.0, noise=0.1))
report("start at lengthscale 1 ", good)
report("start at lengthscale 30", fit(GP(lengthscale=30.0, signal=1.0, noise=0.1)))  # (1)!
# --8<-- [end:fit]

# --8<-- [start:result]
show(good, points)

x_test = torch.rand(20000, generator=generator, dtype=torch.float64) * 10
y_test = truth(x_test) + NOISE * torch.randn(20000, generator=generator, dtype=torch.float64)
with torch.no_grad():
    mean, std = good.predict(x_train, y_train, x_test)
    _, _, noise = good.hyperparameters()
    y_std = (std**2 + noise**2).sqrt()  # (1)!
inside = (y_test - mean).abs() <= 1.96 * y_std
away = far(x_test)
print(f"95% interval for a new measurement: covers {inside[~away].double().mean():.3f} near the data, "
      f"{inside[away].double().mean():.3f} far from it")
print(f"mean width near the data {2 * 1.96 * y_std[~away].mean():.3f}, far from it {2 * 1.96 * y_std[away].mean():.3f}")
# --8<-- [end:result]
