"""MkDocs hooks: put each snippet section's recorded output right under its code.

A page only writes the code include:

    ```python
    --8<-- "snippets/basics/tensors.py:create-from-data"
    ```

and this hook adds, below it, an output block that includes the same section of the recording
(`snippets/basics/tensors.cpu.out`). When the snippet is also recorded on a GPU and the GPU printed
something else, the two outputs sit in linked tabs (CPU / the GPU's name). Sections that print
nothing get no output block. Everything shown is read from recordings; nothing is run here.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import docs_model  # noqa: E402
import generated  # noqa: E402
import snippet_engine as engine  # noqa: E402

LABELS = {
    "zh": {
        "output": "输出",
        "cpu": "CPU",
        "pending-title": "GPU 输出待记录",
        "pending": "这段代码的输出还没有在真实的 GPU 上记录（或代码改动后尚未重新记录），所以这里不显示 GPU 输出。",
    },
    "en": {
        "output": "Output",
        "cpu": "CPU",
        "pending-title": "GPU output pending",
        "pending": "This code's output has not been recorded on a real GPU yet (or not since the code last "
        "changed), so no GPU output is shown here.",
    },
}


def _recording(path: Path):
    return engine.parse_recording(path) if path.exists() else None


_loaded: dict[Path, tuple] = {}  # per build: a page includes many sections of one snippet


_command = "build"  # or "serve" (on_startup)
log = logging.getLogger("mkdocs.hooks.check_site")


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_pre_build(config) -> None:
    _loaded.clear()  # `mkdocs serve` rebuilds after edits: read snippets and recordings afresh
    report_consistency(config)
    if _builds_default_language(config):  # jieba keeps the words for the other languages' builds
        search_words()


def _builds_default_language(config) -> bool:
    return docs_model.build_language(config) == docs_model.LANGUAGES[0]


# Words that search_words() leaves as jieba cuts them (not glossary terms, or terms of two longer
# words) and that the search needs whole. Most are cut into a lone character, which the search
# drops, and something else: everyday words that readers put after a term (学习率太大 was searched
# as 学习率 alone, and the learning-rate schedules section, 学习率 everywhere, came before
# debugging's 学习率太小或太大), and 词向量, searched as 向量, which found the 向量化 of the
# profiler's Python loops before the embedding layer. And one the other way round: 激活函数, two
# words (激活 + 函数), whose 激活 matched the made word 激活值 as a prefix, a heading of the memory
# page, before the activation functions. And 预训练, cut as 预 + 训练 and searched as 训练, which found
# the DDP page; made a word, it also keeps the glossary term 预训练模型 in two words (预训练 + 模型),
# so that both it and 预训练 find fine-tuning (basics/modules#freeze). Not 循环层: the word 循环,
# searched as a prefix, then matches it, and it is so much rarer than 循环 that for 循环 found the
# recurrent layers, even at PREFIX_FIXES' half weight (训练循环 did too, before PREFIX_FIXES).
# And 核采样 (核 + 采样, searched as 采样: the distributions page, titled 采样, came first) and 累积和
# (累积 + 和, searched as 累积: DDP's gradient accumulation came first), both for cumsum's section.
# And 生成模型 (generative model; 生成 + 模型 found the GAN page first, whose 生成器 and 生成的图 are
# everywhere, rather than the VAE page, which introduces generative models). And 去重 and 两两 (each
# cut into two lone characters; 去重 then found the techniques page first) and
# 最近邻 (最近 + 邻), for the nearest-neighbour page, and 上三角 (上 + 三角) for tensors#tril-triu.
# And 跳跃连接 (skip connection; 跳跃 + 连接 found the layers page first, for its 全连接) and 循环卷积
# (circular convolution; 循环 + 卷积 found the layers page first, then the profiler's Python loops).
# Unlike 循环层, 循环卷积 did not pull 循环 away: 训练循环, for 循环 and 循环太慢 find what they found before.
EXTRA_WORDS = ("太大", "太多", "词向量", "激活函数", "预训练", "核采样", "累积和", "生成模型",
               "去重", "两两", "最近邻", "上三角", "跳跃连接", "循环卷积")


def search_words() -> list[str]:
    """The Chinese glossary terms that jieba would cut into pieces with a one-character piece, made
    words for the search index (Material's search plugin cuts the pages' Chinese with jieba, in
    this process): 学习率 was indexed as 学习 + 率, so a search for it also matched every 深度学习;
    后端 as 后 + 端, and 后, a stop word, left it unfindable. Terms of two longer words stay cut
    (损失函数: a search for 函数 finds it). EXTRA_WORDS are made words too. Returns the words
    added; a broken glossary adds only EXTRA_WORDS (check_site reports it)."""
    import jieba

    import glossary

    words = list(EXTRA_WORDS)
    for word in words:
        jieba.add_word(word)
    try:
        terms = [glossary.zh_term(entry) for entry in glossary.load()["terms"]]
    except glossary.GlossaryError:
        return words
    for term in terms:
        pieces = jieba.lcut(term) if re.fullmatch(r"[\u3400-\u9fff]+", term) else [term]
        if len(pieces) > 1 and min(map(len, pieces)) == 1:
            jieba.add_word(term)
            words.append(term)
    return words


def english_search_tags(docs: list[dict]) -> list[dict]:
    """The Chinese site's search index, with each glossary term's English form (tensor, dtype,
    device, optimizer) as a search tag of the section that explains it (the term's `see`). Chinese
    readers often type the English word, but the Chinese pages write 张量, 数据类型, 设备, so the word
    was only in their code, and the sections with the most code won: "tensor" listed the benchmark
    page first and the tensors page not in the first three; "dtype" and "device" fared no better. A tag
    counts as much as a title (mkdocs.yml); Material's results would show the tags, site.css hides them.
    Terms the Chinese pages write in English (`english-in-zh`: CUDA, wheel) are in their text
    already and get no tag. A broken glossary adds none (check_site reports it)."""
    import glossary

    try:
        terms = glossary.load()["terms"]
    except glossary.GlossaryError:
        return docs
    locations = {doc["location"] for doc in docs}
    by_location: dict[str, list[str]] = {}
    for entry in terms:
        if entry.get("english-in-zh"):
            continue
        location = glossary.see_location(entry["see"])
        # glossary.load() checked that the anchor is a heading of the page: one the index has no section
        # for is the page's title, whose entry is the page's own
        target = location if location in locations else location.partition("#")[0]
        if target not in locations:
            raise PluginError(f"docs/reference/glossary.yml: 'see: {entry['see']}' ({entry['en']}) is not in the "
                              "search index; point it at a heading of the page that explains the term")
        by_location.setdefault(target, []).append(entry["en"])
    return _with_tags(docs, by_location)


def reader_search_tags(docs: list[dict], language: str, docs_dir: Path = docs_model.DOCS) -> list[dict]:
    """A language's search index, with the words of each `<!-- search-also: ... -->` comment as a search
    tag of the section whose heading it stands under. Readers name a problem in their own words,
    which the section need not use: 找不到 GPU, 用不了显卡 and GPU 用不了 found the conda myth (装不到)
    or nothing, not troubleshooting#cuda-unavailable; 爆显存 found nothing. Chinese is cut into words
    by Material's own segmenter, as the pages' text is, so that the worker finds its words. Each word
    counts once per section, however many phrases repeat it: a word that the phrases share (显卡)
    would otherwise weigh more than a heading and draw every query that has it. A comment that is not
    under a heading, or under one the index leaves out (`data-search-exclude`), adds nothing
    (check_site reports it, and the strict build fails on that). The phrases are cut with the words
    search_words() adds, as the build cuts them, also when no build ran in this process first (a
    test: 分位数回归 came out as 分 位数 回归)."""
    from material.plugins.search.plugin import SearchIndex

    search_words()
    by_location: dict[str, list[str]] = {}
    for path in docs_model.all_pages(docs_dir):
        if docs_model.language_of(path) != language:
            continue
        page = docs_model.parse_page(path)
        url = docs_model.page_url(docs_model.page_key(path, docs_dir))
        for _, heading, phrases in page.search_also():
            if heading is None or heading.anchor is None:
                continue
            location = url if heading.level == 1 else f"{url}#{heading.anchor}"
            words = by_location.setdefault(location, [])
            for phrase in phrases:
                segmented = SearchIndex._segment_chinese(None, phrase)  # it uses nothing of the index
                words += [word for word in re.split(r"[\s\u200b]+", segmented) if word and word not in words]
    return _with_tags(docs, {location: [" ".join(words)] for location, words in by_location.items()})


def _with_tags(docs: list[dict], by_location: dict[str, list[str]]) -> list[dict]:
    return [dict(doc, tags=doc.get("tags", []) + by_location[doc["location"]]) if doc["location"] in by_location
            else doc for doc in docs]


def report_consistency(config) -> None:
    """The consistency checks of scripts/check_site.py (typed code, translations, anchors, numbers, ...;
    0.3 s), on every build, once (not again for the English build): `mkdocs build` fails on them
    like on any warning; `mkdocs serve` lists them and goes on, so that a page half written (its
    English twin not yet started) can still be looked at."""
    if not _builds_default_language(config):
        return
    if str(HERE) not in sys.path:  # MkDocs puts scripts/ on sys.path only while it loads the hooks
        sys.path.append(str(HERE))
    import check_site

    root = Path(config.config_file_path).parent if getattr(config, "config_file_path", None) else engine.ROOT
    for problem in check_site.check(root):
        _report(str(problem))


def _report(problem: str) -> None:
    """A check_site problem found by the build: a warning (strict: the build fails) in `mkdocs build`,
    an INFO line in `mkdocs serve`."""
    log.log(logging.INFO if _command == "serve" else logging.WARNING, "check_site: %s", problem)


def _load(snippet_path: Path) -> tuple:
    """(snippet, CPU recording, GPU recording or None when missing or stale, GPU pending?, why the CPU
    recording is stale or None)"""
    if snippet_path not in _loaded:
        try:
            snippet = engine.parse_snippet(snippet_path)
        except engine.SnippetError as error:
            raise PluginError(str(error)) from error
        cpu = _recording(snippet.recording_path("cpu")) if "cpu" in snippet.profiles else None
        pending = "cuda" in snippet.profiles and engine.stale_gpu_recording(snippet) is not None
        # a GPU recording of other code is not this code's output: show none
        cuda = _recording(snippet.recording_path("cuda")) if "cuda" in snippet.profiles and not pending else None
        _loaded[snippet_path] = (snippet, cpu, cuda, pending, engine.stale_cpu_recording(snippet))
    return _loaded[snippet_path]


def _output_fence(indent: str, title: str, includes: list[str], searched: bool) -> list[str]:
    searched_class = f" .{SEARCHED_OUTPUT_CLASS}" if searched else ""
    return [
        f'{indent}``` {{ .text .no-copy .snippet-output{searched_class} title="{title}" }}',
        *(f'{indent}--8<-- "{include}"' for include in includes),
        f"{indent}```",
    ]


# A snippet whose header says `# search: prose-only (reason)` keeps its code out of the search index:
# a long program (the benchmark's 1,000 lines) would weigh on the index that a reader's first search
# loads, for words its page's prose already names. The page's Markdown marks each of its code blocks,
# and the HTML block gets Material's `data-search-exclude`, the attribute its indexer skips.
PROSE_ONLY_MARK = "<!-- search: prose-only -->"
# The code block's <div>, whatever else its fence adds (`.annotate`, `.no-copy`, an id).
_PROSE_ONLY_BLOCK = re.compile(re.escape(PROSE_ONLY_MARK) + r'\s*(<div\b[^>]*\bclass="[^"]*\bhighlight\b[^"]*"[^>]*)>')


# A recorded output enters the search index only when it shows an error or a warning, which readers
# paste into the search box: its section catches one (`except`), or its text names one. The rest
# (tensor values, shapes, losses) would match searches for numbers and `True`, and weigh on the index
# that a reader's first search loads (scripts/site_size.py) for words the prose around them names.
# output_block gives a searched output's fence the class below; on_page_content excludes the others.
SEARCHED_OUTPUT_CLASS = "searched-output"
_ERROR_TEXT = re.compile(r"\w*(?:Error|Warning|Exception)\b|Traceback")
_CATCHES = re.compile(r"^\s*except\b", re.M)
_OUTPUT_DIV = re.compile(r'<div class="([^"]*\bsnippet-output\b[^"]*)"')


def searched_output(code: str, output: str) -> bool:
    return bool(_CATCHES.search(code) or _ERROR_TEXT.search(output))


def search_excluded_output(html: str) -> str:
    """The page's HTML with each recorded output that shows no error or warning left out of the search index."""
    return _OUTPUT_DIV.sub(lambda m: m[0] if SEARCHED_OUTPUT_CLASS in m[1].split()
                           else f'<div data-search-exclude="output" class="{m[1]}"', html)


def _snippet_file(include: docs_model.Include) -> Path | None:
    """The snippet a page includes, or None for a data file or a missing file (pymdownx.snippets reports it)."""
    path = engine.ROOT / include.path
    return path if path.suffix == ".py" and path.is_file() else None


def _prose_only(include: docs_model.Include) -> bool:
    path = _snippet_file(include)
    return bool(path and _load(path)[0].search_prose_only)


def search_excluded_code(html: str, where: str) -> str:
    """The page's HTML with each marked code block left out of the search index."""
    html = _PROSE_ONLY_BLOCK.sub(r'\1 data-search-exclude="code">', html)
    if PROSE_ONLY_MARK in html:
        found = html[html.index(PROSE_ONLY_MARK) + len(PROSE_ONLY_MARK):].strip()[:80]
        raise PluginError(f"docs/{where}: a code block from a `# search: prose-only` snippet should follow its mark, "
                          f"but the page has {found!r} there, so its code would enter the search index. Give the "
                          "fence nothing but its include lines, or teach _PROSE_ONLY_BLOCK in scripts/mkdocs_hooks.py "
                          "this layout.")
    return html


# Python code enters the search index as its names, not its text. Code was a fifth of the Chinese
# index (45 of 235 kB compressed), most of it names that the prose around it already uses (`model`,
# `loss`, `torch` on every page), comments, numbers and punctuation; a reader searches for a name
# (`clip_grad_norm_`, `map_location`, `CosineAnnealingLR`), never for a line of code. So each Python
# block gets `data-search-exclude` (the page still shows it) and its names, each once, go into the
# section's `code` field: a search field of its own (mkdocs.yml, boosted like the text), which the
# results do not show; on_post_build keeps only the names the section's title and text do not have.
# The Chinese index went from 235 to 203 kB compressed, the English one from 203 to 174 kB.
# Shell commands (install pages) and error outputs stay in the text, where readers find what they paste.
CODE_FIELD = "code"
_CODE_OR_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"|'
                              r'(<div\b[^>]*\bclass="language-python\b[^"]*\bhighlight\b[^"]*"[^>]*)>(.*?)</code>', re.S)
