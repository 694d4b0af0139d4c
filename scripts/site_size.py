"""What a page costs a reader over the wire: the files a first view fetches, gzip-compressed as
GitHub Pages serves text. Used by the browser test's byte budget and by scripts/measure.py."""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}

# Budgets, from the measured site (scripts/measurements.txt): a first view costs about 150 kB
# compressed (theme CSS and JavaScript ~60 kB, the language's search index ~50 kB, the page 5-35 kB,
# KaTeX ~100 kB on the pages with formulas). 300 kB keeps the heaviest first view under 2.5 s on a
# 1 Mbit/s link with a third of headroom; the largest page is ~250 kB of HTML before compression,
# and 400 kB leaves the same margin.
FIRST_VIEW_BUDGET = 300_000
HTML_BUDGET = 400_000


def wire_size(file: Path) -> int:
    data = file.read_bytes()
    return min(len(data), len(gzip.compress(data, 6))) if file.suffix in TEXT else len(data)


def first_view_bytes(urls: list[str], site_url: str, site_dir: Path) -> dict[str, int]:
    """Site path -> bytes on the wire, for each URL of the site a page fetched."""
    sizes = {}
    for url in urls:
        if not url.startswith(site_url):
            continue
        path = url[len(site_url):].split("?")[0].split("#")[0].lstrip("/")
        file = site_dir / path
        if not path or path.endswith("/") or file.is_dir():
            file = file / "index.html"
        if file.exists():
            sizes[path or "/"] = wire_size(file)
    return sizes
