# profiles: cpu
import torch

# --8<-- [start:math-functions]
x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
print(x.abs())
print(torch.exp(x))
print(torch.sqrt(x))  # (1)!
print(torch.log(torch.tensor([0.0, 1.0])))
print(torch.tensor([0.5, 1.5, 2.5]).round())  # (2)!
# --8<-- [end:math-functions]

# --8<-- [start:math-module]
import math

print(math.exp(torch.tensor(1.0)))  # one element: converted to a Python float
try:
    math.exp(x)
except ValueError as error:
    print(error)
# --8<-- [end:math-module]

# --8<-- [start:clamp-where]
print(x.clamp(min=-1.0, max=1.0))  # below -1 becomes -1, above 1 becomes 1
print(torch.where(x > 0, x, 0.0))  # x where x > 0, else 0: a ReLU
print(torch.maximum(x, torch.tensor(0.0)), x.max())  # (1)!
# --8<-- [end:clamp-where]
