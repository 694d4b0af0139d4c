"""The matrix-multiply benchmark (snippets/gpu/benchmark.py) and what the page shows of its results.

Timings are never compared (they differ on every run): these tests check the arithmetic, the
timing discipline, the peak table, the results-file schema, and that every number rendered for the
page comes from a results file.
"""

import contextlib
import copy
import importlib.util
import json
import math
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

import check_site
import docs_model
import render_benchmark as render

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK = ROOT / "snippets" / "gpu" / "benchmark.py"
PITFALLS = {"first-call", "no-sync", "never-moved", "time-time", "tf32", "burst"}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark_under_test", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines functions only: main() runs under __main__
    return module


# ---------------------------------------------------------------------------------------------
# Arithmetic and units


def test_flop_count_of_a_square_matmul(bench):
    assert bench.matmul_flops(1) == 2
    assert bench.matmul_flops(1000) == 2_000_000_000
    assert bench.matmul_flops(4096) == 2 * 4096**3


def test_tflops_unit(bench):
    assert bench.tflops(2e12, 1.0) == pytest.approx(2.0)
    assert bench.tflops(bench.matmul_flops(1000), 0.014) == pytest.approx(0.142857, rel=1e-5)
    # the source article: 0.00035 ms for n = 1000 is about 5.7 PFLOP/s
    assert bench.tflops(bench.matmul_flops(1000), 0.00035e-3) == pytest.approx(5714.3, rel=1e-4)


def test_summarize_gives_median_and_spread(bench):
    stats = bench.summarize([3.0, 1.0, 2.0, 10.0, 4.0])
    assert stats["median"] == 3.0
    assert (stats["q1"], stats["q3"]) == (2.0, 4.0)
    assert (stats["min"], stats["max"], stats["count"]) == (1.0, 10.0, 5)
    single = bench.summarize([0.5])
    assert single["median"] == single["q1"] == single["q3"] == 0.5


def test_plan_repeats_bounds_the_time_per_point(bench):
    # a 10 us kernel: batch 500 calls per sample so the clock's resolution does not matter
    assert bench.plan_repeats(1e-5, budget_s=0.5, min_block_s=0.005, min_repeats=3, max_repeats=30) == (500, 30)
    # a 2 s product: one call per sample, never fewer than min_repeats
    assert bench.plan_repeats(2.0, budget_s=0.5, min_block_s=0.005, min_repeats=3, max_repeats=30) == (1, 3)
    inner, repeats = bench.plan_repeats(0.01, budget_s=0.5, min_block_s=0.005, min_repeats=3, max_repeats=30)
    assert inner == 1 and repeats * 0.01 <= 0.5


def test_measure_matmul_reports_consistent_units(bench):
    point = bench.measure_matmul(64, torch.float32, "cpu", budget_s=0.02, min_repeats=3, max_repeats=5)
    assert point["repeats"] >= 3
    assert point["min_ms"] <= point["q1_ms"] <= point["median_ms"] <= point["q3_ms"] <= point["max_ms"]
    assert point["tflops"] == pytest.approx(bench.matmul_flops(64) / (point["median_ms"] / 1e3) / 1e12)


# ---------------------------------------------------------------------------------------------
# Timing discipline: warm-up, synchronize, no timing of queued work


def test_time_fn_warms_up_and_synchronizes_every_sample(bench, monkeypatch):
    events = []
    monkeypatch.setattr(bench, "synchronize", lambda device: events.append(("sync", device)))
    samples = bench.time_fn(lambda: events.append("call"), "cuda", repeats=3, inner=2, warmup=1)
    assert len(samples) == 3 and all(s >= 0 for s in samples)
    # warm-up, idle device, then per sample: 2 calls and a synchronize before the clock stops
    assert events == ["call", ("sync", "cuda")] + ["call", "call", ("sync", "cuda")] * 3 + [("sync", "cuda")]


def test_time_fn_without_sync_does_not_wait_inside_the_timing(bench, monkeypatch):
    events = []
    monkeypatch.setattr(bench, "synchronize", lambda device: events.append("sync"))
    bench.time_fn(lambda: events.append("call"), "cuda", repeats=2, warmup=0, sync=False)
    assert events == ["sync", "call", "call", "sync"]  # before and after, never between the clocks


