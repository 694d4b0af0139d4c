"""Companion notebooks: each page's runs top to bottom and prints what the recordings say (its
notebooks in other languages have the same code); the site publishes each as a rendered notebook
page with working anchors and formulas, fetching nothing from another host, with its .ipynb
downloadable beside it.

Generic tests, one per page (the run) or per notebook and language (the rest): a new page under
docs/basics/ or docs/gpu/ (NOTEBOOK_SECTIONS in scripts/notebooks.py) is picked up by name.
`pytest tests/test_notebooks.py -k autograd` checks one page.
"""

import difflib
import html
import json
import os
import re
import sys
from urllib.parse import urljoin, urlparse

import pytest

import docs_model
import notebooks
import snippet_engine as engine
from site_size import FIRST_VIEW_BUDGET, HTML_BUDGET, first_view_bytes
from test_browser import UNDER_ICON
from test_math import TYPESET_BY_SCROLLING

KEYS = notebooks.notebook_keys()
CASES = [(key, language) for key in KEYS for language in docs_model.LANGUAGES]
IDS = [f"{key}-{language}" for key, language in CASES]
KERNEL = "pytorch-site-test"


def _profiles():
    yield "cpu"
    if engine.cuda_available():
        yield "cuda"


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory):
    """A kernel spec for this interpreter (the venv's ipykernel), whatever else is installed."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pytorch-site test", "language": "python"}), encoding="utf-8")
    return root


def _text(outputs, name):
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == name)


def _code_cells(notebook) -> list[tuple[list[str], dict]]:
    """Each code cell's lines but whole-line comments, and where it comes from."""
    return [([line for line in cell.source.splitlines() if not line.lstrip().startswith("#")], cell.metadata["pytorch_site"])
            for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("key", KEYS)
def test_a_pages_notebooks_run_the_same_code(key):
    """A page's notebooks differ in their text, not in their code: the same cells, from the same
    snippet sections, with the same lines but comments (the notebook's own comments are in its
    language). So running the notebook of the default language, below, runs every language's."""
    first, *others = docs_model.LANGUAGES
    expected = _code_cells(notebooks.build_notebook(key, first))
    for language in others:
        assert _code_cells(notebooks.build_notebook(key, language)) == expected, (
            f"{key}: the {language} notebook's code is not the {first} one's; the pages must include the same "
            "snippet sections in the same order (scripts/check_site.py's `translation` check says where)")


@pytest.mark.parametrize("profile", list(_profiles()))
@pytest.mark.parametrize("key", KEYS)
def test_notebook_runs_and_prints_the_recorded_output(key, profile, kernel_dir, tmp_path, monkeypatch):
    """Executed top to bottom in a fresh kernel, as a reader would run the download: no error, no
    displayed value, nothing on stderr, and each section prints exactly its recording (numbers
    masked for a `# compare: same-cpu` snippet recorded on another CPU model). The notebook of the
    default language runs; the others have the same code (the test above)."""
    nbclient = pytest.importorskip("nbclient")
    language = docs_model.LANGUAGES[0]
    notebook = notebooks.build_notebook(key, language)
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    env = dict(os.environ)
    if profile == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""  # device-agnostic code then picks the CPU, as on the CPU recording
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name=KERNEL, allow_errors=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{key} ({language}) notebook failed on {profile}:\n{error}", pytrace=False)
    problems = []
    gpu_device = engine.run_metadata("cuda")["device"] if profile == "cuda" else None  # nvidia-smi once, not per cell
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        origin = cell.metadata["pytorch_site"]
        snippet = engine.parse_snippet(engine.ROOT / origin["snippet"])
        where = f"cell {index} ({origin['snippet']}:{origin['section'] or 'code outside sections'})"
        shown = [o["output_type"] for o in cell.outputs if o["output_type"] in ("execute_result", "display_data")]
        if shown:
            problems.append(f"{where}: Jupyter displayed a value ({shown}); scripts/notebooks.py should end the cell with `;`")
        if not snippet.record:
            continue  # timings: run, never compared
        stderr = _text(cell.outputs, "stderr")
        if stderr:
            problems.append(f"{where} wrote to stderr:\n{stderr}")
        printed = _text(cell.outputs, "stdout").rstrip("\n")
        if origin["section"] is None:
            if printed:
                problems.append(f"{where} printed {printed[:200]!r}: code outside sections must print nothing")
            continue
        recording_profile = profile if profile in snippet.profiles else "cpu"
        path = snippet.recording_path(recording_profile)
        if recording_profile == "cuda":  # a pending GPU recording may not exist: ask before reading it
            if engine.stale_gpu_recording(snippet) or engine.parse_recording(path).meta.get("device") != gpu_device:
                continue  # no trustworthy recording for this GPU: the snippet tests say why
        recording = engine.parse_recording(path)
        expected = recording.outputs.get(origin["section"], "")
        if not engine.compare_exactly(snippet, recording):  # `# compare: same-cpu`, recorded on another CPU
            printed, expected = engine.masked_numbers(printed), engine.masked_numbers(expected)
        if printed != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), printed.splitlines(True),
                                                f"{engine.rel(path)}:{origin['section']}", "notebook run"))
            problems.append(f"{where} printed something else than its recording:\n{diff}")
    assert not problems, f"{key} ({language}), {profile}:\n" + "\n\n".join(problems)


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_notebook_shows_the_page_code_and_recorded_outputs(key, language):
    """The stored outputs are the recordings, the code cells are the sections the page includes
    (in its order), and together the code cells are the whole snippet file, run in order."""
    notebook = notebooks.build_notebook(key, language)
    page = docs_model.parse_page(docs_model.translation_path(key, language))
    shown = [(c.metadata["pytorch_site"]["snippet"], c.metadata["pytorch_site"]["section"])
             for c in notebook.cells if c.cell_type == "code" and c.metadata["pytorch_site"]["section"]]
    included = [(i.path, i.section) for i in page.includes if i.path.endswith(".py")]
    assert shown == included
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.metadata["pytorch_site"]["section"]:
            continue
        origin = cell.metadata["pytorch_site"]
        snippet = engine.parse_snippet(engine.ROOT / origin["snippet"])
        code = snippet.section_code(origin["section"])
        assert cell.source.replace(";", "") == re.sub(r"(#\s*\(\d+\))!", r"\1", code).replace(";", ""), origin
        stored = _text(cell.outputs, "stdout").rstrip("\n")
        recorded = engine.parse_recording(snippet.recording_path("cpu")).outputs[origin["section"]] if snippet.record else ""
        assert stored == recorded, origin
    headings = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert not any(re.search(r"\{\s*#", h) for h in headings), "attribute lists left in the notebook"
    assert not any(re.search(r"^\s*(!!!|===|--8<--)", h, re.M) for h in headings), "Material syntax left in the notebook"


