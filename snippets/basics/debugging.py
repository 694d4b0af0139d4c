# profiles: cpu
# compare: same-cpu (training runs: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import math
import warnings

import torch
from torch import nn
# --8<-- [end:imports]


# --8<-- [start:dataset]
def make_rings(n, seed):
    """n points in the plane; class 1 (about half) lies outside radius 1.18."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g)
    y = (x.norm(dim=1) > 1.18).long()
    return x, y


train_x, train_y = make_rings(1000, seed=0)
test_x, test_y = make_rings(500, seed=1)
print(train_x.shape, train_y.shape)
print(f"{train_y.float().mean():.3f}")  # share of class 1
# --8<-- [end:dataset]


# --8<-- [start:model-and-loop]
def make_model():
    torch.manual_seed(0)  # the same starting weights every time
    return nn.Sequential(
        nn.Linear(2, 32), nn.ReLU(),
        nn.Linear(32, 32), nn.ReLU(),
        nn.Linear(32, 2),
    )


def train(model, x, y, lr=0.01, epochs=20, batch_size=50, optim=torch.optim.Adam):
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(0)
    losses = []  # mean training loss of each epoch
    model.train()
    for _ in range(epochs):
        total = 0.0
        order = torch.randperm(len(x), generator=g)  # (1)!
        for i in range(0, len(x), batch_size):
            batch = order[i:i + batch_size]
            loss = loss_fn(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(x))
    return losses


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def at(losses, counts):  # the losses after these epochs (or steps), from 1
    return " ".join(f"{losses[n - 1]:.4f}" for n in counts)


def report(losses, model, x=test_x, y=test_y):
    print("loss", at(losses, (1, 2, 5, 10, 20)))
    # on the test set unless told otherwise
    print(f"accuracy {accuracy(model, x, y):.3f}")
# --8<-- [end:model-and-loop]


# --8<-- [start:healthy-run]
model = make_model()
report(train(model, train_x, train_y), model)
# --8<-- [end:healthy-run]

# --8<-- [start:first-loss]
model = make_model()
with torch.no_grad():
    loss = nn.functional.cross_entropy(model(train_x), train_y)
print(f"{loss:.4f} {math.log(2):.4f}")
# --8<-- [end:first-loss]

# --8<-- [start:overfit-one-batch]
model = make_model()
xb, yb = train_x[:20], train_y[:20]
losses = train(model, xb, yb, epochs=100, batch_size=20)  # one batch, 100 steps
print(at(losses, (1, 10, 50, 100)))
print(f"{accuracy(model, xb, yb):.3f}")
# --8<-- [end:overfit-one-batch]

# --8<-- [start:learning-rate]
for lr in (1e-5, 1e-2, 10.0):
    model = make_model()
    print(f"lr={lr:g}")
    report(train(model, train_x, train_y, lr=lr), model)

with torch.no_grad():
    scores = model(test_x)  # the lr=10 model
print(scores[:3])
same = (scores == scores[0]).all(dim=1)  # points scored exactly like the first
print(same.sum().item(), "of", len(scores))
# --8<-- [end:learning-rate]

# --8<-- [start:forgot-zero-grad]
for clear_grads in (True, False):
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(200):  # the whole training set as one batch
        loss = nn.functional.cross_entropy(model(train_x), train_y)
        if clear_grads:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(f"clear_grads={clear_grads!s:5}", at(losses, (1, 20, 50, 100, 200)))
# --8<-- [end:forgot-zero-grad]

# --8<-- [start:parameters-change]
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
# rebuilt later, say to load a checkpoint: the optimizer holds the old one
model = make_model()

before = [p.detach().clone() for p in model.parameters()]
loss = nn.functional.cross_entropy(model(train_x), train_y)
optimizer.zero_grad()
loss.backward()
optimizer.step()
for (name, p), old in zip(model.named_parameters(), before, strict=True):
    grad = "None" if p.grad is None else f"{p.grad.norm():.4f}"
    print(f"{name:8} grad norm {grad:6}  changed {not torch.equal(p, old)}")

# from the model that is trained
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
optimizer.step()  # the same gradients, now applied
pairs = zip(model.parameters(), before, strict=True)
print(all(not torch.equal(p, old) for p, old in pairs))
# --8<-- [end:parameters-change]

# --8<-- [start:input-scale]
raw_x = train_x * 100 + 500  # the same points, in other units and shifted
raw_test_x = test_x * 100 + 500
model = make_model()
report(train(model, raw_x, train_y), model, raw_test_x)


def switching_units(model, x):  # (1)!
    with torch.no_grad():
        # which first-layer units the ReLU lets through, for each point
        on = model[0](x) > 0
    return (on.any(dim=0) & ~on.all(dim=0)).sum().item()


print(switching_units(model, raw_x), "of 32")

mean, std = raw_x.mean(dim=0), raw_x.std(dim=0)  # (2)!
model = make_model()
scaled_x, scaled_test_x = (raw_x - mean) / std, (raw_test_x - mean) / std
report(train(model, scaled_x, train_y), model, scaled_test_x)
print(switching_units(model, (raw_x - mean) / std), "of 32")
# --8<-- [end:input-scale]

# --8<-- [start:vanishing-gradients]
def make_deep_model(activation, depth=20):
    torch.manual_seed(0)
    layers = [nn.Linear(2, 32), activation()]
    for _ in range(depth - 2):
        layers += [nn.Linear(32, 32), activation()]
    layers.append(nn.Linear(32, 2))
    return nn.Sequential(*layers)


def grad_norms(model, x, y):  # (1)!
    model.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    norms = [m.weight.grad.norm().item() for m in linears]
    print("  ".join(f"L{n} {norms[n - 1]:.1e}" for n in (1, 5, 10, 15, 20)))


model = make_deep_model(nn.Sigmoid)
grad_norms(model, train_x, train_y)
first_layer = model[0].weight.detach().clone()
report(train(model, train_x, train_y), model)
print(torch.equal(model[0].weight, first_layer))  # did the first layer move?
# --8<-- [end:vanishing-gradients]

# --8<-- [start:relu-init]
model = make_deep_model(nn.ReLU)
print(f"{model[2].weight.std():.3f} {1 / math.sqrt(3 * 32):.3f}")  # (1)!
grad_norms(model, train_x, train_y)
report(train(model, train_x, train_y), model)

model = make_deep_model(nn.ReLU)  # the same network, trained with SGD
report(train(model, train_x, train_y, optim=torch.optim.SGD), model)

model = make_deep_model(nn.ReLU)
for m in model:
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # (2)!
        nn.init.zeros_(m.bias)
print(f"{model[2].weight.std():.3f} {math.sqrt(2 / 32):.3f}")
grad_norms(model, train_x, train_y)
report(train(model, train_x, train_y), model)
# --8<-- [end:relu-init]

# --8<-- [start:residual]
class Residual(nn.Module):
    def __init__(self, width, activation):
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.activation = activation()

    def forward(self, x):
        return x + self.activation(self.linear(x))  # (1)!


torch.manual_seed(0)
model = nn.Sequential(  # 20 Linear layers again, and still sigmoid
    nn.Linear(2, 32),
    *[Residual(32, nn.Sigmoid) for _ in range(18)],
    nn.Linear(32, 2),
)
grad_norms(model, train_x, train_y)
report(train(model, train_x, train_y), model)
# --8<-- [end:residual]

# --8<-- [start:shuffled-labels]
order = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(1))
# shuffled, but train_y was not: each point has a random label
shuffled_x = train_x[order]
model = make_model()
# accuracy on its own training data
report(train(model, shuffled_x, train_y), model, shuffled_x, train_y)

model = make_model()  # the check of one small batch, on the shuffled data
train(model, shuffled_x[:20], train_y[:20], epochs=100, batch_size=20)
print(f"{accuracy(model, shuffled_x[:20], train_y[:20]):.3f}")
# --8<-- [end:shuffled-labels]

# --8<-- [start:softmax-twice]
model = nn.Sequential(make_model(), nn.Softmax(dim=1))  # (1)!
report(train(model, train_x, train_y), model)
for classes in (2, 10):
    perfect = torch.zeros(1, classes)
    perfect[0, 0] = 1.0  # softmax output: all the probability on the right class
    loss = nn.functional.cross_entropy(perfect, torch.tensor([0]))
    print(classes, f"{loss:.4f}")
# --8<-- [end:softmax-twice]

# --8<-- [start:nan-loss]
logits = torch.tensor([[200.0, 0.0]], requires_grad=True)  # very sure of class 0
target = torch.tensor([1])  # but the answer is class 1
probs = torch.softmax(logits, dim=1)
loss = -torch.log(probs[0, 1])  # cross entropy written out by hand
loss.backward()
print(probs, loss, logits.grad)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # (1)!
    with torch.autograd.detect_anomaly():
        loss = -torch.log(torch.softmax(logits, dim=1)[0, 1])
        try:
            loss.backward()
        except RuntimeError as error:
            print(f"{type(error).__name__}: {error}")

logits.grad = None
# log and softmax in one, computed stably
loss = nn.functional.cross_entropy(logits, target)
loss.backward()
print(loss, logits.grad)
# --8<-- [end:nan-loss]
