"""The strict build: zero warnings, every page in both languages, outputs in place."""

import html as html_lib
import json
import re

import pytest

import docs_model
import snippet_engine as engine
from site_size import search_files, wire_size


def test_strict_build_has_no_warnings(build):
    site, result = build
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    warnings = [line for line in result.stderr.splitlines() if re.match(r"^(WARNING|ERROR)\b", line)]
    assert not warnings, "the build warned; fix each line:\n" + "\n".join(warnings)


def test_each_test_process_builds_with_its_own_cache(site_dir, build_cache):
    """tests/conftest.py gives each pytest-xdist process's build its own cache folder (SITE_CACHE_DIR,
    read by scripts/notebook_hooks.py): two builds at once never share mkdocs-jupyter's cache files."""
    assert list((build_cache / "notebooks").rglob("*.ipynb")), build_cache
    assert list((build_cache / "mkdocs-jupyter").rglob("*.json")), build_cache


def test_every_page_is_built_in_its_language(site_dir):
    for language, _key, url in docs_model.page_urls():
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in html, f"{url}: <html lang> is not {language}"


def test_each_language_has_its_own_search_index(site_dir):

    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        assert index["config"]["lang"] == [language]
        assert index["docs"], f"{language}: empty search index"
        assert not any(d["location"].startswith(f"{other}/") for d in index["docs"] for other in docs_model.LANGUAGES)


def test_each_search_index_fits_its_budget(site_dir):
    """The index is fetched at a reader's first search (docs/assets/site.js), titles first and then
    texts, and grows with every page: scripts/site_size.py says what the budgets are for."""
    for language in docs_model.LANGUAGES:
        for file, budget, _ in search_files(site_dir, language):
            size = wire_size(file)
            assert size <= budget, (
                f"{language}: {file.name} {size // 1000} kB compressed > {budget // 1000} kB "
                "(scripts/site_size.py says what is already left out, and what could be next)")


def test_the_search_index_file_material_fetches_holds_no_text(site_dir):
    """Texts are nine tenths of the index, and search_text.json brings them (site.js); both files
    name the build they are of, which read_search_index checks."""
    for language in docs_model.LANGUAGES:
        head = docs_model.search_index(site_dir, language)
        assert all(doc["text"] == "" for doc in json.loads(head.read_text(encoding="utf-8"))["docs"]), language
        assert wire_size(head) * 5 < wire_size(docs_model.search_texts(site_dir, language)), language
        assert sum(bool(doc["text"]) for doc in docs_model.read_search_index(site_dir, language)["docs"]) > 300, language


def test_a_search_index_is_read_only_with_the_texts_of_its_own_build(tmp_path):
    index = {"config": {"lang": ["zh"]}, "docs": [{"location": "a/", "title": "A", "text": "一"}]}
    docs_model.write_search_index(tmp_path, "zh", index)
    assert docs_model.read_search_index(tmp_path, "zh") == dict(index, config=dict(
        index["config"], site_texts=json.loads(docs_model.search_texts(tmp_path, "zh").read_text(encoding="utf-8"))["build"]))
    other = tmp_path / "other"
    docs_model.write_search_index(other, "zh", dict(index, docs=[dict(index["docs"][0], location="b/")]))
    docs_model.search_texts(other, "zh").replace(docs_model.search_texts(tmp_path, "zh"))
    with pytest.raises(ValueError, match="of another build than .*: rebuild the site"):
        docs_model.read_search_index(tmp_path, "zh")


def test_python_code_is_searched_by_its_names_and_shown_whole_on_the_page(site_dir):
    """mkdocs_hooks.CODE_FIELD: a reader searches for a name (`get_last_lr`, which only the cheat
    sheet's code has), never for a line of code, and the code's text weighed a fifth of the index."""
    import mkdocs_hooks

    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        assert index["config"]["fields"][mkdocs_hooks.CODE_FIELD] == {"boost": 1}, language
        separator = re.compile(index["config"]["separator"])
        docs = {d["location"]: d for d in index["docs"]}
        for doc in docs.values():
            blocks = re.findall(r"<pre><code>(.*?)</code></pre>", doc["text"].replace("\u200b", ""), re.S)
            assert not any(re.search(r"^(import |print\()", block, re.M) for block in blocks), (
                f"{language} {doc['location']}: Python code in the text")
            plain = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}").replace("\u200b", "")
            words = {word.lower() for word in separator.split(plain)}
            names = doc.get(mkdocs_hooks.CODE_FIELD, "").split()
            assert len(names) == len(set(names)) and not words & {name.lower() for name in names}, doc["location"]
        assert "get_last_lr" in docs["reference/cheatsheet/#model-and-training"][mkdocs_hooks.CODE_FIELD].split()
        assert "pip install torch torchvision" in docs["install/linux/#pip"]["text"].replace("\u200b", "")  # shell stays
        html = (site_dir / docs_model.page_url("reference/cheatsheet", language) / "index.html").read_text(encoding="utf-8")
        assert "scheduler.get_last_lr()" in re.sub(r"<[^>]+>", "", html)


