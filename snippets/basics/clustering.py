# profiles: cpu
# compare: same-cpu (hundreds of k-means and EM iterations: another CPU model rounds the sums differently)
# --8<-- [start:imports]
import itertools
import math
import statistics
from typing import NamedTuple

import torch
from sklearn.datasets import load_digits
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()
X = torch.tensor(digits.data, dtype=torch.float64)  # (1)!
y = torch.tensor(digits.target)  # only to check the clusters afterwards: k-means never sees it
print(X.shape, y.shape)
# --8<-- [end:data]


# --8<-- [start:kmeans]
def kmeans(X, centers, max_iterations=300, verbose=False):
    previous = None
    for iteration in range(1, max_iterations + 1):
        distances = torch.cdist(X, centers)  # (1)!
        labels = distances.argmin(dim=1)
        if verbose and iteration in (1, 2, 3, 5, 10):
            print(f"iteration {iteration:2d}: inertia {distances.min(dim=1).values.pow(2).sum():,.0f}")
        if previous is not None and torch.equal(labels, previous):  # (2)!
            break
        counts = torch.bincount(labels, minlength=len(centers))
        sums = torch.zeros_like(centers).index_add_(0, labels, X)  # (3)!
        centers = torch.where(counts[:, None] > 0, sums / counts[:, None].clamp_min(1), centers)  # (4)!
        previous = labels
    return centers, labels, iteration


def inertia(X, centers):  # the sum of squared distances from each point to its nearest center
    return torch.cdist(X, centers).min(dim=1).values.pow(2).sum()


def random_start(X, k, generator):  # k different points of the data, chosen at random
    return X[torch.randperm(len(X), generator=generator)[:k]].clone()


centers, labels, iterations = kmeans(X, random_start(X, 10, torch.Generator().manual_seed(0)), verbose=True)
print(f"stopped after {iterations} iterations: inertia {inertia(X, centers):,.0f}")
# --8<-- [end:kmeans]


# --8<-- [start:purity]
def crosstab(labels, classes, k, n_classes):  # row c: how many of each class ended up in cluster c
    return torch.bincount(labels * n_classes + classes, minlength=k * n_classes).view(k, n_classes)


def purity(labels):  # the share of images whose digit is the most common digit in their cluster
    return crosstab(labels, y, 10, 10).max(dim=1).values.sum() / len(y)


print(f"purity {purity(labels):.3f}")
for c, counts in enumerate(crosstab(labels, y, 10, 10)):
    top = counts.argsort(descending=True)[:2]
    print(f"cluster {c}: {counts.sum():3d} images, digit {top[0]} × {counts[top[0]]:3d}, digit {top[1]} × {counts[top[1]]:3d}")
# --8<-- [end:purity]


# --8<-- [start:restarts]
def plus_plus_start(X, k, generator):  # (1)!
    chosen = [torch.randint(len(X), (1,), generator=generator).item()]
    for _ in range(k - 1):
        squared_distance = torch.cdist(X, X[chosen]).min(dim=1).values.pow(2)
        chosen.append(torch.multinomial(squared_distance, 1, generator=generator).item())
    return X[chosen].clone()


for name, start in [("random", random_start), ("k-means++", plus_plus_start)]:
    runs = []
    for seed in range(20):
        centers, labels, _ = kmeans(X, start(X, 10, torch.Generator().manual_seed(seed)))
        runs.append((inertia(X, centers).item(), purity(labels).item()))
    values = [value for value, _ in runs]
    best_value, best_purity = min(runs)
    print(f"{name:9}: inertia from {min(values):,.0f} to {max(values):,.0f}, median {statistics.median(values):,.0f}; "
          f"purity {min(p for _, p in runs):.3f} to {max(p for _, p in runs):.3f}, "
          f"{best_purity:.3f} at the lowest inertia")
# --8<-- [end:restarts]

# --8<-- [start:elongated]
generator = torch.Generator().manual_seed(0)
true_means = torch.tensor([[0.0, 0.0], [0.0, 3.0], [4.0, 1.5]], dtype=torch.float64)
true_covariances = torch.tensor([[[4.0, 0.0], [0.0, 0.1]],  # (1)!
                                 [[4.0, 0.0], [0.0, 0.1]],
                                 [[0.2, 0.0], [0.0, 0.2]]], dtype=torch.float64)
sizes = [300, 300, 100]
points = torch.cat([mean + torch.randn(n, 2, generator=generator, dtype=torch.float64) @ torch.linalg.cholesky(cov).T
                    for mean, cov, n in zip(true_means, true_covariances, sizes, strict=True)])  # (2)!
truth = torch.cat([torch.full((n,), i) for i, n in enumerate(sizes)])


