# profiles: cpu, cuda
# compare: same-cpu (30 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import math
import tempfile
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, random_split
# --8<-- [end:imports]

# --8<-- [start:device-and-seed]
device = "cuda" if torch.cuda.is_available() else "cpu"
print(device)

torch.manual_seed(0)
# --8<-- [end:device-and-seed]


# --8<-- [start:spiral-dataset]
class Spirals(Dataset):
    """Two interleaved spirals in the plane, one per class."""

    def __init__(self, n_per_class, noise=0.05, seed=0):
        g = torch.Generator().manual_seed(seed)  # (1)!
        points, labels = [], []
        for label in (0, 1):
            t = 0.5 + torch.rand(n_per_class, generator=g) * 3 * math.pi
            angle = t + label * math.pi  # spiral 1 = spiral 0 turned 180°
            radius = t / (3 * math.pi)
            xs = radius * torch.cos(angle)
            ys = radius * torch.sin(angle)
            jitter = noise * torch.randn(n_per_class, 2, generator=g)
            points.append(torch.stack([xs, ys], dim=1) + jitter)
            labels.append(torch.full((n_per_class,), label))
        self.x = torch.cat(points)  # float32, shape (2 * n_per_class, 2)
        self.y = torch.cat(labels)  # int64, shape (2 * n_per_class,)

    def __len__(self):  # (2)!
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]
# --8<-- [end:spiral-dataset]


# --8<-- [start:use-dataset]
dataset = Spirals(n_per_class=500)
print(len(dataset))
x0, y0 = dataset[0]
print(x0, y0)
# --8<-- [end:use-dataset]

# --8<-- [start:split-dataset]
train_set, test_set = random_split(
    dataset, [800, 200], generator=torch.Generator().manual_seed(0)
)
print(len(train_set), len(test_set))
# --8<-- [end:split-dataset]

# --8<-- [start:make-loaders]
train_loader = DataLoader(
    train_set,
    batch_size=32,
    shuffle=True,  # a new order every epoch
    generator=torch.Generator().manual_seed(0),  # (1)!
)
test_loader = DataLoader(test_set, batch_size=100)

xb, yb = next(iter(train_loader))
print(xb.shape, xb.dtype)
print(yb.shape, yb.dtype)
print(len(train_loader), len(test_loader))
# --8<-- [end:make-loaders]


# --8<-- [start:module-subclass]
class SpiralNet(nn.Module):
    def __init__(self, hidden=64, p_drop=0.1):
        super().__init__()  # (1)!
        self.layer1 = nn.Linear(2, hidden)
        self.layer2 = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(p_drop)
        self.head = nn.Linear(hidden, 2)  # one score (logit) per class

    def forward(self, x):  # (2)!
        x = torch.relu(self.layer1(x))
        x = self.dropout(torch.relu(self.layer2(x)))
        return self.head(x)


model = SpiralNet().to(device)  # (3)!
print(model)
print(sum(p.numel() for p in model.parameters()))
# --8<-- [end:module-subclass]

# --8<-- [start:sequential-model]
seq_model = nn.Sequential(
    nn.Linear(2, 64),
    nn.ReLU(),
    nn.Linear(64, 64),
    nn.ReLU(),
    nn.Dropout(0.1),
    nn.Linear(64, 2),
).to(device)
print(sum(p.numel() for p in seq_model.parameters()))
print(seq_model(xb.to(device)).shape)
# --8<-- [end:sequential-model]

# --8<-- [start:loss-function]
loss_fn = nn.CrossEntropyLoss()
logits = model(xb.to(device))
print(logits.shape)
print(f"{loss_fn(logits, yb.to(device)).item():.4f}")
print(f"{math.log(2):.4f}")
# --8<-- [end:loss-function]

# --8<-- [start:optimizer]
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
# --8<-- [end:optimizer]


# --8<-- [start:train-one-epoch]
def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()  # dropout on
    total_loss = 0.0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)  # (1)!
        logits = model(xb)          # forward pass
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()       # clear the old gradients
        loss.backward()             # backward pass: fill each .grad
        optimizer.step()            # update the parameters
        total_loss += loss.item() * len(xb)  # (2)!
    return total_loss / len(loader.dataset)
# --8<-- [end:train-one-epoch]


