"""The built site in a real browser: Debian's Chromium driven by Playwright, on localhost only."""

import base64
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import docs_model
import snippet_engine as engine
from conftest import open_page
from docs_model import page_urls
from site_search import search, wait_for_search_index
from site_size import FIRST_VIEW_BUDGET, HTML_BUDGET, first_view_bytes
from test_math import TYPESET_BY_SCROLLING

ANNOTATION = re.compile(r"# \(\d+\)!")

# JavaScript: the lines among the first two of the code in `element` (a <code> or <pre>) that have a
# visible character under `icon` (a DOMRect: the copy button's icon). Shared with test_notebooks.
UNDER_ICON = """(element, icon) => {
    const under = [], range = document.createRange(), walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let lines = 0, node;
    while (lines < 2 && (node = walker.nextNode())) {
        for (let c = 0; c < node.length && lines < 2; c++) {
            if (node.data[c] === '\\n') { lines++; continue; }
            if (!node.data[c].trim()) continue;
            range.setStart(node, c); range.setEnd(node, c + 1);
            const r = range.getBoundingClientRect();
            if (r.right > icon.left && r.bottom > icon.top && r.top < icon.bottom) {
                const line = element.textContent.split('\\n')[lines];
                if (!under.includes(line)) under.push(line);
            }
        }
    }
    return under;
}"""


@pytest.mark.parametrize("language, key, url", list(page_urls()), ids=[u or "/" for _, _, u in page_urls()])
def test_page_loads_cleanly_and_offline(page, site_url, site_dir, language, key, url):
    """No console error, no request to any host but the site itself (fonts, CDNs, analytics),
    and a first view within the byte budget."""
    page.goto(f"{site_url}/{url}", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert not page.problems, f"/{url}:\n" + "\n".join(page.problems)
    sizes = first_view_bytes(page.fetched, site_url, site_dir)
    total = sum(sizes.values())
    heaviest = ", ".join(f"{path} {size // 1000} kB" for path, size in sorted(sizes.items(), key=lambda i: -i[1])[:4])
    assert total <= FIRST_VIEW_BUDGET, f"/{url}: first view {total // 1000} kB compressed > {FIRST_VIEW_BUDGET // 1000} kB: {heaviest}"
    html_size = (site_dir / url / "index.html").stat().st_size
    assert html_size <= HTML_BUDGET, f"/{url}: {html_size // 1000} kB of HTML > {HTML_BUDGET // 1000} kB: split the page"


SEARCH_INDEX = "search/search_index.json"  # each language's, under its own prefix
SEARCH_TEXTS = "search/search_text.json"  # its sections' texts, fetched after it


@pytest.mark.parametrize("url, turn", [("", "hover"), ("en/basics/autograd/", "hover"), ("", "/")])
def test_the_search_index_is_fetched_when_the_reader_turns_to_search(page, site_url, url, turn):
    """The index (two files, the largest download of the site) is not part of a first view:
    docs/assets/site.js sends Material's request for it when the pointer comes over the search box,
    or on focus (the / shortcut here) or touch there, and fetches its texts after it. Then the
    search works as before."""
    def fetched(file):
        return [u for u in page.fetched if u.endswith(file)]

    page.goto(f"{site_url}/{url}", wait_until="networkidle")
    assert not fetched(SEARCH_INDEX) and not fetched(SEARCH_TEXTS), f"/{url}: the first view fetched the search index"
    with page.expect_request_finished(lambda request: request.url.endswith(SEARCH_INDEX)):
        if turn == "hover":
            page.locator(".md-search__input").hover()
        else:
            page.keyboard.press(turn)
    assert search(page, "autograd")
    language = "en/" if url.startswith("en/") else ""
    for file in (SEARCH_INDEX, SEARCH_TEXTS):
        assert fetched(file) == [f"{site_url}/{language}{file}"], f"{file}: once, the page's own language"
    assert not page.problems, page.problems


def _search_with_titles(page, site_url, on_texts) -> list[str]:
    """Open the home page with `on_texts` answering the request for search_text.json, turn to
    search and, once the worker has titles and tags, search autograd. Returns the list the page's
    console warnings go to."""
    warnings = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    page.route(f"**/{SEARCH_TEXTS}", on_texts)
    page.goto(f"{site_url}/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    wait_for_search_index(page, "titles")
    box.fill("autograd")
    box.press("End")
    page.locator("li.md-search-result__item").first.wait_for(timeout=5_000)
    return warnings


def test_titles_are_searched_at_once_and_texts_when_they_arrive(page, site_url):
    """search_index.json, the file Material fetches, holds every section's title, tags and code
    names but not its text, a tenth of the bytes (scripts/docs_model.py: write_search_index); site.js
    then fetches the texts. Until they arrive the worker answers from the rest, and the query on
    screen when they do is searched again; a line under the result count says so meanwhile, or a
    word of the texts would seem to be nowhere. Friedewald is only in a text (basics/tabular's). The
    worker, set up twice, loads lunr's language scripts once (mkdocs_hooks.SETUP_FIXES): lunr warns
    on the console about every function they register again."""
    held = []
    warnings = _search_with_titles(page, site_url, lambda route: held.append(route))
    box = page.locator("input.md-search__input")
    box.fill("Friedewald")
    box.press("End")
    page.wait_for_function("!document.querySelector('li.md-search-result__item')", timeout=5_000)
    assert len(held) == 1 and page.get_attribute("html", "data-site-search") == "titles"
    assert page.locator(".site-search-loading").inner_text() == "正文还在加载，目前只搜索了标题和关键词……"
    held[0].continue_()
    page.locator("li.md-search-result__item a[href*='/basics/tabular/'][href$='#gradient-descent']").wait_for(timeout=10_000)
    assert page.get_attribute("html", "data-site-search") == "whole"
    assert page.locator(".site-search-loading").count() == 0, "the loading line stays"
    assert not page.problems and not warnings, page.problems + warnings


def test_texts_of_another_build_are_not_joined_to_the_index(page, site_url, site_dir):
    """GitHub Pages lets browsers cache a file for ten minutes, so after a deploy a reader may hold
    the old search_index.json and fetch the new texts. Joined by position, texts would land on the
    wrong sections; site.js compares the build both files name, warns, and keeps titles and tags."""
    texts = json.loads(docs_model.search_texts(site_dir, "zh").read_text(encoding="utf-8"))
    other = json.dumps(dict(texts, build="another build"), ensure_ascii=False)
    # the warning comes once the texts have been fetched and compared
    with page.expect_console_message(lambda message: "search texts not loaded" in message.text):
        warnings = _search_with_titles(
            page, site_url, lambda route: route.fulfill(body=other, content_type="application/json"))
    assert [w for w in warnings if "search texts not loaded" in w], warnings
    assert page.get_attribute("html", "data-site-search") == "titles", "set up with another build's texts"
    assert page.locator(".site-search-loading").count() == 0, "says the texts are coming, which they are not"
    assert not page.problems, page.problems


def test_site_search_lists_what_a_reader_finds(site_dir):
    """scripts/site_search.py, for tuning a page's search words: each query, then the result pages
    in order with the sections they matched; a query that finds nothing says so. (A program of its
    own, as contributors run it: Playwright's sync API runs once per thread, and `browser` has it.)"""
    def run(*args):
        return subprocess.run([sys.executable, str(engine.ROOT / "scripts" / "site_search.py"), *args],
                              capture_output=True, text=True, timeout=120)

    result = run("--site", str(site_dir), "--limit", "2", "梯度累积", "zzqqxx")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0] == "梯度累积" and lines[1].startswith("  1. /basics/techniques/  #gradient-accumulation "), lines
    assert lines[-2:] == ["zzqqxx", "  no results"], lines
    result = run("--site", str(site_dir / "basics"), "x")
    assert result.returncode == 1 and "not a built site (leave out --site to build one)" in result.stderr


def test_a_tap_on_the_phone_search_button_fetches_the_index(phone_page, site_url):
    """On a phone the search box is hidden behind a button in the header: a tap on it (touch, then
    the focus Material gives the box) sends the held-back request, and the search works."""
    page = phone_page
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}/", wait_until="networkidle")
    assert not [u for u in fetched if u.endswith(SEARCH_INDEX)]
    with page.expect_request_finished(lambda request: request.url.endswith(SEARCH_INDEX)):
        page.locator("label.md-header__button[for='__search']").tap()
    page.keyboard.type("张量")
    page.keyboard.press("End")
    page.locator("li.md-search-result__item > a").first.wait_for(timeout=10_000)


@pytest.mark.parametrize("address, shown", [
    ("basics/tensors/?h=%E5%BC%A0%E9%87%8F", "mark[data-md-highlight]"),  # how a search result opens its page
    ("?q=autograd", "li.md-search-result__item"),  # a search opened from an address (site.js links one)
])
def test_an_address_that_searches_fetches_the_index_at_once(page, site_url, address, shown):
    """?h= (Material highlights the words searched for) and ?q= (it opens the search with that
    query) need the index without the reader turning to the search box."""
    page.goto(f"{site_url}/{address}", wait_until="networkidle")
    page.locator(shown).first.wait_for(timeout=5_000)
    assert not page.problems, page.problems


@pytest.fixture(scope="session")
def _search_pages(browser):
    """This process's pages kept open for searching, by language prefix ("" or "en/"); closed before
    `browser`."""
    opened = {}
    yield opened
    for page in opened.values():
        page.context.close()


@pytest.fixture
def search_page(request, _search_pages, browser, site_url):
    """`search_page(prefix)`: the home page of a language (`prefix` "" or "en/"), kept open across
    the search tests of this process, so that its search index is fetched and built once: a page
    load and an index build took about 2 s of each of the 230-odd search cases. Results do not
    depend on the page a search starts from. Each test sees only its own problems, and after a
    failed test the next one opens a new page."""
    used = []

    def at(prefix):
        if prefix not in _search_pages:
            page = open_page(browser, site_url)
            page.goto(f"{site_url}/{prefix}", wait_until="networkidle")
            _search_pages[prefix] = page
        page = _search_pages[prefix]
        page.problems.clear()
        used.append(prefix)
        return page

    yield at
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        for prefix in used:
            if prefix in _search_pages:
                _search_pages.pop(prefix).context.close()


@pytest.mark.parametrize("query", ["张量", "广播", "设备"])
def test_chinese_search_finds_the_tensor_page(search_page, query):
    page = search_page("")
    hrefs = search(page, query)
    assert any("basics/tensors/" in h and "/en/" not in h for h in hrefs), hrefs
    assert not page.problems, page.problems


def test_english_search_finds_english_pages_only(search_page):
    page = search_page("en/")
    hrefs = search(page, "tensor")
    assert hrefs and all("/en/" in h for h in hrefs), hrefs


@pytest.mark.parametrize("prefix, query, target", [
    ("en/", "reduction", "basics/tensors/"),  # stemmed to `reduct`, the typed `reduction*` found nothing
    ("en/", "operator", "concepts/pytorch/"),
    ("en/", "perf_counter", "gpu/benchmark/"),
    ("en/", "accelerator", "basics/tensors/"),  # written `torch.accelerator` there
    ("", "accelerator", "basics/tensors/"),
    ("en/", "dataloader", "basics/data/"),  # class names typed in lower case, and the site's subject
    ("", "pytorch", "concepts/pytorch/"),
    ("", "CUDA版本", "install/drivers/"),  # Latin and Chinese without a space (site.js)
    ("", "GPU不可用", "basics/tensors/"),
    ("", "CUDA12.6", "install/drivers/"),  # the pages write "CUDA 12.6" (site.js)
    ("en/", "cuda13", "install/drivers/"),
    ("en/", "cu126", "install/drivers/"),  # a wheel variant stays one word
])
def test_search_finds_what_readers_type(search_page, prefix, query, target):
    """Search as you type matches what a reader types: English words as written (mkdocs.yml: no
    stemming), parts of API names (split at dots), and Chinese queries that run Latin and Chinese
    together (site.js puts a space between them)."""
    page = search_page(prefix)
    hrefs = search(page, query)
    assert any(h.split("?")[0].endswith(f"/{prefix}{target}") for h in hrefs), hrefs


