"""List every external link of the site, and (online) check that each still answers.

    python scripts/external_links.py            # list them: URL, then the pages that link to it
    python scripts/external_links.py --check    # also fetch each one (needs internet; weekly in CI)

Links are read from the Markdown pages and the data files that pages are generated from, so the
list needs no build. This machine has no internet: the test suite only checks that every link is
well formed; .github/workflows/links.yml fetches them once a week and opens an issue on failure.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://[^\s<>\"'`)\]|]+")
SOURCES = ("docs/**/*.md", "docs/**/*.yml", "snippets/**/*.py")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def links(root: Path = ROOT) -> dict[str, list[str]]:
    """URL -> the files (file:line) that contain it."""
    found: dict[str, list[str]] = {}
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for url in URL.findall(line):
                    url = url.rstrip(".,;:。，；：")
                    if urlparse(url).hostname in LOCAL_HOSTS or "{" in url:
                        continue  # templates such as .../whl/{variant} are filled in below
                    found.setdefault(url, []).append(f"{path.relative_to(root).as_posix()}:{number}")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import install_data

    data = install_data.load(root / "docs" / "install" / "install.yml")
    for line in sorted(install_data.all_install_lines(data)):
        for url in URL.findall(line):
            found.setdefault(url, []).append("docs/install/install.yml (generated command)")
    return found


def malformed(url: str) -> str | None:
    """Why `url` is not a well-formed public https link, or None."""
    parsed = urlparse(url)
    if parsed.scheme != "https":
        return "not https"
    host = parsed.hostname or ""
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        return f"odd host {host!r}"
    if "{" in url or "}" in url:
        return "an unfilled template"
    return None


def fetch(url: str, timeout: float = 20) -> str | None:
    """None when the URL answers with a success, else the reason."""
    headers = {"User-Agent": "Mozilla/5.0 (link check of a documentation site)"}
    for method in ("HEAD", "GET"):
        try:
            request = urllib.request.Request(url, method=method, headers=headers)
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as error:
            if method == "GET" or error.code not in (403, 405, 501):
                reason = f"HTTP {error.code}"
                if method == "GET":
                    return reason
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            return str(getattr(error, "reason", error))
    return "no success with HEAD or GET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fetch every link (needs internet)")
    args = parser.parse_args(argv)
    found = links()
    bad = 0
    results = {}
    if args.check:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = dict(zip(found, pool.map(fetch, found), strict=True))
    for url, where in sorted(found.items()):
        problem = malformed(url) or results.get(url)
        bad += problem is not None
        print(f"{'FAIL ' + problem if problem else 'ok'}\t{url}\t{', '.join(where[:3])}{' ...' if len(where) > 3 else ''}")
    print(f"\n{len(found)} external links, {bad} failing", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