def test_numpy_baseline_alternates_the_libraries_with_a_pause_before_each_call(bench, monkeypatch):
    calls, pauses = [], []

    def library(result):
        if isinstance(result, np.ndarray):
            return "numpy"
        return "onednn" if result.is_mkldnn else "torch"

    def fake_time_fn(fn, device, *, repeats, inner=1, warmup=1, sync=True):
        name = library(fn())
        calls.append((name, repeats, warmup))
        return [{"torch": 0.002, "numpy": 0.001, "onednn": 0.0005}[name]] * repeats

    monkeypatch.setattr(bench, "time_fn", fake_time_fn)
    monkeypatch.setattr(bench.time, "sleep", pauses.append)
    base = bench.numpy_vs_torch(8, repeats=3, pause_s=0.25)
    # all warmed up first, then one sample of each per round, so a slow spell of the machine hits all
    names = ["torch", "numpy", "onednn"] if torch.backends.mkldnn.is_available() else ["torch", "numpy"]
    assert calls == [(name, 0, 1) for name in names] + [(name, 1, 0) for name in names] * 3
    assert pauses == [0.25] * (3 * len(names))  # before every timed call: the others' threads go idle
    assert base["torch_ms"] == [2.0] * 3 and base["numpy_ms"] == [1.0] * 3
    assert base["torch_vs_numpy"] == pytest.approx(0.5) and base["pause_s"] == 0.25
    if "onednn" in names:
        assert base["onednn_ms"] == [0.5] * 3 and base["onednn_vs_numpy"] == pytest.approx(2.0)


@pytest.mark.skipif(not torch.backends.mkldnn.is_available(), reason="this torch build has no oneDNN")
def test_the_three_contenders_compute_the_same_product(bench, monkeypatch):
    products = []
    monkeypatch.setattr(bench, "time_fn", lambda fn, device, *, repeats, **kw: products.append(fn()) or [1e-3] * repeats)
    bench.numpy_vs_torch(64, repeats=1, pause_s=0)
    by_torch, by_numpy, by_onednn = products[:3]  # the warm-up calls, in the order of the calls
    assert by_onednn.is_mkldnn
    torch.testing.assert_close(by_onednn.to_dense(), by_torch)
    torch.testing.assert_close(torch.from_numpy(by_numpy), by_torch)


def test_a_torch_whose_onednn_cannot_multiply_leaves_it_out_and_still_compares(bench, monkeypatch):
    def no_onednn(*args, **kwargs):
        raise RuntimeError("mkldnn_linear: not supported on this build")

    monkeypatch.setattr(bench.torch.nn.functional, "linear", no_onednn)
    assert bench.onednn_matmul(torch.ones(4, 4), torch.ones(4, 4)) is None
    base = bench.numpy_vs_torch(16, repeats=1, pause_s=0)
    assert "onednn_ms" not in base and "onednn_vs_numpy" not in base and base["torch_vs_numpy"] > 0


def test_each_gpu_point_starts_after_a_rest_and_cpu_points_do_not(bench, monkeypatch):
    events = []
    monkeypatch.setattr(bench.time, "sleep", lambda s: events.append(("rest", s)))
    monkeypatch.setattr(bench, "measure_matmul", lambda n, dtype, device, **kw:
                        events.append((device, n)) or {"n": n, "median_ms": 1.0, "tflops": 1.0, "repeats": 3, "inner": 1})
    monkeypatch.setattr(bench, "fp32_matmul_precision", lambda device, dtype: contextlib.nullcontext())
    monkeypatch.setattr(bench, "unsupported", lambda device, dtype: None)
    monkeypatch.setattr(bench, "too_big", lambda device, n, dtype: None)
    settings = bench.MODES["full"]
    bench.run_sweep(["cpu", "cuda"], ["float32"], {"cpu": [64, 128], "cuda": [64, 128]}, {}, settings, lambda m: None)
    rest = ("rest", settings["gpu_rest_s"])
    assert settings["gpu_rest_s"] > 0
    assert events == [("cpu", 64), ("cpu", 128), rest, ("cuda", 64), rest, ("cuda", 128)]


def test_a_gpu_point_keeps_the_gpu_busy_before_its_timing_and_a_cpu_point_does_not(bench, monkeypatch):
    """A rested GPU's first products outrun what it holds under load: the warm-up lasts gpu_warmup_s."""
    settings = bench.MODES["full"]
    assert bench.timing_args(settings, "cuda")["warmup_s"] == settings["gpu_warmup_s"] > 0
    assert bench.timing_args(settings, "cpu")["warmup_s"] == 0  # the CPU results keep their method

    calls, syncs = [], []

    class Matrix:
        def __matmul__(self, other):
            calls.append(time.perf_counter())
            return self

    monkeypatch.setattr(bench, "random_matrices", lambda n, dtype, device: (Matrix(), Matrix()))
    monkeypatch.setattr(bench, "synchronize", lambda device: syncs.append(device))
    start = time.perf_counter()
    bench.measure_matmul(16, torch.float32, "cuda", budget_s=0.0, min_block_s=0.0, min_repeats=2,
                         max_repeats=2, warmup=1, warmup_s=0.05)
    warm = [t for t in calls if t < start + 0.05]
    assert len(warm) > 10 and calls[-1] >= start + 0.05
    assert len(syncs) >= len(warm)  # each warm-up product is waited for: the queue never runs ahead