def test_every_written_notebook_page_has_a_notebook():
    """Placeholders get none; every listed page that is written has one (in every language)."""
    for key in notebooks.NOTEBOOK_PAGES:
        written = all(notebooks.has_notebook(key, lang) for lang in docs_model.LANGUAGES)
        assert (key in KEYS) == written
    assert KEYS, "no notebook at all"


def test_mkdocs_jupyter_is_configured_for_generated_notebooks_only():
    from mkdocs.config import load_config

    config = load_config(str(docs_model.ROOT / "mkdocs.yml"))
    jupyter = config.plugins["mkdocs-jupyter"].config
    assert jupyter["include"] == ["*.ipynb"], "the default include makes every .py under docs/ a page"
    assert jupyter["execute"] is False, "the outputs are the recordings: the build runs nothing"
    assert jupyter["allow_errors"] is False
    assert jupyter["include_requirejs"] is False, "require.js comes from a CDN"
    hooks = [str(h) for h in config["hooks"]] if isinstance(config["hooks"], list) else list(config["hooks"])
    assert any("notebook_hooks" in h for h in hooks)


# ---------------------------------------------------------------------------------------------
# The built site


def _html(site_dir, url):
    return (site_dir / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_notebook_page_is_a_rendered_notebook_with_the_page_anchors(site_dir, key, language):
    url = notebooks.notebook_url(key, language)
    page = _html(site_dir, url)
    assert 'class="jp-Notebook"' in page and "jp-CodeCell" in page, f"/{url} is not a rendered notebook"
    assert '"cell_type"' not in page and '"nbformat"' not in page, f"/{url} shows the notebook's raw JSON"
    assert f'<html lang="{language}"' in page
    ids = re.findall(r'<h[1-6] id="([^"]*)"', page)
    anchors = [a for _level, _text, a in notebooks.anchors_of(key, language)]
    assert ids == anchors, f"/{url}: heading ids {ids} are not the page's anchors"
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', page)
    assert toc and set(toc) <= set(anchors), f"/{url}: table of contents {toc}"
    assert not re.search(r"<script[^>]*mathjax|cdnjs|jsdelivr|unpkg|require\.js|mermaid", page, re.I)
    loads = re.findall(r'<(?:script|img|iframe|source|link(?! rel="canonical"))\b[^>]*\s(?:src|href)="([^"]+)"', page)
    external = [t for t in loads if re.match(r"(?:https?:)?//", t)]
    assert not external, f"/{url} loads from other hosts: {external}"
    assert "<style" not in page.split("</head>", 1)[1], "notebook CSS belongs in assets/notebook.css"
    snippet_count = sum(1 for c in notebooks.build_notebook(key, language).cells if c.cell_type == "code")
    assert page.count("jp-CodeCell jp-Notebook-cell") >= snippet_count


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_page_links_to_its_notebook_and_the_download_is_the_tested_notebook(site_dir, key, language):
    page_url = docs_model.page_url(key, language)
    page = _html(site_dir, page_url)
    links = {html.unescape(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', page)}
    view = urljoin("http://site/" + page_url, "notebook/")
    download = urljoin("http://site/" + page_url, "notebook/" + notebooks.download_name(key, language))
    resolved = {urljoin("http://site/" + page_url, h) for h in links}
    assert view in resolved, f"/{page_url} does not link to its notebook page"
    assert download in resolved, f"/{page_url} does not link to its .ipynb"
    assert re.search(rf'download="{re.escape(notebooks.download_name(key, language))}"', page)
    file = site_dir / urlparse(download).path.lstrip("/")
    assert file.read_text(encoding="utf-8") == notebooks.notebook_json(key, language), \
        "the published .ipynb is not the notebook the suite runs"
    import nbformat

    nbformat.validate(nbformat.reads(file.read_text(encoding="utf-8"), as_version=4))


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)")


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_a_downloaded_notebook_links_to_the_public_site(key, language):
    """Opened in Jupyter, a downloaded notebook has no site around it: with a public SITE_URL its
    links are absolute, to the same pages and anchors as the rendered notebook's relative links."""
    site = "https://example.org/pytorch/"
    here = site + notebooks.notebook_url(key, language)
    relative = notebooks.build_notebook(key, language)
    absolute = notebooks.build_notebook(key, language, site)
    for r, a in zip(relative.cells, absolute.cells, strict=True):
        if r.cell_type != "markdown":
            assert r == a
            continue
        r_links, a_links = MARKDOWN_LINK.findall(r.source), MARKDOWN_LINK.findall(a.source)
        assert len(r_links) == len(a_links)
        for old, new in zip(r_links, a_links, strict=True):
            if old.startswith(("#", "attachment:", "http://", "https://")):
                assert new == old
            else:
                assert new.startswith(site) and new == urljoin(here, old), (old, new)


def test_only_a_public_site_url_makes_links_absolute():
    for local in ("http://127.0.0.1:8000/", "http://localhost:8000/docs/", "http://[::1]:8000/", None, ""):
        assert notebooks.public_site_url(local) is None, local
    for public in ("https://example.org/pytorch/", "https://user.github.io/site/"):
        assert notebooks.public_site_url(public) == public


def test_every_ipynb_in_the_site_sits_beside_its_rendered_page(site_dir):
    files = sorted(site_dir.rglob("*.ipynb"))
    assert len(files) == len(CASES)
    for file in files:
        page = (file.parent / "index.html").read_text(encoding="utf-8")
        assert 'class="jp-Notebook"' in page, f"{file.relative_to(site_dir)} has no rendered notebook page"
    for page in site_dir.rglob("*.html"):  # no notebook published as text anywhere
        text = page.read_text(encoding="utf-8")
        assert '&quot;cell_type&quot;' not in text and '"nbformat": 4' not in text, page.relative_to(site_dir)


def test_python_files_under_docs_are_downloads_not_pages(site_dir):
    """mkdocs-jupyter's default `include` would render docs/install/verify.py (a download) as a
    notebook page over the install/verify/ page."""
    for source in docs_model.DOCS.rglob("*.py"):
        relative = source.relative_to(docs_model.DOCS)
        assert (site_dir / relative).read_bytes() == source.read_bytes(), f"{relative} is not published as itself"
        page = site_dir / relative.with_suffix("") / "index.html"
        assert not page.exists() or 'class="jp-Notebook"' not in page.read_text(encoding="utf-8"), relative


def test_notebook_stylesheet_is_shared_and_local(site_dir):
    css = (site_dir / "assets/notebook.css").read_text(encoding="utf-8")
    assert "jp-Notebook" in css or "jupyter-wrapper" in css
    assert not re.search(r"@import|url\((?:['\"])?(?:https?:)?//", css), "the notebook CSS loads something remote"


# ---------------------------------------------------------------------------------------------
# In Chromium


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_notebook_page_in_the_browser(page, site_url, site_dir, key, language):
    """No request to another host, no console error; anchors scroll to their heading; formulas
    are typeset by the local KaTeX; the first view fits the site's byte budget; the .ipynb downloads."""
    url = notebooks.notebook_url(key, language)
    page.goto(f"{site_url}/{url}", wait_until="networkidle")
    assert not page.problems, f"/{url}:\n" + "\n".join(page.problems)
    anchors = [a for _level, _text, a in notebooks.anchors_of(key, language)]
    for anchor in anchors[1:3]:
        assert page.locator(f"#{anchor}").count() == 1
        page.goto(f"{site_url}/{url}#{anchor}", wait_until="networkidle")
        top = page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top")
        assert 0 <= top < 200, f"#{anchor} did not scroll to its heading ({top})"
    formulas = page.locator(".jp-RenderedMarkdown .arithmatex")
    if formulas.count():
        unrendered = page.evaluate(TYPESET_BY_SCROLLING)
        assert not unrendered, f"formulas left as TeX source: {unrendered}"
        assert page.locator(".katex-error").count() == 0
    sizes = first_view_bytes(page.fetched, site_url, site_dir)
    heaviest = ", ".join(f"{path} {size // 1000} kB" for path, size in sorted(sizes.items(), key=lambda i: -i[1])[:4])
    assert sum(sizes.values()) <= FIRST_VIEW_BUDGET, f"/{url}: first view over budget: {heaviest}"
    assert (site_dir / url / "index.html").stat().st_size <= HTML_BUDGET, f"/{url}: HTML over {HTML_BUDGET // 1000} kB"
    response = page.request.get(f"{site_url}/{notebooks.download_url(key, language)}")
    assert response.ok and response.json()["nbformat"] == 4
    # a code cell's copy button copies the code its <pre> shows: the page holds no second, hidden copy
    assert page.locator(".clipboard-copy-txt").count() == 0
    first_code = next("".join(c["source"]) for c in response.json()["cells"] if c["cell_type"] == "code")
    cell = page.locator(".jp-CodeCell .jp-InputArea-editor").first
    cell.hover()
    cell.locator("clipboard-copy").click()
    assert page.evaluate("navigator.clipboard.readText()").rstrip() == first_code.rstrip()
    assert not page.problems, f"/{url}:\n" + "\n".join(page.problems)


def test_notebook_formulas_exist_where_the_page_has_math(site_dir):
    for key, language in CASES:
        page = _html(site_dir, docs_model.page_url(key, language))
        notebook_page = _html(site_dir, notebooks.notebook_url(key, language))
        has_math = 'class="arithmatex"' in page
        assert has_math == ('class="arithmatex"' in notebook_page), key
        if has_math:
            assert notebook_page.count('class="arithmatex"') >= page.count('class="arithmatex"'), key
            assert "katex.min.js" in notebook_page


@pytest.fixture(scope="module")
def notebook_axe_page(browser):
    import test_accessibility

    if not test_accessibility.AXE.exists():
        pytest.fail("axe-core is missing: run scripts/bootstrap.sh (it runs `npm ci --prefix tests`).", pytrace=False)
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("key, language", CASES, ids=IDS)
def test_notebook_page_accessibility(notebook_axe_page, site_url, key, language):
    """The same axe-core rules as every page (tests/test_accessibility.py), light and dark."""
    from test_accessibility import assert_no_severe_violations

    assert_no_severe_violations(notebook_axe_page, site_url, notebooks.notebook_url(key, language))


def test_a_notebook_cells_copy_button_covers_no_code_on_a_phone(phone_page, site_url):
    """At 390 px, on every notebook page, a code cell's copy button (mkdocs-jupyter's) sits on a band
    of the cell's colour (site.css), and with the cell scrolled to its end no character of its first
    two lines lies under the icon (every line has room for it at its end)."""
    page = phone_page
    problems, checked = [], 0
    for key in notebooks.notebook_keys():
        url = notebooks.notebook_url(key, docs_model.LANGUAGES[0])
        page.goto(f"{site_url}/{url}", wait_until="load")
        found = page.evaluate("""() => {
            const underIcon = """ + UNDER_ICON + """;
            const found = [];
            const cells = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-editor')];
            for (const [i, cell] of cells.entries()) {
                const box = cell.querySelector('.highlight-ipynb'), pre = box.querySelector('pre');
                const button = cell.querySelector('clipboard-copy'), icon = button.querySelector('svg').getBoundingClientRect();
                if (!getComputedStyle(button).backgroundImage.startsWith('linear-gradient'))
                    found.push([i, 'the copy button has no band']);
                box.scrollLeft = box.scrollWidth;
                for (const line of underIcon(pre, icon)) found.push([i, `'${line}' ends under the icon`]);
                box.scrollLeft = 0;
            }
            return [cells.length, found];
        }""")
        checked += found[0]
        problems += dict.fromkeys(f"/{url} cell {i}: {what}" for i, what in found[1])
    assert checked > 20, f"only {checked} notebook code cells were found"
    assert not problems, "\n".join(problems)


def test_a_notebook_carries_the_pictures_of_its_language():
    """The benchmark's charts exist per language (h100.svg, h100.en.svg): each language's notebook
    embeds its own, and its rendered page loads the site's copy for that language."""
    import base64

    for language in docs_model.LANGUAGES:
        notebook = notebooks.build_notebook("gpu/benchmark", language)
        images = notebook.metadata["pytorch_site"]["images"]
        assert images, "the benchmark page shows charts: where are they?"
        for name, image in images.items():
            expected = "h100.svg" if language == docs_model.LANGUAGES[0] else f"h100.{language}.svg"
            if name.startswith("h100."):
                assert name == expected, (language, name)
            data = next(c.attachments[name] for c in notebook.cells if "attachments" in c and name in c.attachments)
            assert base64.b64decode(next(iter(data.values()))) == (docs_model.DOCS / image["file"]).read_bytes()
            prefix = docs_model.language_prefix(language)
            assert image["url"] == prefix + image["file"].replace(f".{language}.", "."), image