def test_code_names_go_to_the_section_their_block_is_in():
    import mkdocs_hooks

    assert mkdocs_hooks.code_names('import torch  # a comment\nx = torch.ones(2, dtype="float32")\n'
                                   "print(x.sum(), len(x), x.sum())\n") == ["torch", "ones", "dtype", "sum"]
    assert mkdocs_hooks.code_names("total = f(value") == ["total", "value"]  # not whole Python: names all the same
    block = '<div class="language-python highlight"><pre><span></span><code>{}</code></pre></div>'
    excluded = block.replace("highlight", 'highlight" data-search-exclude="code')
    html = ('<h1 id="title">T</h1>' + block.format("alpha = 1") + '<h2 id="second">S</h2>'
            + excluded.format("hidden = 2") + block.format("beta = alpha &lt; 2"))
    opening = '<div class="language-python highlight">'
    assert mkdocs_hooks.search_code_as_names(html, "test-page/") == html.replace(
        opening, opening[:-1] + ' data-search-exclude="code">')
    assert mkdocs_hooks._code_names["test-page/"] == ["alpha"]
    assert mkdocs_hooks._code_names["test-page/#second"] == ["beta", "alpha"]
    doc = {"location": "test-page/#second", "title": "S", "text": "<p>Beta, said once</p>"}
    assert mkdocs_hooks.with_code_names(doc, r"[\s,]+") == dict(doc, code="alpha")


def test_a_prose_only_snippet_keeps_its_code_out_of_the_search_index_and_on_the_page(site_dir):
    """`# search: prose-only (reason)`: the benchmark's 1,000 lines would weigh on the index that a
    reader's first search loads. Its page still shows the code, its prose is still found, and other
    pages' code still is, by its names."""
    import mkdocs_hooks

    assert engine.parse_snippet(engine.ROOT / "snippets/gpu/benchmark.py").search_prose_only
    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        bench = [d for d in index["docs"] if d["location"].startswith("gpu/benchmark/")]
        assert not any("def matmul_flops" in d["text"] for d in bench), f"{language}: the benchmark's code is indexed"
        assert any(d["location"] == "gpu/benchmark/#numpy-baseline" and len(d["text"]) > 500 for d in bench), (
            f"{language}: the benchmark's prose is missing from the index")
        assert any("reshape" in d.get(mkdocs_hooks.CODE_FIELD, "").split()
                   for d in index["docs"] if d["location"].startswith("basics/tensors/"))
        html = (site_dir / docs_model.page_url("gpu/benchmark", language) / "index.html").read_text(encoding="utf-8")
        assert "def run_sweep(" in re.sub(r"<[^>]+>", "", html) and "data-search-exclude" not in html


def test_only_outputs_that_show_an_error_or_a_warning_are_searched(site_dir):
    """Readers paste error messages into the search box; tensor values would only match searches
    for numbers and `True`, and weigh on the index (scripts/site_size.py)."""
    import mkdocs_hooks

    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        text = {d["location"]: d["text"] for d in index["docs"]}
        assert "tensor([2., 4., 6.], grad_fn=" not in text["basics/autograd/#first-example"], language
        assert "grad can be implicitly created only for scalar outputs" in text["basics/autograd/#non-scalar"]
        assert "einsum(): subscript j has size 2" in text["basics/matmul/#einsum-error"]  # printed, no class name
        assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in text["reference/errors/#mat1-mat2-shapes"]
        html = (site_dir / docs_model.page_url("basics/autograd", language) / "index.html").read_text(encoding="utf-8")
        assert "tensor([2., 4., 6.], grad_fn=&lt;MulBackward0&gt;)" in html  # still on the page
    assert mkdocs_hooks.searched_output("x = 1\nprint(x)", "UserWarning: careful")
    assert mkdocs_hooks.searched_output("try:\n    f()\nexcept RuntimeError as error:\n    print(error)", "bad")
    assert not mkdocs_hooks.searched_output("print(torch.ones(2))", "tensor([1., 1.])")
    searched = f'<div class="language-text snippet-output {mkdocs_hooks.SEARCHED_OUTPUT_CLASS} highlight">'
    quiet = '<div class="language-text snippet-output highlight">'
    assert mkdocs_hooks.search_excluded_output(searched + quiet) == (
        searched + '<div data-search-exclude="output" class="language-text snippet-output highlight">')


