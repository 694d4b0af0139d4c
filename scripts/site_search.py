"""What the site's search finds: each query typed into a real Chromium, as a reader types it, and
the results listed in their order, each page with the sections it matched.

    .venv/bin/python scripts/site_search.py 重参数化 "KL 散度"
    .venv/bin/python scripts/site_search.py --en "reparameterization trick"
    .venv/bin/python scripts/site_search.py --site /tmp/site 温度      # a site already built

For a search case in tests/test_browser.py that fails, or a new page's `<!-- search-also: -->`
words: the first result is what the test checks. Builds the site into a temporary folder first
(about 12 s) unless --site names one. tests/test_browser.py searches with `search` below."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import chromium
import local_site

ROOT = Path(__file__).resolve().parent.parent


def search(page, query: str) -> list[str]:
    """Type `query` into the search box of `page` (a page of the site, loaded) and return the
    href of every result link, in the order shown: a result is a page, then the sections of it
    that matched."""
    box = page.locator("input.md-search__input")
    box.click()
    wait_for_search_index(page)
    if box.input_value():  # a search before this one: clear its results, or they may be read as this one's
        box.fill("")
        box.press("End")
        page.wait_for_function("!document.querySelector('li.md-search-result__item')")
    box.fill(query)
    box.press("End")  # Material's search listens to keyup
    results = page.locator("li.md-search-result__item > a")
    results.first.wait_for(timeout=10_000)
    # in one call: the list is rendered again as results arrive, and a link read one at a time may be gone
    return results.evaluate_all("links => links.map(a => a.getAttribute('href'))")


def wait_for_search_index(page, state: str = "whole") -> None:
    """Until the search worker has the index up to `state`: "titles" (titles, tags and code names)
    come first, then the "whole" index with its texts; results read before then may change
    (docs/assets/site.js)."""
    page.wait_for_function(f"document.documentElement.dataset.siteSearch === '{state}'", timeout=20_000)


def ranked(page, query: str, limit: int = 5) -> list[tuple[str, list[str]]]:
    """The first `limit` result pages of `query`: (page path, the section anchors it matched)."""
    hits = page.locator("li.md-search-result__item")
    search(page, query)
    groups = hits.evaluate_all("items => items.map(li => [...li.querySelectorAll('a')].map(a => a.getAttribute('href')))")
    rows = []
    for hrefs in groups[:limit]:
        parts = [urlsplit(h) for h in hrefs]
        rows.append((parts[0].path, [p.fragment for p in parts if p.fragment]))
    return rows


def build(site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr[-4000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="+", metavar="QUERY")
    parser.add_argument("--en", action="store_true", help="search the English site (default: Chinese)")
    parser.add_argument("--site", type=Path, help="a built site to search (default: build one)")
    parser.add_argument("--limit", type=int, default=5, help="result pages shown per query (default 5)")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import TimeoutError as NothingFound
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("playwright is missing: run scripts/bootstrap.sh (or scripts/test.sh) first")
    if not chromium.installed():
        sys.exit(chromium.MISSING)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        elif not (site / "search" / "search_index.json").is_file():
            sys.exit(f"{site}: no search/search_index.json: not a built site (leave out --site to build one)")
        with local_site.serve(site) as url, sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            page = browser.new_page()
            page.goto(f"{url}/{'en/' if args.en else ''}", wait_until="networkidle")
            for query in args.queries:
                print(query)
                try:
                    rows = ranked(page, query, args.limit)
                except NothingFound:
                    print("  no results")
                    continue
                for rank, (path, anchors) in enumerate(rows, 1):
                    print(f"  {rank}. {path}" + (f"  #{' #'.join(anchors)}" if anchors else ""))
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
