"""Measure the contributor loop and print a table: `python scripts/measure.py [--suite]`.

- strict build, cold (fresh jieba cache and site dir) and warm
- per-snippet harness overhead: the time to run a trivial snippet in-process, torch already imported
- each real snippet's run time
- the time from saving a page to `mkdocs serve` serving the changed page
- the built site: pages per language, search index size, and the bytes a first view costs
  (gzip-compressed, as GitHub Pages serves it) for the home page and the heaviest page, measured
  in Chromium
- with --suite: the whole test suite, as `scripts/test.sh` runs it (its install step takes under a
  second once everything is installed)
- with --audit: Lighthouse scores (performance, accessibility, best practices; mobile and desktop
  presets) of the home page and the heaviest page in each language, served gzip-compressed as
  GitHub Pages serves them; Lighthouse comes from scripts/audit/package.json and runs Debian's
  /usr/bin/chromium. Scores move with the machine's load: each is the median of --audit-runs runs
  (3 unless told), with the range of the performance score; measure on an idle machine.

`--out FILE` also writes the table to FILE (the committed copy is scripts/measurements.txt).

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
import chromium  # noqa: E402
import docs_model  # noqa: E402
import local_site  # noqa: E402
import site_size  # noqa: E402
import snippet_engine as engine  # noqa: E402

ROOT = engine.ROOT
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def build_times(site: str) -> tuple[float, float]:
    jieba_cache = Path(tempfile.gettempdir()) / "jieba.cache"
    jieba_cache.unlink(missing_ok=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site]
    cold = timed(command)
    warm = timed(command)
    return cold, warm


class _Gzip(local_site.Quiet):
    """Serves text files gzip-compressed, as GitHub Pages does (for the audit)."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in site_size.TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        import gzip
        import io

        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


AUDIT = ROOT / "scripts" / "audit"


def lighthouse_scores(site: Path, urls: list[str], runs: int) -> list[tuple[str, str]]:
    """Lighthouse's performance, accessibility and best-practices scores, mobile and desktop presets:
    the median of `runs` runs, with the performance range (it moves by up to ten points between runs
    on a shared machine; the other two do not)."""
    import json

    binary = AUDIT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--prefix", str(AUDIT), "--no-audit", "--no-fund"], check=True,
                       env={**ENV, "PUPPETEER_SKIP_DOWNLOAD": "1"}, stdout=subprocess.DEVNULL)
    rows = []
    with local_site.serve(site, _Gzip) as base, tempfile.TemporaryDirectory() as tmp:
        for url in urls:
            for preset in ("mobile", "desktop"):
                scores: dict[str, list[int]] = {}
                for _ in range(runs):
                    report = Path(tmp) / "report.json"
                    command = [str(binary), f"{base}/{url}", "--quiet", f"--chrome-flags={' '.join(chromium.ARGS)}", "--output=json",
                               f"--output-path={report}", "--only-categories=performance,accessibility,best-practices"]
                    if preset == "desktop":
                        command.append("--preset=desktop")
                    subprocess.run(command, check=True, env={**ENV, "CHROME_PATH": chromium.PATH})
                    for key, value in json.loads(report.read_text(encoding="utf-8"))["categories"].items():
                        scores.setdefault(key, []).append(round(value["score"] * 100))
                shown = []
                for key, values in scores.items():
                    spread = f" ({min(values)}-{max(values)})" if min(values) != max(values) else ""
                    shown.append(f"{key} {statistics.median_low(values)}{spread}")
                rows.append((f"lighthouse {preset}, /{url}", ", ".join(shown)))
    return rows


