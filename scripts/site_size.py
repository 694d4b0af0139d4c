"""What a page costs a reader over the wire: the files a first view fetches, gzip-compressed as
GitHub Pages serves text. Used by the browser test's byte budget and by scripts/measure.py."""

from __future__ import annotations

import gzip
from pathlib import Path

import docs_model

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}

# Budgets. Today's figures are in scripts/measurements.txt (`scripts/measure.py` rewrites it), not
# here, where they would go stale with every page. A first view costs the theme's CSS and
# JavaScript (~70 kB compressed), the page itself (5-40 kB) and, on the pages with formulas, KaTeX
# (~130 kB: script, stylesheet, fonts); 300 kB leaves about a fifth of headroom over the heaviest
# (basics/autograd). The search index is not in it: docs/assets/site.js holds Material's request
# back until the reader turns to search. It grows with every page, and it comes in two files
# (scripts/docs_model.py: write_search_index). The first, which Material fetches, has every
# section's title, tags and code names, about a tenth of the bytes, and a budget of 60 kB: half a
# second on a 1 Mbit/s link, after which titles and tags are searched. The second has the
# sections' texts and is fetched right after it; its budget is 500 kB, 4 s on such a link, while
# the titles already answer. What is in the index is what search needs: recorded outputs that show
# no error are out (scripts/mkdocs_hooks.py: searched_output), Python code is in only as its names
# (CODE_FIELD), the benchmark's results tables are out (render_benchmark.py), and the zero-width
# spaces that carry jieba's word breaks are only those that change a word. Until session 41 the
# index was one file with a budget of 300 kB, which the Chinese one had nearly reached (291 kB, 49
# pages). What could be next: the code names are about half of the first file and could move to
# the second; the zero-width spaces (3 bytes each in UTF-8) could travel as a one-byte mark that
# site.js turns back (about 5 % of the texts, compressed). 400 kB of HTML before compression leaves
# the same margin over the largest page.
FIRST_VIEW_BUDGET = 300_000
SEARCH_INDEX_BUDGET = 60_000  # titles, tags, code names
SEARCH_TEXTS_BUDGET = 500_000  # the sections' texts
HTML_BUDGET = 400_000


def search_files(site: Path, language: str) -> list[tuple[Path, int, str]]:
    """A language's two search index files in a built site: (path, budget, what it holds)."""
    return [(docs_model.search_index(site, language), SEARCH_INDEX_BUDGET,
             "titles, tags and code names, fetched at the first search"),
            (docs_model.search_texts(site, language), SEARCH_TEXTS_BUDGET, "the texts, fetched after search_index.json")]


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
