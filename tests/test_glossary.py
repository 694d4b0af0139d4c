"""The glossary: its data is valid and reported by entry when broken, the `term` check keeps Chinese
pages on the glossary's terms, and a search for each term, in either language, finds the page that
explains it (read from the built site's search index)."""

import copy
import re
import textwrap

import pytest

import check_site
import docs_model
import glossary
import mkdocs_hooks

DATA = glossary.load()
PLACEHOLDER = "<!-- placeholder: replace this page -->"


def test_the_data_file_is_valid():
    assert glossary.validate(DATA) == []
    assert len(DATA["terms"]) >= 50


def _entry(data, en):
    return next(e for e in data["terms"] if e["en"] == en)


@pytest.mark.parametrize("breakage, message", [
    (lambda d: _entry(d, "leaf tensor").pop("zh"), "(leaf tensor): `zh` is missing or empty; add the Chinese term"),
    (lambda d: _entry(d, "leaf tensor").update(see="basics/autograd.md#no-such-anchor"),
     "(leaf tensor): `see` anchor #no-such-anchor is not a heading anchor of docs/basics/autograd.md; use one of: #autograd"),
    (lambda d: _entry(d, "leaf tensor").update(see="basics/no-such-page.md#x"),
     "(leaf tensor): `see` names basics/no-such-page.md, but docs/basics/no-such-page.md does not exist"),
    (lambda d: _entry(d, "leaf tensor").update(see="basics/autograd.md"), "(leaf tensor): `see` must be `section/page.md#anchor`"),
    (lambda d: _entry(d, "kernel")["define"].pop("en"), "(kernel): `define.en` is missing"),
    (lambda d: _entry(d, "kernel").update(avoid=["内核"]), "(kernel): `avoid` lists the term itself"),
    (lambda d: _entry(d, "kernel").update(avoid="核函数"), "(kernel): `avoid` must be a list, e.g. `avoid: [核函数]`"),
    (lambda d: _entry(d, "kernel").update(seealso="x"), "(kernel): unknown key 'seealso'"),
    (lambda d: _entry(d, "kernel").update(zh="张量"), "(kernel): `zh` '张量' is already the term of entry"),
    (lambda d: _entry(d, "CUDA").update(zh="库达"), "(CUDA): has `english-in-zh: true` and a different `zh`"),
])
def test_broken_data_is_reported_by_entry(breakage, message):
    data = copy.deepcopy(DATA)
    breakage(data)
    problems = glossary.validate(data)
    assert any(message in p for p in problems), problems


def test_a_glossary_problem_names_the_line_of_its_entry():
    text = glossary.DATA.read_text(encoding="utf-8")
    lines = glossary.entry_lines(text)
    assert len(lines) == len(DATA["terms"])
    index = DATA["terms"].index(_entry(DATA, "kernel"))
    assert text.splitlines()[lines[index] - 1].lstrip().startswith("- ")
    data = copy.deepcopy(DATA)
    _entry(data, "kernel").pop("zh")
    assert any(f"(kernel, line {lines[index]}): `zh` is missing" in p for p in glossary.validate(data, lines=lines))


def test_the_tables_have_one_linked_row_per_term_sorted_by_english():
    for language in docs_model.LANGUAGES:
        rows = [row for row in glossary.render(language).splitlines() if row.startswith("|")][2:]
        assert len(rows) == len(DATA["terms"])
        assert all(re.search(r"\]\((\.\./[\w/-]+|[\w-]+)\.md#[\w-]+\) \|$", row) for row in rows), rows
        english = [row.split(" | ")[0 if language == "en" else 1].strip("|* ") for row in rows]
        if language == "zh":
            english = [e.split(" (")[0] for e in english]
        assert english == sorted(english, key=str.lower)
    zh = glossary.render("zh")
    assert "| **叶子张量** | leaf tensor |" in zh and "[自动求导 › 叶子张量](../basics/autograd.md#leaf-tensors)" in zh
    assert "| **CUDA**（不译） | CUDA |" in zh
    english = glossary.render("en")
    assert "| **CUDA** | CUDA (kept in English) |" in english
    assert '| **leaf tensor** | <span lang="zh">叶子张量</span> |' in english  # drawn and read as Chinese


