# profiles: cpu
# compare: same-cpu (convolutions and the fused weights: another CPU model rounds the last digits differently)
# --8<-- [start:imports]
import copy
from collections import Counter

import torch
import torch.nn.functional as F
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils.flop_counter import FlopCounterMode
# --8<-- [end:imports]


# --8<-- [start:trace]
class Net(nn.Module):
    def __init__(self, act=F.relu):
        super().__init__()
        self.act = act  # (1)!
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        x = self.act(self.bn1(self.conv1(x)))
        x = x + self.act(self.bn2(self.conv2(x)))  # a residual connection
        x = x.mean(dim=(2, 3))
        return self.head(x)


torch.manual_seed(0)
model = Net()
gm = fx.symbolic_trace(model)  # (2)!
print(type(gm).__name__, "with", len(gm.graph.nodes), "nodes")
for node in gm.graph.nodes:
    target = node.target if isinstance(node.target, str) else node.target.__name__  # (3)!
    print(f"{node.op:14} {node.name:7} {target:7} {[str(a) for a in node.args]}")
# --8<-- [end:trace]

# --8<-- [start:code]
print(gm.code.strip())
# --8<-- [end:code]


# --8<-- [start:proxy]
class Spy(nn.Module):
    def forward(self, x):
        print("forward sees a", type(x).__name__)
        return x * 2


fx.symbolic_trace(Spy())
Spy()(torch.ones(1))
# --8<-- [end:proxy]


# --8<-- [start:control-flow]
class Branchy(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        return -x


try:
    fx.symbolic_trace(Branchy())
except fx.proxy.TraceError as error:
    print(f"{type(error).__name__}: {str(error).splitlines()[0]}")
# --8<-- [end:control-flow]


# --8<-- [start:swap]
def relu_to_gelu(gm: fx.GraphModule) -> fx.GraphModule:
    for node in gm.graph.nodes:
        if node.op == "call_function" and node.target is F.relu:
            node.target = F.gelu
            node.kwargs = {}  # (1)!
    gm.recompile()  # (2)!
    return gm


model.eval()  # (3)!
x = torch.randn(4, 1, 16, 16)
gelu = relu_to_gelu(fx.symbolic_trace(model))
print([node.target.__name__ for node in gelu.graph.nodes if node.op == "call_function"])
expected = copy.deepcopy(model)
expected.act = F.gelu
with torch.no_grad():
    print("same as the copy with act=F.gelu:", torch.equal(gelu(x), expected(x)),
          "| same as before:", torch.equal(gelu(x), model(x)))
# --8<-- [end:swap]

# --8<-- [start:shapes]
gm = fx.symbolic_trace(model)
ShapeProp(gm).propagate(x)  # (1)!
total = 0
for node in gm.graph.nodes:
    shape = tuple(node.meta["tensor_meta"].shape)
    macs = 0
    if node.op == "call_module":
        layer = gm.get_submodule(node.target)
        if isinstance(layer, nn.Conv2d):  # (2)!
            kh, kw = layer.kernel_size
            macs = shape[1] * shape[2] * shape[3] * layer.in_channels * kh * kw
        elif isinstance(layer, nn.Linear):
            macs = layer.in_features * layer.out_features
    total += macs
    print(f"{node.name:7} {str(shape):15} {macs:>8,}")
print(f"multiply-adds per image: {total:,}")
with FlopCounterMode(display=False) as counter:  # (3)!
    model(x[:1])
print(f"FlopCounterMode, one image: {counter.get_total_flops():,} FLOPs")
# --8<-- [end:shapes]


# --8<-- [start:fuse]
def fuse_conv_bn(module: nn.Module) -> fx.GraphModule:
    traced = fx.symbolic_trace(module)
    for node in list(traced.graph.nodes):
        if node.op != "call_module" or not isinstance(traced.get_submodule(node.target), nn.BatchNorm2d):
            continue
        conv_node = node.args[0]
        if (conv_node.op != "call_module" or not isinstance(traced.get_submodule(conv_node.target), nn.Conv2d)
                or len(conv_node.users) != 1):  # (1)!
            continue
        conv, bn = traced.get_submodule(conv_node.target), traced.get_submodule(node.target)
        traced.add_submodule(conv_node.target, fuse_conv_bn_eval(conv, bn))  # (2)!
        node.replace_all_uses_with(conv_node)  # (3)!
        traced.graph.erase_node(node)
    traced.delete_all_unused_submodules()  # (4)!
    traced.graph.lint()  # (5)!
    traced.recompile()
    return traced


model.train()
with torch.no_grad():
    for _ in range(200):
        model(torch.randn(64, 1, 16, 16))  # (6)!
    for bn in (model.bn1, model.bn2):
        bn.weight.uniform_(0.5, 1.5)  # (7)!
        bn.bias.normal_(0.0, 0.5)
model.eval()
fused = fuse_conv_bn(model)
print([name for name, _ in model.named_children()], "->", [name for name, _ in fused.named_children()])
with torch.no_grad():
    print(f"largest difference: {(fused(x) - model(x)).abs().max():.1e}")
print(fused.code.strip())
# --8<-- [end:fuse]


# --8<-- [start:interpreter]
class Recorder(fx.Interpreter):
    def run_node(self, node):
        result = super().run_node(node)  # (1)!
        if node.op not in ("placeholder", "output"):
            print(f"{node.name:7} mean {result.mean():6.3f}  std {result.std():6.3f}")
        return result


with torch.no_grad():
    Recorder(fused).run(x)
# --8<-- [end:interpreter]

# --8<-- [start:compile]
def count_nodes(gm: fx.GraphModule, example_inputs):  # (1)!
    ops = [node.op for node in gm.graph.nodes]
    print(type(gm).__name__, "with", len(ops), "nodes:", dict(Counter(ops)))
    print(*[node.target.__name__ for node in gm.graph.nodes if node.op == "call_function"])
    return gm.forward  # (2)!


compiled = torch.compile(model, backend=count_nodes)
with torch.no_grad():
    print("same output:", torch.equal(compiled(x), model(x)))
# --8<-- [end:compile]

# --8<-- [start:export]
program = torch.export.export(model, (x,))
graph = program.graph_module.graph
kinds = [spec.kind.name for spec in program.graph_signature.input_specs]
print(type(program.graph_module).__name__, "with", len(graph.nodes), "nodes;",
      dict(Counter(kinds)), "placeholders")
print(*[node.target for node in graph.nodes if node.op == "call_function"], sep="\n")
# --8<-- [end:export]