def site_numbers(site: Path, audit_runs: int = 0) -> list[tuple[str, str]]:
    urls = [(language, url) for language, _key, url in docs_model.page_urls()]
    rows = [(f"pages, {language}", str(sum(1 for lang, _ in urls if lang == language))) for language in docs_model.LANGUAGES]
    for language in docs_model.LANGUAGES:
        for file, budget, what in site_size.search_files(site, language):
            rows.append((f"{file.name}, {language}", f"{file.stat().st_size / 1000:.0f} kB, {site_size.wire_size(file) / 1000:.0f} kB "
                         f"compressed (budget {budget / 1000:.0f} kB, {what})"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return rows + [("first view", "not measured: playwright is missing (scripts/bootstrap.sh)")]
    views = {}
    with local_site.serve(site) as base, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        for _language, url in urls:
            context = browser.new_context()
            page = context.new_page()
            fetched = []
            page.on("requestfinished", lambda r, fetched=fetched: fetched.append(r.url))
            page.goto(f"{base}/{url}", wait_until="networkidle")
            views[url or "/"] = sum(site_size.first_view_bytes(fetched, base, site).values())
            context.close()
        browser.close()
    heaviest = max(views, key=views.get)
    rows += [("first view, home page /", f"{views['/'] / 1000:.0f} kB compressed"),
             ("first view, home page /en/", f"{views['en/'] / 1000:.0f} kB compressed"),
             (f"first view, heaviest page /{heaviest}", f"{views[heaviest] / 1000:.0f} kB compressed "
              f"(budget {site_size.FIRST_VIEW_BUDGET / 1000:.0f} kB)")]
    html = max((site / url / "index.html").stat().st_size for _l, url in urls)
    rows.append(("largest page HTML", f"{html / 1000:.0f} kB (budget {site_size.HTML_BUDGET / 1000:.0f} kB)"))
    if audit_runs:
        heaviest_en = max((url for url in views if url.startswith("en/")), key=views.get)
        heaviest_zh = max((url for url in views if not url.startswith("en/")), key=views.get)
        audited = dict.fromkeys(["", "en/", heaviest_zh.lstrip("/"), heaviest_en])  # "/" is the home page
        rows += lighthouse_scores(site, list(audited), audit_runs)
    return rows


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
        snippet = engine.parse_snippet(path)
        if "cpu" not in snippet.profiles:
            continue  # GPU-only: it runs in the GPU job
        start = time.perf_counter()
        engine.run_snippet(snippet)
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
            try:  # mkdocs serve holds requests while it rebuilds
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=60).read().decode()
            except OSError:
                continue
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
    parser.add_argument("--audit", action="store_true", help="also run Lighthouse on the home and heaviest pages")
    parser.add_argument("--audit-runs", type=int, default=3, metavar="N", help="Lighthouse runs per page and preset (median shown)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    def add(*new: tuple[str, str]) -> None:  # as each number comes in (stderr), and in the table at the end
        rows.extend(new)
        for name, value in new:
            print(f"{name}: {value}", file=sys.stderr, flush=True)

    site = tempfile.mkdtemp(prefix="measure-site-")
    cold, warm = build_times(site)
    add(("strict build, cold", f"{cold:.1f} s"), ("strict build, warm", f"{warm:.1f} s"))
    add(*site_numbers(Path(site), audit_runs=args.audit_runs if args.audit else 0))
    shutil.rmtree(site)
    overhead, each = snippet_times()
    add(("per-snippet harness overhead (median of 20)", f"{overhead * 1000:.1f} ms"))
    add(*[(f"  run {name}", f"{seconds * 1000:.0f} ms") for name, seconds in each.items()])
    add(("save a page -> served by mkdocs serve", f"{serve_reload_time():.1f} s"))
    if args.suite:
        add(("test suite (scripts/test.sh, installed)", f"{timed(['bash', str(ROOT / 'scripts' / 'test.sh'), '-q']):.0f} s"))
    width = max(len(r[0]) for r in rows)
    table = "\n".join(f"{name:<{width}}  {value}" for name, value in rows) + "\n"
    print(table, end="")
    if args.out:
        import platform

        header = (f"# scripts/measure.py{' --suite' if args.suite else ''}{' --audit' if args.audit else ''} on {platform.machine()}, "
                  f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}\n")
        args.out.write_text(header + table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