# --8<-- [start:evaluate]
def accuracy(model, loader):
    model.eval()  # dropout off
    correct = 0
    with torch.no_grad():  # no graph: no gradients needed
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            predicted = model(xb).argmax(dim=1)  # higher-scoring class
            correct += (predicted == yb).sum().item()
    return correct / len(loader.dataset)
# --8<-- [end:evaluate]


# --8<-- [start:training-loop]
for epoch in range(1, 31):
    train_loss = train_one_epoch(model, train_loader, loss_fn, optimizer)
    if epoch in (1, 2, 3, 5) or epoch % 5 == 0:
        print(f"epoch {epoch:2d}  loss {train_loss:.4f}")

print(f"train accuracy {accuracy(model, train_loader):.3f}")
print(f"test accuracy  {accuracy(model, test_loader):.3f}")
# --8<-- [end:training-loop]

# --8<-- [start:train-eval-modes]
xb, _ = next(iter(test_loader))
xb = xb.to(device)
with torch.no_grad():
    model.train()
    print(model.training, model.dropout.training)
    print(torch.equal(model(xb), model(xb)))  # new dropout mask each call
    model.eval()
    print(model.training, model.dropout.training)
    print(torch.equal(model(xb), model(xb)))
# --8<-- [end:train-eval-modes]

# --8<-- [start:no-grad-vs-inference-mode]
model.eval()
with torch.no_grad():
    a = model(xb)
with torch.inference_mode():
    b = model(xb)
print(a.requires_grad, b.requires_grad)
print(a.is_inference(), b.is_inference())
print(torch.equal(a, b))
# --8<-- [end:no-grad-vs-inference-mode]

# --8<-- [start:state-dict]
state = model.state_dict()
for name, tensor in state.items():
    print(f"{name:16} {tuple(tensor.shape)}")
# --8<-- [end:state-dict]

# --8<-- [start:save-and-load]
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "spiral-net.pt"
    torch.save(model.state_dict(), path)

    restored = SpiralNet().to(device)  # (1)!
    loaded = torch.load(path, map_location=device, weights_only=True)
    print(restored.load_state_dict(loaded))

print(f"test accuracy  {accuracy(restored, test_loader):.3f}")
# --8<-- [end:save-and-load]


# --8<-- [start:checkpoint-functions]
def save_checkpoint(path, model, optimizer, loader, epoch):
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),  # (1)!
        "epoch": epoch,
        "rng": torch.get_rng_state(),  # (2)!
        "shuffle": loader.generator.get_state(),
    }
    if torch.cuda.is_available():
        checkpoint["cuda_rng"] = torch.cuda.get_rng_state_all()
    torch.save(checkpoint, path)


def load_checkpoint(path, model, optimizer, loader):
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)  # (3)!
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"])
    loader.generator.set_state(checkpoint["shuffle"])
    if "cuda_rng" in checkpoint and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(checkpoint["cuda_rng"])
    return checkpoint["epoch"]
# --8<-- [end:checkpoint-functions]

# --8<-- [start:resume-training]
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "checkpoint.pt"
    net = SpiralNet().to(device)
    net_optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    for epoch in range(1, 5):
        loss = train_one_epoch(net, train_loader, loss_fn, net_optimizer)
        print(f"epoch {epoch}  loss {loss:.6f}")
        if epoch == 2:
            # say the run stops here
            save_checkpoint(path, net, net_optimizer, train_loader, epoch)

    resumed = SpiralNet().to(device)  # another program, days later
    resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=0.01)
    start = load_checkpoint(path, resumed, resumed_optimizer, train_loader) + 1
    for epoch in range(start, 5):
        loss = train_one_epoch(resumed, train_loader, loss_fn, resumed_optimizer)
        print(f"epoch {epoch}  loss {loss:.6f}  (resumed)")

    # everything restored, then a new optimizer after all
    new_adam = SpiralNet().to(device)
    throwaway = torch.optim.Adam(new_adam.parameters(), lr=0.01)
    load_checkpoint(path, new_adam, throwaway, train_loader)
    fresh_optimizer = torch.optim.Adam(new_adam.parameters(), lr=0.01)
    for epoch in range(start, 5):
        loss = train_one_epoch(new_adam, train_loader, loss_fn, fresh_optimizer)
        print(f"epoch {epoch}  loss {loss:.6f}  (new optimizer)")

saved, loaded = net.state_dict().values(), resumed.state_dict().values()
print(all(torch.equal(a, b) for a, b in zip(saved, loaded, strict=True)))
# --8<-- [end:resume-training]
