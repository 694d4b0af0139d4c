"""Shared test setup. Keep imports light: the snippet tests also run on a GPU machine that has
torch and pytest but none of the site's build tools."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import os  # noqa: E402
import subprocess  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import pytest  # noqa: E402

import chromium  # noqa: E402
import local_site  # noqa: E402

BIN = Path(sys.executable).parent


def _share_the_cores() -> None:
    """pytest-xdist runs one test process per core (scripts/test.sh), and torch in each would start
    a thread per core: on 2 cores, two processes then spin against each other (OpenMP waits
    busily), and the techniques notebook, 8 s alone, took 43 s beside another test. Each process,
    and the notebook kernels and programs it starts, gets its share of the cores (set before
    torch is imported; an OMP_NUM_THREADS already set wins). Outputs do not depend on it:
    scripts/record.py runs each snippet a second time on one thread and refuses output that changes."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1 and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))


_share_the_cores()


@pytest.fixture(scope="session")
def build_cache():
    """This process's build cache folder, kept between runs: .cache/pytest-gw0 ... under
    pytest-xdist, .cache/pytest-main without it. So within a run no build reads a cache file
    another is writing. (Two runs at once from one checkout would share them.)"""
    return ROOT / ".cache" / f"pytest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(scope="session")
def build(tmp_path_factory, build_cache):
    """`mkdocs build --strict` once per test session (once per process when pytest-xdist runs the
    suite in several), with this process's `build_cache`: (site directory, build log)."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_CACHE_DIR": str(build_cache)},
    )
    return site, result


@pytest.fixture(scope="session")
def site_dir(build):
    site, result = build
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served on localhost, as a reader's browser gets it."""
    with local_site.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by scripts/bootstrap.sh")
    if not chromium.installed():
        pytest.fail(chromium.MISSING, pytrace=False)
    with sync_api.sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A page in a phone's browser: 390 px wide, touch."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def open_page(browser, site_url):
    """A new page in its own browser context that notes, in `page.problems`, every console error,
    script error, failed response and request to another host, and in `page.fetched` every URL it
    loaded from the site (for byte budgets)."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    page.problems = []
    page.fetched = []
    page.on("requestfinished", lambda r: page.fetched.append(r.url))
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))

    def on_request(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return
        page.problems.append(f"request to another host: {request.url}")

    page.on("request", on_request)
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url}"))
    return page


@pytest.fixture
def page(browser, site_url):
    page = open_page(browser, site_url)
    yield page
    page.context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on its test (`item.report_call`...), for fixtures that act on a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