# Names that every program uses and no reader searches for
_EVERYWHERE = {"print", "len", "range", "enumerate", "zip", "isinstance", "self", "super"}
_code_names: dict[str, list[str]] = {}  # the site's search location (with its language folder) -> names


def code_names(code: str) -> list[str]:
    """The names in a piece of Python (no keywords, comments or strings), each once, in order."""
    import io
    import keyword
    import tokenize

    try:
        names = [token.string for token in tokenize.generate_tokens(io.StringIO(code).readline)
                 if token.type == tokenize.NAME]
    except (tokenize.TokenError, SyntaxError):  # a section that is not whole Python: its names all the same
        names = re.findall(r"[A-Za-z_]\w*", re.sub(r"#.*|'[^'\n]*'|\"[^\"\n]*\"", " ", code))
    return list(dict.fromkeys(name for name in names if len(name) > 1 and name not in _EVERYWHERE
                               and not keyword.iskeyword(name)))


def search_code_as_names(html: str, url: str) -> str:
    """The page's HTML with its Python code left out of the search index; its names are kept for the
    search index entry of the section each block is in (Material's: a heading with an id begins one;
    the first, the page's title, is the page's own entry). The page's names from an earlier build
    (`mkdocs serve` rebuilds a page after an edit) are dropped first."""
    import html as html_lib

    for stale in [location for location in _code_names if location.partition("#")[0] == url]:
        del _code_names[stale]
    location, first = url, True

    def visit(found: re.Match) -> str:
        nonlocal location, first
        if found.group(1):
            location = url if first and found.group(1) == "1" else f"{url}#{found.group(2)}"
            first = False
            return found.group(0)
        if "data-search-exclude" in found.group(3):  # a `# search: prose-only` snippet's: not even its names
            return found.group(0)
        names = _code_names.setdefault(location, [])
        names += [name for name in code_names(html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(4))))
                  if name not in names]
        return f'{found.group(3)} data-search-exclude="{CODE_FIELD}">{found.group(4)}</code>'

    return _CODE_OR_HEADING.sub(visit, html)