@pytest.mark.parametrize("start, lang, target", [
    ("basics/tensors/", "en", "en/basics/tensors/"),
    ("en/basics/tensors/", "zh", "basics/tensors/"),
])
def test_language_switch_stays_on_the_same_page(page, site_url, start, lang, target):
    page.goto(f"{site_url}/{start}#choose-device", wait_until="networkidle")
    page.locator(".md-header .md-select").first.hover()
    page.locator(f'.md-select__link[hreflang="{lang}"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("#")[0] == f"{site_url}/{target}"


def test_copy_button_copies_exactly_the_snippet_code(page, site_url):
    """The copy button gives runnable code: the section as in the file, without annotation markers."""
    for language in docs_model.LANGUAGES:
        url = docs_model.page_url("basics/tensors", language)
        page.goto(f"{site_url}/{url}", wait_until="networkidle")
        model = docs_model.parse_page(docs_model.translation_path("basics/tensors", language))
        blocks = page.locator("div.language-python.highlight")
        assert blocks.count() == len(model.includes)
        for i, include in enumerate(model.includes):
            snippet = engine.parse_snippet(engine.ROOT / include.path)
            code = ANNOTATION.sub("", textwrap.dedent(snippet.section_code(include.section)))
            expected = "\n".join(line.rstrip() for line in code.splitlines()).rstrip()
            block = blocks.nth(i)
            block.hover()
            block.locator("button[data-md-type=copy]").click()
            copied = "\n".join(line.rstrip() for line in page.evaluate("navigator.clipboard.readText()").splitlines())
            assert copied == expected, f"{url}: block {i} ({include.section})"
        annotated = sum(len(ANNOTATION.findall(engine.parse_snippet(engine.ROOT / i.path).section_code(i.section)))
                        for i in model.includes)  # markers, not blocks: a block may have two
        assert page.locator(".md-annotation").count() == annotated, "code annotations did not render"
        # Material sets a block up as it comes into view (content.lazy): the markers it adds then get a name too
        page.wait_for_function("!document.querySelector('.md-annotation__index:not([aria-label])')", timeout=5000)
        outputs = page.locator(".snippet-output")
        assert outputs.count() > 0
        assert outputs.locator("button[data-md-type=copy]").count() == 0, "output blocks must not offer a copy button"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_autograd_formulas_render_with_the_local_katex(page, site_url, prefix):
    """Every formula on the autograd page is typeset by the vendored KaTeX, with its own fonts, offline."""
    page.goto(f"{site_url}/{prefix}basics/autograd/", wait_until="networkidle")
    formulas = page.locator(".arithmatex")
    assert formulas.count() >= 10
    unrendered = page.evaluate(TYPESET_BY_SCROLLING)
    assert not unrendered, f"formulas left as TeX source: {unrendered}"
    assert page.locator("div.arithmatex .katex-display").count() == page.locator("div.arithmatex").count()
    assert page.locator(".katex-error").count() == 0
    loaded = page.evaluate("""async () => {
        await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.startsWith('KaTeX') && f.status === 'loaded').length;
    }""")
    assert loaded > 0, "KaTeX's fonts did not load"
    assert not page.problems, f"/{prefix}basics/autograd/:\n" + "\n".join(page.problems)


def test_autograd_graph_picture_loads(page, site_url):
    page.goto(f"{site_url}/basics/autograd/", wait_until="networkidle")
    image = page.locator('img[src$="autograd-graph.svg"]')
    assert image.count() == 1 and image.get_attribute("alt")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert not page.problems, page.problems


@pytest.mark.parametrize("query, target", [("叶子张量", "basics/autograd/"), ("显存", "reference/myths/")])
def test_chinese_search_for_a_glossary_term_finds_its_page(page, site_url, query, target):
    """Typing a glossary term, as a reader would, lists the page that explains it (its `see`)."""
    page.goto(f"{site_url}/reference/glossary/", wait_until="networkidle")
    hrefs = search(page, query)
    assert any(target in h and "/en/" not in h for h in hrefs), hrefs
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix, query", [("", "rocm6.4"), ("en/", "2.28")])
def test_the_opened_page_highlights_the_version_searched(page, site_url, prefix, query):
    """Material highlights the query on the page a result opens, with a pattern built from the
    query and the search separator (mkdocs.yml); with a backslash in the separator, `rocm6.4`
    marked every 4 on the page and `2.28` every 2."""
    page.goto(f"{site_url}/{prefix}", wait_until="networkidle")
    from urllib.parse import parse_qs, urlsplit

    href = next(h for h in search(page, query) if parse_qs(urlsplit(h).query).get("h"))  # a result that matched
    page.goto(href, wait_until="networkidle")
    marks = page.locator("mark[data-md-highlight]").all_inner_texts()
    assert marks and all(mark.lower() == query for mark in marks), (href, marks[:10])


def test_a_chinese_search_on_the_english_site_points_to_the_chinese_one(page, site_url):
    """Each language has its own index, so Chinese typed on the English site finds nothing (but the
    glossary's Chinese terms); site.js then offers the same search on the page's Chinese twin,
    where Material opens it from `?q=`."""
    page.goto(f"{site_url}/en/basics/tensors/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("安装")
    box.press("End")
    link = page.locator(".site-search-other a")
    link.wait_for(timeout=5_000)
    assert link.get_attribute("href") == f"{site_url}/basics/tensors/?q=%E5%AE%89%E8%A3%85"
    assert link.inner_text() == "在中文版中搜索“安装”" and link.get_attribute("lang") == "zh"
    box.fill("tensor")
    box.press("End")
    page.locator("li.md-search-result__item").first.wait_for()
    assert page.locator(".site-search-other").count() == 0, "no pointer while English finds something"
    box.fill("安装")
    box.press("End")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("input.md-search__input").input_value() == "安装"
    page.locator("li.md-search-result__item").first.wait_for()
    assert not page.problems, page.problems


@pytest.mark.parametrize("query, target", [
    # searched as 显 (显示, 显卡): the drivers page came first (the target was myths#empty-cache
    # until the techniques page's memory sections came, and is now fourth)
    ("显存", "basics/training/#out-of-memory"),
    ("数据类型", "basics/tensors/#shape-and-dtype"),  # searched as 数据: the verify page's 构建类型 came first
    ("计算图", "basics/autograd/"),  # searched as 计算: the install page's 计算平台 came first
    # indexed as 学习 + 率, every 深度学习 matched (training#loss-and-optimizer, the target until
    # basics/optimizers came, is now fourth)
    ("学习率", "basics/techniques/#lr-schedule"),
    ("后端", "concepts/pytorch/#backends"),  # indexed as 后 (a stop word) + 端: nothing was found
])
def test_a_chinese_word_is_searched_whole(search_page, query, target):
    """Material's worker splits a Chinese query into words of the index and dropped a word at the
    query's end (scripts/mkdocs_hooks.py mends it): the page that explains the word is among the
    first three results, and a result's link highlights every character of the query (it had
    `?h=显`, and the page highlighted every 显)."""
    from urllib.parse import parse_qs, urlsplit

    page = search_page("")
    hrefs = search(page, query)
    groups = page.locator("li.md-search-result__item").evaluate_all(
        "items => items.slice(0, 3).map(li => [...li.querySelectorAll('a')].map(a => a.getAttribute('href')))")
    path, _, anchor = target.partition("#")
    assert any(urlsplit(h).path.endswith("/" + path) and urlsplit(h).fragment == anchor
               for group in groups for h in group), (query, groups)
    highlighted = {parse_qs(urlsplit(h).query).get("h", [""])[0] for h in hrefs} - {""}
    assert any(set(query) <= set(h) for h in highlighted), (query, highlighted)  # a result matched all of it
    assert not page.problems, page.problems


def _assert_first_result(page, query, target):
    """The first result (the first page in the list) is `target`'s page; when `target` has a #,
    that section is among the page's matches."""
    from urllib.parse import urlsplit

    search(page, query)
    first = page.locator("li.md-search-result__item").first
    hrefs = first.evaluate("li => [...li.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    path, _, anchor = target.partition("#")
    assert any(urlsplit(h).path.endswith("/" + path) and urlsplit(h).fragment == anchor for h in hrefs), (query, hrefs)


TRACEBACK = ('Traceback (most recent call last): File "train.py", line 9, in <module> loss.backward() '
             'RuntimeError: one of the variables needed for gradient computation has been modified by an '
             'inplace operation: [torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; '
             'expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to '
             'compute its gradient, with torch.autograd.set_detect_anomaly(True).')
NAN_LOC = ("Expected parameter loc (Tensor of shape (32, 4)) of distribution Normal(loc: torch.Size([32, 4]), "
           "scale: torch.Size([32, 4])) to satisfy the constraint Real(), but found invalid values")


@pytest.mark.parametrize("prefix, query, target", [
    ("en/", "view size is not compatible with input tensor's size and stride", "basics/memory-layout/#transpose"),
    ("", "view size is not compatible with input tensor's size and stride", "basics/memory-layout/#transpose"),
    # its "file names" made every word required: nothing. The section that explains the message shows
    # it whole, to the hint (memory-layout#autograd stops at `instead`, myths#data-vs-detach at
    # `is at version 1`, and before autograd printed it whole, memory-layout's came first)
    ("en/", TRACEBACK, "basics/autograd/#inplace-saved"),
    ("", TRACEBACK, "basics/autograd/#inplace-saved"),
    ("", "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
     "basics/autograd/#torch-no-grad"),
    # the error page's own messages, with other numbers than it prints
    ("", "RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x3072 and 784x128)",
     "reference/errors/#mat1-mat2-shapes"),
    # torch 2.15 puts the operation's name first (the page says so; its output is from 2.13)
    ("en/", "RuntimeError: addmm: mat1 and mat2 shapes cannot be multiplied (32x3072 and 784x128)",
     "reference/errors/#mat1-mat2-shapes"),
    ("", "RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (128x784 and 28x10)",
     "reference/errors/#mat1-mat2-shapes"),
    ("en/", "ValueError: Expected input batch_size (512) to match target batch_size (128).",
     "reference/errors/#batch-size-mismatch"),
    ("", "RuntimeError: Expected target size [4, 3], got [4, 7]", "reference/errors/#target-shape"),
    ("en/", "RuntimeError: Expected target size [2, 10], got [2, 5]", "basics/losses/#class-dim"),  # the numbers it prints
    ("", 'NotImplementedError: Module [MyNet] is missing the required "forward" function',
     "reference/errors/#missing-forward"),
    ("en/", "RuntimeError: An attempt has been made to start a new process before the current process has "
     "finished its bootstrapping phase.", "reference/errors/#main-guard"),
    ("", "ValueError: optimizer got an empty parameter list", "basics/modules/#plain-list"),
    ("en/", "ValueError: sampler option is mutually exclusive with shuffle", "basics/data/#weighted-sampler"),
    ("", "ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 16])",
     "basics/data/#batch-size"),
    ("", "NotImplementedError: Padding size 2 is not supported for 4D input tensor.", "basics/layers/#pad"),
    ("", "RuntimeError: Adam does not support sparse gradients, please consider SparseAdam instead",
     "basics/recommender/#sparse-gradients"),
])
def test_searching_a_pasted_error_message_finds_the_section_that_shows_it(page, site_url, prefix, query, target):
    """lunr weighs each word on its own, and sections that use a few of them in a heading came first.
    site.js puts first the section whose title, code or output holds the longest run of the query's
    words in a row: it heads the list and its page's group, and Enter in the search box opens it."""
    from urllib.parse import urlsplit

    path, _, anchor = target.partition("#")
    page.goto(f"{site_url}/{prefix}", wait_until="networkidle")
    search(page, query)
    shown = page.locator("li.md-search-result__item").first.locator(":scope > a")
    section = urlsplit(shown.nth(1).get_attribute("href"))  # the first section under the page's own link
    assert section.path.endswith("/" + path) and section.fragment == anchor, (query, section)
    page.locator("input.md-search__input").press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).fragment == anchor)
    assert urlsplit(page.url).path.endswith("/" + prefix + path), page.url
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_plural_s_of_a_message_is_not_searched(search_page, prefix):
    """`key(s)` was searched as key and s; s, a prefix, drew sections full of words that begin
    with s, and the pages opened from the results highlighted them (`?h=s`)."""
    from urllib.parse import parse_qs, urlsplit

    page = search_page(prefix)
    hrefs = search(page, "Unexpected key(s) in state_dict")
    highlighted = {word for h in hrefs for words in parse_qs(urlsplit(h).query).get("h", []) for word in words.split()}
    assert "key" in highlighted and "s" not in highlighted, highlighted
    assert not page.problems, page.problems


WORKER_CHECK = """async ({url, config, words, queries}) => {
    const worker = new Worker(url);
    const reply = () => new Promise(done => worker.addEventListener("message", e => done(e.data), {once: true}));
    let answer = reply();
    worker.postMessage({type: 0, data: {config, docs: [{location: "", title: "", text: words}], options: {suggest: false}}});
    await answer;
    const found = {};
    for (const query of queries) {
        answer = reply();
        worker.postMessage({type: 2, data: query});
        found[query] = (await answer).data.items.length;
    }
    worker.terminate();
    return found;
}"""


def test_the_search_worker_lists_only_words_of_the_index(page, site_url, site_dir):
    """lunr's word list merged nodes whose keys collided when digits were labels, and made up words
    the index does not have (mkdocs_hooks.TOKEN_SET_FIXES); a query whose prefix reached one stopped
    with a TypeError in the worker and found nothing (`version 1` on the English site, after the
    debugging page). tests/lunr_collision_words.txt holds 160 words of that index that, in a fresh
    worker, make the unmended lunr invent 59 and 51: searched as a prefix, 5 must find them."""
    [worker] = (site_dir / "assets/javascripts/workers").glob("search.*.min.js")
    config = json.loads(docs_model.search_index(site_dir, "en").read_text(encoding="utf-8"))["config"]
    words = (Path(__file__).parent / "lunr_collision_words.txt").read_text(encoding="utf-8").strip()
    warnings = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.goto(f"{site_url}/en/", wait_until="networkidle")
    found = page.evaluate(WORKER_CHECK, {"url": f"{site_url}/assets/javascripts/workers/{worker.name}",
                                         "config": config, "words": words, "queries": ["5", "1"]})
    assert found == {"5": 1, "1": 1} and not warnings, (found, warnings)
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_torch_alone_is_searched_as_that_word(search_page, prefix):
    """torch alone, or with excluded words only, goes to the search as `torch^1` (that word, not a
    prefix): results come, and the TorchScript myth does not lead them."""
    page = search_page(prefix)
    for query in ("torch", "torch -cuda"):
        search(page, query)
        first = page.locator("li.md-search-result__item").first
        assert "torchscript" not in first.inner_text().lower(), (query, first.inner_text())
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix, query, target", [
    # every install page has 安装/install in its title: without the hub's boost, one system's page came first
    ("", "安装", "install/"),
    ("en/", "install", "install/"),
    # error messages as printed, and the words readers use for them
    ("", "CUDA out of memory", "basics/training/#out-of-memory"),
    ("en/", "CUDA out of memory", "basics/training/#out-of-memory"),
    ("", "显存不足", "basics/training/#out-of-memory"),  # concepts/pytorch's 优点与不足 came first
    ("", "DLL load failed", "install/troubleshooting/#dll-load-failed"),
    ("en/", "DLL load failed", "install/troubleshooting/#dll-load-failed"),
    ("", "苹果", "install/macos/"),  # how Chinese readers say Apple (found nothing before)
    ("", "报错", "reference/errors/"),
    # words readers use that the section does not (its `<!-- search-also: -->` line): 找不到 listed the
    # conda myth (装不到) first; 用不了显卡 and 爆显存 found nothing, as 用 and 爆 begin no word of the index
    ("", "找不到 GPU", "install/troubleshooting/#cuda-unavailable"),
    ("", "用不了显卡", "install/troubleshooting/#cuda-unavailable"),
    ("", "爆显存", "basics/training/#out-of-memory"),
    ("", "清华源", "install/troubleshooting/#slow-downloads"),  # as readers call the mirror; 源 alone found 源码
    ("en/", "gpu not detected", "install/troubleshooting/#cuda-unavailable"),
    ("", "换源", "install/troubleshooting/#slow-downloads"),  # two one-character pieces: searched as such
    ("", "显卡型号", "install/drivers/#architectures"),  # 显卡, in several phrases of a search-also line, drew it
    # Chinese question words: 怎么 found autograd's 怎么选 first; and 设, a one-character piece
    # searched as a prefix, found 设备 (the techniques page's section on schedules begins with how
    # to choose the initial rate, and links to what a wrong one looks like)
    ("", "学习率怎么设", "basics/techniques/#lr-schedule"),
    ("", "怎么把张量转成 numpy", "basics/tensors/#numpy"),
    ("", "怎么用显卡训练", "basics/training/#on-the-gpu"),
    ("", "用GPU训练", "basics/training/#on-the-gpu"),  # a lone 用, searched as a prefix, found 用不上 GPU
    ("en/", "device-side assert triggered", "reference/errors/#device-side-assert"),  # was install/verify: device
    ("en/", 'Missing key(s) in state_dict: "module.fc.weight"', "reference/errors/#load-state-dict"),  # its search-also
    # questions in plain words: four common words in a row are no error message (site.js), and
    # finished stop words are left out (searched as prefixes, a and to found alone and TorchScript)
    ("en/", "how to get the shape of a tensor", "basics/tensors/"),
    ("en/", "how to install pytorch with pip", "install/"),
    ("en/", "what is a tensor", "basics/tensors/"),
    ("en/", "convert to numpy", "basics/tensors/#numpy"),
    # the benchmark's NumPy comparison (a short heading, many mentions) came first for these
    ("", "numpy", "basics/tensors/#numpy"),
    ("en/", "numpy()", "basics/tensors/#numpy"),
    # the data page (its title says loading) came first for a model, and the heading of compiled
    # GPU architectures for compile; the data page's default_collate for .item()
    ("", "加载模型", "basics/training/#save-and-load"),
    ("en/", "load model", "basics/training/#save-and-load"),
    ("en/", "torch.load", "basics/training/#save-and-load"),
    ("en/", "torch.compile", "basics/compile/"),  # the page that shows it at work, then the overview
    ("", ".item()", "basics/tensors/#basic-indexing"),
    ("en/", ".item()", "basics/tensors/#basic-indexing"),
    # the install hub (boosted for 安装) came first for PyTorch itself
    ("", "什么是 PyTorch", "concepts/pytorch/"),
    ("en/", "what is pytorch", "concepts/pytorch/"),
    # sections named by their API (train() 与 eval(), 自定义 Dataset), found by the readers' words:
    # modules came first for 自定义数据集; BatchNorm found train-eval until basics/layers explained it
    ("", "自定义数据集", "basics/training/#custom-dataset"),
    ("", "BatchNorm", "basics/layers/#batch-norm"),
    ("en/", "batch norm", "basics/layers/#batch-norm"),
    # the layers a model is built of, by their Chinese names and the words beginners use
    ("", "卷积", "basics/layers/#conv2d"),
    ("en/", "convolution", "basics/layers/#conv2d"),
    ("", "池化", "basics/layers/#pooling"),
    ("en/", "pooling", "basics/layers/#max-pool"),
    ("", "输出尺寸", "basics/layers/#output-size"),
    ("en/", "output size", "basics/layers/#output-size"),
    ("", "F.pad", "basics/layers/#pad"),
    ("", "镜像填充", "basics/layers/#pad"),
    ("en/", "reflect padding", "basics/layers/#pad"),
    ("", "全局平均池化", "basics/layers/#adaptive-pool"),
    ("", "词向量", "basics/layers/#embedding"),
    ("en/", "LSTM", "basics/layers/#lstm"),
    ("", "双向 LSTM", "basics/layers/#lstm-layers"),
    ("en/", "LazyLinear", "basics/layers/#flatten-size"),
    ("en/", "LayerNorm", "basics/layers/#layer-norm"),
    ("", "Expected tensor for argument #1 'indices' to have one of the following scalar types",
     "basics/layers/#embedding"),
    ("", "多头注意力", "basics/layers/#attention"),
    ("en/", "self-attention", "basics/layers/#attention"),
    ("", "掩码", "basics/layers/#key-padding-mask"),
    ("en/", "attention mask", "basics/layers/#key-padding-mask"),
    # optimizers: how step() updates, momentum vs Adam, the state Adam keeps, parameter groups
    ("", "动量", "basics/optimizers/#comparison"),
    ("en/", "momentum", "basics/optimizers/#comparison"),
    ("", "梯度清零", "basics/optimizers/#zero-grad"),
    ("en/", "zero_grad", "basics/optimizers/#zero-grad"),
    ("", "Adam 还是 SGD", "basics/optimizers/#which-one"),
    ("en/", "SGD vs Adam", "basics/optimizers/#comparison"),
    ("", "优化器状态", "basics/optimizers/#optimizer-state"),
    ("", "分层学习率", "basics/optimizers/#param-groups"),
    ("en/", "param_groups", "basics/optimizers/#param-groups"),
    # losses: cross-entropy's parts and targets, the class dimension, padding, weights, BCE, regression
    ("", "交叉熵", "basics/losses/#cross-entropy-by-hand"),
    ("en/", "NLLLoss", "basics/losses/#cross-entropy-by-hand"),
    ("", "标签平滑", "basics/losses/#soft-targets"),
    ("en/", "label smoothing", "basics/losses/#soft-targets"),
    ("", "Expected target size", "basics/losses/#class-dim"),
    ("en/", "ignore_index", "basics/losses/#ignore-index"),
    ("", "类别权重", "basics/losses/#class-weights"),
    ("", "多标签", "basics/losses/#bce-with-logits"),
    ("en/", "multi-label", "basics/losses/#bce-with-logits"),
    ("en/", "pos_weight", "basics/losses/#bce-with-logits"),
    ("", "数值稳定", "basics/losses/#bce-stability"),
    ("", "均方误差", "basics/losses/#mse-l1-huber"),
    ("en/", "outlier", "basics/losses/#mse-l1-huber"),
    ("", "用哪个损失函数", "basics/losses/#which-loss"),
    # the digits project (at boost 0.6, so that the pages explaining convolution, augmentation and
    # validation sets keep their words)
    ("", "手写数字", "basics/digits/"),
    ("en/", "handwritten digits", "basics/digits/"),
    ("", "load_digits", "basics/digits/#data"),
    ("", "混淆矩阵", "basics/binary/#confusion"),  # was digits#test (its 10×10 table), before the binary page explained the four cells
    ("en/", "confusion matrix", "basics/binary/#confusion"),
    ("", "准确率", "basics/binary/#confusion"),  # the Transformer page came first, for its tag 测试集准确率
    ("en/", "accuracy", "basics/binary/#confusion"),
    ("", "基线", "basics/digits/#baseline"),
    ("", "随机平移", "basics/digits/#augment"),
    ("", "MNIST", "basics/digits/"),  # the page that says what changes for it
    ("en/", "MNIST", "basics/digits/"),
    # reproducibility: training#device ("Device and random seed") came first for random seed
    ("", "随机种子", "basics/reproducibility/"),
    ("en/", "random seed", "basics/reproducibility/"),
    ("", "可复现", "basics/reproducibility/"),
    ("en/", "reproducible", "basics/reproducibility/"),
    ("", "每次结果不一样", "basics/reproducibility/"),
    ("en/", "manual_seed", "basics/reproducibility/"),
    ("", "随机数生成器", "basics/reproducibility/"),
    ("", "线程数", "basics/reproducibility/#float-order"),  # was the benchmark's NumPy comparison
    ("en/", "floating point addition order", "basics/reproducibility/#float-order"),  # was errors
    ("", "use_deterministic_algorithms", "basics/reproducibility/#deterministic"),
    ("en/", "cudnn.benchmark", "basics/reproducibility/#deterministic"),  # was the benchmark page
    ("en/", "CUBLAS_WORKSPACE_CONFIG", "basics/reproducibility/#deterministic"),
    # torch.compile: its page, and the message a graph break gives with fullgraph=True
    ("", "torch.compile", "basics/compile/"),
    ("", "图中断", "basics/compile/#graph-breaks"),
    ("en/", "graph break", "basics/compile/#graph-breaks"),
    ("en/", "Data-dependent branching", "basics/compile/#graph-breaks"),  # was the data page
    ("", "算子融合", "basics/compile/#fusion"),
    ("en/", "recompile", "basics/compile/#recompile"),
    ("", "_orig_mod", "basics/compile/#compile-model"),
    ("en/", "fullgraph", "basics/compile/#graph-breaks"),
    ("", "torch.export", "basics/export/"),
    ("en/", "export model", "basics/export/"),
    ("", "导出模型", "basics/export/"),
    ("", "动态形状", "basics/export/#dynamic-shapes"),
    ("en/", "Constraints violated", "basics/export/#dynamic-shapes"),
    ("en/", "Guard failed", "basics/export/#fixed-shape"),
    ("", "torch.cond", "basics/export/#branches"),
    ("", "部署", "basics/export/#deploy"),
    ("en/", "ONNX", "basics/export/#deploy"),  # the footnotes, in the last section, came first
    ("en/", "pt2", "basics/export/#save-and-load"),
    # torch.profiler: its page, what readers call it, and the warnings it prints
    ("", "性能分析", "basics/profiler/"),
    ("", "profiler", "basics/profiler/"),
    ("en/", "profiler", "basics/profiler/"),
    ("en/", "profiling", "basics/profiler/"),
    ("", "瓶颈", "basics/profiler/"),
    ("en/", "bottleneck", "basics/profiler/"),
    ("", "record_function", "basics/profiler/#labels"),
    ("", "key_averages", "basics/profiler/#profile-a-step"),
    ("en/", "Profiler clears events at the end of each cycle", "basics/profiler/#schedule"),
    ("", "Memory block of unknown size was allocated", "basics/profiler/#train-step"),
    ("", "chrome trace", "basics/profiler/#trace"),
    ("en/", "SyncActivityProfilerHandler.cpp:52] profiler_start", "basics/profiler/#profile-a-step"),
    ("", "KINETO_LOG_LEVEL", "basics/profiler/#profile-a-step"),
    ("", "循环太慢", "basics/profiler/#many-small-ops"),
    ("en/", "slow for loop", "basics/profiler/#many-small-ops"),
    ("", "向量化", "basics/profiler/#many-small-ops"),  # jieba cut it into 向 + 量化 (the glossary makes it a word)
    ("en/", "vectorization", "basics/profiler/#many-small-ops"),
    # DDP: its page, what readers call it, its calls and the error an unused parameter gives
    ("", "多卡训练", "gpu/ddp/"),
    ("", "分布式训练", "gpu/ddp/"),
    ("", "微调", "basics/modules/#freeze"),  # the memory page's tag 微调要多少显存 came first
    ("", "Adam", "basics/optimizers/"),  # weight decay's tag AdamW (a prefix match) came first
    ("en/", "Adam", "basics/optimizers/"),
    ("", "单机多卡", "gpu/ddp/"),
    ("en/", "distributed training", "gpu/ddp/"),
    ("en/", "multi-GPU", "gpu/ddp/"),
    ("", "DistributedDataParallel", "gpu/ddp/"),
    ("en/", "DDP", "gpu/ddp/"),
    ("", "DataParallel", "gpu/ddp/#processes"),
    ("", "torchrun", "gpu/ddp/#torchrun"),
    ("en/", "LOCAL_RANK", "gpu/ddp/#torchrun"),
    ("", "DistributedSampler", "gpu/ddp/#sampler"),
    ("en/", "set_epoch", "gpu/ddp/#sampler"),
    ("", "all_reduce", "gpu/ddp/#collectives"),
    ("", "集合通信", "gpu/ddp/#collectives"),
    ("", "SyncBatchNorm", "gpu/ddp/#average"),
    ("", "卡住", "gpu/ddp/#pitfalls"),
    ("en/", "Expected to have finished reduction in the prior iteration", "gpu/ddp/#pitfalls"),
    ("", "find_unused_parameters", "gpu/ddp/#pitfalls"),
    ("en/", "terminate called without an active exception", "gpu/ddp/#pitfalls"),
    # memory: what readers ask about it, and the sections' own words
    ("", "显存占用", "basics/memory/"),
    ("", "需要多少显存", "basics/memory/"),
    ("en/", "how much GPU memory", "basics/memory/"),
    ("", "7B 模型要多少显存", "basics/memory/#big-models"),
    ("en/", "7B model memory", "basics/memory/#big-models"),
    ("", "激活值", "basics/memory/#activations"),
    ("en/", "activation memory", "basics/memory/#activations"),
    ("", "max_memory_allocated", "basics/memory/#on-the-gpu"),
    ("en/", "CUDA context", "basics/memory/#on-the-gpu"),
    # distributions: sampling, likelihood, and the error a network's nan parameters raise
    ("", "概率分布", "basics/distributions/"),
    ("", "torch.distributions", "basics/distributions/"),
    ("", "log_prob", "basics/distributions/#normal"),
    ("", "采样温度", "basics/distributions/#temperature"),
    ("en/", "top-k sampling", "basics/distributions/#temperature"),  # not gather-scatter's topk
    ("", "最大似然估计", "basics/distributions/#fit"),
    ("en/", "maximum likelihood", "basics/distributions/#fit"),
    ("", "GaussianNLLLoss", "basics/distributions/#gaussian-nll"),
    ("", "重参数化", "basics/distributions/#rsample"),  # jieba: 重 + 参数 + 化 found optimizers' 参数
    ("", "重参数化技巧", "basics/distributions/#rsample"),  # techniques' title 常用技巧 came first
    ("en/", "reparameterization trick", "basics/distributions/#rsample"),  # techniques' tag "tricks" came first
    ("", "Gumbel-softmax", "basics/distributions/#rsample"),
    ("", "KL 散度", "basics/distributions/#kl"),
    ("en/", "KL divergence", "basics/distributions/#kl"),
    ("", NAN_LOC, "basics/distributions/#validation"),
    ("en/", NAN_LOC, "basics/distributions/#validation"),
    # time series: the project page, and the layers page still first for the LSTM itself
    ("", "时间序列", "basics/time-series/"),
    ("en/", "time series forecasting", "basics/time-series/"),
    ("", "LSTM 时间序列预测", "basics/time-series/"),
    ("", "多步预测", "basics/time-series/#multi-step"),
    ("", "滑动窗口", "basics/time-series/#windows"),
    ("en/", "naive forecast", "basics/time-series/#baselines"),
    ("", "LSTM", "basics/layers/#lstm"),  # the project page's title came first, before the heading said nn.LSTM
    ("", "训练循环", "basics/training/#training-loop"),  # with 循环层 a search word (not now), its prefix 循环 found the LSTM
    ("", "for 循环", "basics/profiler/#many-small-ops"),
    ("", "激活函数", "concepts/deep-learning/#why-depth"),  # 激活 matched the memory page's 激活值 as a prefix
    ("", "分布", "basics/distributions/"),  # the DDP page's 分布式 came first (a prefix match weighed as the word: mkdocs_hooks.PREFIX_FIXES); 分布式训练 stays with it (a case further up)
    # joining tensors, once only in the cheat sheet and in the data page's collate sections
    ("", "拼接", "basics/tensors/#joining"),
    ("en/", "cat vs stack", "basics/tensors/#cat-and-stack"),
    ("en/", "concatenate", "basics/tensors/#cat-and-stack"),
    ("en/", "clone", "basics/tensors/#basic-indexing"),  # autograd#inference-mode came first
    # reductions along a dimension; concepts/pytorch at boost 2 drew sum to its dynamic-graph code
    ("", "clamp", "basics/tensors/#clamp-where"),
    ("en/", "torch.where", "basics/tensors/#clamp-where"),  # where was an English stop word
    ("", "四舍五入", "basics/tensors/#math-functions"),
    ("en/", "sqrt", "basics/tensors/#math-functions"),
    ("", "sum", "basics/tensors/#reductions"),
    ("", "均值", "basics/tensors/#reductions"),  # the layers page's batch norm came first
    # terms whose section a heading word elsewhere outranked: modules#functional (function*) for loss
    # function, concepts/pytorch's dynamic graph for computation graph, the home page for graphics card.
    # Loss function once found training#loss-and-optimizer by its search-also line; the losses page
    # now has the words in its title
    ("en/", "loss function", "basics/losses/"),
    ("", "损失函数", "basics/losses/"),  # the debugging page's title has 损失
    ("en/", "computation graph", "basics/autograd/#computation-graph"),
    ("en/", "graphics card", "install/drivers/#architectures"),
    ("en/", "sum", "basics/tensors/#reductions"),
    ("en/", "keepdim", "basics/tensors/#reductions"),
    ("en/", "reduction", "basics/tensors/#reductions"),  # the glossary's entry came first
    ("", "检查 cuda 是否可用", "install/verify/#cuda"),  # 检查 drew custom-function's gradient checks
    ("en/", "m1 gpu", "install/macos/#mps"),  # concepts/deep-learning#why-gpu came first
    ("", "维度不对", "reference/errors/#shapes"),  # a heading 按维度归约 (now 沿某一维归约) came first
    ("", "梯度", "basics/autograd/"),  # custom-function came first: 梯度 is in its title, not autograd's
    ("en/", "gradient", "basics/autograd/"),
    ("", "梯度累积", "basics/techniques/#gradient-accumulation"),  # custom-function came first
    ("en/", "gradient accumulation", "basics/techniques/#gradient-accumulation"),
    ("", "accumulation_steps", "basics/techniques/#gradient-accumulation"),  # a name only its code has
    ("en/", "no_sync", "gpu/ddp/#no-sync"),  # was techniques#accumulation-notes, which names it and links there
    ("", "no_sync", "gpu/ddp/#no-sync"),
    ("en/", "accumulate gradients over micro-batches", "basics/techniques/#gradient-accumulation"),
    ("", "梯度检查", "basics/custom-function/"),  # not the 梯度检查点 of activation checkpointing
    ("", "梯度检查点", "basics/techniques/#activation-checkpointing"),
    ("", "激活检查点", "basics/techniques/#activation-checkpointing"),
    ("", "use_reentrant", "basics/techniques/#activation-checkpointing"),
    ("en/", "gradient checkpointing", "basics/techniques/#activation-checkpointing"),
    ("en/", "saved_tensors_hooks", "basics/memory/#activations"),  # as a tag of checkpointing, it took "save model"
    ("en/", "save model", "basics/training/#save-and-load"),
    ("en/", "activation function", "concepts/deep-learning/#why-depth"),  # memory's "Activations" came first
    ("", "连续内存", "basics/tensors/#permute-and-transpose"),  # data#files came first
    ("", "Sizes of tensors must match except in dimension 1", "reference/errors/#cat-sizes"),
    ("en/", "Sizes of tensors must match except in dimension 1", "reference/errors/#cat-sizes"),
    # messages of a CPU build and of a too-old driver (verify#architectures and install/drivers came first)
    ("", "Torch not compiled with CUDA enabled", "install/troubleshooting/#cuda-unavailable"),
    ("en/", "Torch not compiled with CUDA enabled", "install/troubleshooting/#cuda-unavailable"),
    ("en/", "NVIDIA driver on your system is too old", "install/troubleshooting/#cuda-unavailable"),
    ("en/", "size mismatch for", "reference/errors/#load-state-dict"),  # load_state_dict's shape message
    ("", "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]",
     "reference/errors/#conv-input-dims"),
    ("en/", "Expected 3D (unbatched) or 4D (batched) input to conv2d", "reference/errors/#conv-input-dims"),
    # pip on a system Python that PEP 668 marks as managed (Debian 12, Ubuntu 23.04+, Homebrew)
    ("", "error: externally-managed-environment", "install/troubleshooting/#externally-managed"),
    ("en/", "error: externally-managed-environment", "install/troubleshooting/#externally-managed"),
    ("en/", "break-system-packages", "install/troubleshooting/#externally-managed"),  # the install hub came first
    ("", "IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)",
     "reference/errors/#dim-out-of-range"),
    ("en/", "ValueError: expected sequence of length 3 at dim 1 (got 2)", "reference/errors/#ragged-lists"),
    ("en/", "ValueError: Target size (torch.Size([16])) must be the same as input size (torch.Size([16, 1]))",
     "reference/errors/#target-size-warning"),
    ("", "TypeError: 'DataLoader' object is not an iterator", "reference/errors/#loader-not-iterator"),
    ("en/", "'DataLoader' object is not subscriptable", "reference/errors/#loader-not-iterator"),
    ("", "ValueError: num_samples should be a positive integer value, but got num_samples=0",
     "reference/errors/#empty-dataset"),
    ("en/", "num_samples should be a positive integer value", "reference/errors/#empty-dataset"),
    # what the GPU of Apple silicon refuses (install/macos#mps)
    ("", "Cannot convert a MPS Tensor to float64 dtype", "install/macos/#mps"),
    ("en/", "is not currently implemented for the MPS device", "install/macos/#mps"),
    ("en/", "PYTORCH_ENABLE_MPS_FALLBACK", "install/macos/#mps"),
    # a convolution's wording of a device mismatch (CPU input, model on the GPU), as readers paste it
    ("", "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same",
     "basics/tensors/#same-device"),
    ("en/", "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same",
     "basics/tensors/#same-device"),
    ("", "RuntimeError: Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same "
     "or input should be a MKLDNN tensor and weight is a dense tensor", "basics/tensors/#same-device"),
    # every page is about torch, and searched as a prefix it also found the rare word TorchScript in a
    # heading, which outweighed the rest: each of these listed the TorchScript myth first. site.js
    # leaves torch (and the torch. of an API name) out of a query that has other words
    ("", "torch.tensor", "basics/tensors/"),
    ("en/", "torch.randn", "basics/tensors/#random"),
    ("en/", "torch.nn.functional", "basics/modules/#functional"),  # was concepts/components#nn, through nn alone
    ("", "pip install torch", "install/linux/#pip"),
    # how readers describe a training that does not learn (basics/debugging's search-also lines)
    ("", "loss 不下降", "basics/debugging/#loss-stuck"),
    ("", "loss 为 nan", "basics/debugging/#nan-loss"),
    # 归一化 names both: the normalization layers (basics/layers) and inputs brought to one scale
    ("", "归一化", "basics/layers/#normalization"),
    ("", "输入归一化", "basics/debugging/#input-scale"),
    ("", "标准化", "basics/debugging/#input-scale"),
    ("en/", "normalize inputs", "basics/debugging/#input-scale"),
    ("en/", "loss is nan", "basics/debugging/#nan-loss"),
    ("en/", "weights not updating", "basics/debugging/#parameters-change"),
    ("", "梯度消失", "basics/debugging/#vanishing-gradients"),
    ("", "网络太深", "basics/debugging/#vanishing-gradients"),
    ("en/", "vanishing gradient", "basics/debugging/#vanishing-gradients"),
    ("en/", "deep network", "basics/debugging/#vanishing-gradients"),
    ("en/", "kaiming", "basics/modules/#init"),  # not the debugging page, which uses kaiming_normal_
    # sections readers look for by their own words (search-also lines)
    ("", "卸载", "install/troubleshooting/#uninstall"),
    ("", "pip uninstall", "install/troubleshooting/#uninstall"),  # the Linux page's pip came first
    ("en/", "uninstall pytorch", "install/troubleshooting/#uninstall"),
    ("", "断点续训", "basics/training/#checkpoint"),
    # basics/techniques: its topics by the words readers use (headings and search-also lines)
    ("", "早停", "basics/techniques/#early-stopping"),
    ("", "Dropout", "basics/techniques/#dropout"),  # was torch-func#randomness (vmap and Dropout)
    ("en/", "dropout", "basics/techniques/#dropout"),
    ("", "训练", "basics/training/"),  # the DDP page's section 训练 came first (a search-also line now)
    ("en/", "training", "basics/training/"),
    ("", "预训练", "basics/modules/#freeze"),  # cut as 预 + 训练, searched as 训练 (EXTRA_WORDS)
    ("en/", "pretrained", "basics/modules/#freeze"),
    ("en/", "batch size", "basics/data/#batch-size"),  # the tags BatchNorm1d and BatchNorm2d took it to layers
    ("en/", "BatchNorm2d", "basics/layers/#batch-norm"),
    # basics/vae
    ("", "VAE", "basics/vae/"),
    ("", "变分自编码器", "basics/vae/#vae-model"),
    ("", "自编码器", "basics/vae/#autoencoder"),
    ("", "潜空间", "basics/vae/#autoencoder-samples"),
    ("", "生成模型", "basics/vae/"),
    ("en/", "autoencoder", "basics/vae/#autoencoder"),
    ("en/", "ELBO", "basics/vae/#vae-model"),
    ("en/", "beta-VAE", "basics/vae/#sigma"),
    ("", "混合精度", "basics/techniques/#mixed-precision"),
    ("", "梯度爆炸", "basics/techniques/#gradient-clipping"),
    ("", "验证损失上升", "basics/techniques/#overfitting"),
    ("en/", "weight decay", "basics/techniques/#weight-decay"),  # the loss page came first, for weights, weighted, pos_weight (PREFIX_FIXES)
    ("en/", "GradScaler", "basics/techniques/#grad-scaler"),
    ("en/", "validation loss increasing", "basics/techniques/#overfitting"),
    # basics/modules
    ("", "冻结", "basics/modules/#freeze"),
    ("", "参数量", "basics/modules/#parameters"),
    ("en/", "freeze layers", "basics/modules/#freeze"),
    ("en/", "weight initialization", "basics/modules/#init"),
    ("", "数据加载", "basics/data/"),
    ("", "学习率太大", "basics/debugging/#learning-rate"),  # searched as 学习率 alone: the schedules came first
    ("", "梯度太大", "basics/techniques/#gradient-clipping"),
    ("", "num_workers", "basics/data/#workers"),
    ("", "collate_fn", "basics/data/#collate-fn"),
    ("", "类别不平衡", "basics/data/#imbalanced"),
    ("", "内存放不下", "basics/data/#files"),
    ("en/", "class imbalance", "basics/data/#imbalanced"),
    ("en/", "pin_memory", "basics/data/#worker-options"),
    # basics/numerics
    ("", "类型提升", "basics/numerics/#type-promotion"),
    ("", "浮点数比较", "basics/numerics/#compare"),
    ("", "0.1 + 0.2", "basics/numerics/#floats-are-approximate"),
    ("", "float16 和 bfloat16 的区别", "basics/numerics/#float-types"),
    ("", "uint8 溢出", "basics/numerics/#integer-overflow"),
    ("", "累加误差", "basics/numerics/#absorption"),
    ("", "softmax 出现 nan", "basics/numerics/#exp-log"),
    ("en/", "type promotion", "basics/numerics/#type-promotion"),
    ("en/", "assert_close", "basics/numerics/#compare"),
    ("en/", "bfloat16 vs float16", "basics/numerics/#float-types"),
    ("en/", "integer overflow", "basics/numerics/#integer-overflow"),
    ("en/", "logsumexp", "basics/numerics/#exp-log"),
    ("en/", "Tensor-likes are not close", "basics/numerics/#compare"),
    # basics/matmul
    ("", "einsum", "basics/matmul/#einsum"),
    ("", "批量矩阵乘法", "basics/matmul/#batched"),
    ("", "bmm", "basics/matmul/#mm-bmm"),
    ("", "矩阵乘向量", "basics/matmul/#by-dimension"),
    ("en/", "einsum", "basics/matmul/#einsum"),
    ("en/", "batched matrix multiplication", "basics/matmul/#batched"),
    ("en/", "Expected size for first two dimensions of batch2 tensor", "basics/matmul/#batched"),
    ("en/", "einsum(): subscript j has size 2 for operand 1 which does not broadcast", "basics/matmul/#einsum-error"),
    # basics/gan
    ("", "GAN", "basics/gan/"),
    ("", "判别器", "basics/gan/"),
    ("en/", "mode collapse", "basics/gan/#mode-collapse"),
    ("en/", "non-saturating loss", "basics/gan/#generator-loss"),
    # basics/diffusion
    ("", "扩散模型", "basics/diffusion/"),
    ("", "DDPM", "basics/diffusion/"),
    ("", "噪声调度", "basics/diffusion/#forward"),
    ("", "预测噪声", "basics/diffusion/#predict-noise"),
    ("", "无分类器引导", "basics/diffusion/#next-steps"),
    ("en/", "diffusion model", "basics/diffusion/"),
    ("en/", "noise schedule", "basics/diffusion/#forward"),
    ("en/", "memorization", "basics/diffusion/#copying"),
    ("en/", "classifier-free guidance", "basics/diffusion/#next-steps"),
    # basics/gnn
    ("", "图神经网络", "basics/gnn/"),
    ("", "稀疏张量", "basics/gnn/#sparse"),
    ("", "邻接矩阵", "basics/gnn/#sparse"),
    ("", "消息传递", "basics/gnn/#message-passing"),
    ("", "半监督", "basics/gnn/#train"),
    ("en/", "graph neural network", "basics/gnn/"),
    ("en/", "sparse tensor", "basics/gnn/#sparse"),
    ("en/", "sparse_coo_tensor", "basics/gnn/#sparse"),
    ("en/", "karate club", "basics/gnn/#data"),
    # basics/fft
    ("", "傅里叶变换", "basics/fft/"),
    ("", "频谱泄漏", "basics/fft/#leakage"),
    ("", "窗函数", "basics/fft/#leakage"),  # 窗 + 函数 found the losses page (a glossary word now)
    ("", "卷积定理", "basics/fft/#convolution"),
    ("", "循环卷积", "basics/fft/#convolution"),  # 循环 + 卷积 found layers, then the profiler
    ("", "STFT", "basics/fft/#stft"),
    ("en/", "fourier transform", "basics/fft/"),
    ("en/", "spectral leakage", "basics/fft/#leakage"),
    ("en/", "torch.stft", "basics/fft/#stft"),
    ("en/", "convolution theorem", "basics/fft/#convolution"),
    # basics/recommender
    ("", "推荐系统", "basics/recommender/"),
    ("", "矩阵分解", "basics/recommender/#model"),
    ("", "冷启动", "basics/recommender/#cold-start"),
    ("en/", "recommender system", "basics/recommender/"),
    ("en/", "matrix factorization", "basics/recommender/#model"),
    ("en/", "SparseAdam", "basics/recommender/#sparse-gradients"),
    # basics/policy-gradient
    ("", "强化学习", "basics/policy-gradient/"),
    ("", "策略梯度", "basics/policy-gradient/#loss"),
    ("", "折扣因子", "basics/policy-gradient/#returns"),
    ("", "倒立摆", "basics/policy-gradient/#env"),
    ("en/", "reinforcement learning", "basics/policy-gradient/"),
    ("en/", "REINFORCE", "basics/policy-gradient/#loss"),  # not distributions#rsample, which names it
    ("en/", "discount factor", "basics/policy-gradient/#returns"),
    ("en/", "CartPole", "basics/policy-gradient/#env"),
    # basics/segmentation
    ("", "图像分割", "basics/segmentation/"),
    ("", "语义分割", "basics/segmentation/"),
    ("", "交并比", "basics/segmentation/#metrics"),
    ("", "跳跃连接", "basics/segmentation/#unet"),  # 跳跃 + 连接 found layers (全连接) first
    ("", "U-Net", "basics/segmentation/#unet"),
    ("en/", "semantic segmentation", "basics/segmentation/"),
    ("en/", "mean IoU", "basics/segmentation/#metrics"),
    ("en/", "skip connection", "basics/segmentation/#unet"),
    # basics/curve-fitting
    ("", "曲线拟合", "basics/curve-fitting/"),
    ("", "LBFGS", "basics/curve-fitting/#lbfgs"),
    ("", "闭包", "basics/curve-fitting/#lbfgs"),
    ("", "标准误差", "basics/curve-fitting/#uncertainty"),
    ("en/", "curve fitting", "basics/curve-fitting/"),
    ("en/", "torch.optim.LBFGS", "basics/curve-fitting/#lbfgs"),
    ("en/", "standard error", "basics/curve-fitting/#uncertainty"),
    ("en/", "nonlinear least squares", "basics/curve-fitting/#uncertainty"),
    # basics/pinn
    ("", "微分方程", "basics/pinn/"),
    ("", "物理信息神经网络", "basics/pinn/"),
    ("", "泊松方程", "basics/pinn/#problem"),
    ("", "有限差分法", "basics/pinn/#finite-differences"),
    ("en/", "differential equation", "basics/pinn/"),
    ("en/", "PINN", "basics/pinn/"),
    ("en/", "physics-informed neural network", "basics/pinn/"),
    # basics/adversarial
    ("", "对抗样本", "basics/adversarial/"),
    ("", "FGSM", "basics/adversarial/#fgsm"),
    ("", "PGD", "basics/adversarial/#pgd"),
    ("", "对输入求梯度", "basics/adversarial/#input-gradient"),
    ("", "迁移性", "basics/adversarial/#transfer"),
    ("", "对抗训练", "basics/adversarial/#adversarial-training"),
    ("en/", "adversarial example", "basics/adversarial/"),
    ("en/", "gradient with respect to the input", "basics/adversarial/#input-gradient"),
    ("en/", "projected gradient descent", "basics/adversarial/#pgd"),
    ("en/", "adversarial training", "basics/adversarial/#adversarial-training"),
    # basics/pruning
    ("", "剪枝", "basics/pruning/"),
    ("", "结构化剪枝", "basics/pruning/#structured"),
    ("", "迭代剪枝", "basics/pruning/#iterative"),
    ("", "prune.remove", "basics/pruning/#storage"),
    ("en/", "pruning", "basics/pruning/"),
    ("en/", "structured pruning", "basics/pruning/#structured"),
    ("en/", "global_unstructured", "basics/pruning/#global"),
    # basics/calibration
    ("", "概率校准", "basics/calibration/"),
    ("", "温度缩放", "basics/calibration/#temperature"),
    ("", "可靠性图", "basics/calibration/#reliability"),
    ("en/", "calibration", "basics/calibration/"),
    ("en/", "expected calibration error", "basics/calibration/#reliability"),
    ("en/", "temperature scaling", "basics/calibration/#temperature"),
    # basics/quantile
    ("", "分位数回归", "basics/quantile/"),
    ("", "预测区间", "basics/quantile/"),
    ("", "共形预测", "basics/quantile/#conformal"),
    ("en/", "quantile regression", "basics/quantile/"),
    ("en/", "pinball loss", "basics/quantile/#pinball"),
    ("en/", "conformal prediction", "basics/quantile/#conformal"),
    # basics/label-noise
    ("", "标签噪声", "basics/label-noise/"),
    ("", "错误标签", "basics/label-noise/"),
    ("", "随机标签", "basics/label-noise/#random-labels"),
    ("en/", "label noise", "basics/label-noise/"),
    ("en/", "noisy labels", "basics/label-noise/"),
    # basics/weight-averaging
    ("", "权重平均", "basics/weight-averaging/"),
    ("", "指数移动平均", "basics/weight-averaging/#ema"),
    ("", "随机权重平均", "basics/weight-averaging/#swa"),
    ("", "EMA", "basics/weight-averaging/#ema"),
    ("", "update_bn", "basics/weight-averaging/#batchnorm"),
    ("en/", "weight averaging", "basics/weight-averaging/"),
    ("en/", "exponential moving average", "basics/weight-averaging/#ema"),
    ("en/", "SWA", "basics/weight-averaging/#swa"),
    # basics/quantization
    ("", "量化", "basics/quantization/"),
    ("", "量化感知训练", "basics/quantization/#qat"),
    ("", "直通估计", "basics/quantization/#qat"),
    ("", "逐通道量化", "basics/quantization/#per-channel"),
    ("en/", "quantization", "basics/quantization/"),
    ("en/", "straight-through estimator", "basics/quantization/#qat"),
    ("en/", "per-channel quantization", "basics/quantization/#per-channel"),
    # basics/ood
    ("", "分布外检测", "basics/ood/"),
    ("", "OOD", "basics/ood/"),
    ("", "能量分数", "basics/ood/#scores"),
    ("", "softmax 置信度", "basics/ood/#confidence"),
    ("en/", "out-of-distribution detection", "basics/ood/"),
    ("en/", "energy score", "basics/ood/#scores"),
    ("en/", "AUROC", "basics/ood/#scores"),
    # basics/clustering
    ("", "聚类", "basics/clustering/"),
    ("", "高斯混合模型", "basics/clustering/#gmm"),
    ("", "k-means++", "basics/clustering/#restarts"),
    ("", "BIC", "basics/clustering/#choose-k"),
    ("en/", "clustering", "basics/clustering/"),
    ("en/", "Gaussian mixture", "basics/clustering/#gmm"),
    ("en/", "EM algorithm", "basics/clustering/#gmm"),
    # basics/normalizing-flow (its search boost keeps the pages that define likelihood and generative models first)
    ("", "标准化流", "basics/normalizing-flow/"),
    ("", "变量替换", "basics/normalizing-flow/#change-of-variables"),
    ("", "耦合层", "basics/normalizing-flow/#coupling"),
    ("", "最大似然", "basics/distributions/#fit"),
    ("en/", "normalizing flow", "basics/normalizing-flow/"),
    ("en/", "change of variables", "basics/normalizing-flow/#change-of-variables"),
    ("en/", "coupling layer", "basics/normalizing-flow/#coupling"),
    ("en/", "generative model", "basics/vae/"),
    # basics/gaussian-process
    ("", "高斯过程", "basics/gaussian-process/"),
    ("", "边缘似然", "basics/gaussian-process/#lengthscale"),
    ("", "Cholesky 分解", "basics/gaussian-process/#kernel"),
    ("", "局部最优", "basics/gaussian-process/#fit"),
    ("en/", "Gaussian process", "basics/gaussian-process/"),
    ("en/", "marginal likelihood", "basics/gaussian-process/#lengthscale"),
    ("en/", "cholesky_solve", "basics/gaussian-process/#model"),
    # basics/parametrize (its search boost keeps basics/layers first for 归一化; 投影 stays with PCA)
    ("", "参数化", "basics/parametrize/"),
    ("", "正交矩阵", "basics/parametrize/#orthogonal"),
    ("", "谱归一化", "basics/parametrize/#spectral-norm"),
    ("", "幂迭代", "basics/parametrize/#spectral-norm"),
    ("", "权重归一化", "basics/parametrize/#weight-norm"),
    ("", "投影", "basics/pca/#project"),
    ("en/", "parametrization", "basics/parametrize/"),
    ("en/", "register_parametrization", "basics/parametrize/#positive"),
    ("en/", "spectral normalization", "basics/parametrize/#spectral-norm"),
    ("en/", "weight_norm", "basics/parametrize/#weight-norm"),
    # basics/fx (its search boost keeps basics/autograd first for 计算图, below, and for computation graph,
    # a case further up; basics/compile keeps graph break, also further up)
    ("", "torch.fx", "basics/fx/"),
    ("", "代理", "basics/fx/#proxy"),
    ("", "融合 BatchNorm", "basics/fx/#fuse"),
    ("", "Interpreter", "basics/fx/#interpreter"),
    ("", "计算图", "basics/autograd/#computation-graph"),
    ("en/", "torch.fx", "basics/fx/"),
    ("en/", "GraphModule", "basics/fx/#trace"),
    ("en/", "ShapeProp", "basics/fx/#shapes"),
    ("en/", "fuse batchnorm", "basics/fx/#fuse"),
    ("en/", "FlopCounterMode", "basics/fx/#shapes"),
    ("en/", "fold batchnorm", "basics/fx/#fuse"),
    # basics/custom-op (its titles say 自定义 and Custom: the pages' search boosts keep basics/training first for
    # 自定义数据集, a case further up, and for custom dataset)
    ("", "自定义算子", "basics/custom-op/"),
    ("", "register_fake", "basics/custom-op/#fake"),
    ("", "opcheck", "basics/custom-op/#opcheck"),
    ("", "mutates_args", "basics/custom-op/#mutates"),
    ("en/", "custom operator", "basics/custom-op/"),
    ("en/", "FakeTensor", "basics/custom-op/#fake"),
    ("en/", "register_autograd", "basics/custom-op/#autograd"),
    ("en/", "Lambert W", "basics/custom-op/"),
    ("en/", "custom dataset", "basics/training/#custom-dataset"),
    ("en/", "There was no fake impl registered", "basics/custom-op/#fake"),  # printed in #register, answered in #fake
    ("en/", "Stride mismatch! Strides are (2,) and (1,)", "basics/custom-op/#opcheck"),
    # basics/forward-mode (its titles say 黑塞矩阵-向量积 and Hessian: the pages' search boosts keep basics/torch-func
    # first for 黑塞矩阵, hessian, jacobian and functional_call, basics/matmul for 矩阵乘向量, basics/fx for FlopCounterMode)
    ("", "前向模式", "basics/forward-mode/"),
    ("", "黑塞矩阵-向量积", "basics/forward-mode/#hvp"),
    ("", "对偶数", "basics/forward-mode/#dual"),
    ("", "黑塞矩阵", "basics/torch-func/#jacobian"),
    ("", "functional_call", "basics/torch-func/#per-sample-gradients"),
    ("en/", "forward-mode AD", "basics/forward-mode/"),
    ("en/", "Hessian-vector product", "basics/forward-mode/#hvp"),
    ("en/", "jvp", "basics/forward-mode/#jvp-vjp"),
    ("en/", "dual number", "basics/forward-mode/#dual"),
    ("en/", "tangent", "basics/forward-mode/#dual"),
    ("en/", "sharpness", "basics/forward-mode/#sharpness"),
    ("en/", "ZeroTensors are immutable. Please use the materialized zero tensor obtained using .clone() if you want a "
     "mutable tensor.", "basics/forward-mode/#coverage"),
    ("en/", "Trying to use forward AD with huber_loss_backward that does not support it", "basics/forward-mode/#coverage"),
    # basics/uncertainty
    ("", "不确定性", "basics/uncertainty/"),
    ("", "深度集成", "basics/uncertainty/#ensemble"),
    ("", "认知不确定性", "basics/uncertainty/"),
    ("", "MC Dropout", "basics/uncertainty/#mc-dropout"),
    ("", "外推", "basics/uncertainty/#extrapolation"),
    ("en/", "uncertainty", "basics/uncertainty/"),
    ("en/", "deep ensemble", "basics/uncertainty/#ensemble"),
    ("en/", "aleatoric uncertainty", "basics/uncertainty/"),
    ("en/", "MC dropout", "basics/uncertainty/#mc-dropout"),
    # basics/attribution
    ("", "模型解释", "basics/attribution/"),
    ("", "可解释性", "basics/attribution/"),
    ("", "显著图", "basics/attribution/#saliency"),
    ("", "积分梯度", "basics/attribution/#integrated-gradients"),
    ("", "遮挡", "basics/attribution/#occlusion"),
    ("en/", "interpretability", "basics/attribution/"),
    ("en/", "saliency map", "basics/attribution/#saliency"),
    ("en/", "integrated gradients", "basics/attribution/#integrated-gradients"),
    ("en/", "sanity check", "basics/attribution/#sanity-check"),
    # basics/gather-scatter
    ("", "独热编码", "basics/gather-scatter/#scatter"),
    ("", "topk", "basics/gather-scatter/#topk"),
    ("", "gather", "basics/gather-scatter/#gather"),
    ("", "masked_fill", "basics/gather-scatter/#masked-fill"),
    ("en/", "one-hot", "basics/gather-scatter/#scatter"),  # not losses#soft-targets, which mentions one-hot labels
    ("en/", "top-5 accuracy", "basics/gather-scatter/#topk"),
    ("en/", "index_add_", "basics/gather-scatter/#index-add"),
    ("", "核采样", "basics/gather-scatter/#top-p"),  # was distributions (采样 alone: 核 was dropped)
    ("", "累积和", "basics/gather-scatter/#top-p"),  # was ddp#no-sync (累积 alone)
    ("en/", "top-p", "basics/gather-scatter/#top-p"),  # was time-series (its "top" and p-words)
    ("", "分桶", "basics/gather-scatter/#bucketize"),
    ("en/", "digitize", "basics/gather-scatter/#bucketize"),
    ("", "searchsorted", "basics/gather-scatter/#bucketize"),
    ("en/", "inverse transform sampling", "basics/gather-scatter/#inverse-cdf"),
    ("en/", "Index tensor must have the same number of dimensions as input tensor", "basics/gather-scatter/#gather"),
    # basics/knn
    ("", "cdist", "basics/knn/#expand"),
    ("", "k 近邻", "basics/knn/#vote"),
    ("", "最近邻", "basics/knn/#nearest"),  # 最近 + 邻 before EXTRA_WORDS
    ("", "两两距离", "basics/knn/#broadcast"),
    ("", "去重", "basics/knn/#confusions"),  # was techniques (去 and 重 dropped)
    ("", "留一法", "basics/knn/#leave-one-out"),
    ("", "cdist 对角线不为 0", "basics/knn/#self-distance"),
    ("en/", "k-nearest neighbors", "basics/knn/#vote"),
    ("en/", "pairwise distances", "basics/knn/#broadcast"),
    ("en/", "torch.unique", "basics/knn/#confusions"),
    ("en/", "pdist", "basics/knn/#closest-pair"),
    ("en/", "leave-one-out", "basics/knn/#leave-one-out"),
    ("en/", "donot_use_mm_for_euclid_dist", "basics/knn/#self-distance"),
    # basics/pca
    ("", "主成分分析", "basics/pca/"),
    ("", "奇异值分解", "basics/pca/#svd"),
    ("", "torch.cov", "basics/pca/#variance"),
    ("en/", "PCA", "basics/pca/"),
    ("en/", "low-rank approximation", "basics/pca/#reconstruct"),
    ("en/", "pca_lowrank", "basics/pca/#lowrank"),
    # basics/binary
    ("", "召回率", "basics/binary/#precision-recall"),
    ("", "精确率", "basics/binary/#precision-recall"),
    ("", "ROC", "basics/binary/#roc-auc"),
    ("", "分层抽样", "basics/binary/#split"),
    ("", "分类阈值", "basics/binary/#threshold"),
    ("en/", "false positive", "basics/binary/#confusion"),  # knn's topk(largest=False) heading, while this page had boost 0.5
    ("en/", "AUC", "basics/binary/#roc-auc"),
    ("en/", "stratified split", "basics/binary/#split"),
    ("", "灵敏度", "basics/binary/#precision-recall"),
    ("", "特异度", "basics/binary/#roc-auc"),
    ("en/", "specificity", "basics/binary/#roc-auc"),
    # basics/tabular
    ("", "交叉验证", "basics/tabular/#k-fold"),
    ("", "线性回归", "basics/tabular/#lstsq"),
    ("", "决定系数", "basics/tabular/#metrics"),
    ("", "相关系数", "basics/tabular/#weights"),
    ("en/", "cross-validation", "basics/tabular/#k-fold"),
    ("en/", "RMSE", "basics/tabular/#metrics"),
    ("en/", "corrcoef", "basics/tabular/#weights"),
    ("en/", "tabular data", "basics/tabular/"),
    ("", "过拟合", "basics/techniques/#overfitting"),  # not the tabular page's overfit section
    # basics/tensors, broadcasting, clamp/maximum, flipping, repeating and triangles
    ("", "广播", "basics/tensors/#broadcasting"),  # knn's heading 用广播算距离 came first (and broadcasting, en)
    ("en/", "broadcasting", "basics/tensors/#broadcasting"),
    ("en/", "torch.minimum", "basics/tensors/#clamp-where"),  # was install/drivers (minimum driver)
    ("en/", "torch.maximum", "basics/tensors/#clamp-where"),  # guards the tag: without it, distributions#fit (maximum likelihood) comes first
    ("", "上三角", "basics/tensors/#tril-triu"),  # 上 + 三角 before EXTRA_WORDS
    ("", "flip", "basics/tensors/#flip-and-roll"),
    ("", "循环移位", "basics/tensors/#flip-and-roll"),
    ("", "repeat_interleave", "basics/tensors/#repeat"),
    ("", "np.tile", "basics/tensors/#repeat"),  # was ddp (np, a prefix of nproc_per_node)
    ("", "下三角", "basics/tensors/#tril-triu"),
    ("en/", "np.repeat", "basics/tensors/#repeat"),
    ("en/", "lower triangular", "basics/tensors/#tril-triu"),
    ("en/", "circular shift", "basics/tensors/#flip-and-roll"),
    # basics/torch-func
    ("", "逐样本梯度", "basics/torch-func/#per-sample-gradients"),
    ("", "雅可比矩阵", "basics/torch-func/#jacobian"),
    ("", "vmap", "basics/torch-func/#vmap"),
    ("en/", "vectorize", "basics/torch-func/#vmap"),  # vectorization: profiler's Python loops
    ("", "vmap Dropout", "basics/torch-func/#randomness"),
    ("en/", "per-sample gradients", "basics/torch-func/#per-sample-gradients"),
    ("en/", "jacobian", "basics/torch-func/#jacobian"),
    ("en/", "hessian", "basics/torch-func/#jacobian"),
    ("en/", "functional_call", "basics/torch-func/#per-sample-gradients"),
    ("en/", "We don't support vmap over calling .item() on a Tensor", "basics/torch-func/#item"),
    ("en/", "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow",
     "basics/torch-func/#data-dependent-control-flow"),
    # basics/transformer
    ("", "Transformer", "basics/transformer/"),
    ("", "因果掩码", "basics/transformer/#causal-attention"),
    ("", "scaled_dot_product_attention", "basics/transformer/#causal-attention"),
    ("", "残差连接", "basics/transformer/#model"),
    ("", "词元", "basics/transformer/#data"),
    ("", "预测下一个字符", "basics/transformer/#targets"),
    ("", "自回归生成", "basics/transformer/#generate"),
    ("", "进位", "basics/transformer/#mistakes"),
    ("en/", "transformer", "basics/transformer/"),
    ("en/", "causal mask", "basics/transformer/#causal-attention"),
    ("en/", "is_causal", "basics/transformer/#causal-attention"),
    ("en/", "RMSNorm", "basics/transformer/#model"),
    ("en/", "next-token prediction", "basics/transformer/#targets"),
    ("en/", "greedy decoding", "basics/transformer/#generate"),
    ("en/", "KV cache", "basics/transformer/#generate"),
    # basics/memory-layout
    ("", "步长", "basics/memory-layout/#strides"),
    ("", "storage_offset", "basics/memory-layout/#strides"),
    ("", "共享内存", "basics/memory-layout/#views"),
    ("", "expand 与 repeat 的区别", "basics/memory-layout/#expand"),
    ("", "视图还是副本", "basics/memory-layout/#which-ops"),
    ("", "赋值没有生效", "basics/memory-layout/#chained-indexing"),
    ("", "BGR 转 RGB", "basics/memory-layout/#negative-strides"),
    ("", "torch.save 文件太大", "basics/memory-layout/#small-view-big-storage"),
    ("", "channels_last", "basics/memory-layout/#channels-last"),
    ("en/", "stride", "basics/memory-layout/#strides"),
    ("en/", "expand vs repeat", "basics/memory-layout/#expand"),
    ("en/", "view or copy", "basics/memory-layout/#which-ops"),
    ("en/", "more than one element of the written-to tensor refers to a single memory location",
     "basics/memory-layout/#expand"),
    ("en/", "At least one stride in the given numpy array is negative", "basics/memory-layout/#negative-strides"),
    ("en/", "step must be greater than zero", "basics/memory-layout/#negative-strides"),
    ("en/", "NHWC", "basics/memory-layout/#channels-last"),
    ("", "转置卷积", "basics/layers/#upsampling"),
    ("", "上采样", "basics/layers/#upsampling"),
    ("en/", "transposed convolution", "basics/layers/#upsampling"),
    ("en/", "output_padding", "basics/layers/#upsampling"),
    ("", "pack_padded_sequence", "basics/layers/#packed"),
    ("", "不等长序列", "basics/layers/#packed"),
    ("en/", "variable-length sequences LSTM", "basics/layers/#packed"),
    ("", "register_hook", "basics/autograd/#tensor-hooks"),
    ("", "梯度钩子", "basics/autograd/#tensor-hooks"),
    ("en/", "gradient hook", "basics/autograd/#tensor-hooks"),
    ("", "解方程", "basics/matmul/#linalg"),
    ("en/", "linear system", "basics/matmul/#linalg"),
    ("", "条件数", "basics/matmul/#solve"),
    ("en/", "condition number", "basics/matmul/#solve"),  # before its search-also line, reproducibility came first
    ("", "奇异矩阵", "basics/matmul/#singular"),
    ("en/", "torch._C._LinAlgError: torch.linalg.solve: The solver failed because the input matrix is singular.",
     "basics/matmul/#singular"),
    ("", "最小二乘", "basics/matmul/#lstsq"),
    ("en/", "linear regression", "basics/tabular/#lstsq"),  # was matmul#lstsq, before the regression project page
    ("", "行列式", "basics/matmul/#slogdet"),
    ("en/", "determinant", "basics/matmul/#slogdet"),
    # names that only code uses (scripts/mkdocs_hooks.py: CODE_FIELD)
    ("", "get_last_lr", "reference/cheatsheet/#model-and-training"),
    ("en/", "get_last_lr", "reference/cheatsheet/#model-and-training"),
    ("", "get_device_properties", "install/verify/#architectures"),
    ("en/", "are_deterministic_algorithms_enabled", "basics/reproducibility/#deterministic"),
])
def test_what_readers_search_for_finds_its_page_first(search_page, prefix, query, target):
    """Tasks and error messages that readers paste into the search box find the page or the
    section that answers them as the first result."""
    page = search_page(prefix)
    _assert_first_result(page, query, target)
    assert not page.problems, page.problems


