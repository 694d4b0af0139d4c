# profiles: cpu
# --8<-- [start:imports]
import json
import tempfile
import textwrap
from pathlib import Path

import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile, record_function, schedule

torch.manual_seed(0)
# --8<-- [end:imports]

# Not on the page (the page says why): in torch 2.13 the profiler's library,
# Kineto, writes log lines to stderr each time profiling starts and stops, and a
# notebook shows them under the cell. Level 6 hides them (and Kineto's errors).
import os  # noqa: E402

os.environ["KINETO_LOG_LEVEL"] = "6"


# --8<-- [start:train-step]
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(32, 64)  # one batch: 32 samples of 64 features
y = torch.randint(0, 10, (32,))


def train_step():
    with record_function("forward"):
        loss = loss_fn(model(x), y)
    with record_function("backward"):
        loss.backward()
    with record_function("optimizer"):
        optimizer.step()
        optimizer.zero_grad()


train_step()  # a warm-up step, not profiled
# --8<-- [end:train-step]

# --8<-- [start:profile-a-step]
with profile(activities=[ProfilerActivity.CPU], record_shapes=True,
             with_flops=True, profile_memory=True) as prof:
    train_step()

averages = prof.key_averages()  # one entry per operator name
largest = sorted(averages, key=lambda e: (-e.flops, -e.self_cpu_memory_usage))
print(f"{'operator':<26}{'calls':>6}{'FLOPs':>10}{'memory (B)':>12}")
for e in largest[:6]:
    print(f"{e.key:<26}{e.count:>6}{e.flops:>10}{e.self_cpu_memory_usage:>12}")
# --8<-- [end:profile-a-step]

# --8<-- [start:labels]
def short(name):
    return name.removeprefix("autograd::engine::evaluate_function: ")


for event in prof.events():
    if event.name in ("forward", "backward", "optimizer"):
        inside = ", ".join(short(child.name) for child in event.cpu_children)
        line = f"{event.name}: {inside}"
        print(textwrap.fill(line, width=72, subsequent_indent="  "))
# --8<-- [end:labels]

# --8<-- [start:input-shapes]
for e in prof.key_averages(group_by_input_shape=True):
    if e.key in ("aten::addmm", "aten::mm"):
        print(f"{e.key:<12}{str(e.input_shapes):<38}{e.flops:>8}")
# --8<-- [end:input-shapes]



# --8<-- [start:many-small-ops]
def sum_of_squares_loop(x):  # one row at a time, in Python
    total = torch.zeros(())
    for row in x:
        total = total + (row * row).sum()
    return total


def sum_of_squares(x):  # the whole tensor at once
    return (x * x).sum()


def profiled(function, x):
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        result = function(x)
    averages = prof.key_averages()
    calls = {e.key: e.count for e in averages}
    shown = {name: calls.get(name, 0) for name in ("aten::mul", "aten::sum", "aten::add")}
    return result, shown, sum(e.self_cpu_time_total for e in averages)


data = torch.randn(10_000, 16)
slow, slow_calls, slow_time = profiled(sum_of_squares_loop, data)
fast, fast_calls, fast_time = profiled(sum_of_squares, data)
print(torch.allclose(slow, fast))
print(slow_calls)
print(fast_calls)
print(f"loop over 10 times slower: {slow_time > 10 * fast_time}")
# --8<-- [end:many-small-ops]

# --8<-- [start:schedule]
def report(prof):
    forward = sum(e.count for e in prof.key_averages() if e.key == "forward")
    print(f"after step {prof.step_num}: {forward} forward passes recorded")


with profile(activities=[ProfilerActivity.CPU],
             schedule=schedule(wait=1, warmup=1, active=3, repeat=1),
             on_trace_ready=report) as prof:
    for _ in range(8):
        train_step()
        prof.step()  # tell the profiler that a step has ended
# --8<-- [end:schedule]

# --8<-- [start:trace]
with profile(activities=[ProfilerActivity.CPU]) as prof:
    train_step()

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "trace.json"
    prof.export_chrome_trace(str(path))
    events = json.loads(path.read_text())["traceEvents"]
forward = next(e for e in events if e["name"] == "forward")
print(sorted(forward))  # the fields of one event
print(sorted({e["cat"] for e in events if "cat" in e}))  # the kinds of event
# --8<-- [end:trace]
