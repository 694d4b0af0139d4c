#!/usr/bin/env bash
# The matrix-multiply benchmark on a GPU machine. Run from the repository root:
#
#     OUT=/some/folder bash scripts/gpu_benchmark_run.sh
#
# Needs python3 with torch and numpy (nothing else). Writes, under $OUT (default: the current folder):
#     h100.json            the results file (copy it to docs/gpu/results/, then run
#                          `python scripts/render_benchmark.py` on the docs machine)
#     h100.table.txt       the table the run printed
#     h100.progress.log    progress and any warnings (stderr)
#     smoke.log            the --smoke check, run first with warnings as errors
#     h100.dmon.log        the GPU's power, temperature and clocks, once a second during the sweep
# The stem follows the GPU: h100 on an H100, h200 on an H200, else a name made from
# torch.cuda.get_device_name().
# Budget: the smoke check takes seconds, the full sweep about a minute or two; each is cut off
# (timeout) well before 3 minutes in all.
set -uo pipefail

OUT="${OUT:-.}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"

nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,temperature.gpu,power.limit --format=csv || true
"$PY" - <<'PY'
import numpy, platform, torch
print("python", platform.python_version(), "| torch", torch.__version__, "| CUDA", torch.version.cuda,
      "| numpy", numpy.__version__, "| GPU", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)
PY

STEM="${STEM:-$("$PY" -c '
import re, torch
name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
known = re.search(r"\b(H100|H200)\b", name)
print(known.group(1).lower() if known else re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
')}"
echo "results stem: $STEM"

# 1. Smoke check, warnings as errors (what the site's test harness does): seconds.
if timeout 60 "$PY" -W error snippets/gpu/benchmark.py --smoke >"$OUT/smoke.log" 2>&1; then
    echo "smoke check: ok"
else
    echo "smoke check FAILED (rc $?): see $OUT/smoke.log"; tail -20 "$OUT/smoke.log"
fi

# 2. The full sweep: every device (CPU and CUDA), float32/tf32/bfloat16/float16, n = 256..16384 on
#    the GPU, plus the NumPy baseline and the pitfalls. Warnings are shown, not fatal, so one
#    unexpected warning cannot cost the whole run; they land in the progress log.
#    nvidia-smi dmon logs the GPU's power, temperature and clocks once a second meanwhile.
nvidia-smi dmon -s pc -o T > "$OUT/$STEM.dmon.log" 2>&1 &
dmon=$!
start=$(date +%s)
timeout 150 "$PY" -W default snippets/gpu/benchmark.py --out "$OUT/$STEM.json" \
    2> >(tee "$OUT/$STEM.progress.log" >&2) | tee "$OUT/$STEM.table.txt"
rc=${PIPESTATUS[0]}
echo "full sweep: rc $rc, $(( $(date +%s) - start )) s"

# 3. A cross-check by another method: bfloat16 8192^3 timed with CUDA events around each product
#    (no host clock), after 20 warm-up products, on three pairs of fresh random inputs in turn.
timeout 60 "$PY" - <<'CHECK' || echo "cross-check FAILED"
import statistics, torch
if torch.cuda.is_available():
    n = 8192
    pairs = [(torch.randn(n, n, dtype=torch.bfloat16, device="cuda"),
              torch.randn(n, n, dtype=torch.bfloat16, device="cuda")) for _ in range(3)]
    for i in range(20):
        a, b = pairs[i % 3]; a @ b
    times = []
    for i in range(60):
        a, b = pairs[i % 3]
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record(); a @ b; end.record(); end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    med = statistics.median(times)
    print(f"cross-check bf16 n=8192, CUDA events, 60 products: median {med * 1e3:.3f} ms = "
          f"{2 * n**3 / med / 1e12:.0f} TFLOP/s (min {2 * n**3 / max(times) / 1e12:.0f}, "
          f"max {2 * n**3 / min(times) / 1e12:.0f})")
CHECK
kill "$dmon" 2>/dev/null
grep -i "warn" "$OUT/$STEM.progress.log" && echo "^ warnings above: the site's harness would fail on them"
ls -l "$OUT"
exit "$rc"
