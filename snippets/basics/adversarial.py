# profiles: cpu
# compare: same-cpu (30 epochs of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
torch.set_num_threads(1)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()  # 8x8 images, pixels 0 to 16; ships with scikit-learn
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1)  # (1797, 64)
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = perm[:1400], perm[1400:]
X_train, y_train = X[train_idx], y[train_idx]
X_test, y_test = X[test_idx], y[test_idx]
print(X_train.shape, X_test.shape)
# --8<-- [end:data]


# --8<-- [start:model]
class Normalize(nn.Module):  # (1)!
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)

    def forward(self, x):
        return (x - self.mean) / self.std


def make_model():
    return nn.Sequential(Normalize(X_train.mean(), X_train.std()),
                         nn.Linear(64, 256), nn.ReLU(),
                         nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def train(model, attack=None, epochs=30):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for batch in torch.randperm(len(X_train), generator=order).split(64):
            inputs, labels = X_train[batch], y_train[batch]
            if attack is not None:
                inputs = attack(model, inputs, labels)  # (2)!
            loss = F.cross_entropy(model(inputs), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def accuracy(model, inputs, labels):
    with torch.no_grad():
        return (model(inputs).argmax(dim=1) == labels).float().mean().item()


model = train(make_model())
print(f"test accuracy {accuracy(model, X_test, y_test):.3f}")
# --8<-- [end:model]


# --8<-- [start:input-gradient]
def input_gradient(model, inputs, labels):
    inputs = inputs.detach().requires_grad_(True)  # (1)!
    loss = F.cross_entropy(model(inputs), labels, reduction="sum")  # (2)!
    return torch.autograd.grad(loss, inputs)[0]  # (3)!


model.zero_grad()  # the last training step's gradients: .grad is None again
grad = input_gradient(model, X_test, y_test)
print(grad.shape, model[1].weight.grad)
# --8<-- [end:input-gradient]


# --8<-- [start:fgsm]
def fgsm(model, inputs, labels, eps):
    step = eps * input_gradient(model, inputs, labels).sign()  # (1)!
    return (inputs + step).clamp(0, 16)  # (2)!


def show(*images):
    """Print 8x8 images (pixels 0 to 16) side by side as characters."""
    for r in range(8):
        print("   ".join("".join(" .:+#"[int(v) // 4] * 2 for v in image.view(8, 8)[r])
                         for image in images))


eps = 2.0
adversarial = fgsm(model, X_test, y_test, eps)
with torch.no_grad():
    before, after = model(X_test).softmax(dim=1), model(adversarial).softmax(dim=1)
fooled = (before.argmax(dim=1) == y_test) & (after.argmax(dim=1) != y_test)
i = fooled.nonzero()[0].item()  # the first test image it fools
show(X_test[i], adversarial[i])
print(f"label {y_test[i]}: {before[i].argmax()} ({before[i].max():.1%})"
      f" -> {after[i].argmax()} ({after[i].max():.1%})")
change = (adversarial[i] - X_test[i]).abs()
print(f"pixels changed by {eps}: {(change == eps).sum()}, by less: {((change > 0) & (change < eps)).sum()},"
      f" unchanged: {(change == 0).sum()}")
# --8<-- [end:fgsm]


# --8<-- [start:epsilon]
def random_signs(shape):  # +1 or -1 at random: a change of the same size, in a random direction
    return torch.randint(0, 2, shape) * 2 - 1


def table(rows):
    """Print one row of accuracies per name, a column per eps."""
    print("eps     " + "".join(f"{e:>7}" for e in epsilons))
    for name, accuracies in rows.items():
        print(f"{name:<8}" + "".join(f"{a:7.3f}" for a in accuracies))


epsilons = [0.5, 1, 2, 3, 4]
table({"fgsm": [accuracy(model, fgsm(model, X_test, y_test, e), y_test) for e in epsilons],
       "random": [accuracy(model, (X_test + e * random_signs(X_test.shape)).clamp(0, 16), y_test)
                  for e in epsilons]})
# --8<-- [end:epsilon]

# --8<-- [start:first-order]
with torch.no_grad():
    loss = F.cross_entropy(model(X_test), y_test, reduction="none")  # one loss per image
    signs = random_signs(X_test.shape)
    print("eps    estimate  actual | random: estimate  actual")
    for e in [0.25, 0.5, 1]:
        along = F.cross_entropy(model(X_test + e * grad.sign()), y_test, reduction="none")
        elsewhere = F.cross_entropy(model(X_test + e * signs), y_test, reduction="none")
        print(f"{e:<5}{(e * grad.abs().sum(dim=1)).mean():9.3f}{(along - loss).mean():8.3f}"
              f" | {(e * (grad * signs).sum(dim=1)).mean():16.3f}{(elsewhere - loss).mean():8.3f}")
# --8<-- [end:first-order]


# --8<-- [start:pgd]
def pgd(model, inputs, labels, eps, steps=10):
    alpha = eps / 4  # (1)!
    adversarial = (inputs + torch.empty_like(inputs).uniform_(-eps, eps)).clamp(0, 16)  # (2)!
    for _ in range(steps):
        adversarial = adversarial + alpha * input_gradient(model, adversarial, labels).sign()
        adversarial = adversarial.clamp(inputs - eps, inputs + eps).clamp(0, 16)  # (3)!
    return adversarial


under_pgd = [accuracy(model, pgd(model, X_test, y_test, e), y_test) for e in epsilons]
table({"pgd": under_pgd})
# --8<-- [end:pgd]

# --8<-- [start:transfer]
torch.manual_seed(1)
other = train(make_model())  # the same recipe, other initial weights
print(f"other model: test accuracy {accuracy(other, X_test, y_test):.3f}")
table({"own": [accuracy(other, fgsm(other, X_test, y_test, e), y_test) for e in epsilons],
       "model's": [accuracy(other, fgsm(model, X_test, y_test, e), y_test) for e in epsilons]})
# --8<-- [end:transfer]


# --8<-- [start:adversarial-training]
def pgd_attack(model, inputs, labels):
    return pgd(model, inputs, labels, eps=2.0, steps=5)


torch.manual_seed(0)
robust = train(make_model(), attack=pgd_attack)  # (1)!
print(f"test accuracy {accuracy(robust, X_test, y_test):.3f}")
table({"model": under_pgd,  # from the pgd section
       "robust": [accuracy(robust, pgd(robust, X_test, y_test, e), y_test) for e in epsilons]})
# --8<-- [end:adversarial-training]
