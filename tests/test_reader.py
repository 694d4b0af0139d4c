"""What a reader gets on every page besides the content: title, description, footer stamp,
links that resolve, a sitemap with both languages, and a 404 page in the reader's language."""

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

import pytest

import check_site
import docs_model
import notebooks
import reader_hooks
from docs_model import page_urls

PAGES = list(page_urls())


def _html(site_dir, url):
    return (site_dir / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language, key, url", PAGES, ids=[u or "/" for _, _, u in PAGES])
def test_every_page_has_a_title_and_its_own_description(site_dir, language, key, url):
    page = _html(site_dir, url)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and title.group(1).strip(), f"/{url}: no <title>"
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert description, f"/{url}: no meta description"
    text = html.unescape(description.group(1))
    assert 20 <= len(text) <= reader_hooks.MAX_DESCRIPTION[language] + 1, f"/{url}: description {text!r}"
    assert "PyTorch 从零学" not in text[:12] and "Every code block is tested" not in text, f"/{url}: the site's tagline"


def test_description_is_the_first_paragraph_as_plain_text():
    markdown = "# 标题 { #t }\n\n!!! note\n\n    旁注\n\n张量（tensor）是 `torch` 的[核心](x.md)\n数据结构。\n\n第二段。\n"
    assert reader_hooks.first_paragraph(markdown) == "张量（tensor）是 torch 的核心数据结构。"
    assert reader_hooks.shorten("一句话。" * 40, 20) == "一句话。" * 5


def test_footer_stamp_comes_from_the_recordings(site_dir):
    facts = reader_hooks.stamp_facts()
    assert facts["cpu"] and facts["date"]
    for language, _key, url in PAGES:
        page = _html(site_dir, url)
        assert reader_hooks.stamp(language) in page, f"/{url}: footer stamp missing"
        assert f"torch {facts['cpu']}" in page
        for device in facts["gpus"]:
            assert device in page


def test_sitemap_lists_every_page_with_both_languages(site_dir):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
    base = next(iter(entries)).split("/", 3)[:3]
    site = "/".join(base) + "/"
    for _language, _key, url in PAGES:
        assert site + url in entries, f"sitemap has no {site + url}"
        assert set(entries[site + url]) == set(docs_model.LANGUAGES), f"{url}: hreflang alternates"


def _targets(page_html):
    for attribute, value in re.findall(r'\s(href|src|srcset)="([^"]+)"', page_html):
        if attribute == "srcset":  # "a.svg" or "a.png 1x, a@2x.png 2x"
            yield from (html.unescape(candidate.split()[0]) for candidate in value.split(","))
        else:
            yield html.unescape(value)


def test_every_internal_link_and_anchor_resolves(site_dir):
    """A crawl of the built site: each link to another page of it points at a file that exists,
    and each #fragment at an id on that page."""
    ids_cache = {}

    def ids(path):
        if path not in ids_cache:
            ids_cache[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
        return ids_cache[path]

    broken = []
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        base = "http://site/" + page.relative_to(site_dir).as_posix()
        for target in _targets(page.read_text(encoding="utf-8")):
            absolute = urljoin(base, target)
            parsed = urlparse(absolute)
            if parsed.netloc != "site" or parsed.scheme != "http":
                continue
            path = site_dir / parsed.path.lstrip("/")
            if path.is_dir() or parsed.path.endswith("/"):
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site_dir)}: {target} (no {path.relative_to(site_dir)})")
            elif parsed.fragment and path.suffix == ".html" and parsed.fragment not in ids(path):
                broken.append(f"{page.relative_to(site_dir)}: {target} (no id {parsed.fragment!r})")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:50])
    assert len(pages) >= 2 * len(PAGES) // 2


