"""MkDocs hooks for details a reader sees on every page: a meta description per page, the footer
stamp saying what the code was tested with, the language of the 404 page, the size of every
SVG figure in its <img> tag, code blocks with fewer elements, tooltips and labels in the page's
language (LABELS) and languages marked (lang) where the other one appears, and line breaks: code
in a table cell breaks only after a dot before a name, and no line starts with the punctuation
after a formula or inline code.

- Description: a page's front matter `description:` wins; otherwise its first paragraph of prose,
  so search engines and link previews show the page, not the site's tagline.
- Stamp: generated from the recordings' metadata (`snippets/**/*.out`), never typed: the torch
  version the outputs were recorded with on the CPU, the GPU they were recorded on, and the date
  of the newest recording.
"""

from __future__ import annotations

import copy
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs_model  # noqa: E402
import snippet_engine as engine  # noqa: E402

MAX_DESCRIPTION = {"zh": 90, "en": 160}  # characters: about what a result snippet shows
STAMP = {
    "zh": "本站代码的输出均为真实运行结果：CPU 上用 torch {cpu}{gpu}。最近一次记录：{date}。",
    "en": "Every output on this site is from a real run: torch {cpu} on a CPU{gpu}. Last recorded {date}.",
}
STAMP_GPU = {"zh": "，{device} 上用 torch {torch}", "en": ", torch {torch} on an {device}"}
BUILT_WITH = {"zh": "使用 {link} 构建", "en": "Made with {link}"}
MATERIAL = '<a href="https://squidfunk.github.io/mkdocs-material/" target="_blank" rel="noopener">Material for MkDocs</a>'


# ---------------------------------------------------------------------------------------------
# Meta description

_SKIP = re.compile(r"^(#|!!!|\?\?\?|===|```|~~~|<|\||-{3,}|\s*[-*+] |\s*\d+\.\s|--8<--|\{|\s*$)")


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def first_paragraph(markdown: str) -> str:
    """The first paragraph of prose, as plain text."""
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    paragraph: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith("    "):
            if paragraph:
                break
            continue
        if _SKIP.match(line):
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = ""
    for line in paragraph:  # Chinese lines join without a space, like the rendered paragraph
        cjk = text and (_CJK.match(text[-1]) or _CJK.match(line[0]))
        text += line if (not text or cjk) else " " + line
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: keep the text
    text = re.sub(r"\[\^[^\]]+\]", "", text)  # footnote references
    text = re.sub(r"[`*_]{1,3}([^`*_]+)[`*_]{1,3}", r"\1", text)
    text = re.sub(r"\s*\{[^}]*\}", "", text)  # attribute lists
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for stop in ("。", ". ", "；", "; ", "，", ", "):
        at = cut.rfind(stop)
        if at > limit // 2:
            return cut[: at + 1].strip()
    return cut.rstrip() + "…"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.meta.get("description"):
        language = docs_model.language_of(Path(page.file.src_uri))
        text = first_paragraph(markdown)
        if text:
            page.meta["description"] = shorten(text, MAX_DESCRIPTION.get(language, 160))
    return markdown


# ---------------------------------------------------------------------------------------------
# Footer stamp


def stamp_facts() -> dict:
    """What the outputs were recorded with: newest CPU torch, fresh GPU recordings' devices, date."""
    cpu_torch, gpus, dates = set(), {}, []
    for path in sorted(engine.SNIPPETS.rglob("*.out")):
        recording = engine.parse_recording(path)
        meta = recording.meta
        dates.append(meta.get("date", ""))
        if path.name.endswith(".cpu.out"):
            cpu_torch.add(meta.get("torch", "?"))
        elif path.name.endswith(".cuda.out"):
            snippet = engine.parse_snippet(path.with_name(path.name.removesuffix(".cuda.out") + ".py"))
            if engine.stale_gpu_recording(snippet) is None:
                gpus[meta.get("device", "GPU")] = meta.get("torch", "?")
    return {"cpu": ", ".join(sorted(cpu_torch)), "gpus": gpus, "date": max(dates, default="")}


_facts: dict | None = None


def on_pre_build(config) -> None:
    """Also: every language's build renders the 404 page (see on_post_template)."""
    global _facts
    _facts = None  # `mkdocs serve`: recordings may have changed
    config.theme.static_templates.add("404.html")


def stamp(language: str) -> str:
    global _facts
    if _facts is None:
        _facts = stamp_facts()
    gpu = "".join(STAMP_GPU[language].format(device=d, torch=t) for d, t in sorted(_facts["gpus"].items()))
    return STAMP[language].format(cpu=_facts["cpu"], gpu=gpu, date=_facts["date"])


# ---------------------------------------------------------------------------------------------
# Figure sizes: an <img> with width and height keeps its place while the picture loads, so the
# text below does not jump (the browser reserves the aspect ratio; the theme scales it to fit).
# Done on the finished page, after the notebook hook has turned a notebook's image attachments
# into links to the site's copy.

