# profiles: cpu
# --8<-- [start:imports]
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:model]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


# export records the mode the model is in: switch to eval() for inference
model = Net().eval()
example = torch.randn(2, 4)  # an example input: a batch of 2 samples
# --8<-- [end:model]

# --8<-- [start:export]
program = torch.export.export(model, (example,))
print(type(program).__name__)
print(program.graph_module.code.strip())
# --8<-- [end:export]

# --8<-- [start:signature]
print(program.graph_signature)
# --8<-- [end:signature]

# --8<-- [start:run]
exported = program.module()  # an nn.Module that runs the graph
with torch.inference_mode():
    print(torch.equal(exported(example), model(example)))
# --8<-- [end:run]

# --8<-- [start:fixed-shape]
try:
    exported(torch.randn(5, 4))  # a batch of 5, but the example had 2
except AssertionError as error:
    print(f"AssertionError: {error}")
# --8<-- [end:fixed-shape]

# --8<-- [start:dynamic-shapes]
batch = torch.export.Dim("batch")
program = torch.export.export(model, (example,),
                               dynamic_shapes={"x": {0: batch}})
print(program.range_constraints)
x_node = next(node for node in program.graph.nodes if node.name == "x")
print(x_node.meta["val"].shape)  # the shape the graph assumes for x
with torch.inference_mode():
    print(program.module()(torch.randn(5, 4)).shape)
# --8<-- [end:dynamic-shapes]


# --8<-- [start:specialized]
class Pairs(nn.Module):
    def forward(self, x):
        return x.reshape(2, 8)  # works only when x has 2 * 8 = 16 numbers


try:
    torch.export.export(Pairs(), (torch.randn(2, 8),),
                        dynamic_shapes={"x": {0: batch}})
except Exception as error:  # the first two lines of the message
    print(type(error).__name__ + ":", "\n".join(str(error).splitlines()[:2]))
# --8<-- [end:specialized]

# --8<-- [start:save-and-load]
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "net.pt2"
    torch.export.save(program, path)

    # A new Python process, which has never seen the class Net, loads and runs it
    code = f"""
import torch
program = torch.export.load({str(path)!r})
with torch.inference_mode():
    print(program.module()(torch.ones(3, 4)))
"""
    run = subprocess.run([sys.executable, "-c", code],
                         capture_output=True, text=True, check=True)
    print(run.stdout, end="")

with torch.inference_mode():
    print(model(torch.ones(3, 4)))
# --8<-- [end:save-and-load]


# --8<-- [start:shape-branch]
class ShapeBranch(nn.Module):
    def forward(self, x):
        if x.shape[0] > 4:  # decided by the example's shape, during export
            return x + 1
        return x - 1


print(torch.export.export(ShapeBranch(), (example,)).graph_module.code.strip())
# --8<-- [end:shape-branch]


# --8<-- [start:cond]
class Sign(nn.Module):
    def forward(self, x):
        # not `if x.sum() > 0:`, which depends on the values in x
        return torch.cond(x.sum() > 0,
                          lambda x: x + 1,  # when the condition is true
                          lambda x: x - 1,  # when it is false
                          (x,))


program = torch.export.export(Sign(), (torch.randn(3),))
print(program.graph_module.code.strip())
sign = program.module()
with torch.inference_mode():
    print(sign(torch.ones(3)), sign(-torch.ones(3)))
# --8<-- [end:cond]
