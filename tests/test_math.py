"""Formulas: rendered by the KaTeX copy in docs/assets/katex/, loaded only on pages that have math."""

import re

import pytest
from mkdocs.exceptions import PluginError

import check_site
import docs_model
import mkdocs_hooks
from docs_model import page_urls

KATEX_FILES = ("assets/katex/katex.min.css", "assets/katex/katex.min.js",
               "assets/katex/contrib/auto-render.min.js", "assets/katex-init.js")


def _pages_with_math() -> set[str]:
    """The pages whose Markdown, in any language, has a formula (check_site's reading of it): from
    the sources, not from the built HTML that the hook decides by, so that the two are checked
    against each other."""
    return {docs_model.page_key(path) for path in docs_model.all_pages()
            if check_site.has_math(docs_model.parse_page(path))}


MATH_PAGES = _pages_with_math()


def test_the_formula_pattern_finds_the_pages_known_to_have_math():
    assert {"basics/autograd", "basics/diffusion", "basics/layers", "reference/myths"} <= MATH_PAGES, MATH_PAGES
    assert "basics/tensors" not in MATH_PAGES and "index" not in MATH_PAGES, MATH_PAGES


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]*(?:katex)[^"]*)"', html)


def test_pages_with_math_load_the_local_katex_and_no_other_page_does(site_dir):
    for _language, key, url in page_urls():
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        assets = _assets(html)
        if key in MATH_PAGES:
            assert 'class="arithmatex"' in html, f"/{url}: no formula was found"
            depth = url.count("/")
            assert assets == ["../" * depth + path for path in KATEX_FILES], f"/{url}: {assets}"
            for asset in assets:
                assert (site_dir / url / asset).resolve().is_file(), f"/{url}: {asset} is not in the site"
        else:
            assert 'class="arithmatex"' not in html and not assets, f"/{url} has no math and must not load KaTeX"
        assert not re.search(r'(?:src|href)="(?:https?:)?//[^"]*katex', html, re.I), f"/{url}: KaTeX from another host"


def test_every_font_the_katex_css_asks_for_first_is_in_the_site(site_dir):
    """Browsers take the first format they support: woff2 for every current one. Only those are vendored."""
    css = (site_dir / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    first_choices = re.findall(r"src:url\(([^)]+)\)", css)
    assert first_choices and all(f.endswith(".woff2") for f in first_choices)
    for font in first_choices:
        assert (site_dir / "assets/katex" / font).is_file(), font
    assert "http" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S), "the stylesheet must not load anything remote"


def test_add_math_assets_touches_only_pages_with_math():
    plain = "<html><head></head><body><p>x</p></body></html>"
    assert mkdocs_hooks.add_math_assets(plain, "basics/tensors/") == plain
    page = '<html><head><title>t</title></head><body><span class="arithmatex">\\(x\\)</span></body></html>'
    done = mkdocs_hooks.add_math_assets(page, "en/basics/autograd/")
    head, body = done.split("</head>")
    assert "katex" not in head, "nothing in the head: the first paint must not wait for KaTeX"
    assert '<link rel="stylesheet" href="../../../assets/katex/katex.min.css"><script' in body
    scripts = re.findall(r'<script src="([^"]+)"></script>', body)
    assert scripts == ["../../../" + p for p in KATEX_FILES[1:]], "KaTeX, auto-render, then the init script"
    assert mkdocs_hooks.add_math_assets(done, "en/basics/autograd/") == done, "adding twice changes nothing"


def test_a_formula_that_does_not_typeset_fails_the_build_naming_page_and_formula():
    good = ('<p><span class="arithmatex">\\(x &lt; 1\\)</span></p>'
            '<div class="arithmatex">\\[\n\\frac{a}{b}\n\\]</div>')
    mkdocs_hooks.check_math(good, "basics/autograd.md")  # &lt; is unescaped first: x < 1 is valid TeX
    broken = good.replace("\\frac{a}{b}", "\\frac{a}{b")
    with pytest.raises(PluginError) as raised:
        mkdocs_hooks.check_math(broken, "basics/autograd.md")
    message = str(raised.value)
    assert message.startswith("basics/autograd.md: the formula `\\frac{a}{b` does not typeset: KaTeX parse error"), message


def test_a_formula_that_does_not_typeset_is_named_with_its_line(tmp_path, monkeypatch):
    import docs_model

    (tmp_path / "basics").mkdir()
    (tmp_path / "basics" / "x.md").write_text("# X\n\nText.\n\n$$\n\\frac{a}{b\n$$\n", encoding="utf-8")
    monkeypatch.setattr(docs_model, "DOCS", tmp_path)
    with pytest.raises(PluginError) as raised:
        mkdocs_hooks.check_math('<div class="arithmatex">\\[\n\\frac{a}{b\n\\]</div>', "basics/x.md")
    assert str(raised.value).startswith("basics/x.md:6: the formula `\\frac{a}{b` does not typeset"), raised.value


def test_the_math_pages_exist_in_every_language():
    for key in MATH_PAGES:
        for language in docs_model.LANGUAGES:
            assert docs_model.translation_path(key, language).exists()


# Formulas are typeset as they come within a screen of the viewport (docs/assets/katex-init.js).
# Bring each into view in turn and wait (up to 20 frames) for it to be typeset; return the TeX of
# those that were not.
UNRENDERED = "[...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex')).map(e => e.textContent)"
TYPESET_BY_SCROLLING = f"""async () => {{
    const frame = () => new Promise(done => requestAnimationFrame(done));
    for (const formula of document.querySelectorAll('.arithmatex')) {{
        formula.scrollIntoView({{block: 'center'}});
        for (let i = 0; i < 20 && !formula.querySelector('.katex'); i++) await frame();
    }}
    return {UNRENDERED};
}}"""


def test_formulas_are_typeset_near_the_viewport_and_all_before_printing(page, site_url):
    """At load only the formulas near the first screen are typeset (the rest would double the
    page's elements on basics/autograd while it loads); printing typesets every one."""
    page.goto(f"{site_url}/basics/autograd/", wait_until="networkidle")
    formulas = page.locator(".arithmatex")
    near = page.evaluate("[...document.querySelectorAll('.arithmatex')].filter(e => "
                         "e.getBoundingClientRect().top < 1.5 * innerHeight && !e.querySelector('.katex')).length")
    assert near == 0, f"{near} formulas within half a screen below the first are not typeset"
    assert formulas.last.locator(".katex").count() == 0, "expected the formulas far below the first screen to wait"
    formulas.first.scroll_into_view_if_needed()
    formulas.first.locator(".katex").wait_for(timeout=5_000)  # typeset as it comes near
    assert formulas.last.locator(".katex").count() == 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(UNRENDERED) == [], "printing must typeset every formula"
    assert not page.problems, "\n".join(page.problems)


def test_formulas_read_as_plain_text_in_search_results(site_dir):
    """The search index holds each formula as text (katex_render.as_text), not as TeX that search
    results would show raw."""

    import katex_render

    assert katex_render.as_text(r"\operatorname{SiLU}(x) = x\,\sigma(x)") == "SiLU(x) = xσ(x)"
    assert katex_render.as_text(r"\varepsilon \approx 1.2 \times 10^{-7}") == "ε ≈ 1.2×10^(-7)"  # as typed
    assert katex_render.as_text(r"|a - n| \le \text{atol}") == "|a-n| ≤ atol"
    assert katex_render.as_text(r"\underbrace{x}_{\text{乘法的输入}} + \hat y") == "x_(乘法的输入)+y"  # the brace is no script
    assert katex_render.as_text(r"\frac{\partial\,\mathrm{out}}{\partial a_i} = 2/n") == "(∂out)/(∂a_i) = 2/n"
    assert katex_render.as_text(r"f(x) = \sum_i x_i^2 \sin x_i") == "f(x) = ∑_i x_i^2 sin x_i"
    for language in docs_model.LANGUAGES:
        docs = docs_model.read_search_index(site_dir, language)["docs"]
        tex = [doc["location"] for doc in docs if re.search(r"\\\(|\\\[", doc["text"])]
        assert not tex, f"{language}: TeX left in the search index at {tex[:5]}"
        assert any("SiLU(x) = xσ(x)" in doc["text"] for doc in docs), f"{language}: the SiLU formula is not in the index as text"
