"""What a page costs a reader over the wire: the files a first view fetches, gzip-compressed as
GitHub Pages serves text. Used by the browser test's byte budget and by scripts/measure.py."""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}

# Budgets, from the measured site (scripts/measurements.txt, 2026-11-30, 19 pages per language): a
# first view costs the theme's CSS and JavaScript (~70 kB compressed), the language's search index
# (95 kB zh, 81 kB en; Material fetches it on every first view, and it grows with the content), the
# page itself (5-40 kB) and, on the pages with formulas, KaTeX (~130 kB: script, stylesheet, fonts).
# The heaviest first view measured 346 kB (basics/autograd, zh). 420 kB leaves a fifth of headroom
# for new content and still loads in under 3.5 s on a 1 Mbit/s link. The largest page is ~250 kB of
# HTML before compression, and 400 kB leaves the same margin.
# 2026-12-03: the index (173 kB zh with 28 pages a language, ~6 kB more a page) took the autograd
# notebook's first view over 420 kB, so a first view no longer fetches it: docs/assets/site.js holds
# the request back until the reader turns to search. First views then measured 97 kB (home) and
# 233 kB (basics/autograd, KaTeX): the first-view budget is 300 kB, a fifth of headroom again. The
# index has a budget of its own, 250 kB a language (2 s on a 1 Mbit/s link, paid at the first
# search; room for about a dozen more pages before it needs a lighter index).
FIRST_VIEW_BUDGET = 300_000
SEARCH_INDEX_BUDGET = 250_000
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