def test_burst_pitfall_times_each_product_and_compares_the_first_with_the_second_half(bench, monkeypatch):
    """A fake GPU on a fake clock: its first 10 products take 1 ms, later ones 1.25 ms (its clock fell)."""
    clock = {"now": 0.0, "products": 0}

    class Matrix:
        def __matmul__(self, other):
            clock["now"] += 1e-3 if clock["products"] < 10 else 1.25e-3
            clock["products"] += 1
            return self

    rests = []
    monkeypatch.setattr(bench, "ASYNC_DEVICES", ("cpu",))
    monkeypatch.setattr(bench, "random_matrices", lambda n, dtype, device: (Matrix(), Matrix()))
    monkeypatch.setattr(bench, "synchronize", lambda device: None)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock["now"])
    monkeypatch.setattr(bench.time, "sleep", rests.append)
    result = bench.pitfall_burst("cpu", 64, rest_s=2.0, seconds=0.1)
    x = result["numbers"]
    assert rests == [2.0] and result["applicable"] and result["showed"]
    assert x["burst_products"] == 10 and x["products"] == len(x["samples_ms"]) > 50
    assert x["burst_ms"] == pytest.approx(1.0) and x["held_ms"] == pytest.approx(1.25)
    assert x["ratio"] == pytest.approx(1.25)
    assert x["burst_tflops"] == pytest.approx(bench.matmul_flops(64) / 1e-3 / 1e12)
    monkeypatch.setattr(bench, "ASYNC_DEVICES", ("cuda", "mps"))
    na = bench.pitfall_burst("cpu", 64, rest_s=0, seconds=0.01)
    assert not na["applicable"] and na["explanation"].startswith("not applicable (no GPU)")


def test_a_timing_without_synchronize_on_an_async_device_is_flagged(bench):
    flops = bench.matmul_flops(4096)
    for device in ("cuda", "mps"):
        problems = bench.check_timing(device, False, flops, 2.7e-3)
        assert len(problems) == 1 and problems[0].startswith("launch-only")
        assert bench.check_timing(device, True, flops, 2.7e-3) == []
    assert bench.check_timing("cpu", False, flops, 0.9) == []  # the CPU is synchronous


def test_a_physically_impossible_timing_is_flagged(bench):
    claim = bench.check_timing("cuda", True, bench.matmul_flops(1000), 0.00035e-3, peak_tflops=67)
    assert len(claim) == 1 and claim[0].startswith("impossible: 5714")
    assert bench.check_timing("cuda", True, bench.matmul_flops(1000), 0.05e-3, peak_tflops=67) == []


def test_no_sync_pitfall_on_a_fake_asynchronous_device(bench, monkeypatch):
    """A fake device whose work finishes only when synchronized: 50 ms of it per product (long
    enough that a busy CI machine's scheduling noise cannot hide it)."""
    monkeypatch.setattr(bench, "ASYNC_DEVICES", ("cpu",))
    monkeypatch.setattr(bench, "synchronize", lambda device: time.sleep(0.05))
    result = bench.pitfall_no_sync("cpu", 32, repeats=3)
    numbers = result["numbers"]
    assert result["applicable"] and result["showed"]
    assert numbers["synchronized_ms"] >= 50 > numbers["no_sync_ms"]
    assert any(flag.startswith("launch-only") for flag in numbers["flags"])


def test_gpu_only_pitfalls_are_not_applicable_without_a_gpu(bench):
    for result in (bench.pitfall_no_sync("cpu", 32), bench.pitfall_tf32("cpu", 32, 32, {})):
        assert not result["applicable"] and not result["showed"]
        assert result["explanation"].startswith("not applicable (no")
    moved = bench.pitfall_never_moved(None, 64, repeats=2)
    assert not moved["applicable"] and moved["numbers"]["tensor_device"] == "cpu"
    assert moved["numbers"]["claimed_tflops"] == pytest.approx(5714.3, rel=1e-4)


def test_tf32_setting_is_restored_and_never_mixes_apis(bench):
    before = torch.backends.cuda.matmul.fp32_precision
    with bench.fp32_matmul_precision("cuda", "tf32"):
        assert torch.backends.cuda.matmul.fp32_precision == "tf32"
    with bench.fp32_matmul_precision("cuda", "float32"):
        assert torch.backends.cuda.matmul.fp32_precision == "ieee"
    with bench.fp32_matmul_precision("cpu", "tf32"):
        assert torch.backends.cuda.matmul.fp32_precision == before
    assert torch.backends.cuda.matmul.fp32_precision == before
    torch.get_float32_matmul_precision()  # raises if the old and new APIs were mixed


# ---------------------------------------------------------------------------------------------
# Peaks: datasheet values for known GPUs, never a guess; the CPU estimate from its inputs


@pytest.mark.parametrize("name, dtype, peak", [
    ("NVIDIA H100 80GB HBM3", "float32", 67),
    ("NVIDIA H100 80GB HBM3", "tf32", 494.7),
    ("NVIDIA H100 80GB HBM3", "bfloat16", 989.4),
    ("NVIDIA H100 80GB HBM3", "float64", 34),
    ("NVIDIA H100 PCIe", "float32", 51),
    ("NVIDIA H200", "float16", 989.4),
    ("NVIDIA A100-SXM4-80GB", "tf32", 156),
    ("NVIDIA A100 80GB PCIe", "bfloat16", 312),
    ("NVIDIA A100-SXM4-40GB", "float32", 19.5),
    ("NVIDIA GeForce RTX 4090", "float16", 165.2),
    ("NVIDIA GeForce RTX 4090", "float32", 82.6),
])
def test_peak_of_a_known_gpu(bench, name, dtype, peak):
    assert bench.peak_for(name, dtype) == peak