def test_a_prose_only_mark_without_its_code_block_stops_the_build():
    from mkdocs.exceptions import PluginError

    import mkdocs_hooks

    marked = f'{mkdocs_hooks.PROSE_ONLY_MARK}\n<div class="language-python highlight"><pre><code>x</code></pre></div>'
    assert mkdocs_hooks.search_excluded_code(marked, "p.md") == (
        '<div class="language-python highlight" data-search-exclude="code"><pre><code>x</code></pre></div>')
    for fenced in ('<div class="language-python annotate highlight">', '<div id="c1" class="language-python highlight">'):
        assert mkdocs_hooks.search_excluded_code(f"{mkdocs_hooks.PROSE_ONLY_MARK}\n{fenced}", "p.md") == (
            fenced[:-1] + ' data-search-exclude="code">')
    with pytest.raises(PluginError, match=r"docs/p\.md: a code block .* but the page has '<table></table>' there"):
        mkdocs_hooks.search_excluded_code(f"{mkdocs_hooks.PROSE_ONLY_MARK}\n<table></table>", "p.md")


# Punctuation that clings to a word in prose or code: a search token that starts or ends with it is
# a word that searching for the word misses (`tensor` did not find `（tensor）`, nor `rate` `rate;`).
CLINGING = "（）：“”‘’《》【】「」；，。？！;?,:!()[]{}\"'`|*#@–—…·"


def test_search_words_carry_no_punctuation(site_dir):
    """The browser splits each index entry into words at the separator in mkdocs.yml (Chinese text
    was split by jieba first, at U+200B); brackets, colons, quotes, semicolons and dashes must fall
    between words, in Chinese and English prose and in code."""

    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        separator = re.compile(index["config"]["separator"])
        stuck = {}
        for doc in index["docs"]:
            for word in separator.split(re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}")):
                if word and (word[0] in CLINGING or word[-1] in CLINGING or re.search("[–—]", word)):
                    stuck.setdefault(word, doc["location"])
        assert not stuck, (f"{language} search index: words with punctuation stuck to them (add it to the search "
                           "`separator` in mkdocs.yml): " + ", ".join(f"{w!r} ({where})" for w, where in list(stuck.items())[:10]))


def test_the_search_worker_is_mended_and_a_changed_worker_stops_the_build(site_dir, tmp_path):
    from mkdocs.exceptions import PluginError

    import mkdocs_hooks

    fixes = [fix for *_, mend in mkdocs_hooks.WORKER_MENDS for fix in mend]
    [worker] = (site_dir / "assets/javascripts/workers").glob("search.*.min.js")
    text = worker.read_text(encoding="utf-8")
    assert all(new in text and old not in text for old, new in fixes), worker.name
    workers = tmp_path / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    fake = workers / "search.0.min.js"
    fake.write_text("x;" + ";".join(old for old, _ in fixes), encoding="utf-8")
    mkdocs_hooks.mend_search_worker(str(tmp_path))
    mkdocs_hooks.mend_search_worker(str(tmp_path))  # the second language's build: nothing left to do
    assert fake.read_text(encoding="utf-8") == "x;" + ";".join(new for _, new in fixes)
    fake.write_text("a changed worker", encoding="utf-8")
    with pytest.raises(PluginError, match=r"search\.0\.min\.js: Material's search worker no longer contains .*SEGMENT_FIXES"):
        mkdocs_hooks.mend_search_worker(str(tmp_path))
    fake.write_text(";".join(old for old, _ in mkdocs_hooks.SEGMENT_FIXES), encoding="utf-8")  # lunr's changed
    with pytest.raises(PluginError, match=r"no longer contains .*TOKEN_SET_FIXES"):
        mkdocs_hooks.mend_search_worker(str(tmp_path))


