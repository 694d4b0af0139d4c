# profiles: cpu, cuda
# argv: --smoke
# record: no  (timings are never recorded verbatim; results come from results files)
# search: prose-only (a 1,000-line program: its code would weigh on every page's search index)
"""How fast is `a @ b` on this machine? A matrix-multiply benchmark that
measures it correctly.

    python benchmark.py
        full sweep on every device found (CPU, CUDA, MPS)
    python benchmark.py --quick
        a short run (under 20 s on a 2-core CPU)
    python benchmark.py --out results.json
        also write every number to a JSON file

Needs only torch and numpy. Progress goes to stderr, the results table to stdout.

Results file (JSON), schema_version 1:
    metadata        where and how it ran: date_utc, command, mode, python, os,
                    torch, cuda, cudnn, numpy, numpy_blas, torch_threads,
                    cpu {model, usable_cpus, physical_cores, clock_ghz,
                    clock_source, flags, vendor (x86 vendor_id) and
                    generation (x86 family and model numbers; both absent
                    in older files)}, gpus [{device, name,
                    compute_capability, memory_gib, driver, max_sm_clock_mhz}],
                    wall_time_s, gpu_rest_s (seconds of rest before each GPU
                    point) and gpu_warmup_s (seconds of work on the GPU after
                    it, before the timing; both null without a GPU)
    peaks           datasheet (every known GPU, TFLOP/s per dtype), sources,
                    used {device: {name, model,
                    kind "datasheet"|"estimate"|null, tflops {dtype: value}}},
                    cpu_estimate
    results         [{device, dtype, n, median_ms, q1_ms, q3_ms, min_ms, max_ms,
                      repeats, inner, tflops, peak_tflops, fraction_of_peak}]
                    (peak and fraction null when unknown)
    skipped         [{device, dtype, n, reason}]
                    (n null when the whole dtype is skipped)
    numpy_baseline  {n, torch_median_ms, numpy_median_ms, torch_tflops,
                     numpy_tflops, torch_vs_numpy, torch_ms [...],
                     numpy_ms [...], repeats, pause_s, torch_threads,
                     numpy_blas, and where torch has oneDNN: onednn_median_ms,
                     onednn_ms [...], onednn_tflops, onednn_vs_numpy}
    pitfalls        [{pitfall, device, applicable, showed, explanation,
                      numbers {...}}]
"""
# --8<-- [start:imports]
import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
# --8<-- [end:imports]


# --8<-- [start:flop-count]
def matmul_flops(n):
    """FLOP of an (n x n) @ (n x n) product: n*n outputs, each n multiply-adds,
    2 FLOP each."""
    return 2 * n**3


def tflops(flops, seconds):
    """Throughput in TFLOP/s (10**12 floating-point operations per second)."""
    return flops / seconds / 1e12
# --8<-- [end:flop-count]


# --8<-- [start:sync]
ASYNC_DEVICES = ("cuda", "mps")  # these queue work and return before it is done


def synchronize(device):
    """Wait until every operation queued on `device` has finished."""
    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()
    # On the CPU an operation has finished when it returns: nothing to wait for.
# --8<-- [end:sync]


# --8<-- [start:time-matmul]
def time_fn(fn, device, *, repeats, inner=1, warmup=1, sync=True):
    """Seconds per call of fn(): one sample per repeat, each the mean of
    `inner` back-to-back calls."""
    # first calls pay one-time costs: keep them out of the samples
    for _ in range(warmup):
        fn()
    synchronize(device)  # start every measurement with an idle device
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()  # monotonic, sub-microsecond clock
        for _ in range(inner):
            fn()
        if sync:
            # stop the clock when the work is done, not when it was queued
            synchronize(device)
        samples.append((time.perf_counter() - start) / inner)
    # never let unfinished work leak into the next measurement
    synchronize(device)
    return samples


def summarize(samples):
    """Median and spread (quartiles, min, max) of timing samples, in seconds."""
    ordered = sorted(samples)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {"median": statistics.median(ordered), "q1": q1, "q3": q3,
            "min": ordered[0], "max": ordered[-1], "count": len(ordered)}