def test_404_page_speaks_the_readers_language(browser, site_url, site_dir):
    """GitHub Pages answers every missing address with the root 404.html (the Chinese build's); a
    missing address under /en/ gets the English build's en/404.html instead: header, navigation,
    search and language menu in English, the address the reader asked for kept in the address bar.
    Both pages also say it in the other language, for readers without JavaScript."""
    body = (site_dir / "404.html").read_text(encoding="utf-8")
    english = (site_dir / "en" / "404.html").read_text(encoding="utf-8")
    for text, language, search, nav_title in ((body, "zh", "搜索", "张量入门"), (english, "en", "Search", "Tensors")):
        assert re.search(f'<html lang="{language}"', text), f"{language} 404 page: from the {language} build"
        assert f'aria-label="{search}"' in text and f">{nav_title}<" in text.replace("\n", "").replace(" ", ""), language
        assert 'lang="zh"' in text and 'lang="en"' in text
        for each in docs_model.LANGUAGES:  # the footer in both languages, each marked as such
            assert f'<span lang="{each}">{reader_hooks.stamp(each)}</span>' in text
            assert f'<span lang="{each}">{reader_hooks.BUILT_WITH[each].format(link=reader_hooks.MATERIAL)}</span>' in text
        assert 'rel="alternate"' not in text.partition("</head>")[0], "Material would fetch /en/sitemap.xml (404)"
        assert re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link">', text) == [("/", "zh"), ("/en/", "en")], (
            "the language menu leads to each language's home page")
    assert '"base": "/en/"' in english, "the English 404 page searches the English index"
    context = browser.new_context()
    page = context.new_page()
    failed = []  # what the 404 page itself fetches must exist
    page.on("response", lambda r: r.status >= 400 and "no-such-page" not in r.url and failed.append(f"{r.status} {r.url}"))
    page.route("**/no-such-page/**", lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(f"{site_url}/en/no-such-page/?q=1#part", wait_until="networkidle")
    assert not failed, failed
    assert page.url == f"{site_url}/en/no-such-page/?q=1#part", "the address the reader asked for stays in the address bar"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".md-header__topic").first.inner_text().strip() == "PyTorch from Zero"
    assert page.locator(".site-404 > section").first.get_attribute("lang") == "en"
    assert page.get_by_role("link", name="home page").get_attribute("href").endswith("/en/")
    page.keyboard.press("/")
    page.keyboard.type("tensor")
    page.keyboard.press("End")  # Material's search listens to keyup
    first = page.locator(".md-search-result__link").first
    first.wait_for()
    assert first.get_attribute("href").startswith(f"{site_url}/en/"), "English results on the English 404 page"
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for unsafe in ("/en/..%2F..%2Fx", "%", "https://example.com/en/"):  # resolved first; a broken escape is ignored
        page.goto(f"{site_url}/en/404.html#from={unsafe}", wait_until="load")
        assert page.url == f"{site_url}/en/404.html#from={unsafe}", unsafe
    assert not errors, errors
    # "load", as above: what follows reads the document only. A CI run once timed out here waiting
    # for "networkidle" right after the loads above, whose search workers were still fetching.
    page.goto(f"{site_url}/no-such-page/", wait_until="load")
    assert page.url == f"{site_url}/no-such-page/" and page.locator("html").get_attribute("lang") == "zh"
    assert page.locator(".site-404 > section").first.get_attribute("lang") == "zh"
    context.close()


def test_external_links_are_listed_and_well_formed():
    import external_links

    found = external_links.links()
    assert len(found) >= 10, "the pages cite sources: where are their links?"
    bad = {url: external_links.malformed(url) for url in found if external_links.malformed(url)}
    assert not bad, "malformed external links (use https, no templates):\n" + "\n".join(
        f"  {url}: {why} ({', '.join(found[url][:2])})" for url, why in bad.items())


CHROME_LABEL = re.compile(r'\b(?:aria-label|title|placeholder)="([^"]*)"')
LANGUAGE_NAMES = {"简体中文", "English"}  # the language menu names each language in its own words
# English words a Chinese label may hold: names and acronyms
NAMES = r"PyTorch|Python|CPU|GPU|CUDA|ROCm|NumPy|Linux|Windows|macOS|Apple|NVIDIA|MPS|[A-Z]+\d*"
# Labels also carry page titles (the footer's 下一页: torch.compile 入门, the nav's title where it
# has its own, as 会做加法的 Transformer under 实战) and, in the table of contents, the page's own
# section headings (不能在 vmap 里做的事), which may name an API (nn.Module 详解). Those are the
# pages' words, which the pages' checks cover; here they are taken out of the label, longest
# first, and the theme's own words are what remain.
ZH_TITLES = ({docs_model.page_title(key, "zh") for language, key, _ in PAGES if language == "zh"}
             | {title for title, _page, _line in check_site._mkdocs_nav(docs_model.ROOT)[0] if title})