def test_glossary_terms_are_whole_words_in_the_search_index():
    """mkdocs_hooks.search_words: a Chinese glossary term that jieba cuts with a one-character piece
    becomes one word; a term made of two longer words stays cut, so each word finds it."""
    import jieba

    import mkdocs_hooks

    mkdocs_hooks.search_words()
    assert jieba.lcut("多种硬件后端") == ["多种", "硬件", "后端"]  # a heading of concepts/pytorch
    assert jieba.lcut("学习率和优化器") == ["学习率", "和", "优化器"]
    assert jieba.lcut("损失函数") == ["损失", "函数"]
    assert jieba.lcut("学习率太大") == ["学习率", "太大"]  # EXTRA_WORDS: 太 and 大 alone were dropped


def test_recorded_output_sits_under_its_code(site_dir):
    html = (site_dir / "basics/tensors/index.html").read_text(encoding="utf-8")
    recording = engine.parse_recording(engine.SNIPPETS / "basics/tensors.cpu.out")
    first_output = next(text for text in recording.outputs.values() if text)
    assert 'class="language-text no-copy snippet-output highlight"><span class="filename">输出</span>' in html
    first_line = re.sub(r"\s+", " ", first_output.splitlines()[0]).strip()
    text = re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
    assert first_line in re.sub(r"[ \t]+", " ", text)
    assert "<span class=\"filename\">Output</span>" in (site_dir / "en/basics/tensors/index.html").read_text(encoding="utf-8")


def test_gpu_pending_notice_never_separates_code_from_its_output(site_dir):
    """A snippet whose GPU output is not recorded yet gets a notice, under the output of its first
    block: between the code and its output it would cut the two apart."""
    notice_then_output = re.compile(r'<p class="admonition-title">(GPU 输出待记录|GPU output pending)</p>(?:(?!</div>).)*</div>\s*'
                                    r'(<div class="[^"]*snippet-output|<div class="tabbed-set[^>]*>(?:(?!</div>).)*snippet-output)', re.S)
    for _language, _key, url in docs_model.page_urls():
        page = (site_dir / url / "index.html").read_text(encoding="utf-8")
        assert not notice_then_output.search(page), f"/{url}: the GPU-pending notice sits between code and its output"


def test_every_downloadable_program_is_its_tested_snippet(site_dir):
    """A program a page offers for download (docs/<section>/<name>.py: install/verify.py,
    gpu/benchmark.py) is a link to snippets/<section>/<name>.py, not a copy, and is published."""
    downloads = sorted(engine.ROOT.joinpath("docs").rglob("*.py"))
    assert downloads, "no downloadable program under docs/"
    for download in downloads:
        relative = download.relative_to(engine.ROOT / "docs")
        snippet = engine.SNIPPETS / relative
        assert download.is_symlink() and download.resolve() == snippet.resolve(), (
            f"{download.relative_to(engine.ROOT)} must be a symlink to {snippet.relative_to(engine.ROOT)} "
            f"(ln -s {'../' * len(relative.parts)}snippets/{relative.as_posix()} {download.relative_to(engine.ROOT)})")
        assert (site_dir / relative).read_bytes() == snippet.read_bytes(), f"{relative} is not published as is"


def test_no_list_item_is_swallowed_by_the_paragraph_before_it(site_dir):
    """Markdown reads a list item written on the line right after an indented paragraph of the item
    before as more text of that paragraph: "3. ..." then shows as plain text, not as item 3."""
    paragraph = re.compile(r"<p>((?:(?!</p>).)*)</p>", re.S)
    for language, key, url in docs_model.page_urls():
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        article = html[html.find("<article"):html.find("</article>")]
        for match in paragraph.finditer(article):
            line = re.search(r"\n[ \t]*((?:\d+\.|[-*+]) [^\n]{0,40})", re.sub(r"<[^>]+>", "", match.group(1)))
            assert not line, (f"/{url}: the list item {line.group(1)!r}… is shown as text of the paragraph before it; "
                              f"put a blank line before it in docs/{key}{'' if language == docs_model.LANGUAGES[0] else '.' + language}.md")


