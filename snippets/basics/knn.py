# profiles: cpu
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()
X = torch.tensor(digits.data, dtype=torch.float32)  # 1797 images, 64 pixels each
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = perm[:1500], perm[1500:]
X = (X - X[train_idx].mean()) / X[train_idx].std()
X_train, y_train = X[train_idx], y[train_idx]
X_test, y_test = X[test_idx], y[test_idx]
print(X_train.shape, X_test.shape)
# --8<-- [end:data]

# --8<-- [start:broadcast]
diff = X_test[:, None, :] - X_train[None, :, :]  # (297, 1, 64) - (1, 1500, 64)
print(diff.shape, f"{diff.numel() * diff.element_size() / 2**20:.0f} MiB")
dist_broadcast = diff.pow(2).sum(dim=2).sqrt()
print(dist_broadcast.shape)
# --8<-- [end:broadcast]

# --8<-- [start:expand]
sq_test = X_test.pow(2).sum(dim=1, keepdim=True)  # (297, 1)
sq_train = X_train.pow(2).sum(dim=1)  # (1500,)
dist_mm = (sq_test - 2 * X_test @ X_train.T + sq_train).clamp_min(0).sqrt()  # (1)!
dist = torch.cdist(X_test, X_train)
print(dist.shape)
print((dist_mm - dist_broadcast).abs().max(), (dist - dist_broadcast).abs().max())
# --8<-- [end:expand]

# --8<-- [start:self-distance]
sq = X_test.pow(2).sum(dim=1)
print(sq.min(), sq.max())
by_hand = sq[:, None] - 2 * X_test @ X_test.T + sq[None, :]  # squared distances among the test images
print(by_hand.diagonal().min(), by_hand.diagonal().max())
print((by_hand.diagonal() < 0).sum(), by_hand.diagonal().sqrt().isnan().sum())
self_dist = torch.cdist(X_test, X_test).diagonal()  # each image's distance to itself
print(self_dist.max(), (self_dist == 0).sum())
print(torch.cdist(X_test, X_test, compute_mode="donot_use_mm_for_euclid_dist").diagonal().max())
# --8<-- [end:self-distance]

# --8<-- [start:nearest]
d, idx = dist.topk(3, dim=1, largest=False)  # the 3 smallest in each row, nearest first
print(d[:2])
print(idx[:2])
print(y_train[idx[:2]], y_test[:2])
# --8<-- [end:nearest]


# --8<-- [start:vote]
def vote(neighbour_labels):
    """The most common label in each row (nearest neighbour first); the nearest breaks a tie."""
    votes = F.one_hot(neighbour_labels, num_classes=10).sum(dim=1)
    nearest = F.one_hot(neighbour_labels[:, 0], num_classes=10)
    return (2 * votes + nearest).argmax(dim=1)  # (1)!


labels = y_train[dist.topk(5, dim=1, largest=False).indices]  # (297, 5)
print(labels[:4])
print(vote(labels)[:4])
print(vote(torch.tensor([[3, 8, 8, 3, 1], [8, 3, 3, 8, 1]])))  # two 3s, two 8s: a tie
# --8<-- [end:vote]

# --8<-- [start:leave-one-out]
train_dist = torch.cdist(X_train, X_train)
print(train_dist.diagonal().max())
train_dist.fill_diagonal_(float("inf"))  # an image is not its own neighbour
for k in (1, 3, 5, 7, 9, 15):
    pred = vote(y_train[train_dist.topk(k, dim=1, largest=False).indices])
    print(k, f"{(pred == y_train).float().mean():.4f}")
# --8<-- [end:leave-one-out]

# --8<-- [start:test]
k = 3
pred = vote(y_train[dist.topk(k, dim=1, largest=False).indices])
print(f"test accuracy {(pred == y_test).float().mean():.4f}")
wrong_test = (pred != y_test).nonzero().squeeze(1)
print("true", y_test[wrong_test], "predicted", pred[wrong_test])
digits_test = slice(27, None)  # perm[1527:]: the test set of the digits page, same permutation
print((pred[digits_test] == y_test[digits_test]).sum(), "of", len(y_test[digits_test]))
# --8<-- [end:test]


# --8<-- [start:show-mistakes]
def show(*images):
    """Print 8x8 images (values 0 to 16) side by side as characters."""
    for r in range(8):
        print("   ".join("".join(" .:+#"[int(v) // 4] * 2 for v in image[r])
                         for image in images))


show(*digits.images[test_idx[wrong_test].numpy()])
# --8<-- [end:show-mistakes]

# --8<-- [start:confusions]
loo = vote(y_train[train_dist.topk(k, dim=1, largest=False).indices])
wrong = loo != y_train
pairs = torch.stack([y_train[wrong], loo[wrong]], dim=1)  # (true, predicted)
kinds, counts = pairs.unique(dim=0, return_counts=True)
order = counts.argsort(descending=True, stable=True)
print(wrong.sum())
print(torch.cat([kinds, counts[:, None]], dim=1)[order][:5])
# --8<-- [end:confusions]


# --8<-- [start:chunks]
def knn_predict(queries, points, labels, k, chunk_size=64):
    """Predict in chunks: only chunk_size x len(points) distances exist at a time."""
    preds = []
    for chunk in queries.split(chunk_size):
        neighbours = torch.cdist(chunk, points).topk(k, dim=1, largest=False).indices
        preds.append(vote(labels[neighbours]))
    return torch.cat(preds)


print(torch.equal(knn_predict(X_test, X_train, y_train, k), pred))
# --8<-- [end:chunks]

# --8<-- [start:closest-pair]
pair_dist = torch.pdist(X_train)  # each pair once: the upper triangle, row by row
print(pair_dist.shape, 1500 * 1499 // 2)
rows, cols = torch.triu_indices(1500, 1500, offset=1)
print(rows[:3], cols[:3])
print((pair_dist - train_dist[rows, cols]).abs().max())  # cdist: matrix product; pdist: differences
i = pair_dist.argmin()
print(rows[i], cols[i], pair_dist[i], train_dist[rows[i], cols[i]])
print(y_train[rows[i]], y_train[cols[i]])
# --8<-- [end:closest-pair]