@pytest.mark.parametrize("query, target", [
    ("tensor", "basics/tensors/"),  # the benchmark page came first (its code says tensor the most)
    ("dtype", "basics/tensors/#shape-and-dtype"),  # the benchmark page came first
    ("device", "basics/tensors/#choose-device"),  # myths' torch.cuda.device(i) came first
    ("model.eval", "basics/training/#train-eval"),  # a tag weighs as a title: at Material's 1e6, the tag `model` won
])
def test_an_english_word_searched_on_the_chinese_site_finds_the_section_that_explains_it(search_page, query, target):
    """The Chinese pages write 张量, 数据类型, 设备; the glossary's English terms are search tags of the
    sections that explain them (scripts/mkdocs_hooks.py, english_search_tags): the first result is
    that page, with that section, and the tags are not shown in the results."""
    page = search_page("")
    _assert_first_result(page, query, target)
    tags = page.locator(".md-search-result .md-tags")
    assert tags.count() and not any(tag.is_visible() for tag in tags.all())
    assert not page.problems, page.problems


@pytest.mark.parametrize("os_scheme", ["light", "dark"])
def test_svg_figures_follow_the_scheme_the_reader_picked(browser, site_url, os_scheme):
    """An SVG figure in an <img> draws itself light or dark from prefers-color-scheme. Inside an
    image, Chromium answers that with the <img>'s `color-scheme`, which Material sets from the
    site's toggle: the figure follows the reader's choice, not only the OS setting."""
    context = browser.new_context(color_scheme=os_scheme)
    page = context.new_page()
    page.goto(f"{site_url}/gpu/benchmark/", wait_until="networkidle")
    figure = page.locator('.md-typeset img[src$="h100.svg"]')
    figure.scroll_into_view_if_needed()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", figure.element_handle())
    shades = {}
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page.wait_for_timeout(300)  # Material's colour transition
        box = figure.bounding_box()
        png = page.screenshot(clip={"x": box["x"] + 2, "y": box["y"] + 2, "width": 1, "height": 1})
        shades[scheme] = page.evaluate("""async b64 => {
            const img = new Image(); img.src = "data:image/png;base64," + b64; await img.decode();
            const c = document.createElement("canvas"); c.width = c.height = 1;
            const g = c.getContext("2d"); g.drawImage(img, 0, 0);
            const [r, gr, b] = g.getImageData(0, 0, 1, 1).data; return (r + gr + b) / 3; }""",
            base64.b64encode(png).decode())
    context.close()
    assert shades["default"] > 200 and shades["slate"] < 60, shades  # the figure's background


