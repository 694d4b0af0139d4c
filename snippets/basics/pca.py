# profiles: cpu
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()
X = torch.tensor(digits.data, dtype=torch.float32)  # 1797 images, 64 pixels each, values 0 to 16
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = perm[:1500], perm[1500:]
X_train, X_test = X[train_idx], X[test_idx]
mean = X_train.mean(dim=0)  # the mean image, from the training set
Xc = X_train - mean
print(Xc.shape)
# --8<-- [end:data]

# --8<-- [start:svd]
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print(U.shape, S.shape, Vh.shape)
print(" ".join(f"{v:.1f}" for v in S[:5]))
print(torch.allclose(U @ torch.diag(S) @ Vh, Xc, atol=1e-3))
# --8<-- [end:svd]

# --8<-- [start:variance]
variance = S**2 / (len(Xc) - 1)  # the variance along each component
ratio = variance / variance.sum()
print(ratio[:5])
cumulative = ratio.cumsum(dim=0)
for k in (2, 10, 20, 30, 40):
    print(k, f"{cumulative[k - 1]:.3f}")
print(int((cumulative < 0.9).sum()) + 1)
eigenvalues = torch.linalg.eigvalsh(torch.cov(Xc.T))  # the covariance matrix's, in ascending order
print(" ".join(f"{v:.1f}" for v in eigenvalues.flip(0)[:5]))
print(" ".join(f"{v:.1f}" for v in variance[:5]))
print(int((X_train.std(dim=0) == 0).sum()), " ".join(f"{v:.4f}" for v in S[-4:]))  # constant pixels; the last S
# --8<-- [end:variance]

# --8<-- [start:sign]
flip = torch.sign(Vh[torch.arange(len(Vh)), Vh.abs().argmax(dim=1)])  # (1)!
Vh = Vh * flip[:, None]
U = U * flip
print(Vh[0].abs().argmax(), Vh[0, 34])
print(torch.allclose(Xc @ Vh[:2].T, U[:, :2] * S[:2], atol=1e-3))  # training coordinates: U · S
# --8<-- [end:sign]

# --8<-- [start:project]
components = Vh[:2]  # the first two principal directions, (2, 64)
coords = (X_test - mean) @ components.T  # (297, 2)
for digit in range(10):
    c = coords[y[test_idx] == digit].mean(dim=0)
    print(digit, f"{c[0]:6.1f} {c[1]:6.1f}")
# --8<-- [end:project]


# --8<-- [start:reconstruct]
def show(*images):
    """Print 8x8 images (values 0 to 16; others drawn as 0 or 16) side by side as characters."""
    for r in range(8):
        print("   ".join("".join(" .:+#"[min(max(round(float(v)) // 4, 0), 4)] * 2 for v in image.reshape(8, 8)[r])
                         for image in images))


x = X_test[0]
versions = []
for k in (2, 5, 10, 20, 64):
    V = Vh[:k]
    versions.append(mean + ((x - mean) @ V.T) @ V)  # project onto k components, then back
    print(k, f"{(versions[-1] - x).pow(2).mean().sqrt():.2f}")
show(x, *versions)
# --8<-- [end:reconstruct]

# --8<-- [start:knn]
def knn_accuracy(train, test, k=3):
    """k nearest neighbours (3 by default) vote, the nearest breaks a tie (as on the knn page)."""
    y_train, y_test = y[train_idx], y[test_idx]
    neighbours = torch.cdist(test, train).topk(k, dim=1, largest=False).indices
    votes = F.one_hot(y_train[neighbours], num_classes=10).sum(dim=1)
    pred = (2 * votes + F.one_hot(y_train[neighbours[:, 0]], num_classes=10)).argmax(dim=1)
    return (pred == y_test).float().mean().item()


print("pixels", f"{knn_accuracy(X_train, X_test):.4f}")
for k in (2, 5, 10, 20, 30):
    V = Vh[:k]  # fitted on the training set: the test images are only projected
    print(k, f"{knn_accuracy((X_train - mean) @ V.T, (X_test - mean) @ V.T):.4f}")
# --8<-- [end:knn]

# --8<-- [start:lowrank]
U2, S2, V2 = torch.pca_lowrank(X_train, q=10)  # centres X_train itself; V2 is (64, 10), not transposed
print(" ".join(f"{v:.1f}" for v in S2[:5]))
print(f"{((S2 - S[:10]).abs() / S[:10]).max():.3f}")
# --8<-- [end:lowrank]