# --- the `term` and `glossary` checks on a small site -------------------------------------------

GLOSSARY = """\
terms:
  - en: kernel
    zh: 内核
    define: {zh: 在 GPU 上执行的函数。, en: A function that runs on the GPU.}
    see: demo/page.md#intro
    avoid: [核函数, kernel]
  - en: Tensor Cores
    zh: 张量核心
    define: {zh: 矩阵乘加单元。, en: Matrix units.}
    see: demo/page.md#intro
    avoid: [张量核]
"""


def make_site(tmp_path, zh_body, glossary_text=GLOSSARY):
    files = {
        "mkdocs.yml": "nav:\n  - Demo: demo/page.md\n",
        "docs/reference/glossary.yml": glossary_text,
        "docs/demo/page.md": "# 示例 { #intro }\n\n" + textwrap.dedent(zh_body),
        "docs/demo/page.en.md": "# Example { #intro }\n\nThe kernel runs.\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def problems(root, check):
    return [p for p in check_site.check(root) if p.check == check]


def test_the_term_check_catches_a_variant(tmp_path):
    found = problems(make_site(tmp_path, "每个运算都要启动一个核函数。\n\n然后 kernel 开始执行。\n"), "term")
    assert [p.where for p in found] == ["docs/demo/page.md:3", "docs/demo/page.md:5"], found
    assert "write `内核`" in found[0].message and "entry 'kernel'" in found[0].message
    assert "<!-- term-ok: 核函数 (reason) -->" in found[0].message


def test_the_term_check_leaves_code_glosses_links_and_the_term_itself_alone(tmp_path):
    body = """\
    CUDA 的内核（kernel）是异步执行的，张量核心很快。

    `kernel_size` 和 `torch.backends.kernel` 是代码；[链接](https://example.com/kernel) 的地址也不算。

    ```python
    --8<-- "snippets/demo/page.py:kernel"
    ```

    <!-- kernel in a comment -->
    """
    assert problems(make_site(tmp_path, body), "term") == []


def test_the_term_check_honours_the_opt_out_and_wants_a_reason(tmp_path):
    body = "错误信息原文是 kernel image，这里照录。\n\n<!-- term-ok: kernel (quoting an English error message) -->\n"
    assert problems(make_site(tmp_path, body), "term") == []
    body = "错误信息原文是 kernel image。\n\n<!-- term-ok: kernel -->\n"
    found = problems(make_site(tmp_path, body), "term")
    assert len(found) == 1 and "needs a reason" in found[0].message, found


def test_english_pages_are_not_term_checked(tmp_path):
    assert problems(make_site(tmp_path, "内核。\n"), "term") == []  # page.en.md says "kernel"


def test_the_glossary_check_reports_bad_data_by_entry(tmp_path):
    broken = GLOSSARY.replace("see: demo/page.md#intro\n    avoid: [张量核]", "see: demo/page.md#peaks\n    avoid: [张量核]")
    found = problems(make_site(tmp_path, "内核。\n", broken), "glossary")
    assert len(found) == 2 and found[0].where == "docs/reference/glossary.yml:7", found
    assert "entry 2 (Tensor Cores, line 7): `see` anchor #peaks is not a heading anchor of docs/demo/page.md" in found[0].message
    found = problems(make_site(tmp_path, "内核。\n", "terms: [\n"), "glossary")
    assert len(found) == 1 and "not valid YAML" in found[0].message


# --- the built site --------------------------------------------------------------------------------

def _search_text(site_dir, language):
    index = docs_model.read_search_index(site_dir, language)
    text: dict[str, list[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#", 1)[0]
        text.setdefault(page, []).append(doc["title"] + " " + doc["text"])
    # Chinese text is segmented with zero-width spaces; markup is not what a reader searches
    return {page: re.sub(r"<[^>]+>", "", " ".join(parts)).replace("\u200b", "").lower() for page, parts in text.items()}


@pytest.mark.parametrize("language", docs_model.LANGUAGES)
def test_each_term_is_in_the_search_index_of_the_page_that_explains_it(site_dir, language):
    """Issue requirement: a search for each glossary term in either language finds the page that explains it."""
    text = _search_text(site_dir, language)
    missing, pending = [], []
    for entry in DATA["terms"]:
        page = entry["see"].split("#", 1)[0]
        source = docs_model.translation_path(page.removesuffix(".md"), language)
        if PLACEHOLDER in source.read_text(encoding="utf-8"):
            pending.append(entry["en"])
            continue
        name = glossary.term(entry, language)
        if name.lower() not in text.get(glossary.see_location(entry["see"]).partition("#")[0], ""):
            missing.append(f"{name} ({entry['see']})")
    assert not missing, (f"{language}: these terms do not occur on the page their `see` names; use the term "
                         f"there, or point `see` at the page that explains it: {', '.join(missing)}")
    if pending:
        pytest.skip(f"{language}: see-pages still placeholders for: {', '.join(pending)}")


@pytest.mark.parametrize("see, location", [
    ("basics/tensors.md#shape-and-dtype", "basics/tensors/#shape-and-dtype"),
    ("index.md#start-here", "#start-here"),
    ("install/index.md#selector", "install/#selector"),
    ("reference/reindex.md#a", "reference/reindex/#a"),  # a name that merely ends in "index"
])
def test_a_see_value_becomes_the_address_the_search_index_uses(see, location):
    assert glossary.see_location(see) == location


def test_chinese_search_finds_a_section_by_the_english_term_it_explains(site_dir):
    """Chinese readers type tensor, dtype, device: in the Chinese site's search index each glossary
    term's English form is a tag of the section its `see` names (or of the page's own entry, when
    `see` names the page's title), unless the Chinese pages write the term in English anyway. The
    English index gets no glossary tags, as its pages write the words; its only tags are the words of
    the English pages' `search-also` lines (mkdocs_hooks.reader_search_tags)."""
    docs = {doc["location"]: doc for doc in docs_model.read_search_index(site_dir, docs_model.LANGUAGES[0])["docs"]}
    untagged = []
    for entry in DATA["terms"]:
        location = glossary.see_location(entry["see"])
        doc = docs.get(location) or docs[location.partition("#")[0]]
        if (entry["en"] in doc.get("tags", [])) == bool(entry.get("english-in-zh")):
            untagged.append(f"{entry['en']} ({location}: tags {doc.get('tags', [])})")
    assert not untagged, untagged
    english = docs_model.read_search_index(site_dir, "en")["docs"]
    untagged_english = [{key: value for key, value in doc.items() if key != "tags"} for doc in english]
    from_search_also = mkdocs_hooks.reader_search_tags(untagged_english, "en")
    assert any(doc.get("tags") for doc in english)
    assert [doc.get("tags", []) for doc in english] == [doc.get("tags", []) for doc in from_search_also], (
        "the English index has tags that no `search-also` line of its pages gives")


@pytest.mark.parametrize("language", docs_model.LANGUAGES)
def test_the_built_glossary_page_shows_every_term_with_its_link(site_dir, language):
    html = (site_dir / docs_model.page_url("reference/glossary", language) / "index.html").read_text(encoding="utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    assert len(rows) == len(DATA["terms"])
    for row, entry in zip(rows, glossary.sorted_terms(DATA), strict=True):
        assert f"<strong>{glossary.term(entry, language)}</strong>" in row
        assert re.search(rf'<a href="[^"]*#{entry["see"].split("#")[1]}">', row), row