def accuracy(labels):  # clusters are numbered arbitrarily: try every way of matching them to the true groups
    return max((torch.tensor(p)[labels] == truth).double().mean() for p in itertools.permutations(range(3)))


def kmeans_from(X, k, seed):  # k-means from k points of X chosen at random with this seed
    return kmeans(X, random_start(X, k, torch.Generator().manual_seed(seed)))


runs = [kmeans_from(points, 3, seed)[:2] for seed in range(10)]
km_centers, km_labels = min(runs, key=lambda run: inertia(points, run[0]))
print(f"k-means, best of 10 starts: accuracy {accuracy(km_labels):.3f}")
for c, (lower, upper, clump) in enumerate(crosstab(km_labels, truth, 3, 3).tolist()):
    print(f"cluster {c}: lower strip {lower:3d}, upper strip {upper:3d}, clump {clump:3d}")
true_centers = torch.stack([points[truth == g].mean(dim=0) for g in range(3)])
print(f"sum of squared distances: k-means {inertia(points, km_centers):,.0f}, "
      f"true groups {(points - true_centers[truth]).pow(2).sum():,.0f}")
# --8<-- [end:elongated]


# --8<-- [start:gmm]
class Mixture(NamedTuple):  # what gmm returns
    means: torch.Tensor
    covariances: torch.Tensor
    weights: torch.Tensor
    responsibilities: torch.Tensor
    log_likelihood: float  # summed over the points
    iterations: int


def gmm(X, means, max_iterations=500, verbose=False):
    k, d = means.shape
    covariances = torch.eye(d, dtype=X.dtype).repeat(k, 1, 1)  # (1)!
    weights = torch.full((k,), 1 / k, dtype=X.dtype)
    previous = -math.inf
    for iteration in range(1, max_iterations + 1):
        # E step: how responsible each component is for each point
        log_joint = torch.distributions.MultivariateNormal(means, covariances).log_prob(X[:, None, :]) + weights.log()  # (2)!
        log_likelihood = torch.logsumexp(log_joint, dim=1)  # (3)!
        responsibilities = (log_joint - log_likelihood[:, None]).exp()
        total = log_likelihood.sum().item()
        if verbose and iteration in (1, 2, 5, 10):
            print(f"iteration {iteration:2d}: log-likelihood {total:.1f}")
        if total - previous < 1e-6 * len(X) or iteration == max_iterations:  # (4)!
            return Mixture(means, covariances, weights, responsibilities, total, iteration)
        previous = total
        # M step: refit each component to the points, weighted by responsibility
        n_k = responsibilities.sum(dim=0)
        weights = n_k / len(X)
        means = responsibilities.T @ X / n_k[:, None]
        centred = X[:, None, :] - means  # (n, k, d)
        covariances = torch.einsum("nk,nki,nkj->kij", responsibilities, centred, centred) / n_k[:, None, None]  # (5)!


mixture = gmm(points, km_centers, verbose=True)
print(f"stopped after {mixture.iterations} iterations: log-likelihood {mixture.log_likelihood:.1f}")
print(f"accuracy {accuracy(mixture.responsibilities.argmax(dim=1)):.3f}")
for j in range(3):
    (mx, my), (vx, vy) = mixture.means[j], mixture.covariances[j].diagonal()
    print(f"component {j}: weight {mixture.weights[j]:.3f}, mean ({mx:5.2f}, {my:5.2f}), "
          f"variance along x {vx:.2f}, along y {vy:.2f}")
# --8<-- [end:gmm]

# --8<-- [start:soft]
responsibilities = mixture.responsibilities
confidence = responsibilities.max(dim=1).values
print(f"points with no component above 0.9: {(confidence < 0.9).sum()} of {len(points)}")
for i in confidence.argsort()[:3]:
    print(f"point ({points[i, 0]:5.2f}, {points[i, 1]:5.2f}): responsibilities",
          ", ".join(f"{r:.3f}" for r in responsibilities[i]))
# --8<-- [end:soft]


# --8<-- [start:choose-k]
def best_gmm(X, k, seeds):  # (1)!
    fits = [gmm(X, kmeans_from(X, k, seed)[0]) for seed in seeds]
    return max(fits, key=lambda fit: fit.log_likelihood)


def bic(log_likelihood, k, d, n):  # (2)!
    parameters = (k - 1) + k * d + k * d * (d + 1) // 2  # weights, means, covariances
    return parameters * math.log(n) - 2 * log_likelihood


for k in range(1, 7):
    fit = best_gmm(points, k, seeds=range(5))
    print(f"k = {k}: BIC {bic(fit.log_likelihood, k, d=points.shape[1], n=len(points)):.1f}")
# --8<-- [end:choose-k]
