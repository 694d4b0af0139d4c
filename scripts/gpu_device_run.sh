#!/usr/bin/env bash
# Everything the site needs from a machine with an NVIDIA GPU, in one prepared run (the `device`
# tool lends one for minutes now and then; any Linux GPU box works too). From the repository root:
#
#     OUT=/some/folder bash scripts/gpu_device_run.sh
#
# 1. records the GPU output of every `# profiles: ... cuda` snippet (scripts/record.py --profile cuda);
# 2. runs the benchmark's full sweep (scripts/gpu_benchmark_run.sh: results file, table, logs);
# 3. runs the snippet suite on the GPU against those recordings (tests/test_snippets.py). Where the
#    machine has no pytest and no network, it installs pytest from .gpu-wheels/: before the run,
#    `.venv/bin/pip download pytest --only-binary :all: -d .gpu-wheels` here, and carry that folder.
# Under $OUT: gpu.log (steps 1 and 3), recordings.tar (every .cuda.out: `tar -xf recordings.tar` at
# the repository root here, then `scripts/test.sh`), benchmark.log and the benchmark's own files.
# Snippets that still say `# gpu-recording: pending` get recorded too, but the suite here skips
# them until that line goes: remove it first (and re-record their CPU output), so that what is
# recorded is the file you will commit. Exit status: 0 when every step passed.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-.}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"
status=0
{
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
  "$PY" scripts/record.py --profile cuda || status=1
} > "$OUT/gpu.log" 2>&1
find snippets -name '*.cuda.out' | sort | tar -cf "$OUT/recordings.tar" -T -
# the benchmark next, on a GPU that nothing else is using, and before the longer suite
OUT="$OUT" PYTHON="$PY" timeout 300 bash scripts/gpu_benchmark_run.sh > "$OUT/benchmark.log" 2>&1 || status=1
{
  if ! "$PY" -c "import pytest" 2>/dev/null; then
    "$PY" -m pip install --quiet --no-index --find-links .gpu-wheels pytest || status=1
  fi
  # CPU-only snippets that need what this machine lacks are left to the CPU suite: on a GPU they
  # would only run again and show nothing new. leave PATTERN WHAT: the snippets that match PATTERN.
  skip=()
  leave() {
    for f in $(grep -rlE "$1" snippets --include='*.py' | sort); do
      echo "not run here (no $2 on this machine; the CPU suite runs it): $f"
      skip+=(--deselect "tests/test_snippets.py::test_snippet[$f-cpu]"
             --deselect "tests/test_snippets.py::test_snippet[$f-cuda]")
    done
  }
  "$PY" -c "import sklearn" 2>/dev/null || leave "^(from|import) sklearn" "scikit-learn"
  "$PY" -c "import scipy" 2>/dev/null || leave "^(from|import) scipy" "SciPy"  # torch does not need it
  # torch.compile on the CPU builds the C++ it generates with $CXX, or g++ (torch._inductor.config)
  command -v "${CXX:-g++}" >/dev/null || leave "torch\.compile\(|\.compile\(\)" "C++ compiler"
  parallel=()  # a test process per core, up to eight, where pytest-xdist is installed
  "$PY" -c "import xdist" 2>/dev/null && parallel=(-n "$(( $(nproc) < 8 ? $(nproc) : 8 ))")
  # pytest-benchmark, where installed, warns under xdist, and this suite makes warnings errors
  "$PY" -m pytest -q -p no:benchmark "${parallel[@]}" tests/test_snippets.py "${skip[@]}" || status=1
} >> "$OUT/gpu.log" 2>&1
tail -n 3 "$OUT/gpu.log" "$OUT/benchmark.log"
exit "$status"
