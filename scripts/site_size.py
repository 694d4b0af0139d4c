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
# 2026-12-03 (scripts/measure.py, 27 pages per language with the notebooks): the search index had
# grown to 165 kB zh and 143 kB en, the heaviest first view to 400 kB, and the next page (basics/
# losses, 173 kB zh) took the autograd notebook over 420. So a first view no longer fetches the
# index: docs/assets/site.js holds its request back until the reader turns to search. Measured then
# (28 pages per language): first view of the home page 97 kB, heaviest 233 kB (basics/autograd,
# KaTeX). The first-view budget is 300 kB, a fifth of headroom again; the index has a budget of its
# own, 250 kB per language (2 s on a 1 Mbit/s link, paid at the first search; ~6 kB a page, so
# room for about a dozen pages more before it needs a lighter index).
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
