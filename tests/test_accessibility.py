"""Accessibility in a real browser: axe-core (tests/package-lock.json) on every page in both
languages, and keyboard use of the site's interactive parts."""

from pathlib import Path

import pytest

from docs_model import page_urls
from site_search import wait_for_search_index

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = list(page_urls())
SEVERE = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_page(browser):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/bootstrap.sh (it runs `npm ci --prefix tests`).", pytrace=False)
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


RUN_AXE = """async (rules) => {
    const options = {resultTypes: ['violations']};
    if (rules) options.runOnly = {type: 'rule', values: rules};
    else options.runOnly = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
    const result = await axe.run(document, options);
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n')[1])}));
}"""


@pytest.mark.parametrize("language, key, url", PAGES, ids=[u or "/" for _, _, u in PAGES])
def test_no_serious_accessibility_violations(axe_page, site_url, language, key, url):
    """Every WCAG 2.2 A/AA and best-practice rule in the light scheme (2.2 adds target size: links
    and buttons at least 24 px or spaced as if they were); colours again in the dark one."""
    assert_no_severe_violations(axe_page, site_url, url)


@pytest.mark.parametrize("url", ["404.html", "en/404.html"])
def test_the_404_pages_have_no_serious_accessibility_violations(axe_page, site_url, url):
    assert_no_severe_violations(axe_page, site_url, url)


def assert_no_severe_violations(page, site_url: str, url: str) -> None:
    """axe-core on /url: every rule in the light scheme, the colour rules again in the dark one."""
    page.goto(f"{site_url}/{url}", wait_until="networkidle")
    # switch schemes with transitions off, so contrast is measured on final colours
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(path=str(AXE))
    # Lay out every block, as site.js does before a jump: a block the browser has not laid out yet
    # (content-visibility: auto, site.css) has a stand-in height, and axe-core, which measures each
    # element where it lies, then found a code block's grey behind the tab labels under it.
    page.evaluate("document.documentElement.classList.add('site-laid-out')")
    found = []
    for scheme, rules in (("default", None), ("slate", ["color-contrast", "link-in-text-block"])):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        found += [(scheme, v) for v in page.evaluate(RUN_AXE, rules) if v["impact"] in SEVERE]
    assert not found, f"/{url}:\n" + "\n".join(
        f"  [{scheme}] {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for scheme, v in found)


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_search_works_from_the_keyboard(keyboard_page, site_url):
    page = keyboard_page
    page.goto(f"{site_url}/en/concepts/pytorch/", wait_until="networkidle")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    wait_for_search_index(page)
    page.keyboard.type("broadcasting")
    page.keyboard.press("End")  # Material's search listens to keyup
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/basics/tensors/**")


def test_language_switch_works_from_the_keyboard(keyboard_page, site_url):
    page = keyboard_page
    page.goto(f"{site_url}/en/basics/tensors/", wait_until="networkidle")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "zh":
            break
    else:
        pytest.fail("Tab never reaches the link to the Chinese page")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/basics/tensors/")


def test_content_tabs_switch_with_arrow_keys(keyboard_page, site_url):
    page = keyboard_page
    page.goto(f"{site_url}/basics/tensors/", wait_until="networkidle")
    first = page.locator(".tabbed-set input").first
    name = first.get_attribute("name")
    first.focus()
    page.keyboard.press("ArrowRight")
    checked = page.locator(f'input[name="{name}"]:checked')
    assert checked.get_attribute("id") != first.get_attribute("id"), "ArrowRight did not move to the next tab"
    index = page.evaluate(f"[...document.querySelectorAll('input[name=\"{name}\"]')].findIndex(i => i.checked)")
    block = page.locator(".tabbed-set").filter(has=page.locator(f'input[name="{name}"]')).first.locator(
        ":scope > .tabbed-content > .tabbed-block").nth(index)
    assert block.is_visible()
