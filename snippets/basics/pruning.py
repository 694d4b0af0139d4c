# profiles: cpu
# compare: same-cpu (training and fine-tuning: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import copy

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F
from torch.nn.utils import prune

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:model]
digits = load_digits()  # 8x8 images of handwritten digits; ships with scikit-learn
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1)  # (1797, 64)
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train = X[perm[:1400]], y[perm[:1400]]
X_test, y_test = X[perm[1400:]], y[perm[1400:]]
mean, std = X_train.mean(), X_train.std()
X_train, X_test = (X_train - mean) / std, (X_test - mean) / std


def train(model, epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for batch in torch.randperm(len(X_train), generator=order).split(64):
            loss = F.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def accuracy(model):
    with torch.no_grad():
        return (model(X_test).argmax(dim=1) == y_test).float().mean().item()


dense = train(nn.Sequential(nn.Linear(64, 256), nn.ReLU(),
                            nn.Linear(256, 256), nn.ReLU(),
                            nn.Linear(256, 10)), epochs=30)
print(f"test accuracy {accuracy(dense):.3f}")
print(sum(p.numel() for p in dense.parameters()), "parameters")
# --8<-- [end:model]

# --8<-- [start:one-layer]
layer = copy.deepcopy(dense[0])
prune.l1_unstructured(layer, name="weight", amount=0.5)  # (1)!
print([name for name, _ in layer.named_parameters()])
print([name for name, _ in layer.named_buffers()])
print(type(layer.weight), f"zeros {(layer.weight == 0).float().mean():.3f}")
print(torch.equal(layer.weight, layer.weight_orig * layer.weight_mask))  # (2)!
# --8<-- [end:one-layer]


# --8<-- [start:global]
def linears(model):
    return [m for m in model if isinstance(m, nn.Linear)]


def pruned(model, amount):
    model = copy.deepcopy(model)
    weights = [(m, "weight") for m in linears(model)]
    prune.global_unstructured(weights, pruning_method=prune.L1Unstructured, amount=amount)  # (1)!
    return model


def zeros(model):  # the share of zeros in each layer's weight
    return "  ".join(f"{(m.weight == 0).float().mean():.2f}" for m in linears(model))


print("mean |weight| in each layer:", "  ".join(f"{m.weight.abs().mean():.3f}" for m in linears(dense)))
print("pruned  accuracy  fine-tuned  zeros in each layer")
fine_tuned = {}  # amount -> the pruned and fine-tuned model, for the sections below
for amount in [0.5, 0.8, 0.9, 0.95, 0.98]:
    model = pruned(dense, amount)
    before = accuracy(model)
    fine_tuned[amount] = train(model, epochs=5)  # (2)!
    print(f"{amount:6.0%}{before:10.3f}{accuracy(model):12.3f}  {zeros(model)}")
# --8<-- [end:global]

# --8<-- [start:mask-stays]
second = fine_tuned[0.98][2]  # the middle layer of the model 98% pruned, then fine-tuned
print(f"zeros in weight      {(second.weight == 0).float().mean():.3f}")
print(f"zeros in weight_orig {(second.weight_orig == 0).float().mean():.3f}")
# --8<-- [end:mask-stays]

# --8<-- [start:iterative]
model = dense
for step in range(1, 7):
    model = train(pruned(model, 0.5), epochs=5)  # (1)!
    share = sum((m.weight == 0).sum() for m in linears(model)) / sum(m.weight.numel() for m in linears(model))
    print(f"step {step}: {share:.1%} pruned, accuracy {accuracy(model):.3f}")

one_shot = pruned(dense, share.item())
train(one_shot, epochs=30)  # as many epochs of fine-tuning as the six steps had
print(f"at once: {share:.1%} pruned, accuracy {accuracy(one_shot):.3f}")
# --8<-- [end:iterative]


# --8<-- [start:storage]
def nbytes(*tensors):
    return sum(t.nbytes for t in tensors)


model = fine_tuned[0.9]
for m in linears(model):
    prune.remove(m, "weight")  # (1)!
print(list(model.state_dict()))

weight = model[2].weight.detach()
sparse = weight.to_sparse()  # (2)!
print(f"zeros {(weight == 0).float().mean():.3f}")
print("dense ", nbytes(weight), "bytes")
print("sparse", nbytes(sparse.indices(), sparse.values()), "bytes")
print(sparse.indices().shape, sparse.indices().dtype, sparse.values().shape, sparse.values().dtype)
# --8<-- [end:storage]

# --8<-- [start:structured]
model = copy.deepcopy(dense)
for m in linears(model)[:2]:  # the two hidden layers, not the output layer
    prune.ln_structured(m, name="weight", amount=0.75, n=2, dim=0)  # (1)!
    prune.custom_from_mask(m, name="bias", mask=m.weight_mask.amax(dim=1))  # (2)!
print(f"pruned {accuracy(model):.3f}")
train(model, epochs=5)
print(f"fine-tuned {accuracy(model):.3f}")
for m in linears(model)[:2]:
    prune.remove(m, "weight")
    prune.remove(m, "bias")
    print(int(m.weight.ne(0).any(dim=1).sum()), "of", m.out_features, "neurons left")
# --8<-- [end:structured]


# --8<-- [start:shrink]
def shrink(model):
    """The same network without its pruned neurons: smaller matrices, the same outputs."""
    first, second, last = linears(model)
    keep1 = first.weight.ne(0).any(dim=1)  # the neurons of the first hidden layer still in use
    keep2 = second.weight.ne(0).any(dim=1)
    n1, n2 = int(keep1.sum()), int(keep2.sum())
    small = nn.Sequential(nn.Linear(64, n1), nn.ReLU(), nn.Linear(n1, n2), nn.ReLU(), nn.Linear(n2, 10))
    with torch.no_grad():
        small[0].weight.copy_(first.weight[keep1])
        small[0].bias.copy_(first.bias[keep1])
        small[2].weight.copy_(second.weight[keep2][:, keep1])  # (1)!
        small[2].bias.copy_(second.bias[keep2])
        small[4].weight.copy_(last.weight[:, keep2])
        small[4].bias.copy_(last.bias)
    return small


small = shrink(model)
print(small)
print(sum(p.numel() for p in small.parameters()), "parameters")
with torch.no_grad():
    print(torch.allclose(small(X_test), model(X_test), rtol=0, atol=1e-5))  # (2)!
print(f"test accuracy {accuracy(small):.3f}")
# --8<-- [end:shrink]

# --8<-- [start:scratch]
torch.manual_seed(0)
scratch = train(nn.Sequential(nn.Linear(64, 64), nn.ReLU(),
                              nn.Linear(64, 64), nn.ReLU(),
                              nn.Linear(64, 10)), epochs=35)  # (1)!
print(f"test accuracy {accuracy(scratch):.3f}")
# --8<-- [end:scratch]
