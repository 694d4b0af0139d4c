# profiles: cpu, cuda
import torch
from torch import nn

torch.manual_seed(0)

# --8<-- [start:choose-device]
device = "cuda" if torch.cuda.is_available() else "cpu"
print(device)
# --8<-- [end:choose-device]

# --8<-- [start:move-to-device]
x = torch.ones(2, 3)
x = x.to(device)  # returns a new tensor: assign it
print(x.device)
# --8<-- [end:move-to-device]

# --8<-- [start:from-data]
t = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(t, t.dtype)
# --8<-- [end:from-data]

# --8<-- [start:by-shape]
print(torch.zeros(2, 3))
print(torch.arange(5))
print(torch.linspace(0, 1, steps=3))
# --8<-- [end:by-shape]

# --8<-- [start:random]
torch.manual_seed(0)
r = torch.randn(2, 3)  # standard normal; torch.rand: uniform on [0, 1)
print(r)
# --8<-- [end:random]

# --8<-- [start:shape]
x = torch.zeros(2, 3, 4)
print(x.shape, x.shape[0], x.ndim, x.numel())
# --8<-- [end:shape]

# --8<-- [start:dtype]
i = torch.tensor([1, 2, 3])
f = i.float()  # same as i.to(torch.float32)
print(i.dtype, f.dtype)
# --8<-- [end:dtype]

# --8<-- [start:reshape]
a = torch.arange(6)
print(a.reshape(2, 3))
print(a.view(3, -1).shape)  # -1: work this size out
# --8<-- [end:reshape]

# --8<-- [start:squeeze-unsqueeze]
b = torch.zeros(3)
print(b.unsqueeze(0).shape, b.unsqueeze(1).shape)
print(torch.zeros(1, 3, 1).squeeze().shape)
print(torch.zeros(1, 3, 1).squeeze(0).shape)
# --8<-- [end:squeeze-unsqueeze]

# --8<-- [start:cat-stack]
p = torch.zeros(2, 3)
q = torch.ones(2, 3)
print(torch.cat([p, q]).shape)  # joins along an existing dimension (0)
print(torch.cat([p, q], dim=1).shape)
print(torch.stack([p, q]).shape)  # adds a new dimension
# --8<-- [end:cat-stack]

# --8<-- [start:indexing]
t = torch.arange(12).reshape(3, 4)
print(t[0])  # first row
print(t[:, 1])  # second column
print(t[t > 8])  # boolean mask
# --8<-- [end:indexing]

# --8<-- [start:view-or-copy]
t = torch.arange(6).reshape(2, 3)
row = t[0]  # a slice: a view of t
picked = t[[0]]  # integer-array indexing: a copy
kept = t[0].clone()  # an explicit copy
t[0, 0] = 100
print(row[0], picked[0, 0], kept[0])
print(t.T.is_contiguous(), t.T.contiguous().is_contiguous())
# --8<-- [end:view-or-copy]

# --8<-- [start:item]
s = torch.tensor([1.5, 2.5]).sum()
print(s, s.item())
# --8<-- [end:item]

# --8<-- [start:argmax]
scores = torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2]])
print(scores.argmax(dim=1))
print(scores.max(dim=1))
# --8<-- [end:argmax]

# --8<-- [start:to-numpy]
w = torch.ones(2, requires_grad=True)
print(w.detach().cpu().numpy())
# --8<-- [end:to-numpy]

# --8<-- [start:requires-grad]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)  # at creation
v = torch.zeros(3).requires_grad_()  # or later, in place
print(w.requires_grad, v.requires_grad, v.is_leaf)
# --8<-- [end:requires-grad]

# --8<-- [start:backward]
loss = (w**2).sum()
loss.backward()  # loss must be a scalar
print(w.grad)  # d loss / d w = 2w
# --8<-- [end:backward]

# --8<-- [start:no-grad]
with torch.no_grad():
    y = w * 2
print(y.requires_grad)
print(w.detach().requires_grad)
# --8<-- [end:no-grad]

# --8<-- [start:sequential]
model = nn.Sequential(
    nn.Linear(3, 8),
    nn.ReLU(),
    nn.Linear(8, 1),
).to(device)
print(model(torch.randn(5, 3, device=device)).shape)
# --8<-- [end:sequential]

# --8<-- [start:loss-functions]
mse = nn.MSELoss()  # regression
print(mse(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 3.0])))
ce = nn.CrossEntropyLoss()  # classification: logits, class indices
print(ce(torch.tensor([[2.0, 0.0], [0.0, 2.0]]), torch.tensor([0, 1])))
# --8<-- [end:loss-functions]

# --8<-- [start:data-loader]
from torch.utils.data import DataLoader, TensorDataset

X = torch.randn(10, 3)
Y = torch.randn(10, 1)
loader = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=True)
print([len(xb) for xb, yb in loader])
# --8<-- [end:data-loader]

# --8<-- [start:training-step]
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

model.train()
for xb, yb in loader:
    xb, yb = xb.to(device), yb.to(device)
    loss = loss_fn(model(xb), yb)
    optimizer.zero_grad()  # clear the old gradients
    loss.backward()  # compute new ones
    optimizer.step()  # update the parameters
# --8<-- [end:training-step]

# --8<-- [start:training-techniques]
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5)

for _ in range(5):  # epochs
    model.train()
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
    scheduler.step()  # once per epoch, after the optimizer's steps
print(loss.dtype, scheduler.get_last_lr())  # the rate has fallen to 0
# --8<-- [end:training-techniques]

# --8<-- [start:evaluate]
model.eval()  # dropout and batch norm in inference mode
with torch.no_grad():  # no graph, less memory
    pred = model(X.to(device))
print(pred.shape, pred.requires_grad)
# --8<-- [end:evaluate]

# --8<-- [start:save-load]
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "model.pt"
    torch.save(model.state_dict(), path)
    state = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(state)
print(list(model.state_dict()))
# --8<-- [end:save-load]
