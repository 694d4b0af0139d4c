"""Measure the contributor loop and print a table: `python scripts/measure.py [--suite]`.

- strict build, cold (fresh jieba cache and site dir) and warm
- per-snippet harness overhead: the time to run a trivial snippet in-process, torch already imported
- each real snippet's run time
- the time from saving a page to `mkdocs serve` serving the changed page
- with --suite: the whole pytest run (scripts/test.sh without the install step)

Numbers vary with the machine; they are printed, never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import snippet_engine as engine  # noqa: E402

ROOT = engine.ROOT
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def build_times() -> tuple[float, float]:
    site = tempfile.mkdtemp(prefix="measure-site-")
    jieba_cache = Path(tempfile.gettempdir()) / "jieba.cache"
    jieba_cache.unlink(missing_ok=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site]
    cold = timed(command)
    warm = timed(command)
    shutil.rmtree(site)
    return cold, warm


def snippet_times() -> tuple[float, dict[str, float]]:
    import torch  # noqa: F401  (imported once, as in a test worker)

    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text("# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")
        snippet = engine.parse_snippet(trivial)
        engine.run_snippet(snippet)
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            engine.run_snippet(snippet)
            samples.append(time.perf_counter() - start)
    overhead = statistics.median(samples)
    each = {}
    for path in engine.all_snippets():
        start = time.perf_counter()
        engine.run_snippet(engine.parse_snippet(path))
        each[engine.rel(path)] = time.perf_counter() - start
    return overhead, each


def serve_reload_time(page: str = "docs/basics/tensors.md", url: str = "basics/tensors/") -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = ROOT / page
    original = path.read_text(encoding="utf-8")
    marker = f"measure-{time.time_ns()}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        start = time.perf_counter()
        path.write_text(original + f"\n{marker}\n", encoding="utf-8")
        while time.perf_counter() - start < 120:
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=5).read().decode()
            if marker in body:
                return time.perf_counter() - start
            time.sleep(0.05)
        raise RuntimeError("mkdocs serve did not pick up the edit within 120 s")
    finally:
        path.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="also time the whole pytest run")
    args = parser.parse_args()
    rows = []
    cold, warm = build_times()
    rows += [("strict build, cold", f"{cold:.1f} s"), ("strict build, warm", f"{warm:.1f} s")]
    overhead, each = snippet_times()
    rows.append(("per-snippet harness overhead (median of 20)", f"{overhead * 1000:.1f} ms"))
    rows += [(f"  run {name}", f"{seconds * 1000:.0f} ms") for name, seconds in each.items()]
    rows.append(("save a page -> served by mkdocs serve", f"{serve_reload_time():.1f} s"))
    if args.suite:
        rows.append(("test suite (pytest, installed)", f"{timed([sys.executable, '-m', 'pytest', '-q']):.0f} s"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