_IMG_SVG = re.compile(r'<img\b(?![^>]*\bwidth=)([^>]*?)\bsrc="([^":]+\.svg)"([^>]*)>')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(\d+(?:\.\d+)?)"[^>]*?\bheight="(\d+(?:\.\d+)?)"')


# A picture drawn a second time for a phone's width (the Layout of scripts/render_benchmark.py and
# of scripts/render_autograd_graph.py) is `<name>-narrow.svg` beside `<name>.svg`: the page offers
# both in a <picture>, and the browser shows the narrow one, at its own size (328 px, a 360 px
# phone's column; text 11-12 px), on a screen up to 512 px wide. There the column (screen less 32 px) would shrink the
# wide drawings (a benchmark chart 560 px wide with 14 px text, the graph 684 px with 13 px) below
# the narrow drawing's text size.
NARROW_SCREEN = "(max-width: 32em)"

_files = None  # this language build's files (on_files)


def on_files(files, config):
    global _files
    _files = files
    return files


def sized_figures(html: str, page) -> str:
    def find(src: str):
        url = posixpath.normpath(posixpath.join(posixpath.dirname(page.url.rstrip("/") + "/x"), src))
        picture = _files.get_file_from_path(url)
        language, _, path = url.partition("/")
        if picture is None and language in docs_model.LANGUAGES[1:]:  # en/gpu/results/h100.svg: h100.en.svg
            picture = _files.get_file_from_path(docs_model.localized(path, language)) or _files.get_file_from_path(path)
        if picture is None:
            return None
        size = _SVG_SIZE.search(Path(picture.abs_src_path).read_text(encoding="utf-8"))
        if size is None:
            raise PluginError(f"{picture.src_uri}: its <svg> has no width and height attributes; add them (and a viewBox)")
        return f'width="{size.group(1)}" height="{size.group(2)}"'

    def sized(match: re.Match) -> str:
        src = match.group(2)
        size = find(src)
        if size is None:
            return match.group(0)  # a missing picture is MkDocs' own warning
        img = f'<img{match.group(1)}src="{src}" {size}{match.group(3)}>'
        narrow_src = src.removesuffix(".svg") + docs_model.NARROW_SUFFIX + ".svg"
        narrow = find(narrow_src)
        if narrow is None:
            return img
        return f'<picture><source media="{NARROW_SCREEN}" srcset="{narrow_src}" {narrow}>{img}</picture>'

    return _IMG_SVG.sub(sized, html)


# Code blocks: Pygments wraps every token in a <span>, and on this site's pages those spans are
# most of the elements a browser has to style and lay out while the page loads (gpu/benchmark:
# 6,000 of 7,200). Spans that draw exactly like their neighbours go from the finished page:
# - names (`n`) lose their span: Material colours them --md-code-hl-name-color, which is the code
#   colour itself in both schemes;
# - operators (`o`) become punctuation (`p`): one colour, #646464 in docs/assets/site.css and
#   Material's --md-default-fg-color--light in the dark scheme;
# - a run of spans of one class, with only spaces between them, becomes one span (spaces take no
#   colour). Classes that draw a box (inserted or deleted lines) are left alone.
# tests/test_reader.py checks in the browser that the colours these rules rely on still agree.
_CODE = re.compile(r"(<pre><span></span><code>)(.*?)(</code></pre>)", re.S)
_NAME = re.compile(r'<span class="n">([^<]*)</span>')
_RUN = re.compile(r'<span class="([a-z0-9]+)">[^<]*</span>(?: *<span class="\1">[^<]*</span>)+')
_BOXED = {"gd", "gi", "hll"}
_SPAN_TAG = re.compile(r"</?span[^>]*>")


def lighter_code(html: str) -> str:
    def merged(run: re.Match) -> str:
        if run.group(1) in _BOXED:
            return run.group(0)
        return f'<span class="{run.group(1)}">' + _SPAN_TAG.sub("", run.group(0)) + "</span>"

    def one_block(found: re.Match) -> str:
        code = _NAME.sub(r"\1", found.group(2)).replace('<span class="o">', '<span class="p">')
        return found.group(1) + _RUN.sub(merged, code) + found.group(3)

    return _CODE.sub(one_block, html)


# Labels that Python-Markdown's toc and footnotes and mkdocs-jupyter write in English whatever the
# page's language (tooltips of heading links and footnote back links, notebook copy buttons).
LABELS = {"zh": [
    (re.compile(r'title="Permanent link"'), 'title="本节的链接"'),
    (re.compile(r'title="Jump back to footnote (\d+) in the text"'), r'title="回到正文中脚注 \1 处"'),
    (re.compile(r'aria-label="Copy to Clipboard"'), 'aria-label="复制到剪贴板"'),
    (re.compile(r'<span class="notice" hidden="">Copied!</span>'), '<span class="notice" hidden="">已复制</span>'),
], "en": []}


