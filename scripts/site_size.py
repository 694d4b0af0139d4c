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
# page (~6 kB compressed a page). It has a budget of its own, 300 kB a language: 2.4 s on a 1 Mbit/s
# link, paid once, at the first search. It was 250 kB until the Chinese index reached 249 kB with 44
# pages (session 37): recorded outputs that show no error were already out of it
# (scripts/mkdocs_hooks.py: searched_output), Python code is in it only as its names (CODE_FIELD),
# and the benchmark's results tables are out too (render_benchmark.py); what is left is prose, tags,
# error outputs and the zero-width spaces that carry jieba's word breaks (about 17 kB), all of which
# search needs. The four pages of session 40, with three tensors sections and eleven glossary terms,
# took 26 kB; the Chinese index then stood at 291 kB with 49 pages, about one long page from the
# budget. At 300 kB, split the index (Material fetches one file a language, so that means mending
# its worker) rather than raise the budget again. 400 kB of HTML
# before compression leaves the same margin over the largest page.
FIRST_VIEW_BUDGET = 300_000
SEARCH_INDEX_BUDGET = 300_000
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