def with_code_names(doc: dict, separator: str, folder: str = "") -> dict:
    """A search index entry with the names of its section's code that its title and text lack
    (`folder`: the language's, which the site's locations have and a language's index does not)."""
    words = {word.lower() for word in re.split(separator, re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}"))}
    names = [name for name in _code_names.get(folder + doc["location"], []) if name.lower() not in words]
    return dict(doc, **{CODE_FIELD: " ".join(names)}) if names else doc


def output_block(include: docs_model.Include, indent: str, language: str, where: str, noted: set[str]) -> list[str]:
    snippet_path = _snippet_file(include)
    if snippet_path is None:
        return []  # data includes have no output
    snippet, cpu, cuda, pending, stale = _load(snippet_path)
    if not snippet.record:
        return []
    sections = [include.section] if include.section else snippet.sections
    labels = LABELS[language]
    codes = []  # (section, its code)
    fix = f"run `{engine.PYTHON} scripts/record.py {include.path}`"
    for section in sections:
        if section not in snippet.sections:
            raise PluginError(f"{where}: {engine.missing_section(snippet, section, where.rpartition(':')[0])}")
        if stale:
            raise PluginError(f"{where}: {stale}")
        if cpu is not None and section not in cpu.outputs:
            raise PluginError(f"{where}: the recording of {include.path} has no section {section!r}: {fix}.")
        codes.append((section, snippet.section_code(section)))
    # A GPU that prints something else in any section gets a tab of its own, with every section's
    # output as it printed it (a whole-file include shows them all); the CPU's output is the other tab.
    cpu_text = {section: cpu.outputs.get(section, "") if cpu else "" for section, _ in codes}
    tabs = []  # (tab label or None, title, recording)
    if cuda is not None and any(s in cuda.outputs and cuda.outputs[s] != cpu_text[s] for s, _ in codes):
        gpu = cuda.meta.get("device", "GPU")
        tabs = ([(labels["cpu"], labels["output"], cpu)] if cpu is not None else []) + \
            [(gpu, f'{labels["output"]} · {gpu}', cuda)]
    elif cpu is not None:
        tabs = [(None, labels["output"], cpu)]
    # each tab: the sections whose output that recording has, as (section, code, output)
    tabs = [(tab, title, recording.path, [(s, code, recording.outputs[s]) for s, code in codes if recording.outputs.get(s)])
            for tab, title, recording in tabs]
    tabs = [tab for tab in tabs if tab[3]]
    tabbed = len(tabs) > 1
    lines: list[str] = []
    for tab, title, path, shown in tabs:
        if tabbed:
            lines += ["", f'{indent}=== "{tab}"']
        # A whole-file include shows what running the file prints: one box, every section's output
        # in order (a box per section read as six separate runs); a section's include, its own.
        targets = [f"{engine.rel(path)}:{section}" for section, _, _ in shown]
        searched = any(searched_output(code, text) for _, code, text in shown)
        lines += [""] + _output_fence(indent + "    " * tabbed, title, targets, searched)
    if pending and include.path not in noted:  # once per snippet and page, under its first block's output
        noted.add(include.path)
        lines += ["", f'{indent}!!! warning "{labels["pending-title"]}"', "", f'{indent}    {labels["pending"]}']
    return lines


def _after_annotations(lines: list[str], fence: docs_model.Fence) -> int:
    """Where the output goes: after the fence, or after the numbered list of code annotations that
    Material expects directly below the code block (an output block in between would break them)."""
    item = re.compile(rf"^{re.escape(fence.indent)}\d+\.\s")
    i = fence.end
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not item.match(lines[i]):
        return fence.end
    end = i + 1
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        if item.match(line) or line.startswith(fence.indent + "    "):
            end = j + 1
        else:
            break
    return end


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = Path(page.file.abs_src_path)
    if src.suffix != ".md":
        return markdown
    language = docs_model.language_of(Path(page.file.src_uri))
    where = page.file.src_uri
    written = docs_model.parse_page(src, markdown)  # as written: before generated lines move the line numbers
    mistakes = docs_model.include_mistakes(written, markdown)
    if mistakes:
        line, message = mistakes[0]
        raise PluginError(f"{where}:{line}: {message}")
    for include in written.includes:
        if not (engine.ROOT / include.path).is_file():  # pymdownx.snippets would answer with a traceback
            key = docs_model.page_key(docs_model.DOCS / where)
            raise PluginError(f"{where}:{include.line}: {docs_model.missing_file(include.path, key)}")
    try:
        markdown = generated.expand(markdown, language, page.file.src_uri)
    except generated.DirectiveError as error:
        raise PluginError(str(error)) from error
    model = docs_model.parse_page(src, markdown)
    lines = markdown.splitlines()
    insertions, noted = [], set()
    for fence in model.fences:
        if fence.is_include_only:
            if any(_prose_only(include) for include in fence.includes):
                insertions.append((fence.line - 1, [f"{fence.indent}{PROSE_ONLY_MARK}", ""]))
            extra = []
            for include in fence.includes:
                extra += output_block(include, fence.indent, model.language, f"{page.file.src_uri}:{include.line}", noted)
            insertions.append((_after_annotations(lines, fence), extra))
    for end, extra in reversed(insertions):  # bottom-up keeps earlier line numbers valid
        lines[end:end] = extra
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# One search index per language. mkdocs-static-i18n feeds every language into Material's single
# index, so an English reader would get Chinese results. After the build, the index is split by
# language, and each page's Material config points at its own language's index.

_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{"annotate": [^,]*, "base": ")([^"]*)(")')


_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


# ---------------------------------------------------------------------------------------------
# Math. pymdownx.arithmatex (generic mode) leaves each formula in the page as `\(...\)` or `\[...\]`
# inside an element of class "arithmatex"; the KaTeX copy in docs/assets/katex/ (from the npm
# package, see its LICENSE) renders them in the browser. It is loaded only on pages that have math,
# so every other page stays as light as before. Nothing comes from a CDN. The build typesets each
# formula once with the same KaTeX (check_math), so that a TeX mistake fails the build.

MATH_MARKER = 'class="arithmatex"'
KATEX_CSS = ("assets/katex/katex.min.css",)
KATEX_JS = ("assets/katex/katex.min.js", "assets/katex/contrib/auto-render.min.js", "assets/katex-init.js")


_MATH_ELEMENT = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_FORMULA = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)


