# profiles: cpu
import torch

torch.manual_seed(0)

# --8<-- [start:eager]
a = torch.tensor([1.0, 2.0, 3.0])
b = a * 2
print(b)
print(b.sum().item())
# --8<-- [end:eager]

# --8<-- [start:dynamic-graph]
def f(x):
    if x.sum() > 0:
        return x * 2
    return -x


for values in ([1.0, 2.0], [-1.0, -2.0]):
    x = torch.tensor(values, requires_grad=True)
    y = f(x)
    y.sum().backward()
    print(y)
    print(x.grad)
# --8<-- [end:dynamic-graph]

# --8<-- [start:torchscript-deprecated]
import warnings


def double(x):
    return x * 2


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scripted = torch.jit.script(double)

for w in caught:
    print(f"{w.category.__name__}: {w.message}")
# --8<-- [end:torchscript-deprecated]
