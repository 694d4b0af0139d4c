"""Lint: ruff over the project's Python (scripts, tests and the snippets readers copy)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "scripts", "tests", "snippets"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"ruff found problems (fix them, or run `.venv/bin/ruff check --fix`):\n{result.stdout}"