def check_math(html: str, source: str) -> None:
    """Typeset every formula of a built page with KaTeX (scripts/katex_render.py), as the browser
    will; raise a PluginError naming the page's file and the formula that does not typeset."""
    if MATH_MARKER not in html:
        return
    import html as html_module

    import katex_render

    for element in _MATH_ELEMENT.finditer(html):
        for formula in _FORMULA.finditer(element.group(2)):
            inline, display = formula.group(1), formula.group(2)
            tex = html_module.unescape(inline if inline is not None else display)
            try:
                katex_render.typeset(tex, display=inline is None)
            except katex_render.KatexError as error:
                raise PluginError(f"{source}{_line_of(source, tex)}: the formula `{tex.strip()}` does not typeset: "
                                  f"{error}. Fix its TeX; what KaTeX supports: https://katex.org/docs/supported.html") from None


def _line_of(source: str, tex: str) -> str:
    """`:N`, the line of docs/`source` where the formula `tex` starts, or "" when it is not found."""
    path = docs_model.DOCS / source
    first = next((line.strip() for line in tex.splitlines() if line.strip()), "")
    if not first or not path.is_file():
        return ""
    found = next((n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if first in line), None)
    return f":{found}" if found else ""


def add_math_assets(html: str, page_url: str) -> str:
    """Load KaTeX in a built page that contains math; return any other page unchanged.

    `page_url` is the page's site-relative URL (`page.url`, e.g. `en/basics/autograd/`): the asset
    links are made relative to it, as MkDocs makes `extra_css` links. Everything goes at the end of
    the body, after Material's bundle, so katex-init.js can use Material's `document$`; the
    stylesheet too, so that it does not hold back the page's first paint: it styles only typeset
    formulas, and those come after the scripts."""
    if MATH_MARKER not in html or "assets/katex/katex.min.js" in html:
        return html
    links = "".join(f'<link rel="stylesheet" href="{get_relative_url(path, page_url)}">' for path in KATEX_CSS)
    scripts = "".join(f'<script src="{get_relative_url(path, page_url)}"></script>' for path in KATEX_JS)
    body, sep, tail = html.rpartition("</body>")
    if not sep:
        raise PluginError(f"{page_url}: a page with math has no </body> to load KaTeX into")
    return f"{body}{links}{scripts}\n{sep}{tail}"