@pytest.mark.parametrize("name", [
    "NVIDIA H100 NVL", "NVIDIA H200 NVL", "NVIDIA GeForce RTX 4090 D", "NVIDIA GeForce RTX 4090 Laptop GPU",
    "NVIDIA GeForce RTX 5090", "Tesla T4", "NVIDIA A800-SXM4-80GB", "NVIDIA L4", "Apple GPU (MPS)", "",
])
def test_unknown_gpu_gets_no_peak(bench, name):
    assert bench.known_gpu(name) is None
    assert all(bench.peak_for(name, dtype) is None for dtype in bench.DTYPES)


def test_unknown_dtype_on_a_known_gpu_gets_no_peak(bench):
    assert bench.peak_for("NVIDIA H100 80GB HBM3", "int8") is None


def test_dense_peaks_are_half_the_sparse_datasheet_figures(bench):
    h100 = bench.PEAKS["H100 SXM"]
    assert h100["bfloat16"] == pytest.approx(1978.9 / 2, abs=0.1)
    assert h100["tf32"] == pytest.approx(989.4 / 2, abs=0.1)
    assert bench.PEAKS["H100 PCIe"]["bfloat16"] == pytest.approx(1513 / 2)


def test_cpu_peak_formula(bench):
    assert bench.cpu_peak_estimate(2, 2.445402, 32) == pytest.approx(0.15651, rel=1e-4)
    assert bench.cpu_peak_estimate(16, 3.0, 64) == pytest.approx(3.072)
    assert bench.float32_flop_per_cycle(["avx", "avx2", "fma"])[0] == 32
    assert bench.float32_flop_per_cycle(["avx2", "fma", "avx512f"])[0] == 64
    assert bench.float32_flop_per_cycle(["avx"])[0] is None
    assert bench.float32_flop_per_cycle([])[0] is None
    assert bench.float32_flop_per_cycle(["avx2", "fma", "avx512f"], half_width_avx512=True)[0] == 32


def test_zen4_is_told_apart_by_vendor_and_family_because_it_runs_avx512_at_half_width(bench):
    zen4 = {"vendor": "AuthenticAMD", "generation": "family 25, model 17"}
    assert bench.is_zen4(zen4)
    assert not bench.is_zen4({**zen4, "generation": "family 26, model 2"})  # Zen 5: full-width units
    assert not bench.is_zen4({**zen4, "vendor": "GenuineIntel"})  # Intel's family numbers mean other chips
    assert not bench.is_zen4({"vendor": None, "generation": None})
    facts = {"model": "AMD EPYC", "logical_cpus": 2, "usable_cpus": 2, "physical_cores": 2, "clock_ghz": 2.6,
             "clock_source": "test", "flags": ["avx2", "fma", "avx512f"], **zen4}
    peak = bench.cpu_peak(facts)
    assert peak["flop_per_cycle"] == 32 and any("Zen 4" in a for a in peak["assumptions"])
    assert bench.cpu_peak({**facts, "generation": "family 26, model 2"})["flop_per_cycle"] == 64


def test_the_vendor_and_family_are_read_from_cpuinfo(bench, monkeypatch):
    cpuinfo = ("vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\n"
               "flags\t\t: fma avx avx2 avx512f\ncpu MHz\t\t: 2596.138\n")
    monkeypatch.setattr(bench, "read_text", lambda path: cpuinfo if path == "/proc/cpuinfo" else "")
    facts = bench.read_cpu_facts()
    assert facts["vendor"] == "AuthenticAMD" and facts["generation"] == "family 25, model 17"
    assert bench.cpu_peak(facts)["flop_per_cycle"] == 32
    zen3 = bench.cpu_peak({**facts, "flags": ["fma", "avx", "avx2"]})  # family 25 without AVX-512
    assert zen3["flop_per_cycle"] == 32 and not any("Zen 4" in a for a in zen3["assumptions"])


def test_cpu_peak_from_facts_states_assumptions_and_never_guesses(bench):
    facts = {"model": "Test CPU", "logical_cpus": 4, "usable_cpus": 4, "physical_cores": 2, "clock_ghz": 3.0,
             "clock_source": "test", "flags": ["avx2", "fma"]}
    peak = bench.cpu_peak(facts)
    assert peak["tflops"]["float32"] == pytest.approx(2 * 3.0 * 32 / 1e3)  # physical cores, not hyperthreads
    assert peak["estimate"] and any("hyperthreads" in a for a in peak["assumptions"])
    assert bench.cpu_peak({**facts, "clock_ghz": None})["tflops"] == {}
    assert bench.cpu_peak({**facts, "flags": []})["tflops"] == {}
    above = bench.check_estimate(peak, [0.25])
    assert above["implied_min_clock_ghz"] == pytest.approx(0.25e12 / (2 * 32) / 1e9)
    assert bench.check_estimate(peak, [0.1]) is None


