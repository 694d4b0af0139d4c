# profiles: cpu
import torch

torch.manual_seed(0)

# --8<-- [start:create-leaf]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(a)
# --8<-- [end:create-leaf]

# --8<-- [start:forward-ops]
b = a * 2
out = b.mean()
print(b)
print(out)
# --8<-- [end:forward-ops]

# --8<-- [start:first-backward]
out.backward()
print(a.grad)
# --8<-- [end:first-backward]

# --8<-- [start:inspect-grad-fn]
print(type(out.grad_fn).__name__)
print(type(b.grad_fn).__name__)
print(a.grad_fn)
# --8<-- [end:inspect-grad-fn]

# --8<-- [start:walk-graph]
def show(fn, depth=0):
    if fn is None:
        print("    " * depth + "None")
        return
    print("    " * depth + type(fn).__name__)
    for next_fn, _ in fn.next_functions:
        show(next_fn, depth + 1)


show(out.grad_fn)
# --8<-- [end:walk-graph]

# --8<-- [start:accumulate-grad]
acc = b.grad_fn.next_functions[0][0]
print(type(acc).__name__)
print(acc.variable is a)
# --8<-- [end:accumulate-grad]

# --8<-- [start:leaf-tensors]
c = torch.tensor([1.0, 2.0, 3.0])
print(a.is_leaf, b.is_leaf, out.is_leaf)
print(a.requires_grad, b.requires_grad, out.requires_grad)
print(c.is_leaf, c.requires_grad)
# --8<-- [end:leaf-tensors]

# --8<-- [start:retain-grad]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.retain_grad()
out = b.mean()
out.backward()
print(b.grad)
print(a.grad)
# --8<-- [end:retain-grad]

# --8<-- [start:grads-accumulate]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
for step in range(3):
    out = (a * 2).mean()
    out.backward()
    print(step, a.grad)
# --8<-- [end:grads-accumulate]

# --8<-- [start:zero-grad]
optimizer = torch.optim.SGD([a], lr=0.1)
optimizer.zero_grad()
print(a.grad)

out = (a * 2).mean()
out.backward()
print(a.grad)
# --8<-- [end:zero-grad]

# --8<-- [start:retain-graph]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = (a * 2).mean()
out.backward(retain_graph=True)
out.backward()
print(a.grad)
try:
    out.backward()
except RuntimeError as error:
    print(str(error).split(" (")[0])
# --8<-- [end:retain-graph]

# --8<-- [start:non-scalar-error]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = a**2
try:
    y.backward()
except RuntimeError as error:
    print(error)
# --8<-- [end:non-scalar-error]

# --8<-- [start:backward-with-gradient]
v = torch.tensor([1.0, 0.1, 0.01])
y.backward(gradient=v)
print(a.grad)

a.grad = None
y = a**2
(y * v).sum().backward()
print(a.grad)
# --8<-- [end:backward-with-gradient]

# --8<-- [start:autograd-grad]
x = torch.tensor(3.0, requires_grad=True)
y = x**3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
print(dy)
(d2y,) = torch.autograd.grad(dy, x)
print(d2y)
print(x.grad)
# --8<-- [end:autograd-grad]

# --8<-- [start:tensor-hook]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2  # an intermediate result: no .grad of its own
handle = h.register_hook(lambda grad: print("gradient reaching h:", grad))
(h**2).sum().backward()
print(x.grad)
handle.remove()  # the hook will not run again
# --8<-- [end:tensor-hook]

# --8<-- [start:hook-changes-grad]
mask = torch.tensor([[1.0, 1.0, 1.0],
                     [0.0, 0.0, 0.0]])  # train the first row only
coeffs = torch.arange(1.0, 7.0).reshape(2, 3)


def one_step(optimizer_class, **options):
    w = torch.ones(2, 3, requires_grad=True)
    w.register_hook(lambda grad: grad * mask)  # (1)!
    optimizer = optimizer_class([w], lr=0.1, **options)
    loss = (w * coeffs).sum()
    loss.backward()
    optimizer.step()
    print(optimizer_class.__name__, w.grad, w.detach(), sep="\n")


one_step(torch.optim.SGD)
one_step(torch.optim.AdamW, weight_decay=0.1)
# --8<-- [end:hook-changes-grad]

# --8<-- [start:no-grad]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
print(y.requires_grad, y.grad_fn)
print((w * 2).requires_grad)
try:
    y.sum().backward()
except RuntimeError as error:
    print(error)
# --8<-- [end:no-grad]

# --8<-- [start:detach]
d = w.detach()
print(d.requires_grad, d.is_leaf)
d[0] = 100.0
print(w)
# --8<-- [end:detach]

# --8<-- [start:inference-mode]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.inference_mode():
    z = w * 2
print(z.requires_grad, z.is_inference())
try:
    w * z
except RuntimeError as error:
    print(str(error).split(".")[0])
print((w * z.clone()).requires_grad)
# --8<-- [end:inference-mode]

# --8<-- [start:inplace-leaf]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (w**2).sum()
loss.backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as error:
    print(error)

with torch.no_grad():
    w -= 0.1 * w.grad
print(w)
# --8<-- [end:inplace-leaf]

# --8<-- [start:inplace-saved-tensor]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = a.exp()
y.add_(1)
try:
    y.sum().backward()
except RuntimeError as error:
    print(error)
# --8<-- [end:inplace-saved-tensor]

# --8<-- [start:inplace-allowed]
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b += 1
b.sum().backward()
print(a.grad)
# --8<-- [end:inplace-allowed]

# --8<-- [start:two-paths]
x = torch.tensor(2.0, requires_grad=True)
u = x * x
v = u + x
show(v.grad_fn)
v.backward()
print(x.grad)
# --8<-- [end:two-paths]
