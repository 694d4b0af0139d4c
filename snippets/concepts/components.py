# profiles: cpu
import torch

torch.manual_seed(0)

# --8<-- [start:tensor]
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(x.shape, x.dtype, x.device)
print(x @ x)
# --8<-- [end:tensor]

# --8<-- [start:autograd]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
out = b.mean()
out.backward()
print(b)
print(out)
print(a.grad)
# --8<-- [end:autograd]

# --8<-- [start:nn-model]
from torch import nn

model = nn.Sequential(
    nn.Linear(3, 4),
    nn.ReLU(),
    nn.Linear(4, 1),
)
print(model)
print(sum(p.numel() for p in model.parameters()))

batch = torch.randn(5, 3)
print(model(batch).shape)
# --8<-- [end:nn-model]

# --8<-- [start:nn-loss]
loss_fn = nn.MSELoss()
pred = torch.tensor([2.5, 0.0])
target = torch.tensor([3.0, -1.0])
print(loss_fn(pred, target))
# --8<-- [end:nn-loss]

# --8<-- [start:optim-step]
w = nn.Parameter(torch.tensor(1.0))
optimizer = torch.optim.SGD([w], lr=0.1)

loss = (w - 3) ** 2
optimizer.zero_grad()
loss.backward()
print(w.grad)
optimizer.step()
print(w)
# --8<-- [end:optim-step]

# --8<-- [start:data]
from torch.utils.data import DataLoader, TensorDataset

features = torch.arange(20.0).reshape(10, 2)
labels = torch.arange(10)
dataset = TensorDataset(features, labels)
print(len(dataset))
print(dataset[3])

loader = DataLoader(dataset, batch_size=4, shuffle=True)
for xb, yb in loader:
    print(xb.shape, yb)
# --8<-- [end:data]

# --8<-- [start:all-together]
X = torch.randn(200, 3)
Y = X @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.1 * torch.randn(200, 1)
loader = DataLoader(TensorDataset(X, Y), batch_size=20, shuffle=True)

model = nn.Linear(3, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(5):
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: loss {total / len(X):.4f}")

print(model.weight.detach())
# --8<-- [end:all-together]
