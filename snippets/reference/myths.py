# profiles: cpu
import warnings

import torch
from torch.autograd import Variable

torch.manual_seed(0)

# --8<-- [start:autograd-mean]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
out = b.mean()  # (b[0] + b[1] + b[2]) / 3
out.backward()
print(b)
print(out)
print(a.grad)  # d out / d a_i = 2 / 3
# --8<-- [end:autograd-mean]

# --8<-- [start:variable-is-a-tensor]
x = torch.ones(3)
v = Variable(x, requires_grad=True)  # old style: still runs, does nothing special
print(type(v))
print(v)
t = torch.ones(3, requires_grad=True)  # today: just a tensor
print(type(t))
# --8<-- [end:variable-is-a-tensor]

# --8<-- [start:volatile-is-gone]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old = Variable(torch.ones(3), volatile=True)
print(caught[0].message)
print(old.requires_grad)
try:
    torch.ones(3, volatile=True)
except TypeError as error:
    print("TypeError:", error)
# --8<-- [end:volatile-is-gone]

# --8<-- [start:no-grad-instead]
w = torch.ones(3, requires_grad=True)
with torch.no_grad():
    y = w * 2
print(y.requires_grad)
with torch.inference_mode():
    z = w * 2
print(z.requires_grad, z.is_inference())
# --8<-- [end:no-grad-instead]

# --8<-- [start:data-hides-the-mistake]
p = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = p.sigmoid()  # backward needs the output s: d s / d p = s * (1 - s)
s.data.zero_()  # changes s behind autograd's back
s.sum().backward()
print(p.grad)  # silently wrong: should be s * (1 - s) of the original s
# --8<-- [end:data-hides-the-mistake]

# --8<-- [start:detach-catches-the-mistake]
p = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = p.sigmoid()
s.detach().zero_()  # shares memory with s, but autograd knows
try:
    s.sum().backward()
except RuntimeError as error:
    print("RuntimeError:", str(error).split(";")[0])
# --8<-- [end:detach-catches-the-mistake]

# --8<-- [start:right-gradient]
p = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = p.sigmoid()
s.sum().backward()
print(p.grad)
# --8<-- [end:right-gradient]

# --8<-- [start:torchscript-is-deprecated]
def double(x: torch.Tensor) -> torch.Tensor:
    return x * 2


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scripted = torch.jit.script(double)
print(caught[0].category.__name__, caught[0].message)
print(scripted(torch.ones(2)))
# --8<-- [end:torchscript-is-deprecated]