def _words_of(key: str) -> list[str]:
    """The site's page titles and page `key`'s own section headings (Chinese), longest first."""
    headings = (heading.title for heading in docs_model.parse_page(docs_model.translation_path(key, "zh")).headings)
    return sorted({*ZH_TITLES, *headings}, key=len, reverse=True)


def _without(label: str, words: list[str]) -> str:
    for word in words:
        label = label.replace(word, "")
    return label


def _chrome_labels(page_html):
    """Labels of the theme's controls: everything outside the article, scripts removed."""
    chrome = re.sub(r"<article\b.*?</article>|<script\b.*?</script>", "", page_html, flags=re.S)
    return {html.unescape(label) for label in CHROME_LABEL.findall(chrome)} - LANGUAGE_NAMES


@pytest.mark.parametrize("language, key, url", PAGES, ids=[u or "/" for _, _, u in PAGES])
def test_the_themes_controls_speak_the_pages_language(site_dir, language, key, url):
    """Buttons and menus (colour toggle, search, navigation) are labelled in the page's language:
    no Chinese label on an English page, no English word on a Chinese page beyond names."""
    page_html = _html(site_dir, url)
    menu = re.findall(r'<a [^>]*class="md-select__link"[^>]*>', page_html)  # each language's own name, marked
    assert menu and all(re.search(r'\bhreflang="([\w-]+)" lang="\1"', link) for link in menu), f"/{url}: {menu}"
    labels = _chrome_labels(page_html)
    if language == "en":
        wrong = {label for label in labels if re.search(r"[\u3400-\u9fff]", label)}
    else:
        words = _words_of(key)
        wrong = {label for label in labels if re.search(r"[A-Za-z]{3,}", re.sub(NAMES, "", _without(label, words)))}
    assert not wrong, f"/{url}: theme labels in the wrong language: {sorted(wrong)} (mkdocs.yml: theme, or the i18n plugin's per-language theme)"


def test_labels_inside_the_page_speak_its_language(site_dir):
    """Tooltips and labels that extensions write into the article (heading links, footnote back
    links, notebook copy buttons) are in the page's language too (reader_hooks.LABELS)."""

    urls = [(language, url) for language, _, url in PAGES]
    urls += [(language, notebooks.notebook_url(key, language)) for key in notebooks.notebook_keys() for language in docs_model.LANGUAGES]
    wrong, chinese = set(), 0
    for language, url in urls:
        page_html = _html(site_dir, url)
        article = re.sub(r"<script\b.*?</script>", "", page_html[page_html.find("<article"):page_html.find("</article>")], flags=re.S)
        for label in re.findall(r'(?:title|aria-label)="([^"]*)"', article):
            if language == "en" and re.search(r"[\u3400-\u9fff]", label):
                wrong.add(f"/{url}: {label}")
            if language == "zh":
                chinese += 1
                if re.search(r"[A-Za-z]{3,}", re.sub(NAMES, "", label)):
                    wrong.add(f"/{url}: {label}")
    assert chinese > 100, f"only {chinese} labels on the Chinese pages"
    assert not wrong, "labels in the wrong language (reader_hooks.LABELS):\n" + "\n".join(sorted(wrong))


def test_notebook_pages_speak_their_language_too(site_dir):
    """The companion notebook pages are rendered by mkdocs-jupyter after the i18n plugin's passes:
    their controls must still follow their language."""

    for key in notebooks.notebook_keys():
        for language in docs_model.LANGUAGES:
            url = notebooks.notebook_url(key, language)
            toggles = {label for label in _chrome_labels(_html(site_dir, url)) if re.search(r"模式|跟随系统|Switch to", label)}
            assert len(toggles) == 3, f"/{url}: colour toggle labels {sorted(toggles)}"
            cjk_expected = language == "zh"
            assert all(bool(re.search(r"[\u3400-\u9fff]", t)) == cjk_expected for t in toggles), f"/{url}: {sorted(toggles)}"


def test_every_figure_reserves_its_space(site_dir):
    """Every <img>, and every <source> of a <picture>, carries width and height (the hook reads them
    from the SVG), so the page does not jump when a figure arrives."""

    unsized = []
    notebook_pages = [notebooks.notebook_url(key, lang) for key in notebooks.notebook_keys() for lang in docs_model.LANGUAGES]
    for url in [url for _language, _key, url in PAGES] + notebook_pages:
        for tag in re.findall(r"<(?:img|source)\b[^>]*>", _html(site_dir, url)):
            if not (re.search(r'\bwidth="\d', tag) and re.search(r'\bheight="\d', tag)):
                unsized.append(f"/{url}: {tag[:120]}")
    assert not unsized, "figures without width/height (scripts/reader_hooks.py sized_figures):\n" + "\n".join(unsized)


