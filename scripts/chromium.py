"""Debian's Chromium, as every tool here drives it: the browser tests (tests/conftest.py),
scripts/measure.py and scripts/site_search.py. Never a downloaded browser build: scripts/bootstrap.sh
installs the `chromium` package. Standard library only."""

import shutil

PATH = shutil.which("chromium") or "/usr/bin/chromium"
MISSING = "Chromium is missing: run scripts/bootstrap.sh (it installs Debian's chromium)."
# No GPU, no QUIC, nothing fetched in the background: a run reaches only the site on localhost.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def installed() -> bool:
    return shutil.which(PATH) is not None


def launch(playwright):
    """A headless Chromium from a running `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=PATH, args=ARGS)
