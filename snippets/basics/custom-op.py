# profiles: cpu
# compare: same-cpu (the float32 error of w * exp(w) - x, 2.4e-07 here, depends on how this processor's vectorized exp rounds)
# --8<-- [start:imports]
import scipy.special
import torch
from torch import nn
# --8<-- [end:imports]

torch.manual_seed(0)


# --8<-- [start:problem]
def lambertw_scipy(x):
    """Lambert W through SciPy: the w with w * exp(w) = x."""
    return torch.from_numpy(scipy.special.lambertw(x.numpy()).real)


def f(x):
    return torch.sin(lambertw_scipy(x)) * 2


x = torch.linspace(0.5, 3.0, 4)
print(f(x))

try:
    f(x.clone().requires_grad_())
except RuntimeError as error:
    print("autograd:", error)

graphs = []


def keep_graph(graph_module, example_inputs):
    """A backend that keeps each graph it is given and runs it unchanged."""
    graphs.append(graph_module)
    return graph_module.forward


torch.compile(f, backend=keep_graph)(x)
print("compile:", len(graphs), "graphs")
torch.compiler.reset()  # forget what was compiled: start afresh (as before each compile below)
try:
    torch.compile(f, backend=keep_graph, fullgraph=True)(x)
except torch._dynamo.exc.Unsupported as error:
    print("fullgraph:", "\n".join(str(error).splitlines()[:2]))


class Model(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


try:
    torch.export.export(Model(f), (x,))
except RuntimeError as error:
    print("export:", error)
# --8<-- [end:problem]


# --8<-- [start:custom-op]
@torch.library.custom_op("mylib::lambertw_draft", mutates_args=())  # (1)!
def lambertw_draft(x: torch.Tensor) -> torch.Tensor:  # (2)!
    w = scipy.special.lambertw(x.numpy(force=True)).real  # (3)!
    return torch.from_numpy(w).to(dtype=x.dtype, device=x.device)


print(torch.ops.mylib.lambertw_draft.default._schema)  # the operator's signature
w = lambertw_draft(x)
print(w)
print((w * torch.exp(w) - x).abs().max())  # w * exp(w) gives x back


def g(x):
    return torch.sin(lambertw_draft(x)) * 2


try:
    torch.export.export(Model(g), (x,))
except RuntimeError as error:
    print(str(error).split(". ")[0])
# --8<-- [end:custom-op]


# --8<-- [start:fake]
@lambertw_draft.register_fake
def _(x):
    return torch.empty_like(x)  # (1)!


torch.compiler.reset()
graphs.clear()
print(torch.compile(g, backend=keep_graph, fullgraph=True)(x))
print(len(graphs), "graph")
print(graphs[0].code.strip())
# --8<-- [end:fake]

# --8<-- [start:opcheck-draft]
x64 = x.double()
examples = [x, x64, x.reshape(2, 2).t()]  # (1)!


def check_fake(op):
    for example in examples:
        result = torch.library.opcheck(op, (example,), test_utils="test_faketensor",
                                       raise_exception=False)  # a dict: test name -> result
        print(example.dtype, example.stride(), result["test_faketensor"])


check_fake(lambertw_draft)
print(lambertw_draft(x64).stride())  # the real output's strides
print(torch.empty_like(examples[2]).stride())  # empty_like follows the input's memory layout

torch.compiler.reset()
try:
    torch.compile(g)(x64)  # TorchInductor, the default backend
except AssertionError as error:
    print(str(error).splitlines()[0])
# --8<-- [end:opcheck-draft]


# --8<-- [start:fix]
@torch.library.custom_op("mylib::lambertw", mutates_args=())
def lambertw(x: torch.Tensor) -> torch.Tensor:
    w = scipy.special.lambertw(x.numpy(force=True)).real
    return torch.from_numpy(w).to(dtype=x.dtype, device=x.device).contiguous()  # (1)!


@lambertw.register_fake
def _(x):
    return x.new_empty(x.shape)  # (2)!


check_fake(lambertw)
# --8<-- [end:fix]

# --8<-- [start:autograd]
x_grad = x64.clone().requires_grad_()
try:
    lambertw(x_grad).sum().backward()
except RuntimeError as error:
    print(error)
for test, result in torch.library.opcheck(lambertw, (x_grad,), raise_exception=False).items():
    print(test, result)


def setup_context(ctx, inputs, output):  # (1)!
    ctx.save_for_backward(output)


def backward(ctx, grad_output):
    (w,) = ctx.saved_tensors
    return grad_output / (torch.exp(w) * (1 + w))  # (2)!


lambertw.register_autograd(backward, setup_context=setup_context)

lambertw(x_grad).sum().backward()
print(x_grad.grad)
print(torch.autograd.gradcheck(lambertw, (x_grad,)))
print(torch.library.opcheck(lambertw, (x_grad,)))
# --8<-- [end:autograd]


# --8<-- [start:model]
class LambertW(nn.Module):
    def forward(self, x):
        return lambertw(x)


model = nn.Sequential(nn.Linear(3, 8), nn.Softplus(), LambertW(), nn.Linear(8, 1))
inputs = torch.randn(16, 3)

torch.compiler.reset()
graphs.clear()
compiled = torch.compile(model, backend=keep_graph, fullgraph=True)
print(torch.allclose(compiled(inputs), model(inputs)))
print([node.target for node in graphs[0].graph.nodes if node.op == "call_function"])

compiled = torch.compile(model)  # TorchInductor, the default backend
compiled(inputs).sum().backward()
grads = [p.grad.clone() for p in model.parameters()]
model.zero_grad()
model(inputs).sum().backward()
print(all(torch.allclose(a, p.grad) for a, p in zip(grads, model.parameters(), strict=True)))

program = torch.export.export(model, (inputs,))
print([node.target for node in program.graph.nodes if node.op == "call_function"])
# --8<-- [end:model]


# --8<-- [start:mutates]
@torch.library.custom_op("mylib::clip_unit", mutates_args=())
def clip_unit(x: torch.Tensor) -> None:
    x.clamp_(0, 1)  # writes into its argument, which the op does not declare


@torch.library.custom_op("mylib::clip_unit_", mutates_args=("x",))  # (1)!
def clip_unit_(x: torch.Tensor) -> None:
    x.clamp_(0, 1)


def clip_then_copy(op, x):
    op(x)
    return x * 1


y = torch.tensor([1.5, -0.3, -2.2, 0.6])
for op in (clip_unit, clip_unit_):
    op.register_fake(lambda x: None)  # (2)!
    torch.compiler.reset()
    print(op, clip_then_copy(op, y.clone()), torch.compile(clip_then_copy)(op, y.clone()))

print(torch.library.opcheck(clip_unit, (y.clone(),), raise_exception=False)["test_schema"])
print(torch.ops.mylib.clip_unit_.default._schema)
print(torch.library.opcheck(clip_unit_, (y.clone(),))["test_schema"])
# --8<-- [end:mutates]
