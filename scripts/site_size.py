"""What a page costs a reader over the wire: the files a first view fetches, gzip-compressed as
GitHub Pages serves text. Used by the browser test's byte budget and by scripts/measure.py."""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}

# Budgets. Today's figures are in scripts/measurements.txt (`scripts/measure.py` rewrites it), not
# here, where they would go stale with every page. A first view costs the theme's CSS and
# JavaScript (~70 kB compressed), the page itself (5-40 kB) and, on the pages with formulas, KaTeX
# (~130 kB: script, stylesheet, fonts); 300 kB leaves about a fifth of headroom over the heaviest
# (basics/autograd). The search index is not in it: docs/assets/site.js holds Material's request
# back until the reader turns to search, because the index is the largest file and grows with every
# page (~6 kB compressed a page). It has a budget of its own, 250 kB a language: 2 s on a 1 Mbit/s
# link, paid at the first search. Recorded outputs that show no error are already out of it
# (scripts/mkdocs_hooks.py: searched_output), and Python code is in it only as its names (CODE_FIELD);
# when it nears the budget again, what is left to weigh is prose, tags and error outputs: revisit the
# budget, or split the index (Material fetches one file a language). 400 kB of HTML before compression
# leaves the same margin over the largest page.
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