def without_head_alternates(output: str) -> str:
    """Material's JavaScript fetches `sitemap.xml` beside every <link rel="alternate"> in the head,
    expecting language roots; mkdocs-static-i18n puts per-page links there, so each page view
    made two failing requests (/en/sitemap.xml does not exist). The language menu keeps its
    per-page links; hreflang alternates for search engines belong in the sitemap."""
    head, sep, body = output.partition("</head>")
    return _HEAD_ALTERNATE.sub("", head) + sep + body


# A code block without a language and without a title is typed into the page: an include and every
# generated block carry a language, and an output block its title. In Markdown that is what an
# indented paragraph becomes (four spaces after a blank line), which check_site's typed-code check,
# reading fences, does not see.
_UNTITLED_TEXT_BLOCK = re.compile(r'<div class="language-text highlight"><pre><span></span><code>([^\n<]*)')


def typed_blocks(html: str, source: str) -> list[int | None]:
    """The source line of each code block typed into a page as an indented paragraph (None where its
    first line is not found in the source)."""
    import html as html_module

    lines = source.splitlines()
    places = []
    for found in _UNTITLED_TEXT_BLOCK.finditer(html):
        first = html_module.unescape(found.group(1)).strip()
        places.append(next((n for n, line in enumerate(lines, 1) if line.startswith("    ") and line.strip() == first), None))
    return places


