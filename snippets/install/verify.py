# profiles: cpu, cuda
# compare: same-torch (the report describes the installed torch build)
"""Check a PyTorch install and print a short report.

Save this file as verify.py and run it with the Python of the environment that has torch.
"""
# --8<-- [start:version]
import os
import warnings

import torch

print("torch:", torch.__version__)
# --8<-- [end:version]

# --8<-- [start:build]
if torch.version.cuda:
    build = f"CUDA {torch.version.cuda}"
elif torch.version.hip:
    build = f"ROCm (HIP {torch.version.hip})"
elif torch.backends.mps.is_built():
    build = "CPU and MPS (macOS)"
else:
    build = "CPU only (no CUDA or ROCm compiled in)"
print("build:", build)
# --8<-- [end:build]


# --8<-- [start:cuda-available]
def cuda_status():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        available = torch.cuda.is_available()
    if available:
        return f"yes, {torch.cuda.device_count()} GPU(s)"
    if not (torch.version.cuda or torch.version.hip):
        return ("no: this torch is a CPU-only build; "
                "a GPU needs a CUDA (or ROCm) build")
    reason = "no usable GPU (no NVIDIA driver, one too old, or no GPU visible)"
    if caught:
        reason = str(caught[0].message).strip()
    hidden = os.environ.get("CUDA_VISIBLE_DEVICES")
    if hidden is not None:
        reason += (f" (CUDA_VISIBLE_DEVICES={hidden!r}"
                   " limits which GPUs are visible)")
    return "no: " + reason


print("cuda:", cuda_status())
# --8<-- [end:cuda-available]

# --8<-- [start:mps-available]
if torch.backends.mps.is_available():
    mps = "yes"
elif not torch.backends.mps.is_built():
    mps = "no: MPS exists only in macOS builds, for Apple-silicon Macs"
else:
    mps = ("no: this build has MPS, but this Mac cannot use it"
           " (Apple silicon, recent macOS)")
print("mps:", mps)
print("cpu: yes")
# --8<-- [end:mps-available]


# --8<-- [start:gpu-details]
def runs_on(arch_list, major, minor):
    """The compiled architecture a GPU of capability major.minor runs, or None."""
    machine, ptx = [], []
    for arch in arch_list:
        kind, _, digits = arch.partition("_")
        if not digits.isdigit():
            continue
        version = (int(digits[:-1]), int(digits[-1]))
        if kind == "sm" and version[0] == major and version[1] <= minor:
            # machine code: same major, minor not higher
            machine.append((version, arch))
        elif kind == "compute" and version <= (major, minor):
            # PTX: compiled for this GPU when first used
            ptx.append((version, arch))
    best = max(machine or ptx, default=None)
    return best[1] if best else None


if torch.cuda.is_available():
    compiled = torch.cuda.get_arch_list()
    print("compiled for:", " ".join(compiled))
    for index in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(index)
        print(f"cuda:{index}: {props.name}, {props.total_memory / 2**30:.0f} GiB")
        if torch.version.hip:
            arch = props.gcnArchName.split(":")[0]
            match = arch if arch in compiled else None
            print(f"  architecture {arch}")
        else:
            match = runs_on(compiled, props.major, props.minor)
            capability = f"{props.major}.{props.minor}"
            sm = f"sm_{props.major}{props.minor}"
            print(f"  compute capability {capability} ({sm})")
        if match is None:
            print("  NOT supported by this build:"
                  " install a build compiled for this GPU")
        elif match.startswith("compute"):
            print(f"  supported through {match}"
                  " (PTX, compiled on first use: slow start)")
        else:
            print(f"  supported: this build has {match}")
else:
    print("gpu: none to check")
# --8<-- [end:gpu-details]

# --8<-- [start:matmul-check]
torch.manual_seed(0)
a = torch.randn(64, 64)
b = torch.randn(64, 64)
reference = (a.double() @ b.double()).float()

devices = ["cpu"]
if torch.cuda.is_available():
    devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
if torch.backends.mps.is_available():
    devices.append("mps")

tolerance = 1e-3
failed = []
for device in devices:
    try:
        result = (a.to(device) @ b.to(device)).cpu()
    except RuntimeError as problem:  # e.g. no code for this GPU in the build
        print(f"matmul on {device}: ERROR {str(problem).strip().splitlines()[0]}")
        failed.append(device)
        continue
    error = (result - reference).abs().max().item()
    if error < tolerance:
        print(f"matmul on {device}: ok (max error < {tolerance:g})")
    else:
        print(f"matmul on {device}: WRONG (max error {error:.3g})")
        failed.append(device)
if failed:
    print("result: FAILED on", ", ".join(failed))
    raise SystemExit(1)  # a non-zero exit status, so that scripts and CI notice
print("result: every device agrees with the reference")
# --8<-- [end:matmul-check]
