#!/usr/bin/env bash
# Build the site and serve it at http://127.0.0.1:8000 with live reload on edits to docs/,
# snippets/ (code and recorded outputs) and scripts/. Installs what it needs first.
# Extra arguments go to `mkdocs serve`, e.g. `scripts/serve.sh --dev-addr 0.0.0.0:8000`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --no-browser
export NO_MKDOCS_2_WARNING=1
if [ -x .venv/Scripts/python.exe ]; then py=.venv/Scripts/python.exe; else py=.venv/bin/python; fi
exec "$py" -m mkdocs serve --livereload "$@"
