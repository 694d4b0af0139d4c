#!/usr/bin/env bash
# The whole test suite: lint, every snippet against its recorded output, the consistency checks,
# the strict build, the workflow checks and the browser tests. Installs what it needs first.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k tensors`. The tests run in parallel, one
# process per core up to four (pytest-xdist; much of the suite waits on Chromium and on builds);
# `scripts/test.sh -n 0` runs them in this one process (for `--pdb`, say).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
if [ -x .venv/Scripts/python.exe ]; then py=.venv/Scripts/python.exe; else py=.venv/bin/python; fi
exec "$py" -m pytest -n auto --maxprocesses 4 "$@"