CITATION = re.compile(r"\[\^([^\]\s]+)\]")


def undefined_footnotes(html: str, source: str) -> list[tuple[int | None, str]]:
    """(line in the source or None, name) of each footnote the page cites but does not define:
    Python-Markdown leaves such a citation in the page as the text `[^name]`. Code is left out."""
    text = re.sub(r"<(code|pre|script|style)\b.*?</\1>", "", html, flags=re.S)
    lines = source.splitlines()
    return [(next((number for number, line in enumerate(lines, 1) if f"[^{name}]" in line), None), name)
            for name in dict.fromkeys(m[1] for m in CITATION.finditer(text))]


FOOTNOTE_REF = re.compile(r'class="footnote-ref" href="#fn:([^"]+)">(\d+)<')


def footnote_order(html: str) -> list[str] | None:
    """The page's footnotes in the order readers meet them, when their numbers are not 1, 2, 3, ... in
    that order (Python-Markdown numbers footnotes in the order they are defined); None when they are."""
    first: dict[str, int] = {}  # name -> number, in the order of each footnote's first citation
    for name, number in FOOTNOTE_REF.findall(html):
        first.setdefault(name, int(number))
    return None if list(first.values()) == list(range(1, len(first) + 1)) else list(first)


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".md"):
        return html
    html = search_excluded_output(search_excluded_code(html, page.file.src_uri))
    html = search_code_as_names(html, page.url)
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    order = footnote_order(html)
    if order:
        line = next((n for n, text in enumerate(source.splitlines(), 1) if text.startswith("[^")), None)
        _report(f"docs/{page.file.src_uri}{f':{line}' if line else ''}: [footnote] the footnotes are numbered in the "
                "order they are defined, and readers would meet them out of order ([2] before [1]): define them in "
                f"the order the text first cites them: {', '.join(order)}.")
    for line, name in undefined_footnotes(html, source):
        _report(f"docs/{page.file.src_uri}{f':{line}' if line else ''}: [footnote] the page cites footnote [^{name}] "
                f"but does not define it, so readers see `[^{name}]`: add `[^{name}]: SOURCE` at the end of the page.")
    key = docs_model.page_key(docs_model.DOCS / page.file.src_uri)
    for line in typed_blocks(html, source):
        _report(f"docs/{page.file.src_uri}{f':{line}' if line else ''}: [typed-code] this indented paragraph is a "
                "code block typed into the page (four spaces after a blank line make code in Markdown), so nothing "
                f"tests it. Un-indent it if it is prose; if it is code, put it in snippets/{key}.py and include it.")
    return html


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output
    return with_language_base(without_head_alternates(output), docs_model.build_language(config))


def on_post_page(output: str, page, config) -> str:
    check_math(output, page.file.src_uri if page.file else page.url)
    output = add_math_assets(output, page.url)
    output = without_head_alternates(output)
    return with_language_base(output, docs_model.language_of(Path(page.file.src_uri)))


def with_language_base(output: str, language: str) -> str:
    """Material finds the search index at its config's `base`: the site's root for the default
    language, the language's folder for the others (`../../..` becomes `../../../en/`, and the
    404 page's `/` becomes `/en/`)."""
    if language == docs_model.LANGUAGES[0]:
        return output
    return _CONFIG_BASE.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip('/')}/{language}/{m.group(3)}", output, count=1)


_INDEXED_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_INDEXED_CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.S)


def without_extra_breaks(text: str, separator: str) -> str:
    """The text with the word breaks (U+200B) that sit next to another separator removed: Material's
    Chinese segmenter puts one on both sides of every word, punctuation and spaces included, and
    `，` or a space already separates. Where a run of separator characters holds other characters,
    its U+200Bs go; a run of U+200B alone keeps one. The index splits into exactly the same words
    (tests/test_build.py checks this on the built index), and the Chinese index, which a reader's
    first search fetches, is 4 kB (compressed) smaller."""
    def shorten(run: re.Match) -> str:
        found = run.group(0)
        return found.replace("\u200b", "") or found[0]

    return re.sub(separator, shorten, text)


