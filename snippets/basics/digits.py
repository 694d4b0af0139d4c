# profiles: cpu
# compare: same-cpu (20 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import copy
import tempfile
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:load-data]
digits = load_digits()   # ships with scikit-learn: nothing to download
print(digits.images.shape, digits.images.dtype)
print(digits.images.min(), digits.images.max())
print(digits.target[:12])
# --8<-- [end:load-data]


# --8<-- [start:show-digits]
def show(*images):
    """Print 8x8 images (values 0 to 16) side by side as characters."""
    for r in range(8):
        print("   ".join("".join(" .:+#"[int(v) // 4] * 2 for v in image[r])
                         for image in images))


show(*digits.images[:4])
# --8<-- [end:show-digits]

# --8<-- [start:to-tensors]
X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1)
y = torch.tensor(digits.target, dtype=torch.int64)
print(X.shape, X.dtype)
print(y.shape, y.dtype)
print(torch.bincount(y))
# --8<-- [end:to-tensors]

# --8<-- [start:split]
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
n_val = n_test = round(0.15 * len(X))
n_train = len(X) - n_val - n_test
train_idx, val_idx, test_idx = perm.split([n_train, n_val, n_test])
print(len(train_idx), len(val_idx), len(test_idx))

mean, std = X[train_idx].mean(), X[train_idx].std()  # the training set's only
print(f"mean {mean:.4f}, std {std:.4f}")
normalized = (X - mean) / std

train_set = TensorDataset(normalized[train_idx], y[train_idx])
val_set = TensorDataset(normalized[val_idx], y[val_idx])
test_set = TensorDataset(normalized[test_idx], y[test_idx])
# --8<-- [end:split]


# --8<-- [start:fit]
def accuracy(model, inputs, labels):
    model.eval()
    with torch.no_grad():
        return (model(inputs).argmax(dim=1) == labels).float().mean().item()


def fit(model, epochs=20, lr=1e-3, augment=None):
    loader = DataLoader(train_set, batch_size=64, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    best_acc, best_epoch, best_state = 0.0, 0, None
    for epoch in range(1, epochs + 1):
        model.train()
        total = 0.0
        for inputs, labels in loader:
            if augment is not None:
                inputs = augment(inputs)
            loss = F.cross_entropy(model(inputs), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
        val = accuracy(model, *val_set.tensors)
        if val > best_acc:  # (1)!
            best_acc, best_epoch = val, epoch
            best_state = copy.deepcopy(model.state_dict())
        if epoch % 5 == 0:
            print(f"epoch {epoch:2d}  train loss {total / len(train_set):.4f}"
                  f"  val accuracy {val:.3f}")
    model.load_state_dict(best_state)
    print(f"best: epoch {best_epoch}, val accuracy {best_acc:.3f}")
# --8<-- [end:fit]


# --8<-- [start:baseline]
torch.manual_seed(0)
linear = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))
fit(linear, lr=1e-2)
# --8<-- [end:baseline]


# --8<-- [start:cnn]
def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.25),
        nn.Linear(32 * 4 * 4, 10),
    )


torch.manual_seed(0)
cnn = make_cnn()
x = normalized[:1]  # one image: shape (1, 1, 8, 8)
for layer in cnn:
    x = layer(x)
    print(f"{type(layer).__name__:<9} {tuple(x.shape)}")
print(sum(p.numel() for p in cnn.parameters()), "parameters")
# --8<-- [end:cnn]

# --8<-- [start:train-cnn]
fit(cnn)
# --8<-- [end:train-cnn]

# --8<-- [start:shift]
background = ((0 - mean) / std).item()  # (1)!


def shift(images, dx, dy=0):
    """Move images dx pixels right, dy down (each -1, 0 or 1)."""
    h, w = images.shape[-2:]
    # one blank pixel on each side: (left, right, top, bottom)
    padded = F.pad(images, (1, 1, 1, 1), value=background)
    return padded[..., 1 - dy:1 - dy + h, 1 - dx:1 - dx + w]


moved = shift(normalized[:1], 1) * std + mean  # back to 0-16 to print it
show(digits.images[0], moved[0, 0].round())

moves = {"none": (0, 0), "right": (1, 0), "left": (-1, 0),
         "down": (0, 1), "up": (0, -1)}


def report(**models):
    """Validation accuracy with every image moved one pixel each way."""
    inputs, labels = val_set.tensors
    print(" " * 8 + "".join(f"{m:>7}" for m in moves))
    for name, model in models.items():
        row = "".join(f"{accuracy(model, shift(inputs, *m), labels):7.3f}"
                      for m in moves.values())
        print(f"{name:<8}{row}")


report(linear=linear, cnn=cnn)
# --8<-- [end:shift]

# --8<-- [start:augment]
def random_shift(images):
    return shift(images, *torch.randint(-1, 2, (2,)).tolist())  # (1)!


torch.manual_seed(0)
cnn_shifted = make_cnn()
fit(cnn_shifted, epochs=30, augment=random_shift)
report(cnn=cnn_shifted)
# --8<-- [end:augment]

# --8<-- [start:test]
model = cnn_shifted
inputs, labels = test_set.tensors
model.eval()
with torch.no_grad():
    predicted = model(inputs).argmax(dim=1)
print(f"test accuracy {(predicted == labels).float().mean():.3f}")

confusion = torch.bincount(labels * 10 + predicted, minlength=100)
confusion = confusion.reshape(10, 10)  # row: true digit, column: predicted
print("true  predicted:" + "".join(f"{d:3d}" for d in range(10)))
for d in range(10):
    print(f"{d:4d}" + " " * 12
          + "".join(f"{n:3d}" if n else "  ." for n in confusion[d].tolist()))
# --8<-- [end:test]

# --8<-- [start:mistakes]
with torch.no_grad():
    probs = model(inputs).softmax(dim=1)
confidence = probs.max(dim=1).values  # the probability of the answer given
right = predicted == labels
print(f"right answers: median confidence {confidence[right].median():.1%}")

wrong = (~right).nonzero().flatten()[:4]
show(*digits.images[test_idx[wrong]])
print("   ".join(f"{labels[i]} as {predicted[i]} ({confidence[i]:.0%})".ljust(16)
                 for i in wrong.tolist()))
# --8<-- [end:mistakes]

# --8<-- [start:save]
folder = Path(tempfile.mkdtemp())
torch.save({"model": model.state_dict(), "mean": mean, "std": std},
           folder / "digits.pt")
# --8<-- [end:save]

# --8<-- [start:predict]
checkpoint = torch.load(folder / "digits.pt", weights_only=True)
restored = make_cnn()
restored.load_state_dict(checkpoint["model"])
restored.eval()  # (1)!

image = digits.images[test_idx[0]]  # a raw 8x8 image, values 0 to 16
show(image)
print("label:", digits.target[test_idx[0]])
x = torch.tensor(image, dtype=torch.float32)
x = (x - checkpoint["mean"]) / checkpoint["std"]  # (2)!
x = x.reshape(1, 1, 8, 8)  # (3)!
with torch.inference_mode():
    probs = restored(x).softmax(dim=1)[0]
top = probs.topk(3)
for p, d in zip(top.values, top.indices, strict=True):
    print(f"{d}: {p:.1%}")
# --8<-- [end:predict]

# --8<-- [start:forgot-normalize]
raw_inputs = X[test_idx]  # the same test images, not normalized
with torch.inference_mode():
    acc = (restored(raw_inputs).argmax(dim=1) == labels).float().mean()
print(f"test accuracy without normalization {acc:.3f}")
# --8<-- [end:forgot-normalize]
