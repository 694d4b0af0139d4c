# profiles: cpu
# compare: same-cpu (training runs and a sum of ten million numbers: another CPU model rounds them differently)
# --8<-- [start:imports]
import random

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:setup]
data_rng = torch.Generator().manual_seed(0)  # the data has a generator of its own
X = torch.randn(512, 8, generator=data_rng)
y = (X[:, :4].sum(dim=1) > 0).long()  # the rule the model has to learn


def make_model(hidden=64):
    return nn.Sequential(nn.Linear(8, hidden), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(hidden, 2))


def train(model, optimizer, steps):
    """Train on random batches; return the last batch's loss."""
    model.train()
    for _ in range(steps):
        batch = torch.randint(0, len(X), (64,))  # 64 samples picked at random
        loss = F.cross_entropy(model(X[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def run(steps=200):
    """A whole training run: a new model, then `steps` steps."""
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return train(model, optimizer, steps)
# --8<-- [end:setup]


# --8<-- [start:no-seed]
print(run() == run())
# --8<-- [end:no-seed]

# --8<-- [start:manual-seed]
torch.manual_seed(0)
first = run()
torch.manual_seed(0)
second = run()
print(first, second, first == second)
# --8<-- [end:manual-seed]


# --8<-- [start:other-generators]
def draw():
    """One number from each of Python's, NumPy's and torch's generators."""
    return random.random(), np.random.rand(), torch.rand(1).item()


torch.manual_seed(0)
before = draw()
torch.manual_seed(0)
after = draw()
print([a == b for a, b in zip(before, after, strict=True)])
# --8<-- [end:other-generators]


# --8<-- [start:seed-everything]
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # the CPU and every GPU


seed_everything(0)
before = draw()
seed_everything(0)
after = draw()
print([a == b for a, b in zip(before, after, strict=True)])
# --8<-- [end:seed-everything]


# --8<-- [start:global-split]
def validation_samples(hidden, generator=None):  # None: the global one
    """The first five samples of a random split, after building a model."""
    torch.manual_seed(0)
    make_model(hidden)  # initial parameters: random numbers used up
    order = torch.randperm(len(X), generator=generator)
    return order[:5]


print(validation_samples(hidden=64))
print(validation_samples(hidden=128))
# --8<-- [end:global-split]

# --8<-- [start:own-generator]
print(validation_samples(64, torch.Generator().manual_seed(1)))
print(validation_samples(128, torch.Generator().manual_seed(1)))
# --8<-- [end:own-generator]

# --8<-- [start:float-order]
a, b, c = torch.tensor([1e8, 1.0, -1e8])  # float32
print((a + b) + c, (a + c) + b)
# --8<-- [end:float-order]

# --8<-- [start:threads]
x = torch.randn(10_000_000, generator=torch.Generator().manual_seed(0))
threads = torch.get_num_threads()
for n in (1, 2):
    torch.set_num_threads(n)
    print(n, x.sum().item())
print(f"float64: {x.double().sum().item():.6f}")
torch.set_num_threads(threads)  # back to what it was
# --8<-- [end:threads]

# --8<-- [start:deterministic]
previous = torch.are_deterministic_algorithms_enabled()
torch.use_deterministic_algorithms(True)
print(torch.empty(3))  # filled with nan, not with whatever was in memory
values = torch.zeros(3)
try:
    # two values for index 0: which one is kept is not defined
    values.put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))
except RuntimeError as error:
    print(str(error).split(",")[0])  # the rest suggests what to do instead
torch.use_deterministic_algorithms(previous)
# --8<-- [end:deterministic]