def searchable_math(text: str, location: str = "") -> str:
    """The formulas in a search index entry as plain text (katex_render.as_text): search results
    show `SiLU(x) = xσ(x)` where they showed `\\(\\operatorname{SiLU}(x) = x\\,\\sigma(x)\\)`.
    Code in the entry is left as it is (a `\\(` there is a regular expression, not a formula)."""
    import html

    import katex_render

    def plain(found: re.Match) -> str:
        tex = html.unescape(found.group(1) or found.group(2)).replace("\u200b", "")  # the Chinese index's word breaks
        try:
            return html.escape(katex_render.as_text(tex), quote=False)
        except katex_render.KatexError as error:
            raise PluginError(f"search index, {location or 'an entry'}: the formula {tex!r} does not typeset: {error}") from None

    parts = _INDEXED_CODE.split(text)  # odd positions: code
    return "".join(part if i % 2 else _INDEXED_MATH.sub(plain, part) for i, part in enumerate(parts))


# Material's search worker splits a Chinese query into words of the index (its `segment`, for text
# that has no spaces), but never tries a word that ends at the query's last character: 显存 was
# searched as 显 (matching 显示, 显卡), 自动求导 as 自动 and 求, and the page then highlighted single
# characters. Two comparisons in the worker are off by one. And a character that begins no word of
# the index (a one-character word such as 用 or 爆, which the index leaves out) ended the split: the
# query was searched as one word, so 用不了显卡 and 爆显存 found nothing, and in the middle of a
# query the rest was lost. Such a character is now a piece of its own. One-character pieces are
# searched only when the query has no longer one (换源, 爆了): searched as prefixes, they drew
# whatever begins with them (学习率怎么设 found 设备 through 设). Each position of the query is split
# once, however many ways lead to it, and no slice longer than 32 characters is looked up (without
# both, a long paste with no punctuation took seconds to minutes). The fixes are made in the built
# copy after every build (its file keeps Material's name, so a reader's browser may use a cached
# unmended copy for up to GitHub Pages' ten minutes after a deploy). Material is in maintenance
# mode (requirements.txt pins 9.8.1): should its worker change, the build stops here rather than
# serve the old behaviour silently.
SEGMENT_FIXES = (
    # try slices up to the end, and none longer than a word can be
    ("for(let o=s+1;o<t.length;o++)", "for(let o=s+1;o<=t.length&&o-s<=32;o++)"),
    ("n[a]&&a<t.length-1&&", "n[a]&&a<t.length&&"),  # and go on to a last one-character word
    # one-character pieces (c) are kept apart from longer ones (r)
    ("let r=new Set,n=new Uint16Array(t.length);", "let r=new Set,c=new Set,n=new Uint16Array(t.length);"),
    # a character that begins no word is a piece of one; each position is split once (v)
    ("(n[s]=o-s);let i=[0];for(let s=i.length;s>0;){let o=i[--s];",
     "(n[s]=o-s);for(let s=0;s<t.length;s++)n[s]||(n[s]=1);let i=[0],v=new Uint8Array(t.length);"
     "for(let s=i.length;s>0;){let o=i[--s];if(v[o])continue;v[o]=1;"),
    ("n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u)", "n[o+u]>n[o]-u&&((u>1?r:c).add(t.slice(o,o+u)),i[s++]=o+u)"),
    ('r.add(t.slice(o,a))}return r.has("")?new Set([t]):r}',
     '(a-o>1?r:c).add(t.slice(o,a))}return r.size?r:c.size?c:new Set([t])}'),
)