_CELL = re.compile(r"<td\b[^>]*>.*?</td>", re.S)
_DOT_BEFORE_NAME = re.compile(r"(?<=[\w)\]])\.(?=[A-Za-z_])")  # torch.<wbr>nn, not .<wbr>grad
_CELL_CODE = re.compile(r"<code>([^<]*)</code>")


def breakable_table_code(html: str) -> str:
    """Inline code in a table cell may break after a dot before a name (<wbr>), and only there (site.css):
    `torch.utils.data` becomes `torch.` / `utils.` / `data` in a narrow column, not `torch.util` / `s.data`."""
    def cell(found: re.Match) -> str:
        return _CELL_CODE.sub(lambda code: "<code>" + _DOT_BEFORE_NAME.sub(".<wbr>", code.group(1)) + "</code>", found.group(0))

    return _CELL.sub(cell, html)


# A formula or a piece of inline code followed by punctuation: the browser may break the line
# between them (after a formula always: it counts as an atomic box; after code that fills a line,
# as an emergency), and a line then starts with "." or "，". The pair goes into a span that does not
# break (site.css, .site-nobr); code in it may break after a dot before a name, and only there.
_BEFORE_PUNCTUATION = re.compile(r'(<span class="arithmatex">\\\([^<]*</span>|<code>[^<]*</code>)([.,;:!?，。；：！？、）)”]+)')


def no_break_before_punctuation(html: str) -> str:
    """An inline formula (not a display one) or inline code and the punctuation right after it, in
    one <span class="site-nobr">."""
    def pair(found: re.Match) -> str:
        code = found.group(1)
        if code.startswith("<code>"):
            code = _DOT_BEFORE_NAME.sub(".<wbr>", code)
        return f'<span class="site-nobr">{code}{found.group(2)}</span>'

    return _BEFORE_PUNCTUATION.sub(pair, html)


# Each language's name in the language menu is in that language: marked so (lang), it is drawn with
# the right font (简体中文 on an English page otherwise takes the Japanese forms) and read out right.
_LANGUAGE_LINK = re.compile(r'<a ([^>]*?)hreflang="([\w-]+)" class="md-select__link"')


def on_post_page(output: str, page, config) -> str:
    output = _LANGUAGE_LINK.sub(r'<a \1hreflang="\2" lang="\2" class="md-select__link"', output)
    output = sized_figures(output, page)
    output = breakable_table_code(output)
    output = no_break_before_punctuation(output)
    output = lighter_code(output)
    language = docs_model.language_of(Path(page.file.src_uri)) if page.file else docs_model.LANGUAGES[0]
    for label, translated in LABELS[language]:
        output = label.sub(translated, output)
    output = output.replace("<!-- site-stamp -->", stamp(language), 1)
    return output.replace("<!-- built-with -->", BUILT_WITH[language].format(link=MATERIAL), 1)


def on_post_template(output: str, template_name: str, config) -> str:
    """The 404 page. GitHub Pages serves one for every missing address, the site's root 404.html,
    and mkdocs-static-i18n builds every language into the same folder, where each build would write
    it and the last would win. The default language's build writes it; each other language's build
    writes its own into its folder (`en/404.html`, header, navigation and search in English) and
    none at the root (MkDocs skips a template that renders empty). The root page sends a reader
    whose missing address is under /en/ to en/404.html (overrides/404.html). Both texts are on
    both pages, for readers without JavaScript."""
    if template_name != "404.html":
        return output
    language = docs_model.build_language(config)
    if language != docs_model.LANGUAGES[0]:  # its search base: mkdocs_hooks.with_language_base
        target = Path(config.site_dir) / language / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_both_stamps(output), encoding="utf-8")
        return ""
    return _both_stamps(output)


def on_pre_template(template, template_name: str, config):
    """The 404 page's language menu leads to each language's home page: mkdocs-static-i18n left
    the last page's links in the config (on a notebook page's, the menu led to that notebook)."""
    i18n = config.plugins.get("i18n")
    if template_name == "404.html" and i18n is not None and i18n.extra_alternate:
        config.extra.alternate = copy.deepcopy(i18n.extra_alternate)  # as i18n sets it: an attribute
    return template


def _both_stamps(output: str) -> str:
    # Both languages, each marked (under /en/ the page's lang is en, and Chinese would take the
    # Japanese forms of its characters).
    both = " / ".join(f'<span lang="{language}">{stamp(language)}</span>' for language in docs_model.LANGUAGES)
    output = output.replace("<!-- site-stamp -->", both, 1)
    built_with = " / ".join(f'<span lang="{language}">{BUILT_WITH[language].format(link=MATERIAL)}</span>'
                            for language in docs_model.LANGUAGES)
    return output.replace("<!-- built-with -->", built_with, 1)