def test_no_page_is_wider_than_a_phone(phone_page, site_url):
    """At 390 px, in both languages, no page (notebook pages and the 404 page included) scrolls
    sideways as a whole: wide tables, code, outputs and formulas scroll inside their own box; and
    code in a table cell wraps, if at all, only after a dot, space, slash or hyphen (`split` lists
    the others); no line starts with the punctuation after a formula or inline code (`stranded`)."""
    import notebooks

    urls = [url for _, _, url in page_urls()]
    urls += [notebooks.notebook_url(key, lang) for key in notebooks.notebook_keys() for lang in docs_model.LANGUAGES]
    urls += ["404.html", "en/404.html"]
    page = phone_page
    # Everything that is laid out lazily (content-visibility) is laid out, so that it counts.
    style = ".md-typeset > * { content-visibility: visible !important; }"
    too_wide = {}
    for url in urls:
        page.goto(f"{site_url}/{url}", wait_until="load")
        page.add_style_tag(content=style)
        excess = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;  // a phone widens innerWidth to fit
            const wide = [...document.querySelectorAll('.md-content *')].filter(e => {
                const r = e.getBoundingClientRect();
                if (r.width === 0 || r.right <= width + 1) return false;
                for (let p = e.parentElement; p; p = p.parentElement) {
                    if (p.classList.contains('md-content')) return true;
                    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return false;
                }
                return true;
            });
            // Code in a table cell wraps only after a dot, space, slash or hyphen, never mid-name (site.css, reader_hooks).
            const split = [];
            for (const code of document.querySelectorAll('.md-typeset table code')) {
                if (code.getClientRects().length < 2) continue;
                const range = document.createRange(), walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), lines = [];
                for (let node; (node = walker.nextNode());) {
                    for (let c = 0; c < node.length; c++) {
                        range.setStart(node, c); range.setEnd(node, c + 1);
                        const top = Math.round(range.getBoundingClientRect().top);
                        if (!lines.length || Math.abs(lines[lines.length - 1].top - top) > 2) lines.push({top, text: ''});
                        lines[lines.length - 1].text += node.data[c];
                    }
                }
                if (lines.slice(0, -1).some(l => !/[.\\s\\/-]$/.test(l.text))) split.push(lines.map(l => l.text).join(' | '));
            }
            // No line starts with the punctuation after a formula or inline code (reader_hooks, .site-nobr).
            window.dispatchEvent(new Event('beforeprint'));  // katex-init.js then typesets every formula
            const stranded = [], texts = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
            for (let node; (node = texts.nextNode());) {
                const before = node.previousSibling;
                if (!/^[.,;:!?，。；：！？、）)]/.test(node.data) || !before || before.nodeType !== 1) continue;
                const range = document.createRange(), rects = before.getClientRects();
                range.setStart(node, 0); range.setEnd(node, 1);
                const r = range.getBoundingClientRect();
                if (rects.length && r.height && r.top > rects[rects.length - 1].bottom - 2)
                    stranded.push(before.textContent.slice(-20) + ' | ' + node.data.slice(0, 10));
            }
            return {page: document.scrollingElement.scrollWidth - width, split, stranded,
                    first: wide.slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))};
        }""")
        if excess["page"] > 0 or excess["first"] or excess["split"] or excess["stranded"]:
            too_wide[url or "/"] = excess
    assert not too_wide, ("at 390 px (page: how far the page scrolls sideways; first: elements wider than the phone; "
                          f"split: table code broken mid-name; stranded: punctuation starting a line): {too_wide}")


def test_the_copy_button_covers_no_code_on_a_phone(phone_page, site_url):
    """At 390 px, on every page (the code is the same in both languages), each block's copy button
    sits on a band of the block's colour exactly as tall as the first line (text scrolling under it
    does not run through the icon, and the second line stays whole), and with the block scrolled to
    its end no character of the first two lines lies under the icon; a block that fits, fits."""
    page = phone_page
    problems, checked = [], 0
    for url in (url for language, _, url in page_urls() if language == docs_model.LANGUAGES[0]):
        page.goto(f"{site_url}/{url}", wait_until="load")
        found = page.evaluate("""async () => {
            const underIcon = """ + UNDER_ICON + """;
            const found = [];
            document.querySelectorAll('.md-typeset details').forEach(d => d.open = true);
            const blocks = [...document.querySelectorAll('.md-typeset .highlight:not(.no-copy) pre')]
                .filter(pre => pre.offsetParent);  // not inside a hidden tab
            for (const [i, pre] of blocks.entries()) {
                pre.scrollIntoView({block: 'center'});
                for (let t = 0; t < 50 && !pre.querySelector('.md-code__nav'); t++)  // set up as it comes into view
                    await new Promise(r => setTimeout(r, 20));
                const nav = pre.querySelector('.md-code__nav'), code = pre.querySelector('code');
                if (!nav) { found.push([i, 'no copy button']); continue; }
                const style = getComputedStyle(nav), cs = getComputedStyle(code);
                const n = nav.getBoundingClientRect(), lineHeight = parseFloat(cs.lineHeight);
                const band = parseFloat(style.backgroundSize.split(' ')[1]);
                const firstLineTop = code.getBoundingClientRect().top + parseFloat(cs.paddingTop);
                const bandTop = n.top + (n.height - band) / 2;
                if (style.backgroundImage === 'none' || !(Math.abs(bandTop - firstLineTop) <= 0.5 && Math.abs(band - lineHeight) <= 0.5))
                    found.push([i, `the button's band (${style.backgroundImage.slice(0, 20)} ${style.backgroundSize}) is not the first line`]);
                const buttonElement = nav.querySelector('.md-code__button'), button = buttonElement.getBoundingClientRect();
                const inset = (button.width - parseFloat(getComputedStyle(buttonElement, '::after').width)) / 2;
                const icon = {left: button.left + inset, top: button.top + inset, bottom: button.bottom - inset};
                const fits = code.scrollWidth <= code.clientWidth;
                code.scrollLeft = code.scrollWidth;  // the first sideways scroll makes room (site.js) ...
                await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                code.scrollLeft = code.scrollWidth;  // ... so scroll to the new end
                if (fits && code.scrollWidth > code.clientWidth)
                    found.push([i, 'fits without the button, but scrolls']);
                for (const line of underIcon(code, icon)) found.push([i, `'${line}' ends under the icon`]);
                code.scrollLeft = 0;
            }
            return [blocks.length, found];
        }""")
        checked += found[0]
        problems += dict.fromkeys(f"{url or '/'} block {i}: {what}" for i, what in found[1])  # once per line
    assert checked > 50, f"only {checked} code blocks with a copy button were found"
    assert not problems, "\n".join(problems)


def test_a_phone_gets_the_figures_drawn_for_its_width(browser, site_url):
    """On a phone, the benchmark charts and the autograd graph, on their pages and notebook pages,
    are the narrow drawings (`-narrow.svg`, 11-12 px text) at their own size, in the page's
    language; on a wider screen the wide ones. Shrunk into a phone's column, the wide charts' text
    was 9 px and the graph's 7 px."""
    import notebooks

    figures = {"gpu/benchmark": (5, True), "basics/autograd": (1, False)}  # how many, and drawn per language
    urls = {url: figure for key, figure in figures.items() for language in docs_model.LANGUAGES
            for url in (docs_model.page_url(key, language), notebooks.notebook_url(key, language))}
    problems = []
    for width, drawing in ((360, "-narrow.svg"), (390, "-narrow.svg"), (1280, ".svg")):
        context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 600)
        page = context.new_page()
        for url, (count, localized) in urls.items():
            page.goto(f"{site_url}/{url}", wait_until="load")
            shown = page.evaluate("""async () => Promise.all([...document.querySelectorAll('.md-content picture img')]
                .map(async img => { img.loading = 'eager'; await img.decode().catch(() => {});
                    return [new URL(img.currentSrc).pathname, img.naturalWidth, img.getBoundingClientRect().width]; }))""")
            if len(shown) != count:
                problems.append(f"{width} px /{url}: {len(shown)} figures in a <picture>, expected {count}")
            for path, natural, rendered in shown:
                wrong = (not path.endswith(drawing) or (drawing == ".svg" and path.endswith("-narrow.svg"))
                         or (localized and path.startswith("/en/") != url.startswith("en/")))
                shrunk = width < 600 and rendered < 0.99 * min(natural, width - 32)  # a phone's column: screen less 32 px
                if wrong or not natural or shrunk:
                    problems.append(f"{width} px /{url}: {path} ({natural} px) shown {rendered:.0f} px wide")
        context.close()
    assert not problems, "\n".join(problems)


