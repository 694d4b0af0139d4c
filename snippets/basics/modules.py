# profiles: cpu
# --8<-- [start:imports]
import copy
from itertools import pairwise

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:classifier]
class Classifier(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Linear(4, 16), nn.ReLU(),
            nn.Linear(16, 16), nn.ReLU(),
        )
        self.head = nn.Linear(16, classes)

    def forward(self, x):
        return self.head(self.backbone(x))


model = Classifier()
print(model)
# --8<-- [end:classifier]


# --8<-- [start:parameters]
for name, p in model.named_parameters():
    print(f"{name:20} {tuple(p.shape)}")
print(sum(p.numel() for p in model.parameters()))
# --8<-- [end:parameters]


# --8<-- [start:plain-list]
class Stack(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = [nn.Linear(a, b) for a, b in pairwise(sizes)]  # plain list

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


stack = Stack([4, 16, 3])
print(stack(torch.randn(2, 4)).shape)  # forward works...
print(len(list(stack.parameters())))  # ...but the module has no parameters
try:
    torch.optim.SGD(stack.parameters(), lr=0.1)
except ValueError as error:
    print(error)
# --8<-- [end:plain-list]


# --8<-- [start:module-list]
class Stack(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in pairwise(sizes))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


stack = Stack([4, 16, 3])
print([name for name, _ in stack.named_parameters()])
# --8<-- [end:module-list]


# --8<-- [start:functional]
x = torch.randn(2, 3)
print(torch.equal(F.relu(x), nn.ReLU()(x)))

dropout = nn.Dropout(p=0.5)
dropout.eval()
print(torch.equal(dropout(x), x))  # the module follows eval()
print(torch.equal(F.dropout(x, p=0.5), x))  # the function does not
# --8<-- [end:functional]


# --8<-- [start:buffers]
class Standardize(nn.Module):
    """(x - mean) / std, with mean and std measured on the training data."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))
        self.plain = torch.tensor(mean)  # a plain attribute, for comparison

    def forward(self, x):
        return (x - self.mean) / self.std


standardize = Standardize([500.0, 20.0], [100.0, 5.0])
print(list(standardize.parameters()))
print(list(standardize.state_dict()))
standardize.to(torch.float64)
print(standardize.mean.dtype, standardize.plain.dtype)
print([name for name, _ in nn.BatchNorm1d(3).named_buffers()])
# --8<-- [end:buffers]


# --8<-- [start:init]
def init_weights(module):
    if isinstance(module, nn.Linear):
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        if module.bias is not None:  # a layer made with bias=False has none
            nn.init.zeros_(module.bias)


model = Classifier()
first = model.backbone[0]
print(f"{first.weight.abs().max():.4f} {first.bias.abs().max():.4f}")
model.apply(init_weights)  # (1)!
print(f"{first.weight.std():.4f} {model.backbone[2].weight.std():.4f}")
print(f"{first.bias.abs().max():.4f}")
# --8<-- [end:init]


# --8<-- [start:freeze]
model = Classifier()
model.backbone.requires_grad_(False)  # freeze the backbone
trainable = [p for p in model.parameters() if p.requires_grad]
total = sum(p.numel() for p in model.parameters())
print(sum(p.numel() for p in trainable), "of", total)

optimizer = torch.optim.SGD(trainable, lr=0.1)
loss_fn = nn.CrossEntropyLoss()
before = copy.deepcopy(model.state_dict())
x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
loss = loss_fn(model(x), y)
optimizer.zero_grad()
loss.backward()
optimizer.step()
for name, value in model.state_dict().items():
    changed = not torch.equal(value, before[name])
    print(f"{name:20} {'changed' if changed else 'same'}")
print(model.backbone[0].weight.grad)
# --8<-- [end:freeze]


# --8<-- [start:forward-hooks]
shapes = []
names = {layer: name for name, layer in model.backbone.named_children()}


def record_shape(module, inputs, output):
    name = f"{names[module]} {type(module).__name__}"
    shapes.append(f"{name} {tuple(output.shape)}")


handles = [layer.register_forward_hook(record_shape) for layer in model.backbone]
model(torch.randn(8, 4))
for handle in handles:
    handle.remove()  # (1)!
print("\n".join(shapes))
# --8<-- [end:forward-hooks]


# --8<-- [start:partial-load]
new_model = Classifier(classes=5)  # the same backbone, a head for 5 classes
state = model.state_dict()
backbone_only = {k: v for k, v in state.items() if k.startswith("backbone.")}
result = new_model.load_state_dict(backbone_only, strict=False)
print(result.missing_keys)
print(result.unexpected_keys)
print(torch.equal(new_model.backbone[0].weight, model.backbone[0].weight))
# --8<-- [end:partial-load]
