# profiles: cpu
# compare: same-cpu (the compiled code rounds differently from eager code, by an amount that depends on the processor)
# --8<-- [start:imports]
import re
import time

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:first-example]
def f(x):
    return torch.sin(x) ** 2 + torch.cos(x) ** 2


def seconds(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


compiled_f = torch.compile(f)
x = torch.randn(1_000_000)
first = seconds(compiled_f, x)  # the first call compiles, then runs
later = min(seconds(compiled_f, x) for _ in range(5))  # later calls only run
result = compiled_f(x)
expected = f(x)
print(torch.allclose(result, expected), (result - expected).abs().max().item())
print(f"first call over 10 times slower: {first > 10 * later}")
# --8<-- [end:first-example]


# --8<-- [start:show-graph]
def show_graph(graph_module, example_inputs):
    """A backend that prints the graph it is given and runs it unchanged."""
    print(graph_module.code.strip())
    return graph_module.forward


# each function keeps what it compiled and the shapes it saw: start afresh
torch.compiler.reset()
torch.compile(f, backend=show_graph)(torch.randn(8))
# --8<-- [end:show-graph]

# --8<-- [start:fusion]
from torch._inductor.utils import run_and_get_code

torch.compiler.reset()
_, sources = run_and_get_code(torch.compile(f), x)  # the result, the code
kernels = {name for source in sources
           for name in re.findall(r"cpp_fused_\w+", source)}
print(kernels)
# --8<-- [end:fusion]

# --8<-- [start:graph-break]
graphs = []


def keep_graph(graph_module, example_inputs):
    """A backend that keeps each graph it is given and runs it unchanged."""
    graphs.append(graph_module)
    return graph_module.forward


def shift(x):
    y = x * 2
    if y.sum() > 0:  # depends on the values in y
        return y + 1
    return y - 1


torch.compile(shift, backend=keep_graph)(torch.ones(8))
print(len(graphs))
for graph_module in graphs:
    print(graph_module.code.strip())
# --8<-- [end:graph-break]

# --8<-- [start:fullgraph]
torch.compiler.reset()
try:
    torch.compile(shift, backend=keep_graph, fullgraph=True)(torch.ones(8))
except torch._dynamo.exc.Unsupported as error:
    print("\n".join(str(error).splitlines()[:2]))
# --8<-- [end:fullgraph]


# --8<-- [start:branchless]
def shift_branchless(x):
    y = x * 2
    return torch.where(y.sum() > 0, y + 1, y - 1)


graphs.clear()
torch.compile(shift_branchless, backend=keep_graph, fullgraph=True)(torch.ones(8))
print(len(graphs))
# --8<-- [end:branchless]

# --8<-- [start:recompile]
torch.compiler.reset()
graphs.clear()
compiled_f = torch.compile(f, backend=keep_graph)
for n in (1000, 2000, 3000, 4000):
    compiled_f(torch.randn(n))
    print(n, len(graphs))
print(graphs[-1].code.strip().splitlines()[0])
print(torch._dynamo.config.recompile_limit)  # compiled versions kept per function
# --8<-- [end:recompile]

# --8<-- [start:compile-model]
X = torch.randn(256, 20)
y = (X[:, 0] > 0).long()


def train(model, steps=3):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(f"{loss.item():.6f}")
    print(" ".join(losses))


torch.manual_seed(0)
eager_model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
train(eager_model)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
train(torch.compile(model))
# --8<-- [end:compile-model]

# --8<-- [start:state-dict]
print(list(torch.compile(model).state_dict())[:2])
print(list(model.state_dict())[:2])
model.compile()  # compiles in place: the module stays what it was
print(type(model).__name__, list(model.state_dict())[:2])
# --8<-- [end:state-dict]
