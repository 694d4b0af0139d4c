# profiles: cpu
# compare: same-cpu (30 epochs of training: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:model]
digits = load_digits()  # 8x8 images that ship with scikit-learn, pixels 0 (blank) to 16 (ink)
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1) / 16  # (1)!
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train, X_test, y_test = X[perm[:1400]], y[perm[:1400]], X[perm[1400:]], y[perm[1400:]]


def make_model():
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(30):
    for batch in torch.randperm(len(X_train)).split(64):
        loss = F.cross_entropy(model(X_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
model.requires_grad_(False)  # (2)!
predicted = model(X_test).argmax(dim=1)  # (3)!
print(f"test accuracy {(predicted == y_test).float().mean():.3f}")
# --8<-- [end:model]


# --8<-- [start:saliency]
def score(model, inputs, target):
    """The logit of class target[i] for image i."""
    return model(inputs).gather(1, target[:, None]).squeeze(1)


def saliency(model, inputs, target):
    inputs = inputs.detach().requires_grad_(True)
    return torch.autograd.grad(score(model, inputs, target).sum(), inputs)[0]  # (1)!


confidence = model(X_test).softmax(dim=1).max(dim=1).values
print(f"probability above 0.99: {(confidence > 0.99).float().mean():.1%} of the test images")
print(f"median gradient norm: logit {saliency(model, X_test, predicted).norm(dim=1).median():.3f},"
      f" probability {saliency(nn.Sequential(model, nn.Softmax(dim=1)), X_test, predicted).norm(dim=1).median():.1e}")
# --8<-- [end:saliency]


# --8<-- [start:integrated-gradients]
def gradient_times_input(model, inputs, target):
    return saliency(model, inputs, target) * inputs


def integrated_gradients(model, inputs, target, steps=64):
    total = torch.zeros_like(inputs)
    for k in range(steps):
        total += saliency(model, (k + 0.5) / steps * inputs, target)  # (1)!
    return inputs * total / steps  # (2)!


gap = score(model, X_test, predicted) - score(model, torch.zeros_like(X_test), predicted)  # (3)!


def miss(attribution):  # how far the attributions' sums miss the gap, relative to it
    return (attribution.sum(dim=1) - gap).abs().mean() / gap.abs().mean()


print("method              sum - gap (mean |error| / mean |gap|)")
print(f"grad x input        {miss(gradient_times_input(model, X_test, predicted)):.4f}")
for steps in [4, 16, 64, 256]:
    print(f"IG, {steps:3} steps       {miss(integrated_gradients(model, X_test, predicted, steps)):.4f}")
# --8<-- [end:integrated-gradients]


# --8<-- [start:occlusion]
def occlusion(model, inputs, target, size=2):
    images = inputs.view(-1, 8, 8)
    drop = torch.zeros_like(images)
    full = score(model, inputs, target)
    for r in range(0, 8, size):
        for c in range(0, 8, size):
            covered = images.clone()
            covered[:, r:r + size, c:c + size] = 0  # (1)!
            change = full - score(model, covered.flatten(1), target)
            drop[:, r:r + size, c:c + size] = change[:, None, None] / size**2  # (2)!
    return drop.flatten(1)
# --8<-- [end:occlusion]


# --8<-- [start:maps]
def rows(image, chars):
    return ["".join(chars[v] * 2 for v in row) for row in image.view(8, 8).tolist()]


def picture(image):  # pixels 0 to 1: denser characters for more ink
    return rows((image * 4).round().int(), " .:+#")


def side_by_side(*blocks):
    for line in zip(*blocks, strict=True):
        print("   ".join(line))


def heat(attribution):  # + and # for evidence for the class, - and = against it
    scaled = attribution / attribution.abs().max()
    level = (scaled.abs() >= 0.15).int() + (scaled.abs() >= 0.5).int()
    return rows(level * scaled.sign().int() + 2, "=- +#")


methods = {
    "saliency": saliency,
    "grad x input": gradient_times_input,
    "integrated grads": integrated_gradients,
    "occlusion": occlusion,
}
attributions = {name: method(model, X_test, predicted) for name, method in methods.items()}
i = 0
print(f"label {y_test[i]}, predicted {predicted[i]}")
print("   ".join(f"{name:<16}" for name in ["image", *methods]))
side_by_side(picture(X_test[i]), *(heat(a[i]) for a in attributions.values()))
# --8<-- [end:maps]


# --8<-- [start:deletion]
def deletion(attribution):
    """Blank the pixels ranked highest; the share of images still given the same class."""
    ranked = attribution.argsort(dim=1, descending=True)
    kept = []
    for k in [2, 4, 8, 16]:
        blanked = X_test.scatter(1, ranked[:, :k], 0.0)
        kept.append((model(blanked).argmax(dim=1) == predicted).float().mean().item())
    return kept


print("pixels blanked        2      4      8     16")
baselines = {"random": torch.rand_like(X_test), "most ink": X_test + 1e-3 * torch.rand_like(X_test)}  # (1)!
for name, attribution in {**attributions, **baselines}.items():
    print(f"{name:<20}" + "".join(f"{kept:7.3f}" for kept in deletion(attribution)))
top = attributions["saliency"].argsort(dim=1, descending=True)[:, :8]
print(f"saliency's top 8 pixels already blank: {(X_test.gather(1, top) == 0).float().mean():.1%}")
# --8<-- [end:deletion]


# --8<-- [start:sanity]
def correlation(a, b):  # Pearson, per image, averaged
    a, b = a - a.mean(dim=1, keepdim=True), b - b.mean(dim=1, keepdim=True)
    return ((a * b).sum(dim=1) / (a.norm(dim=1) * b.norm(dim=1))).mean().item()


torch.manual_seed(1)
untrained = make_model().requires_grad_(False)
print("correlation with the image   signed: trained  untrained   |absolute|: trained  untrained")
untrained_attributions = {name: method(untrained, X_test, predicted) for name, method in methods.items()}
for name in methods:
    trained, random_weights = attributions[name], untrained_attributions[name]
    print(f"{name:<29}{correlation(trained, X_test):16.2f}{correlation(random_weights, X_test):11.2f}"
          f"{correlation(trained.abs(), X_test):21.2f}{correlation(random_weights.abs(), X_test):11.2f}")
print(f"{'image':<16}   {'trained':<16}   untrained (integrated grads)")
side_by_side(picture(X_test[i]), heat(attributions["integrated grads"][i]),
             heat(untrained_attributions["integrated grads"][i]))
# --8<-- [end:sanity]