def test_a_jump_within_the_page_lands_on_its_heading(browser, site_url):
    """Code blocks and tab sets are laid out only near the viewport (content-visibility, site.css);
    until then each counts as 12em tall. Clicking a table-of-contents entry on a freshly loaded page
    must still bring its heading to the top (site.js lays everything out before the jump), and so
    must opening the page at that anchor. Every entry of the two pages with the most code blocks above
    their later headings (without site.js's fix, gpu/benchmark's #results landed 3,400 px off)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # the side table of contents shows
    page = context.new_page()
    where = "(id) => { const top = document.getElementById(id).getBoundingClientRect().top; " \
            "const end = scrollY + innerHeight >= document.scrollingElement.scrollHeight - 2; " \
            "return (top >= 0 && top <= 120) || (end && top >= 0 && top < innerHeight) ? null : Math.round(top); }"
    missed, jumps = [], 0
    for url in ["gpu/benchmark/", "install/verify/"]:
        page.goto(f"{site_url}/{url}", wait_until="load")
        for anchor in page.eval_on_selector_all(".md-sidebar--secondary a.md-nav__link", "ls => ls.map(l => l.hash)"):
            page.goto(f"{site_url}/{url}", wait_until="load")
            page.click(f".md-sidebar--secondary a.md-nav__link[href='{anchor}']")
            page.wait_for_timeout(200)
            top = page.evaluate(where, anchor[1:])
            if top is not None:
                missed.append(f"/{url}{anchor}: clicked in the table of contents, the heading is at {top} px")
            page.goto("about:blank")
            page.goto(f"{site_url}/{url}{anchor}", wait_until="load")
            page.wait_for_timeout(200)
            top = page.evaluate(where, anchor[1:])
            if top is not None:
                missed.append(f"/{url}{anchor}: opened at the anchor, the heading is at {top} px")
            jumps += 1
    context.close()
    assert jumps >= 15, f"only {jumps} table-of-contents entries were found"
    assert not missed, "\n".join(missed)