def test_lighter_code_keeps_the_text_and_drops_only_spans_that_draw_like_their_neighbours():
    code = ('<pre><span></span><code><span class="n">y</span> <span class="o">=</span> <span class="n">torch</span>'
            '<span class="o">.</span><span class="n">f</span><span class="p">([</span><span class="mf">1.0</span>'
            '<span class="p">],</span> <span class="p">(</span><span class="s2">&quot;a</span><span class="s2">b&quot;</span>'
            '<span class="gd">-</span><span class="gd">x</span>\n</code></pre>')
    lighter = reader_hooks.lighter_code(code)
    assert lighter == ('<pre><span></span><code>y <span class="p">=</span> torch<span class="p">.</span>f'
                       '<span class="p">([</span><span class="mf">1.0</span><span class="p">], (</span>'
                       '<span class="s2">&quot;ab&quot;</span><span class="gd">-</span><span class="gd">x</span>\n</code></pre>')
    text = lambda h: re.sub(r"<[^>]+>", "", h)  # noqa: E731
    assert text(lighter) == text(code)
    notebook_cell = '<pre><span></span><span class="n">y</span></pre>'  # mkdocs-jupyter's markup and styles: not touched
    assert reader_hooks.lighter_code(notebook_cell) == notebook_cell


def test_the_colours_lighter_code_relies_on_still_agree(page, site_url):
    """Names draw in the code colour and operators like punctuation, in both schemes: otherwise
    dropping their spans (reader_hooks.lighter_code) would change how code looks."""
    page.goto(f"{site_url}/basics/tensors/", wait_until="networkidle")
    page.locator(".md-typeset .highlight code").first.scroll_into_view_if_needed()  # drawn, not skipped
    page.add_style_tag(content="* { transition: none !important; }")  # read final colours, not a transition's start
    for scheme in ("default", "slate"):
        colours = page.evaluate("""(scheme) => {
            document.body.setAttribute('data-md-color-scheme', scheme);
            const code = document.querySelector('.md-typeset .highlight code');
            const colour = cls => {
                const span = document.createElement('span');
                span.className = cls;
                code.append(span);
                const value = getComputedStyle(span).color;
                span.remove();
                return value;
            };
            return {code: getComputedStyle(code).color, n: colour('n'), o: colour('o'), p: colour('p')};
        }""", scheme)
        assert colours["n"] == colours["code"], f"{scheme}: names {colours['n']} vs code {colours['code']}"
        assert colours["o"] == colours["p"], f"{scheme}: operators {colours['o']} vs punctuation {colours['p']}"


def test_code_in_a_table_cell_may_break_only_after_a_dot_before_a_name():
    html = ("<p><code>torch.nn.Module</code></p><table><tr><td><code>torch.utils.data</code> and "
            "<code>torch==2.13.0</code></td><td><code>x.grad</code> <code>.grad</code> <code>f().to</code></td></tr></table>")
    assert reader_hooks.breakable_table_code(html) == (
        "<p><code>torch.nn.Module</code></p><table><tr><td><code>torch.<wbr>utils.<wbr>data</code> and "
        "<code>torch==2.13.0</code></td><td><code>x.<wbr>grad</code> <code>.grad</code> <code>f().<wbr>to</code></td></tr></table>")


def test_a_formula_or_code_keeps_the_punctuation_after_it_on_its_line():
    html = ('<p>each <span class="arithmatex">\\(a_i\\)</span>. Because <code>x.grad</code>，把 <code>y</code> 和'
            '<span class="arithmatex">\\(b\\)</span> here</p><span class="arithmatex">\\[c\\]</span>.')
    assert reader_hooks.no_break_before_punctuation(html) == (
        '<p>each <span class="site-nobr"><span class="arithmatex">\\(a_i\\)</span>.</span> Because '
        '<span class="site-nobr"><code>x.<wbr>grad</code>，</span>把 <code>y</code> 和<span class="arithmatex">\\(b\\)</span> here</p>'
        '<span class="arithmatex">\\[c\\]</span>.')  # a display formula stands on its own