def test_a_whole_file_include_shows_each_device_s_output_in_one_tab(site_dir):
    """install/verify includes all of verify.py, some of whose sections print the same on a GPU and
    some not: one tab set, CPU and the GPU, each with one output box holding every section's output
    as that device printed it, in order, as running the file prints it (a tab per section once made
    one set of CPU, GPU, CPU, ... and a tab named None; a box per section showed six in each tab)."""
    import mkdocs_hooks

    snippet = engine.parse_snippet(engine.ROOT / "snippets/install/verify.py")
    gpu = engine.parse_recording(snippet.recording_path("cuda"))
    lines = mkdocs_hooks.output_block(docs_model.Include("snippets/install/verify.py", None, 81), "", "en",
                                      "install/verify.en.md:81", set())
    tabs = [line for line in lines if line.startswith("=== ")]
    assert tabs == ['=== "CPU"', f'=== "{gpu.meta["device"]}"']
    cpu = engine.parse_recording(snippet.recording_path("cpu"))
    for recording, device in ((cpu, "cpu"), (gpu, "cuda")):
        included = [line.split(":")[-1].strip('"') for line in lines if f"verify.{device}.out:" in line]
        assert included == [s for s in snippet.sections if recording.outputs.get(s)]
    assert sum("snippet-output" in line for line in lines) == len(tabs), "one output box per tab"
    html = (site_dir / "en/install/verify/index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<label for="__tabbed_\d+_\d+">([^<]*)</label>', html)
    assert "None" not in labels and labels.count("CPU") == labels.count(gpu.meta["device"])
    whole = html[html.index('id="whole-program"'):]
    boxes = [html_lib.unescape(re.sub(r"<[^>]+>", "", box)).strip("\n") for box in
             re.findall(r'class="[^"]*snippet-output[^"]*".*?<code>(.*?)</code>', whole, re.S)]
    assert boxes == ["\n".join(recording.outputs[s] for s in snippet.sections if recording.outputs.get(s))
                     for recording in (cpu, gpu)]


def test_a_section_typo_on_a_page_names_the_page_line_and_the_fix_not_record():
    """The hook used to answer a misspelt section name with `run record.py`, which changes nothing."""
    from mkdocs.exceptions import PluginError

    import mkdocs_hooks

    include = docs_model.Include("snippets/concepts/components.py", "autogad", 40)
    with pytest.raises(PluginError) as raised:
        mkdocs_hooks.output_block(include, "", "zh", "concepts/components.md:40", set())
    message = str(raised.value)
    assert message.startswith("concepts/components.md:40: ") and "did you mean 'autograd'?" in message
    assert "record.py" not in message and "Fix the name in concepts/components.md" in message


@pytest.mark.parametrize("include, expected", [
    ('```python\n--8<-- "snippets/concepts/component.py:autograd"\n```',
     "concepts/components.md:2: snippets/concepts/component.py does not exist. Fix the path or create the file "
     "(the code of docs/concepts/components.md lives in snippets/concepts/components.py or snippets/concepts/components/)."),
    ('```python\n--8<-- "snippets/concepts/components.py:nn_model"\n```',
     "concepts/components.md:2: this include would not work: 'nn_model' is not a section name"),
    ('--8<-- "snippets/concepts/components.py:autograd"', "concepts/components.md:1: this code include is outside a code block"),
])
def test_the_build_names_the_line_of_an_include_it_cannot_run(tmp_path, include, expected):
    """`mkdocs serve` reports these with the page's line and the fix, not pymdownx's traceback."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    import mkdocs_hooks

    source = tmp_path / "components.md"
    source.write_text(include + "\n", encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(source), src_uri="concepts/components.md"))
    with pytest.raises(PluginError) as raised:
        mkdocs_hooks.on_page_markdown(include + "\n", page, {}, None)
    assert str(raised.value).startswith(expected), raised.value


def test_every_build_reports_the_consistency_checks(monkeypatch, caplog):
    """`mkdocs build` fails on a check_site problem (a warning, and the build is strict); `mkdocs
    serve` lists it and goes on; the English build does not repeat it."""
    import logging
    from types import SimpleNamespace

    import check_site
    import mkdocs_hooks

    monkeypatch.setattr(check_site, "check", lambda root: [check_site.Problem("typed-code", "docs/x.md:3", "typed")])
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.check_site")
    for command, language, level in (("build", "zh", logging.WARNING), ("serve", "zh", logging.INFO), ("build", "en", None)):
        caplog.clear()
        mkdocs_hooks.on_startup(command, dirty=False)
        mkdocs_hooks.report_consistency(SimpleNamespace(theme={"language": language}))
        assert [(r.levelno, r.getMessage()) for r in caplog.records] == (
            [(level, "check_site: docs/x.md:3: [typed-code] typed")] if level else [])
    mkdocs_hooks.on_startup("build", dirty=False)


def test_an_indented_paragraph_is_reported_as_typed_code(tmp_path, caplog):
    """Four spaces after a blank line make a code block in Markdown; check_site reads fences and
    missed it, so the build looks for code blocks with neither a language nor a title."""
    import logging
    from types import SimpleNamespace

    import mkdocs_hooks

    source = tmp_path / "pytorch.md"
    source.write_text("Prose.\n\n    x = typed_code()\n    print(x)\n", encoding="utf-8")
    html = ('<p>Prose.</p>\n<div class="language-text highlight"><pre><span></span><code>x = typed_code()\nprint(x)\n'
            '</code></pre></div>\n<div class="language-text highlight"><span class="filename">Output</span><pre>'
            '<span></span><code>tensor(1.)\n</code></pre></div>')
    assert mkdocs_hooks.typed_blocks(html, source.read_text(encoding="utf-8")) == [3], "the output block is not typed"
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(source), src_uri="concepts/pytorch.md"),
                           url="concepts/pytorch/")
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.check_site")
    mkdocs_hooks.on_startup("build", dirty=False)
    mkdocs_hooks.on_page_content(html, page, {}, None)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("check_site: docs/concepts/pytorch.md:3: [typed-code] this indented paragraph")
    assert "snippets/concepts/pytorch.py" in record.getMessage()


def test_footnotes_are_numbered_in_the_order_the_text_cites_them(site_dir):
    """Python-Markdown numbers footnotes in the order they are defined; the myths page's readers saw
    [2] before [1]. The build reports such a page (mkdocs_hooks.footnote_order)."""
    import mkdocs_hooks

    pages = 0
    for _language, _key, url in docs_model.page_urls():
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        assert mkdocs_hooks.footnote_order(html) is None, (url, mkdocs_hooks.footnote_order(html))
        pages += bool(mkdocs_hooks.FOOTNOTE_REF.search(html))
    assert pages >= 6, "the pages with footnotes"


def test_a_footnote_cited_but_not_defined_is_reported():
    """Python-Markdown leaves `[^name]` in the page as text; the build names the page's line."""
    import mkdocs_hooks

    source = "Intro.\n\nAs the docs say[^docs], and `x[^code]` is code.\n"
    html = '<p>Intro.</p>\n<p>As the docs say[^docs], and <code>x[^code]</code> is code.</p>'
    assert mkdocs_hooks.undefined_footnotes(html, source) == [(3, "docs")]
    defined = ('<p>As the docs say<sup id="fnref:docs"><a class="footnote-ref" href="#fn:docs">1</a></sup>.</p>')
    assert mkdocs_hooks.undefined_footnotes(defined, "As the docs say[^docs].\n\n[^docs]: a source\n") == []


def test_footnotes_defined_out_of_order_are_reported():
    import mkdocs_hooks

    def refs(*pairs):
        return "".join(f'<sup id="fnref:{n}"><a class="footnote-ref" href="#fn:{n}">{i}</a></sup>' for n, i in pairs)

    assert mkdocs_hooks.footnote_order(refs(("b", 2), ("a", 1), ("b", 2))) == ["b", "a"]
    assert mkdocs_hooks.footnote_order(refs(("a", 1), ("b", 2), ("a", 1))) is None
    assert mkdocs_hooks.footnote_order("<p>no footnotes</p>") is None


def test_the_search_index_drops_only_word_breaks_that_change_no_word(site_dir):
    """mkdocs_hooks.without_extra_breaks: a U+200B beside a space or a punctuation mark goes, and the
    text still splits into the same words (the separator of mkdocs.yml, as Material's worker uses it)."""
    from material.plugins.search.plugin import SearchIndex

    import mkdocs_hooks

    separator = docs_model.read_search_index(site_dir, "zh")["config"]["separator"]
    text = SearchIndex._segment_chinese(None, "输入的通道数必须等于 in_channels；高和宽则没有固定要求（放得下卷积核就行），比如 3×3 的卷积核。")
    pruned = mkdocs_hooks.without_extra_breaks(text, separator)
    words = [word for word in re.split(separator, text) if word]
    assert [word for word in re.split(separator, pruned) if word] == words and len(words) > 15
    assert len(pruned) < len(text) and "\u200b" in pruned
    assert not re.search("\u200b[\\s，；（）]|[\\s，；（）]\u200b", pruned), pruned


def test_the_built_search_index_has_no_extra_word_breaks(site_dir):
    for language in docs_model.LANGUAGES:
        index = docs_model.read_search_index(site_dir, language)
        extra = [d["location"] for d in index["docs"] if re.search("\u200b[ ，。；：]|[ ，。；：]\u200b", d["text"])]
        assert not extra, f"{language}: word breaks beside a separator: {extra[:5]}"