# lunr, inside the same worker, keeps the index's words as a minimal automaton (a TokenSet): nodes
# with the same key are merged, and the key is a node's edges written as label + node id, one
# after the other. With digits as labels two different nodes can have the same key (edge 1 to
# node 234 reads as edge 1 to node 2 and edge 3 to node 4), and merging them adds words the index
# does not have and loses some it has. A query whose prefix reached such a word stopped with a
# TypeError and found nothing: after the debugging page added its numbers, `version 1` (the 1 is
# searched as a prefix) found nothing in English, nor did any pasted message that held a lone 1.
# Which words collide depends on the whole index, so tests/test_browser.py checks the mend with a
# fixed list of 160 of those words in a fresh worker. A comma after each id makes the key
# unambiguous, since every label is one character (lunr.js issue 503 looks like this bug).
TOKEN_SET_FIXES = (
    ("e=e+s+o.id}return e}", 'e=e+s+o.id+","}return e}'),
)
# Material searches each word of a query as a prefix (分布 as 分布*, weight as weight*), and lunr
# scores every word of the index that begins with it as if it were the word itself. A longer word
# is rarer, so it weighed more: the DDP page's tag 分布式 (distributed) came before the
# distributions page, whose tag and text say 分布, and on the English site weight decay found the
# loss page first, for its weights, weighted and pos_weight. Pages' search boosts had been lowered
# to make up for it, one query at a time (those are gone now). A word that only begins with the
# query's word now counts half as much as that word itself. (At a quarter, an exact word in a
# page's code outweighed the section that explains it: torch.randn found the compile page, whose
# examples call randn, before the tensors page.) A single Latin letter or digit as a prefix matches
# a large part of the English vocabulary: the p of top-p matched predict, past, plot and the rest,
# and top-p found the time-series page ("top to bottom") first. Its prefix matches count a twentieth.
PREFIX_FIXES = (
    # lunr's expandedTerm (E, a word of the index) against the clause's term (with the * of a
    # prefix search): the weight is set where E is, so that a renamed variable stops the build
    ("for(var E=v[b],w=this.invertedIndex[E],R=w._index,d=0;",
     'for(var E=v[b],w=this.invertedIndex[E],R=w._index,$prefixWeight=E===c.term.replace(/\\*/g,"")?1:/^[a-z0-9]\\*?$/.test(c.term)?.05:.5,d=0;'),
    ("if(i[y].upsert(R,c.boost,", "if(i[y].upsert(R,c.boost*$prefixWeight,"),
)
# lunr's English stop words are dropped from the index and from every query, and one of them is
# the name of a function readers look up: of torch.where nothing was left to search for, and the
# myths page came first. `where` is a word of the English index again (all and any, also torch
# functions, stay stop words: they are in too many sentences); docs/assets/site.js still drops it
# from a query when another word follows, as a question word. The profiler page's tag is "time per
# operator": "where the time goes", a tag and so weighed as a title, outranked torch.where's section.
STOP_WORD_FIXES = (
    ('"what","when","where","which"', '"what","when","which"'),
)
# The worker loads lunr's language scripts each time it is set up, and lunr warns on the console
# about every function they register again. docs/assets/site.js sets it up twice (titles and tags,
# then the whole index): the scripts are loaded at the first setup only (de is the worker's index,
# undefined before it).
SETUP_FIXES = (
    ("case 0:return yield Ie(t.data.config),de=new U(t.data),{type:1}",
     "case 0:return de||(yield Ie(t.data.config)),de=new U(t.data),{type:1}"),
)
WORKER_MENDS = (  # (what is mended, where, its replacements)
    ("Chinese query segmentation", "SEGMENT_FIXES", "fixed `segment`", SEGMENT_FIXES),
    ("word list (lunr's TokenSet key)", "TOKEN_SET_FIXES", "fixed `TokenSet.prototype.toString`", TOKEN_SET_FIXES),
    ("prefix matches (lunr's Index.prototype.query)", "PREFIX_FIXES", "weighs a word that only begins with the query below the word itself", PREFIX_FIXES),
    ("English stop words (lunr.stopWordFilter)", "STOP_WORD_FIXES", "no longer drops `where`", STOP_WORD_FIXES),
    ("setup (its language scripts)", "SETUP_FIXES", "loads them once", SETUP_FIXES),
)


def mend_search_worker(site_dir: str) -> None:
    for worker in (Path(site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        original = text = worker.read_text(encoding="utf-8")
        for what, name, fixed, fixes in WORKER_MENDS:
            for old, new in fixes:
                if new in text:
                    continue  # mended already (the other language's build)
                if text.count(old) != 1:
                    raise PluginError(
                        f"{worker.name}: Material's search worker no longer contains {old!r}, so the mend of its "
                        f"{what} ({name} in scripts/mkdocs_hooks.py) does not apply. Check whether this Material "
                        f"release {fixed} (then remove the mend), or update the strings.")
                text = text.replace(old, new)
        if text != original:
            worker.write_text(text, encoding="utf-8")


@event_priority(-100)  # after the search plugin and mkdocs-static-i18n have written the index
def on_post_build(config) -> None:
    mend_search_worker(config.site_dir)
    index_path = docs_model.search_index(config.site_dir, docs_model.LANGUAGES[0])
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    by_language = {language: [] for language in docs_model.LANGUAGES}
    for doc in index["docs"]:
        first = doc["location"].split("/", 1)[0]
        language = first if first in docs_model.LANGUAGES[1:] else docs_model.LANGUAGES[0]
        if language != docs_model.LANGUAGES[0]:
            doc = dict(doc, location=doc["location"][len(language) + 1:])
        by_language[language].append(doc)
    if not any(by_language[language] for language in docs_model.LANGUAGES[1:]):
        return  # already split
    separator = index["config"]["separator"]
    for language, docs in by_language.items():
        folder = "" if language == docs_model.LANGUAGES[0] else f"{language}/"
        docs = [with_code_names(dict(doc, title=without_extra_breaks(doc["title"], separator),
                                     text=without_extra_breaks(searchable_math(doc["text"], doc["location"]), separator)),
                                separator, folder)
                for doc in docs]
        if language == docs_model.LANGUAGES[0] and docs:  # the English build's own call has no Chinese entries
            docs = english_search_tags(docs)
        if docs:
            docs = reader_search_tags(docs, language, Path(config.docs_dir))
        split = dict(index, config=dict(index["config"], lang=[language]), docs=docs)
        docs_model.write_search_index(Path(config.site_dir), language, split)