def plan_repeats(estimate_s, *, budget_s, min_block_s, min_repeats, max_repeats):
    """How many calls per sample (inner) and samples (repeats) fit in about
    `budget_s` seconds."""
    inner = max(1, math.ceil(min_block_s / estimate_s)) if estimate_s > 0 else 1
    repeats = int(budget_s // (inner * max(estimate_s, 1e-9)))
    return inner, max(min_repeats, min(max_repeats, repeats))


def random_matrices(n, dtype, device):
    """Two fresh n x n matrices of random normal numbers, made directly
    on the device."""
    a = torch.randn(n, n, dtype=dtype, device=device)
    b = torch.randn(n, n, dtype=dtype, device=device)
    return a, b


def measure_matmul(n, dtype, device, *, budget_s=1.0, min_block_s=0.005,
                   min_repeats=3, max_repeats=30, warmup=1, warmup_s=0.0):
    """Time `a @ b` for n x n matrices: median and spread in ms, TFLOP/s at
    the median."""
    a, b = random_matrices(n, dtype, device)

    def matmul():
        return a @ b

    # A rested GPU runs its first products at a clock it cannot hold under
    # load (see pitfall_burst): keep it busy for warmup_s seconds first.
    deadline = time.perf_counter() + warmup_s
    while time.perf_counter() < deadline:
        matmul()
        synchronize(device)
    # warm-up, then one timed call
    estimate = time_fn(matmul, device, repeats=1, warmup=warmup)[0]
    inner, repeats = plan_repeats(estimate, budget_s=budget_s,
                                  min_block_s=min_block_s,
                                  min_repeats=min_repeats,
                                  max_repeats=max_repeats)
    if inner == 1:  # the timed call after warm-up is a valid sample: keep it
        samples = [estimate] + time_fn(matmul, device, repeats=repeats - 1,
                                       warmup=0)
    else:
        samples = time_fn(matmul, device, repeats=repeats, inner=inner, warmup=0)
    stats = summarize(samples)
    return {
        "n": n,
        "median_ms": stats["median"] * 1e3,
        "q1_ms": stats["q1"] * 1e3,
        "q3_ms": stats["q3"] * 1e3,
        "min_ms": stats["min"] * 1e3,
        "max_ms": stats["max"] * 1e3,
        "repeats": len(samples),
        "inner": inner,
        "tflops": tflops(matmul_flops(n), stats["median"]),
    }
# --8<-- [end:time-matmul]


# --8<-- [start:pitfall-no-sync]
def check_timing(device, synchronized, flops, seconds, peak_tflops=None):
    """Reasons a timing cannot be trusted; an empty list when none is found."""
    problems = []
    if device in ASYNC_DEVICES and not synchronized:
        problems.append(f"launch-only: no synchronize on {device}, which runs "
                        "work asynchronously; the clock stopped when the work "
                        "was queued, not when it finished")
    if (peak_tflops is not None and seconds > 0
            and tflops(flops, seconds) > peak_tflops):
        problems.append(f"impossible: {tflops(flops, seconds):.4g} TFLOP/s is "
                        f"above the device's peak of {peak_tflops:.4g} TFLOP/s")
    return problems


def pitfall_no_sync(device, n, dtype=torch.float32, peak_tflops=None, repeats=5):
    """Time the same product without and with synchronize."""
    if device not in ASYNC_DEVICES:
        return not_applicable(
            "no-sync", device,
            "not applicable (no GPU): CPU operations finish before they "
            "return, so there is nothing to wait for")
    a, b = random_matrices(n, dtype, device)
    without = summarize(
        time_fn(lambda: a @ b, device, repeats=repeats, sync=False))["median"]
    with_sync = summarize(
        time_fn(lambda: a @ b, device, repeats=repeats))["median"]
    flops = matmul_flops(n)
    problems = check_timing(device, False, flops, without, peak_tflops)
    return {
        "pitfall": "no-sync", "device": device, "applicable": True,
        "showed": with_sync > 2 * without,
        "explanation": "without synchronize the clock measures only the "
                       "kernel launch; "
                       + "; ".join(problems),
        "numbers": {"n": n,
                    "dtype": str(dtype).removeprefix("torch."),
                    "no_sync_ms": without * 1e3,
                    "synchronized_ms": with_sync * 1e3,
                    "ratio": with_sync / without,
                    "no_sync_tflops": tflops(flops, without),
                    "synchronized_tflops": tflops(flops, with_sync),
                    "flags": problems},
    }


def not_applicable(pitfall, device, why):
    return {"pitfall": pitfall, "device": device, "applicable": False,
            "showed": False, "explanation": why, "numbers": {}}
# --8<-- [end:pitfall-no-sync]


# --8<-- [start:pitfall-first-call]
def pitfall_first_call(device, n, dtype=torch.float32, repeats=5):
    """Time the very first product on a device, then the same product once
    warmed up."""
    a, b = random_matrices(n, dtype, device)
    synchronize(device)
    start = time.perf_counter()
    # first call: library start-up (cuBLAS handles, kernel choice, thread pools)
    a @ b
    synchronize(device)
    first = time.perf_counter() - start
    steady = summarize(time_fn(lambda: a @ b, device, repeats=repeats))["median"]
    return {
        "pitfall": "first-call", "device": device, "applicable": True,
        "showed": first > 1.5 * steady,
        "explanation": "the first call includes one-time start-up costs; "
                       "warm up before timing",
        "numbers": {"n": n,
                    "dtype": str(dtype).removeprefix("torch."),
                    "first_call_ms": first * 1e3,
                    "steady_ms": steady * 1e3,
                    "ratio": first / steady},
    }
# --8<-- [end:pitfall-first-call]


# --8<-- [start:pitfall-never-moved]
# what the source article printed for a 1000 x 1000 matmul
ARTICLE_CLAIM = {"n": 1000, "ms": 0.00035}


def pitfall_never_moved(gpu, n=1000, repeats=5):
    """The article's bug: tensors made on the CPU and never moved, timed as if
    on the GPU."""
    a = torch.randn(n, n)  # created on the CPU ...
    b = torch.randn(n, n)  # ... and `.to("cuda")` is missing,
    # so `a @ b` runs on the CPU
    cpu = summarize(time_fn(lambda: a @ b, "cpu", repeats=repeats))["median"]
    flops = matmul_flops(n)
    claim_flops = matmul_flops(ARTICLE_CLAIM["n"])
    claim_s = ARTICLE_CLAIM["ms"] / 1e3
    h100_fp32 = PEAKS["H100 SXM"]["float32"]
    numbers = {
        "n": n,
        "tensor_device": str(a.device),
        "cpu_ms": cpu * 1e3,
        "cpu_tflops": tflops(flops, cpu),
        "claimed_ms": ARTICLE_CLAIM["ms"],
        "claimed_n": ARTICLE_CLAIM["n"],
        "claimed_tflops": tflops(claim_flops, claim_s),
        "claimed_vs_h100_fp32_peak": tflops(claim_flops, claim_s) / h100_fp32,
        "claim_flags": check_timing("cuda", True, claim_flops, claim_s,
                                    h100_fp32),
    }
    if gpu is None:
        return {
            "pitfall": "never-moved", "device": "cpu", "applicable": False,
            "showed": False,
            "explanation": "not applicable (no GPU): the article's code times "
                           "the CPU on every machine; here is what it measures",
            "numbers": numbers,
        }
    a_gpu, b_gpu = a.to(gpu), b.to(gpu)  # the missing line
    on_gpu = summarize(
        time_fn(lambda: a_gpu @ b_gpu, gpu, repeats=repeats))["median"]
    numbers.update({"gpu": gpu, "gpu_ms": on_gpu * 1e3,
                    "gpu_tflops": tflops(flops, on_gpu),
                    "ratio": cpu / on_gpu})
    return {
        "pitfall": "never-moved", "device": gpu, "applicable": True,
        "showed": cpu > 2 * on_gpu,
        "explanation": "a tensor that never left the CPU is timed on the CPU, "
                       "whatever the machine has",
        "numbers": numbers,
    }
# --8<-- [end:pitfall-never-moved]


# --8<-- [start:pitfall-time-time]
def clock_tick(clock, samples=20):
    """The smallest step a clock was seen to take, in seconds."""
    smallest = math.inf
    for _ in range(samples):
        t0 = t1 = clock()
        while t1 == t0:
            t1 = clock()
        smallest = min(smallest, t1 - t0)
    return smallest


def pitfall_time_time():
    """time.time() is a wall clock (it can jump); time.perf_counter() is made
    for intervals."""
    clocks = {}
    for name, clock in (("time", time.time), ("perf_counter", time.perf_counter)):
        info = time.get_clock_info(name)
        clocks[name] = {"tick_s": clock_tick(clock),
                        "declared_resolution_s": info.resolution,
                        "monotonic": info.monotonic,
                        "adjustable": info.adjustable}
    coarse = clocks["time"]["tick_s"] > 10 * clocks["perf_counter"]["tick_s"]
    return {
        "pitfall": "time-time", "device": "cpu", "applicable": True,
        "showed": coarse,
        "explanation": "time.time() can be set back or forward (adjustable, "
                       "not monotonic) and on some systems it is coarse; use "
                       "time.perf_counter() for intervals",
        "numbers": {
            "time_tick_us": clocks["time"]["tick_s"] * 1e6,
            "perf_counter_tick_us": clocks["perf_counter"]["tick_s"] * 1e6,
            "time_monotonic": clocks["time"]["monotonic"],
            "time_adjustable": clocks["time"]["adjustable"],
            "perf_counter_monotonic": clocks["perf_counter"]["monotonic"],
        },
    }
# --8<-- [end:pitfall-time-time]


# --8<-- [start:tf32]
@contextlib.contextmanager
def fp32_matmul_precision(device, dtype_name):
    """On CUDA, run float32 matmuls as strict IEEE float32 ("ieee") or on
    TF32 tensor cores ("tf32").

    Uses only the fp32_precision API of torch 2.9+: mixing it with the older
    torch.set_float32_matmul_precision() is unsupported (torch then raises an
    error, or reports a setting that is no longer in effect).
    """
    if device != "cuda" or dtype_name not in ("float32", "tf32"):
        yield
        return
    saved = torch.backends.cuda.matmul.fp32_precision
    torch.backends.cuda.matmul.fp32_precision = (
        "tf32" if dtype_name == "tf32" else "ieee")
    try:
        yield
    finally:
        # leave the setting as we found it
        torch.backends.cuda.matmul.fp32_precision = saved


def relative_error(dtype_name, n, device):
    """Largest error of a float32 product against a float64 reference,
    relative to its largest value."""
    a, b = random_matrices(n, torch.float32, device)
    reference = a.double() @ b.double()
    with fp32_matmul_precision(device, dtype_name):
        result = (a @ b).double()
    return ((result - reference).abs().max() / reference.abs().max()).item()


def pitfall_tf32(device, n, error_n, settings):
    """The same float32 product with TF32 off (IEEE) and on, plus what the
    default does."""
    if device != "cuda":
        return not_applicable(
            "tf32", device,
            "not applicable (no CUDA GPU): TF32 is a tensor-core mode of "
            "NVIDIA GPUs (Ampere and newer)")
    default = torch.backends.cuda.matmul.fp32_precision
    timings = {"default": measure_matmul(n, torch.float32, device, **settings)}
    for mode in ("float32", "tf32"):
        with fp32_matmul_precision(device, mode):
            timings[mode] = measure_matmul(n, torch.float32, device, **settings)
    speedup = timings["float32"]["median_ms"] / timings["tf32"]["median_ms"]
    return {
        "pitfall": "tf32", "device": device, "applicable": True,
        "showed": speedup > 1.5,
        "explanation": "TF32 keeps float32's range but only 10 mantissa bits: "
                       "faster, less precise; off by default for matmul",
        "numbers": {
            "n": n,
            "default_setting": default,
            "default_ms": timings["default"]["median_ms"],
            "ieee_ms": timings["float32"]["median_ms"],
            "tf32_ms": timings["tf32"]["median_ms"],
            "ieee_tflops": timings["float32"]["tflops"],
            "tf32_tflops": timings["tf32"]["tflops"],
            "speedup": speedup,
            "error_n": error_n,
            "ieee_relative_error": relative_error("float32", error_n, device),
            "tf32_relative_error": relative_error("tf32", error_n, device),
        },
    }
# --8<-- [end:tf32]


# --8<-- [start:pitfall-burst]
def pitfall_burst(device, n, rest_s, seconds, burst=10):
    """Time each product of `seconds` of work on a GPU that has rested: the
    first few against the second half."""
    if device not in ASYNC_DEVICES:
        return not_applicable(
            "burst", device,
            "not applicable (no GPU): this run times the clock a GPU holds "
            "under its power limit")
    dtype_name = "bfloat16" if not unsupported(device, "bfloat16") else "float32"
    # three pairs of fresh random inputs, used in turn
    pairs = [random_matrices(n, DTYPES[dtype_name], device) for _ in range(3)]
    samples = []

    def product():
        a, b = pairs[len(samples) % len(pairs)]
        return a @ b

    product()  # kernel chosen, workspace allocated: not part of the experiment
    synchronize(device)
    time.sleep(rest_s)  # idle, as after any pause in real work
    started = time.perf_counter()
    while not samples or time.perf_counter() - started < seconds:
        samples += time_fn(product, device, repeats=1, warmup=0)
    first = statistics.median(samples[:burst])
    held = statistics.median(samples[len(samples) // 2:])
    flops = matmul_flops(n)
    return {
        "pitfall": "burst", "device": device, "applicable": True,
        "showed": first < 0.95 * held,
        "explanation": "a rested GPU runs its first products at a higher "
                       "clock than it holds under load: a benchmark that "
                       "times only a short burst reports more than the GPU "
                       "sustains",
        "numbers": {"n": n, "dtype": dtype_name, "rest_s": rest_s,
                    "seconds": seconds, "products": len(samples),
                    "burst_products": min(burst, len(samples)),
                    "burst_ms": first * 1e3, "held_ms": held * 1e3,
                    "burst_tflops": tflops(flops, first),
                    "held_tflops": tflops(flops, held),
                    "ratio": held / first,
                    "samples_ms": [round(t * 1e3, 4) for t in samples]},
    }
# --8<-- [end:pitfall-burst]


# --8<-- [start:peaks]
# Dense peak TFLOP/s (no 2:4 sparsity). NVIDIA's datasheets quote tensor-core
# figures "with sparsity"; the dense figure is half of that. Peaks assume the
# boost clock.
PEAKS = {
    # NVIDIA H100 Tensor Core GPU datasheet, H100 SXM column (TF32 989 / BF16
    # and FP16 1,979 with sparsity); Hopper whitepaper: 494.7 / 989.4 dense.
    "H100 SXM": {"float64": 34, "float32": 67, "tf32": 494.7,
                 "bfloat16": 989.4, "float16": 989.4},
    # Same datasheet, H100 PCIe column (TF32 756 / BF16 and FP16 1,513
    # with sparsity).
    "H100 PCIe": {"float64": 26, "float32": 51, "tf32": 378,
                  "bfloat16": 756.5, "float16": 756.5},
    # NVIDIA H200 Tensor Core GPU datasheet, H200 SXM column:
    # the same compute as H100 SXM.
    "H200 SXM": {"float64": 34, "float32": 67, "tf32": 494.7,
                 "bfloat16": 989.4, "float16": 989.4},
    # NVIDIA A100 Tensor Core GPU datasheet (same for the SXM4 and PCIe
    # boards): FP64 9.7, FP32 19.5, TF32 156, BF16 and FP16 312 dense.
    "A100": {"float64": 9.7, "float32": 19.5, "tf32": 156,
             "bfloat16": 312, "float16": 312},
    # NVIDIA Ada Lovelace GPU architecture whitepaper, appendix,
    # GeForce RTX 4090: FP32 82.6; tensor FP16 and BF16 with FP32 accumulate
    # (what torch uses) 165.2; TF32 82.6.
    "RTX 4090": {"float64": 1.3, "float32": 82.6, "tf32": 82.6,
                 "bfloat16": 165.2, "float16": 165.2},
}

# torch.cuda.get_device_name() -> row of PEAKS. Anything else gets no peak:
# never a guess.
DEVICE_NAMES = [
    (r"\bH100 PCIe\b", "H100 PCIe"),
    (r"\bH100 (80GB HBM3|SXM5 80GB)$", "H100 SXM"),
    (r"\bH200\b(?!.*NVL)", "H200 SXM"),
    (r"\bA100\b", "A100"),
    (r"GeForce RTX 4090$", "RTX 4090"),
]


def known_gpu(device_name):
    """The PEAKS row for a device name, or None for a device we have no
    datasheet for."""
    for pattern, model in DEVICE_NAMES:
        if re.search(pattern, device_name):
            return model
    return None


def peak_for(device_name, dtype_name):
    """Datasheet dense peak in TFLOP/s, or None when the device or dtype is
    unknown."""
    model = known_gpu(device_name)
    return PEAKS[model].get(dtype_name) if model else None
# --8<-- [end:peaks]


# --8<-- [start:cpu-peak]
def cpu_peak_estimate(cores, ghz, flop_per_cycle):
    """Theoretical peak in TFLOP/s: cores x clock x FLOP per cycle per core."""
    return cores * ghz * 1e9 * flop_per_cycle / 1e12


def float32_flop_per_cycle(flags, half_width_avx512=False):
    """FLOP per cycle per core for float32, from the CPU's vector flags, with
    the assumption used."""
    if "avx512f" in flags and half_width_avx512:
        return 1 * 16 * 2, (
            "AVX-512 on AMD Zen 4, which runs each 512-bit instruction on "
            "two 256-bit units: 1 FMA x 16 float32 lanes x 2 FLOP per FMA")
    if "avx512f" in flags:
        return 2 * 16 * 2, (
            "AVX-512: 2 FMA units x 16 float32 lanes x 2 FLOP per FMA "
            "(an upper bound: some chips have 1 unit, or run AVX-512 as "
            "2 x 256 bits)")
    if "avx2" in flags and "fma" in flags:
        return 2 * 8 * 2, (
            "AVX2 + FMA: 2 FMA units x 8 float32 lanes x 2 FLOP per FMA")
    return None, "no AVX2+FMA or AVX-512 flag found: no estimate"


# Vector units (for the float32 estimate) and the units for lower precision
# (bfloat16, float16)
CPU_FLAGS = ("avx", "avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16",
             "amx_bf16", "amx_fp16")


def read_cpu_facts():
    """What the OS says about this CPU (Linux files; other systems give less)."""
    usable = (sorted(os.sched_getaffinity(0))
              if hasattr(os, "sched_getaffinity") else None)
    facts = {"model": platform.processor() or platform.machine(),
             "logical_cpus": os.cpu_count(),
             "usable_cpus": len(usable) if usable else os.cpu_count(),
             "physical_cores": None, "vendor": None, "generation": None,
             "clock_ghz": None, "clock_source": None, "flags": []}
    cpuinfo = read_text("/proc/cpuinfo")
    numbers = {}  # a VM may show a vague name ("AMD EPYC"): these tell more
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and value:
            facts["model"] = value
        elif key == "vendor_id" and value:
            facts["vendor"] = value
        elif key in ("cpu family", "model") and value:
            numbers.setdefault(key, value)
        elif key == "flags" and not facts["flags"]:
            facts["flags"] = [f for f in value.split() if f in CPU_FLAGS]
        elif key == "cpu MHz" and facts["clock_ghz"] is None and value:
            facts["clock_ghz"] = float(value) / 1e3
            facts["clock_source"] = (
                "/proc/cpuinfo 'cpu MHz' (current or nominal clock; "
                "boost may be higher)")
    max_khz = read_text(
        "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq").strip()
    if max_khz.isdigit():
        facts["clock_ghz"] = int(max_khz) / 1e6
        facts["clock_source"] = (
            "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq (max clock)")
    if len(numbers) == 2:
        facts["generation"] = (f"family {numbers['cpu family']}, "
                               f"model {numbers['model']}")
    if usable:  # hyperthreads share a core's FMA units: count each core once
        cores = {read_text(f"/sys/devices/system/cpu/cpu{i}/topology/"
                           "core_cpus_list").strip()
                 or read_text(f"/sys/devices/system/cpu/cpu{i}/topology/"
                              "thread_siblings_list").strip()
                 for i in usable}
        facts["physical_cores"] = len(cores) if "" not in cores else None
    return facts


def is_zen4(facts):
    """True for AMD's x86 family 25: Zen 3 (no AVX-512) and Zen 4 (AVX-512
    on 256-bit units), so the caller's avx512f check picks out Zen 4. Zen 5
    (family 26) has full 512-bit units in its desktop and server chips."""
    return (facts.get("vendor") == "AuthenticAMD"
            and (facts.get("generation") or "").startswith("family 25,"))


def cpu_peak(facts):
    """The float32 peak estimate for this CPU, with every assumption
    spelled out."""
    cores = facts["physical_cores"] or facts["usable_cpus"]
    per_cycle, why = float32_flop_per_cycle(
        facts["flags"], half_width_avx512=is_zen4(facts))
    assumptions = [
        f"cores: {cores} ({facts['usable_cpus']} usable CPUs, "
        f"{facts['physical_cores'] or 'unknown'} physical cores as the OS "
        "reports them; a VM may present hyperthreads as cores)",
        (f"clock: {facts['clock_ghz']} GHz from {facts['clock_source']}"
         if facts["clock_ghz"] else "clock: unreadable"),
        f"FLOP per cycle per core: {why}",
    ]
    if per_cycle is None or not facts["clock_ghz"] or not cores:
        return {"tflops": {}, "assumptions": assumptions, "estimate": True,
                "note": "not enough information for an estimate: "
                        "no % of peak for the CPU"}
    fp32 = cpu_peak_estimate(cores, facts["clock_ghz"], per_cycle)
    return {
        "tflops": {"float32": fp32, "float64": fp32 / 2},
        "assumptions": assumptions,
        "estimate": True,
        "formula": f"{cores} x {facts['clock_ghz']} GHz x {per_cycle} FLOP/cycle",
        "cores": cores,
        "flop_per_cycle": per_cycle,
        "note": "an estimate, not a datasheet figure",
    }


def check_estimate(estimate, measured_tflops):
    """A measurement above the estimate means the clock we read is lower than
    the real one."""
    if (not estimate["tflops"] or not measured_tflops
            or max(measured_tflops) <= estimate["tflops"]["float32"]):
        return None
    best = max(measured_tflops)
    return {
        "best_measured_tflops": best,
        "implied_min_clock_ghz":
            best * 1e12 / (estimate["cores"] * estimate["flop_per_cycle"]) / 1e9,
        "note": "measured above the estimate: "
                "the CPU ran faster than the clock that was read",
    }


def read_text(path):
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError:
        return ""
# --8<-- [end:cpu-peak]


# --8<-- [start:numpy-baseline]
def numpy_vs_torch(n, *, repeats=3, warmup=1, pause_s=0.25):
    """The same float32 product through torch and NumPy on the CPU, in turns.

    Where torch has it, a third contender: the same product through oneDNN,
    the other math library inside torch. `a @ b` goes to torch's BLAS (MKL
    in the x86 wheels), while oneDNN picks its code by the CPU's instruction
    sets. When the two differ widely on one machine, the limit is the
    library, not the CPU.
    """
    # a small product is enough to start each library's worker threads
    for call in contenders(min(n, 512)).values():
        time_fn(call, "cpu", repeats=0, warmup=warmup)
    calls = contenders(n)
    samples = {name: [] for name in calls}
    # One sample of each per round: a slow spell of the machine hits them all.
    for _ in range(repeats):
        for name, call in calls.items():
            # After a call, a library's worker threads keep spinning for a
            # short while; the pause lets them go idle so that the next
            # library has the cores to itself.
            time.sleep(pause_s)
            samples[name] += time_fn(call, "cpu", repeats=1, warmup=0)
    report = {"n": n, "repeats": repeats, "pause_s": pause_s,
              "torch_threads": torch.get_num_threads(),
              "numpy_blas": numpy_blas()}
    for name, seconds in samples.items():
        median = statistics.median(seconds)
        report[f"{name}_median_ms"] = median * 1e3
        report[f"{name}_ms"] = [s * 1e3 for s in seconds]
        report[f"{name}_tflops"] = tflops(matmul_flops(n), median)
    numpy_median = report["numpy_median_ms"]
    # above 1: faster than NumPy
    report["torch_vs_numpy"] = numpy_median / report["torch_median_ms"]
    if "onednn" in samples:
        report["onednn_vs_numpy"] = numpy_median / report["onednn_median_ms"]
    return report


def contenders(n):
    """One call per library, each computing the same float32 a @ b."""
    a, b = random_matrices(n, torch.float32, "cpu")
    a_np, b_np = a.numpy(), b.numpy()  # the same numbers (shared memory)
    calls = {"torch": lambda: a @ b, "numpy": lambda: a_np @ b_np}
    onednn = onednn_matmul(a, b)
    if onednn:
        calls["onednn"] = onednn
    return calls


def onednn_matmul(a, b):
    """A call that computes a @ b through oneDNN, or None where torch cannot.

    The tensors are converted once, here, outside the timing; a real program
    would also pay for converting its inputs and its result.
    """
    if not torch.backends.mkldnn.is_available():
        return None
    try:  # a build may have oneDNN, but not for this product: try a small one
        tiny = torch.ones(2, 2).to_mkldnn()
        torch.nn.functional.linear(tiny, tiny)
    except RuntimeError:
        return None
    # linear(x, w) is x @ w.T, so w is b transposed; both in oneDNN's layout
    a_dnn, w_dnn = a.to_mkldnn(), b.T.contiguous().to_mkldnn()
    return lambda: torch.nn.functional.linear(a_dnn, w_dnn)


def numpy_blas():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # NumPy 1.x has no mode="dicts"
        return None
# --8<-- [end:numpy-baseline]


# --8<-- [start:sweep]
DTYPES = {
    "float32": torch.float32,
    "tf32": torch.float32,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float64": torch.float64,
}
DEFAULT_DTYPES = ["float32", "tf32", "bfloat16", "float16"]


def available_devices():
    """GPUs first, then the CPU (always there)."""
    devices = []
    if torch.cuda.is_available():
        devices.append("cuda")
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices + ["cpu"]


def device_name(device):
    if device == "cuda":
        return torch.cuda.get_device_name(0)
    if device == "mps":
        return "Apple GPU (MPS)"
    return read_cpu_facts()["model"]


def unsupported(device, dtype_name):
    """Why `device` cannot run this dtype, or None when it can."""
    if dtype_name == "tf32" and device != "cuda":
        return "TF32 is a CUDA tensor-core mode"
    if device == "cuda" and dtype_name in ("tf32", "bfloat16"):
        major, minor = torch.cuda.get_device_capability(0)
        if major < 8:
            return ("needs compute capability 8.0 (Ampere) or newer; "
                    f"this GPU is {major}.{minor}")
    try:
        a = torch.ones(8, 8, dtype=DTYPES[dtype_name], device=device)
        (a @ a).sum().item()
    except (RuntimeError, TypeError) as error:
        return (f"{device} cannot multiply {dtype_name}: "
                f"{str(error).splitlines()[0]}")
    return None


def too_big(device, n, dtype):
    """Why an n x n product does not fit in memory, or None."""
    need = 3 * n * n * torch.empty((), dtype=dtype).element_size()
    if device == "cuda":
        free = torch.cuda.mem_get_info()[0]
    elif (device == "cpu" and hasattr(os, "sysconf")
          and "SC_AVPHYS_PAGES" in os.sysconf_names):
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    else:
        return None
    if need > 0.8 * free:
        return f"needs {need / 2**30:.1f} GiB, {free / 2**30:.1f} GiB free"
    return None


def run_sweep(devices, dtypes, sizes, peaks, settings, log):
    """Time every (device, dtype, size); skip, with the reason, what cannot run
    or would take too long."""
    results, skipped = [], []
    for device in devices:
        for dtype_name in dtypes:
            reason = unsupported(device, dtype_name)
            if reason:
                skipped.append({"device": device, "dtype": dtype_name,
                                "n": None, "reason": reason})
                log(f"skip {device} {dtype_name}: {reason}")
                continue
            # (n, seconds) of the previous size, to predict the next one
            last = None
            for n in sizes[device]:
                reason = too_big(device, n, DTYPES[dtype_name])
                if last and not reason:
                    predicted = last[1] * (n / last[0]) ** 3
                    calls = settings["warmup"] + settings["min_repeats"]
                    if predicted * calls > settings["max_point_s"]:
                        reason = (f"predicted {predicted:.3g} s per call x "
                                  f"{calls} calls, over the "
                                  f"{settings['max_point_s']} s limit per point")
                if reason:
                    skipped.append({"device": device, "dtype": dtype_name,
                                    "n": n, "reason": reason})
                    log(f"skip {device} {dtype_name} n={n}: {reason}")
                    continue
                if device in ASYNC_DEVICES and settings["gpu_rest_s"]:
                    # Under load a GPU lowers its clock to stay within its
                    # power and temperature limits: a short rest lets every
                    # point start from the same state, whatever ran before.
                    time.sleep(settings["gpu_rest_s"])
                try:
                    with fp32_matmul_precision(device, dtype_name):
                        point = measure_matmul(n, DTYPES[dtype_name], device,
                                               **timing_args(settings, device))
                except RuntimeError as error:
                    # out of memory, or a kernel this build lacks: say so, go on
                    reason = f"failed: {str(error).splitlines()[0]}"
                    skipped.append({"device": device, "dtype": dtype_name,
                                    "n": n, "reason": reason})
                    log(f"FAILED {device} {dtype_name} n={n}: {reason}")
                    continue
                peak = peaks.get(device, {}).get(dtype_name)
                point.update({
                    "device": device,
                    "dtype": dtype_name,
                    "peak_tflops": peak,
                    "fraction_of_peak": point["tflops"] / peak if peak else None,
                })
                results.append(point)
                last = (n, point["median_ms"] / 1e3)
                log(f"{device:4} {dtype_name:8} n={n:<5} "
                    f"{point['median_ms']:10.3f} ms "
                    f"{point['tflops']:9.3f} TFLOP/s  "
                    f"({point['repeats']} x {point['inner']})")
    return results, skipped


def timing_args(settings, device):
    keys = ("budget_s", "min_block_s", "min_repeats", "max_repeats", "warmup")
    args = {key: settings[key] for key in keys}
    args["warmup_s"] = settings["gpu_warmup_s"] if device in ASYNC_DEVICES else 0.0
    return args
# --8<-- [end:sweep]


# --8<-- [start:main]
# sizes per device, time per point, and the sizes used by the side experiments
MODES = {
    "full": {"sizes": {"cpu": [256, 512, 1024, 2048, 4096],
                       "cuda": [256, 512, 1024, 2048, 4096, 8192, 16384],
                       "mps": [256, 512, 1024, 2048, 4096, 8192]},
             "budget_s": 0.5, "min_block_s": 0.005, "min_repeats": 3,
             "max_repeats": 30, "warmup": 1, "max_point_s": 10,
             "numpy_n": 4096, "numpy_repeats": 5, "numpy_pause_s": 0.25,
             "gpu_rest_s": 1.0, "gpu_warmup_s": 0.2, "first_call_n": 1024,
             "no_sync_n": 4096, "never_moved_n": 1000, "tf32_n": 8192, "error_n": 2048,
             "burst_n": 8192, "burst_rest_s": 2.0, "burst_s": 1.0},
    "quick": {"sizes": {"cpu": [256, 512, 1024, 2048],
                        "cuda": [256, 512, 1024, 2048, 4096, 8192],
                        "mps": [256, 512, 1024, 2048, 4096]},
              "budget_s": 0.3, "min_block_s": 0.005, "min_repeats": 3,
              "max_repeats": 20, "warmup": 1, "max_point_s": 3,
              "numpy_n": 4096, "numpy_repeats": 3, "numpy_pause_s": 0.25,
              "gpu_rest_s": 0.5, "gpu_warmup_s": 0.1, "first_call_n": 1024,
              "no_sync_n": 4096, "never_moved_n": 1000, "tf32_n": 4096, "error_n": 1024,
              "burst_n": 4096, "burst_rest_s": 1.0, "burst_s": 0.5},
    "smoke": {"sizes": {"cpu": [32, 64], "cuda": [64, 128], "mps": [64, 128]},
              "budget_s": 0.005, "min_block_s": 0.0, "min_repeats": 2,
              "max_repeats": 2, "warmup": 1, "max_point_s": 1,
              "numpy_n": 64, "numpy_repeats": 2, "numpy_pause_s": 0.0,
              "gpu_rest_s": 0.0, "gpu_warmup_s": 0.0, "first_call_n": 64,
              "no_sync_n": 256, "never_moved_n": 128, "tf32_n": 256, "error_n": 128,
              "burst_n": 128, "burst_rest_s": 0.0, "burst_s": 0.01},
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Time n x n matrix multiplies on every device found.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="a short run (sizes up to 2048 on CPU)")
    mode.add_argument("--smoke", action="store_true",
                      help="tiny sizes, seconds: checks the program works")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="matrix sizes n (for every device)")
    parser.add_argument("--dtypes", nargs="+", choices=list(DTYPES),
                        default=DEFAULT_DTYPES)
    parser.add_argument("--devices", nargs="+", choices=["cpu", "cuda", "mps"],
                        help="default: every device found")
    parser.add_argument("--out", help="write the results to this JSON file")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress on stderr")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    settings = MODES[mode]
    verbose = not (args.quiet or args.smoke)

    def log(message):
        if verbose:
            print(message, file=sys.stderr, flush=True)

    torch.manual_seed(0)
    found = available_devices()
    devices = [d for d in (args.devices or found) if d in found]
    for missing in set(args.devices or []) - set(found):
        log(f"skip {missing}: not available on this machine")
    sizes = {d: args.sizes or settings["sizes"][d] for d in devices}
    gpus = [d for d in devices if d != "cpu"]

    # First, before anything else runs on a device:
    # what the very first call costs.
    pitfalls = [guarded("first-call", d, pitfall_first_call, d,
                        settings["first_call_n"])
                for d in devices]
    log("pitfall first-call: "
        + ", ".join(f"{p['device']} {p['numbers']}" for p in pitfalls))

    facts = read_cpu_facts()
    cpu_estimate = cpu_peak(facts)
    peaks = {"cpu": cpu_estimate["tflops"]}
    for d in gpus:
        peaks[d] = ({dt: peak_for(device_name(d), dt) for dt in DTYPES}
                    if d == "cuda" else {})

    results, skipped = run_sweep(devices, args.dtypes, sizes, peaks,
                                 settings, log)

    log(f"numpy baseline: float32 n={settings['numpy_n']} on the CPU")
    baseline = numpy_vs_torch(settings["numpy_n"],
                              repeats=settings["numpy_repeats"],
                              pause_s=settings["numpy_pause_s"])
    gpu = gpus[0] if gpus else None
    timing = timing_args(settings, gpu or "cpu")
    pitfalls.append(guarded("no-sync", gpu, pitfall_no_sync, gpu or "cpu",
                            settings["no_sync_n"],
                            peak_tflops=peaks.get(gpu, {}).get("float32")))
    pitfalls.append(guarded("never-moved", gpu, pitfall_never_moved, gpu,
                            settings["never_moved_n"]))
    pitfalls.append(pitfall_time_time())
    pitfalls.append(guarded("tf32", gpu, pitfall_tf32, gpu or "cpu",
                            settings["tf32_n"], settings["error_n"], timing))
    pitfalls.append(guarded("burst", gpu, pitfall_burst, gpu or "cpu",
                            settings["burst_n"], settings["burst_rest_s"],
                            settings["burst_s"]))

    cpu_estimate["measured_above_estimate"] = check_estimate(cpu_estimate, [
        r["tflops"] for r in results
        if r["device"] == "cpu" and r["dtype"] == "float32"
    ] + [baseline[f"{name}_tflops"] for name in ("torch", "numpy", "onednn")
         if f"{name}_tflops" in baseline])
    report = {
        "schema_version": 1,
        "metadata": {**collect_metadata(mode, facts, gpus,
                                        time.perf_counter() - started),
                     "gpu_rest_s": settings["gpu_rest_s"] if gpus else None,
                     "gpu_warmup_s": settings["gpu_warmup_s"] if gpus else None},
        "peaks": {
            "datasheet": PEAKS,
            "sources": "see the comments above PEAKS in benchmark.py",
            "used": {
                d: {
                    "name": device_name(d),
                    "model": known_gpu(device_name(d)) if d == "cuda" else None,
                    "kind": (("estimate" if d == "cpu" else "datasheet")
                             if peaks[d] else None),
                    "tflops": {k: v for k, v in peaks[d].items()
                               if v is not None},
                }
                for d in devices
            },
            "cpu_estimate": cpu_estimate,
        },
        "results": results,
        "skipped": skipped,
        "numpy_baseline": baseline,
        "pitfalls": pitfalls,
    }
    print(format_table(results))
    if mode != "smoke":
        print(format_summary(report))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as file:
            json.dump(report, file, indent=1)
            file.write("\n")
        log(f"wrote {args.out}")
    return report


def guarded(name, device, pitfall, *args, **kwargs):
    """Run one pitfall experiment; if it fails, the results file says so and
    the run goes on."""
    try:
        return pitfall(*args, **kwargs)
    except RuntimeError as error:
        return {"pitfall": name, "device": device or "cpu", "applicable": True,
                "showed": False,
                "explanation": f"failed: {str(error).splitlines()[0]}",
                "numbers": {}}


def collect_metadata(mode, facts, gpus, wall_time_s):
    meta = {
        "date_utc":
            datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join([os.path.basename(sys.argv[0] or "benchmark.py"),
                             *sys.argv[1:]]),
        "mode": mode, "python": platform.python_version(),
        "os": platform.platform(),
        "torch": torch.__version__, "cuda": torch.version.cuda,
        "cudnn": (torch.backends.cudnn.version()
                  if torch.backends.cudnn.is_available() else None),
        "numpy": np.__version__, "numpy_blas": numpy_blas(),
        "torch_threads": torch.get_num_threads(),
        "cpu": facts, "gpus": [], "wall_time_s": wall_time_s,
    }
    for device in gpus:
        gpu = {"device": device, "name": device_name(device)}
        if device == "cuda":
            props = torch.cuda.get_device_properties(0)
            smi = nvidia_smi("driver_version,clocks.max.sm")
            gpu.update({"compute_capability": f"{props.major}.{props.minor}",
                        "memory_gib": round(props.total_memory / 2**30, 1),
                        "driver": smi[0] if smi else None,
                        "max_sm_clock_mhz": smi[1] if smi else None})
        meta["gpus"].append(gpu)
    return meta


def nvidia_smi(fields):
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={fields}",
                              "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20,
                             check=True).stdout
        return [v.strip() for v in out.splitlines()[0].split(",")]
    except (OSError, subprocess.SubprocessError, IndexError):
        return None


def format_table(results):
    lines = [f"{'device':6} {'dtype':8} {'n':>6} "
             f"{'median ms':>11} "
             f"{'IQR ms':>19} "
             f"{'reps':>5} {'TFLOP/s':>9} {'% peak':>7}"]
    for r in results:
        share = (f"{100 * r['fraction_of_peak']:6.1f}%"
                 if r["fraction_of_peak"] is not None else "      -")
        lines.append(f"{r['device']:6} {r['dtype']:8} {r['n']:6d} "
                     f"{r['median_ms']:11.4f} "
                     f"{r['q1_ms']:9.4f}-{r['q3_ms']:<9.4f} "
                     f"{r['repeats']:5d} {r['tflops']:9.3f} {share}")
    return "\n".join(lines)


def format_summary(report):
    base = report["numpy_baseline"]
    cpu = report["peaks"]["cpu_estimate"]
    lines = ["",
             f"NumPy vs torch, float32 n={base['n']} on the CPU: "
             f"torch {base['torch_median_ms']:.1f} ms, "
             f"NumPy {base['numpy_median_ms']:.1f} ms; "
             f"torch speed = {base['torch_vs_numpy']:.2f} x NumPy "
             f"(torch threads: {base['torch_threads']}, "
             f"NumPy BLAS: {base['numpy_blas']})"]
    if "onednn_median_ms" in base:
        lines.append("The same product through oneDNN: "
                     f"{base['onednn_median_ms']:.1f} ms, "
                     f"{base['onednn_vs_numpy']:.2f} x NumPy")
    lines += ["", "CPU peak estimate (" + cpu["note"] + "):"]
    lines += [f"  {a}" for a in cpu["assumptions"]]
    if cpu["tflops"]:
        lines.append(f"  = {cpu['formula']} = "
                     f"{cpu['tflops']['float32']:.4f} TFLOP/s float32")
    if cpu.get("measured_above_estimate"):
        above = cpu["measured_above_estimate"]
        lines.append(f"  {above['note']}: "
                     f"{above['best_measured_tflops']:.4f} TFLOP/s measured, "
                     "so the clock was at least "
                     f"{above['implied_min_clock_ghz']:.2f} GHz")
    lines += ["", "Pitfalls:"]
    for p in report["pitfalls"]:
        shown = {k: (f"{v:.4g}" if isinstance(v, float) else v)
                 for k, v in p["numbers"].items()}
        verdict = ("showed" if p["showed"]
                   else "did not show" if p["applicable"] else "n/a")
        lines.append(f"  {p['pitfall']} [{p['device']}] {verdict}: "
                     f"{p['explanation']}")
        if shown:
            lines.append(f"    {shown}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
# --8<-- [end:main]