# ---------------------------------------------------------------------------------------------
# The results file


def validate_results(data):
    """The documented schema (see the top of snippets/gpu/benchmark.py), checked field by field."""
    assert data["schema_version"] == 1
    meta = data["metadata"]
    for key in ("date_utc", "command", "mode", "python", "os", "torch", "cuda", "cudnn", "numpy", "numpy_blas",
                "torch_threads", "cpu", "gpus", "wall_time_s"):
        assert key in meta, f"metadata.{key} missing"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["date_utc"])
    for key in ("model", "usable_cpus", "physical_cores", "clock_ghz", "clock_source", "flags"):
        assert key in meta["cpu"], f"metadata.cpu.{key} missing"
    for gpu in meta["gpus"]:
        assert {"device", "name"} <= set(gpu)
    peaks = data["peaks"]
    assert {"datasheet", "sources", "used", "cpu_estimate"} <= set(peaks)
    for device, used in peaks["used"].items():
        assert used["kind"] in ("datasheet", "estimate", None), device
    for r in data["results"]:
        assert set(r) >= {"device", "dtype", "n", "median_ms", "q1_ms", "q3_ms", "min_ms", "max_ms", "repeats",
                          "inner", "tflops", "peak_tflops", "fraction_of_peak"}
        assert r["min_ms"] <= r["q1_ms"] <= r["median_ms"] <= r["q3_ms"] <= r["max_ms"]
        assert r["tflops"] == pytest.approx(2 * r["n"] ** 3 / (r["median_ms"] / 1e3) / 1e12)
        if r["peak_tflops"] is None:
            assert r["fraction_of_peak"] is None
        else:
            assert r["fraction_of_peak"] == pytest.approx(r["tflops"] / r["peak_tflops"])
            assert r["peak_tflops"] == peaks["used"][r["device"]]["tflops"][r["dtype"]]
    for s in data["skipped"]:
        assert set(s) == {"device", "dtype", "n", "reason"} and s["reason"]
    base = data["numpy_baseline"]
    assert base["torch_vs_numpy"] == pytest.approx(base["numpy_median_ms"] / base["torch_median_ms"])
    assert len(base["torch_ms"]) == len(base["numpy_ms"]) == base["repeats"]
    for name in ("torch", "numpy", "onednn"):
        if f"{name}_ms" in base:  # oneDNN only where torch has it, and in files from after it came
            assert base[f"{name}_median_ms"] == pytest.approx(statistics.median(base[f"{name}_ms"]))
            assert base[f"{name}_tflops"] == pytest.approx(2 * base["n"] ** 3 / base[f"{name}_median_ms"] / 1e9)
    if "onednn_ms" in base:
        assert len(base["onednn_ms"]) == base["repeats"]
        assert base["onednn_vs_numpy"] == pytest.approx(base["numpy_median_ms"] / base["onednn_median_ms"])
    # the burst pitfall came with the GPU warm-up: files from before both have neither
    expected = PITFALLS if "gpu_warmup_s" in data["metadata"] else PITFALLS - {"burst"}
    assert {p["pitfall"] for p in data["pitfalls"]} == expected
    for p in data["pitfalls"]:
        assert set(p) == {"pitfall", "device", "applicable", "showed", "explanation", "numbers"}
        assert isinstance(p["showed"], bool) and p["explanation"]
        if p["pitfall"] == "burst" and p["numbers"]:
            x = p["numbers"]
            assert x["products"] == len(x["samples_ms"]) >= x["burst_products"]
            assert x["burst_ms"] == pytest.approx(statistics.median(x["samples_ms"][:x["burst_products"]]), abs=1e-3)
            assert x["held_ms"] == pytest.approx(statistics.median(x["samples_ms"][x["products"] // 2:]), abs=1e-3)
        if not p["applicable"]:
            assert not p["showed"] and p["explanation"].startswith("not applicable")


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    """`python benchmark.py --smoke --out r.json`, as a reader would run it, with warnings as errors."""
    cwd = tmp_path_factory.mktemp("smoke")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-W", "error", str(BENCHMARK), "--smoke", "--out", "r.json"],
                            cwd=cwd, capture_output=True, text=True, timeout=120)
    return cwd, result, time.perf_counter() - started


def test_smoke_run_writes_a_valid_results_file(smoke_run):
    cwd, result, _ = smoke_run
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --smoke shows no progress
    assert sorted(p.name for p in cwd.iterdir()) == ["r.json"]  # and writes nothing else
    assert result.stdout.splitlines()[0].split()[:3] == ["device", "dtype", "n"]
    data = json.loads((cwd / "r.json").read_text(encoding="utf-8"))
    validate_results(data)
    assert data["metadata"]["mode"] == "smoke" and data["results"]
    assert [s for s in data["skipped"] if s["reason"].startswith("failed")] == []
    assert [p for p in data["pitfalls"] if p["explanation"].startswith("failed")] == []
    assert "generation" in data["metadata"]["cpu"]  # x86 family and model numbers, or None
    assert "vendor" in data["metadata"]["cpu"]  # x86 vendor_id (it tells Zen 4 apart), or None
    # a torch with oneDNN always times it, and one without never claims to
    assert ("onednn_ms" in data["numpy_baseline"]) == torch.backends.mkldnn.is_available()


@pytest.mark.parametrize(("stem", "timed_onednn"), [("cpu-2core-amd-full", True), ("cpu-2core-full", False)])
def test_the_printed_summary_gives_the_onednn_figure_where_the_run_has_one(bench, stem, timed_onednn):
    report = json.loads((render.RESULTS / f"{stem}.json").read_text(encoding="utf-8"))
    summary = bench.format_summary(report)
    assert "torch speed = " in summary
    assert ("The same product through oneDNN" in summary) == timed_onednn


def test_the_cpu_line_names_the_generation_where_the_run_recorded_it():
    data = json.loads((render.RESULTS / "cpu-2core-amd-full.json").read_text(encoding="utf-8"))
    assert "CPU: AMD EPYC (2 cores usable" in render.render_table(data, "x", "en")  # recorded before it existed
    data["metadata"]["cpu"]["generation"] = "family 26, model 2"
    assert "CPU: AMD EPYC, family 26, model 2 (2 cores usable" in render.render_table(data, "x", "en")
    assert "CPU：AMD EPYC, family 26, model 2（可用 2 核" in render.render_table(data, "x", "zh")


def test_a_failing_experiment_is_reported_not_fatal(bench):
    def broken(*args):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 3.00 GiB\nmore details")

    result = bench.guarded("tf32", "cuda", broken, 1)
    assert result["explanation"] == "failed: CUDA out of memory. Tried to allocate 3.00 GiB"
    assert result["applicable"] and not result["showed"] and result["numbers"] == {}


def test_smoke_run_is_fast(smoke_run):
    _, result, seconds = smoke_run
    assert result.returncode == 0
    assert seconds < 30, f"--smoke took {seconds:.1f} s including Python and torch start-up"


def test_smoke_run_without_out_writes_nothing(tmp_path, bench, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report = bench.main(["--smoke"])
    assert list(tmp_path.iterdir()) == []
    validate_results(json.loads(json.dumps(report)))
    assert capsys.readouterr().err == ""


RESULT_FILES = sorted(render.RESULTS.glob("*.json"))


@pytest.mark.parametrize("path", RESULT_FILES, ids=[p.name for p in RESULT_FILES])
def test_committed_results_files_follow_the_schema(path):
    validate_results(json.loads(path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# What the page shows: rendered from results files, every number traceable to one


NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]\d+)?")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def numbers_in_results(data) -> set[str]:
    """Every way the renderer may write a number of the results file."""
    found: set[str] = set()

    def walk(value, key=""):
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                found.update(NUMBER.findall(str(k)))
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, int):
            found.add(str(value))
        elif isinstance(value, float):
            found.update({render.fmt(value), render.fmt_sci(value), f"{value:g}"})
            if key.startswith("fraction"):
                found.add(render.percent(value))
        elif isinstance(value, str):
            found.update(NUMBER.findall(value))

    walk(data)
    return found


def untraced_numbers(markdown: str, data) -> list[str]:
    allowed = numbers_in_results(data)
    return [n for n in NUMBER.findall(COMMENT.sub("", markdown)) if n not in allowed]


def results_rows(markdown: str) -> list[list[str]]:
    section = markdown.split("[start:results]")[1].split("[end:results]")[0]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return rows[2:]  # without the header and the alignment row


def check_rendered(files: dict[Path, str], sources: dict[str, dict]):
    tables = {p: t for p, t in files.items() if p.name.endswith(".md")}
    assert tables
    for path, text in tables.items():
        data = sources[path.name.split(".table")[0]]
        assert untraced_numbers(text, data) == [], f"{path.name} shows numbers that are in no results file"
        rows = results_rows(text)
        assert len(rows) == len(data["results"])
        for row, r in zip(rows, data["results"], strict=True):
            share = "–" if r["fraction_of_peak"] is None else render.percent(r["fraction_of_peak"])
            assert row[:4] == [r["device"], r["dtype"], str(r["n"]), render.fmt(r["median_ms"])]
            assert row[5] == render.fmt(r["tflops"]) and row[6].removesuffix("\\*") == share


def test_every_number_on_the_page_comes_from_a_results_file():
    assert RESULT_FILES, "docs/gpu/results/ has no results file: run the benchmark with --out"
    sources = {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8")) for p in RESULT_FILES}
    check_rendered(render.rendered_files(), sources)


PAGES = [ROOT / "docs" / "gpu" / "benchmark.md", ROOT / "docs" / "gpu" / "benchmark.en.md"]
NOT_MEASURED = {  # numbers the page's prose may write that are not measurements, each with its reason
    "1.12": "the torch release that stopped using TF32 for float32 matmuls by default",
    "2.9": "the torch release that added torch.backends.cuda.matmul.fp32_precision",
    "4": "the name of NVIDIA's 2:4 structured sparsity",
    "2024": "the year of an article the page cites",
}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_number_in_the_page_prose_comes_from_a_results_file(page):
    """Prose that quotes a result (a ratio, a TFLOP/s figure) quotes a results file, never a typed number."""
    allowed = set(NOT_MEASURED)
    for path in RESULT_FILES:
        allowed |= numbers_in_results(json.loads(path.read_text(encoding="utf-8")))
    prose = "\n".join(check_site.prose(docs_model.parse_page(page), page.read_text(encoding="utf-8"), inline_code=True))
    untraced = sorted(set(NUMBER.findall(prose)) - allowed, key=prose.index)
    assert untraced == [], (
        f"{page.relative_to(ROOT)}: the prose writes {', '.join(untraced)}, found in no results file in "
        "docs/gpu/results/. Quote a number of a results file (as the rendered tables write it), or, for a "
        "number that is not a measurement (a version, a constant), add it with its reason to NOT_MEASURED "
        "in tests/test_benchmark.py.")


def test_committed_rendered_files_are_up_to_date():
    assert render.stale_files() == [], "run `python scripts/render_benchmark.py` and commit the result"


def fake_gpu_report(data):
    """A results file as a GPU run writes it (made-up numbers: only the renderer is under test)."""
    gpu = copy.deepcopy(data)
    gpu["metadata"]["gpu_rest_s"] = 1.0
    gpu["metadata"]["gpus"] = [{"device": "cuda", "name": "NVIDIA H100 80GB HBM3", "compute_capability": "9.0",
                                "memory_gib": 79.2, "driver": "580.65.06", "max_sm_clock_mhz": "1980"}]
    peaks = {"float32": 67, "tf32": 494.7, "bfloat16": 989.4, "float16": 989.4}
    gpu["peaks"]["used"]["cuda"] = {"name": "NVIDIA H100 80GB HBM3", "model": "H100 SXM", "kind": "datasheet",
                                    "tflops": peaks}
    for i, dtype in enumerate(peaks):
        ms = 1.5 + i
        tf = 2 * 4096**3 / (ms / 1e3) / 1e12
        gpu["results"].append({"device": "cuda", "dtype": dtype, "n": 4096, "median_ms": ms, "q1_ms": ms,
                               "q3_ms": ms, "min_ms": ms, "max_ms": ms, "repeats": 3, "inner": 1, "tflops": tf,
                               "peak_tflops": peaks[dtype], "fraction_of_peak": tf / peaks[dtype]})
    for p in gpu["pitfalls"]:
        p.update(device="cuda", applicable=True, showed=True)
        if p["pitfall"] == "no-sync":
            p["numbers"] = {"n": 4096, "no_sync_ms": 0.0123, "synchronized_ms": 2.71, "ratio": 220.3,
                            "no_sync_tflops": 11174.2, "synchronized_tflops": 50.7, "flags": []}
        elif p["pitfall"] == "never-moved":
            p["numbers"].update(gpu="cuda", gpu_ms=0.0456, gpu_tflops=43.9, ratio=388.1)
        elif p["pitfall"] == "tf32":
            p["numbers"] = {"n": 8192, "default_setting": "none", "default_ms": 21.9, "ieee_ms": 22.1,
                            "tf32_ms": 3.21, "ieee_tflops": 49.75, "tf32_tflops": 342.5, "speedup": 6.88,
                            "error_n": 2048, "ieee_relative_error": 1.23e-6, "tf32_relative_error": 4.41e-4}
    return gpu


def test_a_gpu_results_file_renders_traceable_tables_and_a_chart(tmp_path):
    data = json.loads(RESULT_FILES[0].read_text(encoding="utf-8"))
    (tmp_path / "h100.json").write_text(json.dumps(fake_gpu_report(data)), encoding="utf-8")
    files = render.rendered_files(tmp_path)
    assert {p.name for p in files} == {"h100.table.md", "h100.table.en.md", "h100.svg", "h100.en.svg",
                                       "h100-narrow.svg", "h100-narrow.en.svg"}
    check_rendered(files, {"h100": json.loads((tmp_path / "h100.json").read_text(encoding="utf-8"))})
    english = files[tmp_path / "h100.table.en.md"]
    assert "H100 SXM" in english and "1.23e-06" in english and "| yes |" in english
    assert "1.00 s rest before each GPU point" in english
    for suffix, layout in (("", render.WIDE), ("-narrow", render.NARROW)):
        for chart, words in ((files[tmp_path / f"h100{suffix}.svg"], ("峰值", "对数坐标", "h100.table.md")),
                             (files[tmp_path / f"h100{suffix}.en.svg"], ("peak", "log scale", "h100.table.en.md"))):
            assert "<title" in chart and "<desc" in chart and "currentColor" in chart and "cuda bfloat16" in chart
            assert all(word in chart for word in words), words  # each language's chart speaks it
            assert f'width="{layout.width}"' in chart and f'font-size="{layout.font}"' in chart
        assert not re.search(r">[^<]*\b(peak|scale)\b", files[tmp_path / f"h100{suffix}.svg"]), (
            "English words in the Chinese chart")
    assert render.NARROW.width <= 360 - 32, "the narrow chart fits a 360 px phone's column at its own size"


def test_rendering_is_idempotent_and_check_names_the_file_and_the_fix(tmp_path, capsys):
    data = json.loads(RESULT_FILES[0].read_text(encoding="utf-8"))
    (tmp_path / "run.json").write_text(json.dumps(data), encoding="utf-8")
    assert render.main(["--results", str(tmp_path), "--check"]) == 1
    assert render.main(["--results", str(tmp_path)]) == 0
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert render.main(["--results", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert render.main(["--results", str(tmp_path), "--check"]) == 0
    (tmp_path / "run.table.en.md").write_text("edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert render.main(["--results", str(tmp_path), "--check"]) == 1
    err = capsys.readouterr().err
    assert "run.table.en.md is out of date" in err and "python scripts/render_benchmark.py" in err


def test_fmt_never_writes_an_exponent():
    assert [render.fmt(v) for v in (989.4, 49.75, 2.718, 0.12345, 0.000351, 0)] == [
        "989", "49.8", "2.72", "0.123", "0.000351", "0"]
    assert render.fmt(4096) == "4096" and not math.isnan(float(render.fmt(1e-9)))


def test_chart_peak_labels_avoid_measured_lines_and_each_other():
    """A peak's label goes where no measured line crosses it, and two labels never overlap."""
    left, right = render.WIDE.left, render.WIDE.width - render.WIDE.right
    y = render.WIDE.top + 100
    flat_through_right = [[(left, y - 8), (right, y - 8)]]  # runs just above the dotted line, all the way
    x, anchor, baseline, texts = render._free_label_place(["cuda float32", "peak 67"], y, flat_through_right, [])
    assert baseline > y, "the label moved below its line, away from the measured one"
    assert texts == ["cuda float32 peak 67"], "one line has room: the label stays on one line"
    taken: list[tuple] = []
    first = render._free_label_place(["cuda tf32", "peak 495"], y, [], taken)
    second = render._free_label_place(["cuda bfloat16", "peak 989"], y + 4, [], taken)
    assert first != second and len(taken) == 2
    (x1, top1, w1, h1), (x2, top2, w2, h2) = taken
    assert not (x1 < x2 + w2 and x2 < x1 + w1 and top1 < top2 + h2 and top2 < top1 + h1)


@pytest.mark.parametrize("source", RESULT_FILES, ids=lambda path: path.stem)
def test_no_committed_chart_hides_a_measured_point_under_a_peak_label(source):
    """Every chart on the site, wide and narrow, in both languages: each peak label found a place
    that covers no measured point and no other label (placement score below 10)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    for language in ("zh", "en"):
        for layout in render.LAYOUTS:
            placed: list = []
            render.render_svg(data, source.name, language, layout, placed)
            covering = [(texts, score) for texts, _box, score in placed if score >= 10]
            assert not covering, f"{source.name} {language} {layout.suffix or 'wide'}: {covering}"


def test_a_peak_label_keeps_off_another_peaks_dotted_line():
    y = render.WIDE.top + 100
    above, below = y - 4 - render.WIDE.font / 2, y + 2 + render.WIDE.font / 2  # through the label's middle
    _x, _anchor, baseline, _texts = render._free_label_place(["cuda tf32", "peak", "495"], y, [], [],
                                                            rules=(above,))
    assert baseline > y, "the label went below its line, off the other peak's line above it"
    _x, _anchor, baseline, _texts = render._free_label_place(["cuda tf32", "peak", "495"], y, [], [],
                                                            rules=(below,))
    assert baseline < y


def test_a_chart_peak_label_breaks_onto_two_lines_rather_than_hide_a_measured_point():
    """The h100 chart's CPU peak label: measured points above and below its line everywhere but at
    the right end, where the label fits only on two lines (it used to cover the 4k point)."""
    left, right = render.WIDE.left, render.WIDE.width - render.WIDE.right
    y = render.WIDE.top + 150
    points = [[(x, y + dy) for x in range(left, right - 170, 10)] for dy in (-50, -35, -20, -8, 8, 20, 35, 50)]
    parts = ["cpu float32", "estimated peak 2.15"]  # two parts: one line or two
    taken: list[tuple] = []
    x, anchor, baseline, texts = render._free_label_place(parts, y, points, taken)
    assert texts == parts and anchor == "end" and x == right - 4
    x0, top, width, height = taken[0]
    assert height > 2 * render.WIDE.font and x0 > right - 170, "the two-line label sits clear of every point"
