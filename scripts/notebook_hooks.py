"""MkDocs hooks for the companion notebooks (scripts/notebooks.py builds them from the pages).

At build time, for the language being built:
- on_files writes each notebook (`.cache/notebooks/`, not committed) and adds two files: the rendered
  notebook page (`basics/autograd/notebook/`, rendered by mkdocs-jupyter from the recorded outputs,
  nothing executed) and the `.ipynb` to download beside it (the same notebook; its links to the
  site are absolute when the site has a public address, SITE_URL). They are added after
  mkdocs-static-i18n has rebuilt the file list, because it re-creates every file as a plain MkDocs
  file and a notebook would be published as raw JSON text (ultrabug/mkdocs-static-i18n#198); for the
  same reason any `.ipynb` under docs/ is turned back into a notebook page here.
- mkdocs-jupyter's cache gets one folder per language: it evicts every entry the current build did
  not use, so with one folder each language's build evicted the other's and the cache never hit.
- All of this lives in `.cache/`, or in the folder SITE_CACHE_DIR names: the test suite gives each
  of its parallel builds its own, since mkdocs-jupyter writes its cache files in place and a build
  reading one while another writes it would fail. The files written here are replaced whole.
- on_page_content cleans the notebook HTML that mkdocs-jupyter 0.26 produces: its MathJax and
  Mermaid scripts (from CDNs) are removed and formulas go to the site's KaTeX; its ~600 kB of inline
  CSS becomes one shared stylesheet; Chinese headings, which it gives empty ids, get the page's own
  `{ #id }` anchors, and the table of contents is rebuilt from them.
- on_page_markdown puts a "Companion notebook" box with both links under the title of each page
  that has a notebook, in both languages.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs_model  # noqa: E402
import notebooks  # noqa: E402

CACHE = Path(os.environ.get("SITE_CACHE_DIR") or docs_model.ROOT / ".cache")
NOTEBOOK_DIR = CACHE / "notebooks"
STYLESHEET = "assets/notebook.css"
# After mkdocs-jupyter's CSS: wide tables scroll inside the column instead of spilling out of it,
# and code and prompts take the site's colours (JupyterLab's fail WCAG AA contrast in both schemes).
SITE_CSS = """
.jupyter-wrapper .jp-RenderedHTMLCommon table { display: block; max-width: 100%; overflow-x: auto; }
.md-typeset .jupyter-wrapper {
  --jp-cell-inprompt-font-color: var(--md-default-fg-color--light);
  --jp-cell-outprompt-font-color: var(--md-default-fg-color--light);
  --jp-cell-editor-background: var(--md-code-bg-color);
  --jp-mirror-editor-variable-color: var(--md-code-fg-color);
  --jp-mirror-editor-keyword-color: var(--md-code-hl-keyword-color);
  --jp-mirror-editor-number-color: var(--md-code-hl-number-color);
  --jp-mirror-editor-punctuation-color: var(--md-code-hl-punctuation-color);
  --jp-mirror-editor-operator-color: var(--md-code-hl-operator-color);
  --jp-mirror-editor-comment-color: var(--md-code-hl-comment-color);
  --jp-mirror-editor-string-color: var(--md-code-hl-string-color);
}
"""


class NotebookPage(File):
    """A generated notebook that MkDocs builds as a page (mkdocs-jupyter renders it)."""

    notebook_key: str | None = None
    notebook_language: str | None = None

    def is_documentation_page(self) -> bool:
        return True


def _jupyter(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        raise PluginError("scripts/notebook_hooks.py needs the mkdocs-jupyter plugin in mkdocs.yml (`plugins: - mkdocs-jupyter`).")
    return plugin


def _current_language(config) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or docs_model.LANGUAGES[0]


def _write(path: Path, text: str) -> None:
    """Write only when the content changed: mkdocs-jupyter's cache and `mkdocs serve` stay quiet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        _replace(path, text)


def _replace(path: Path, text: str) -> None:
    """Write whole: a build or `mkdocs serve` reading the file meanwhile sees the old or the new text."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _i18n(file: File, language: str, alternates: dict) -> File:
    """The attributes mkdocs-static-i18n reads from every file (language menu, page context)."""
    file.locale = language
    file.locale_alternate_of = language
    file.localization = None if language == docs_model.LANGUAGES[0] else language
    file.norm_src_uri = file.src_uri
    file.alternates = alternates
    return file


def _page_file(key: str, language: str, config) -> NotebookPage:
    src_uri = notebooks.page_src_uri(key, language)
    file = NotebookPage(src_uri, str(NOTEBOOK_DIR), config.site_dir, config.use_directory_urls,
                        dest_uri=notebooks.notebook_url(key, language) + "index.html",
                        inclusion=InclusionLevel.NOT_IN_NAV)
    file.notebook_key, file.notebook_language = key, language
    return file


@event_priority(-200)  # after mkdocs-static-i18n (-100) has rebuilt the file list for this language
def on_files(files: Files, config) -> Files:
    language = _current_language(config)
    jupyter = _jupyter(config)
    jupyter.config["cache_dir"] = str(CACHE / "mkdocs-jupyter" / language)
    jupyter._used_cache_paths = getattr(jupyter, "_used_cache_paths", set())
    docs_dir = Path(config.docs_dir).resolve()
    for file in list(files):  # an .ipynb written into docs/: keep it a notebook page (i18n#198)
        if (not file.is_documentation_page() and file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(docs_dir)
                and jupyter.should_include(file)):
            files.remove(file)
            dest = file.dest_uri  # mkdocs-jupyter made it `a/b/index.html`, or i18n kept `a/b.ipynb`
            if dest.endswith(".ipynb"):
                dest = dest.removesuffix(".ipynb") + ("/index.html" if config.use_directory_urls else ".html")
            if language != docs_model.LANGUAGES[0] and not dest.startswith(f"{language}/"):
                dest = f"{language}/{dest}"  # i18n's fallback for assets drops the language folder
            page = NotebookPage(file.src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, dest_uri=dest)
            for name in ("locale", "locale_alternate_of", "localization", "norm_src_uri", "alternates"):
                if hasattr(file, name):
                    setattr(page, name, getattr(file, name))
            files.append(page)
    for key in notebooks.notebook_keys():
        alternates = {lang: _page_file(key, lang, config) for lang in docs_model.LANGUAGES}
        try:
            text = notebooks.notebook_json(key, language)
        except notebooks.NotebookError as error:
            raise PluginError(f"notebook of {key} ({language}): {error}") from error
        src = NOTEBOOK_DIR / notebooks.page_src_uri(key, language)
        _write(src, text)
        page = _i18n(alternates[language], language, alternates)
        files.append(page)
        public = notebooks.public_site_url(config.site_url)  # the download's links: absolute when public
        downloaded = notebooks.notebook_json(key, language, public) if public else text
        download = File.generated(config, notebooks.download_src_uri(key, language), content=downloaded.encode("utf-8"),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
        download.dest_uri = notebooks.download_url(key, language)
        files.append(_i18n(download, language, {language: download}))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if isinstance(page.file, NotebookPage):
        key, language = page.file.notebook_key, page.file.notebook_language
        if key:
            page.meta["description"] = notebooks.LABELS[language]["description"].format(title=docs_model.page_title(key, language))
        page.meta.setdefault("search", {"exclude": True})  # the page itself is indexed
        return markdown
    src = Path(page.file.src_uri)
    if src.suffix != ".md":
        return markdown
    key = docs_model.page_key(Path(config.docs_dir) / src, Path(config.docs_dir))
    if key not in notebooks.notebook_keys():
        return markdown
    language = docs_model.language_of(src)
    lines = markdown.splitlines()
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        raise PluginError(f"{page.file.src_uri}: a page with a notebook needs a `# title` line to put the links under.")
    end = title + 1  # under the title and the paragraph that introduces the page
    while end < len(lines) and not lines[end].strip():
        end += 1
    while end < len(lines) and lines[end].strip():
        end += 1
    lines[end:end] = ["", *notebooks.page_link_markdown(key, language).splitlines()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# The rendered notebook

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
# mkdocs-jupyter writes each code cell twice: highlighted in a <pre>, and as plain text in a hidden
# div that the cell's copy button copies (a tenth of the benchmark's notebook page)
_COPY_TEXT = re.compile(r'<pre>(?P<code>(?:(?!</pre>).)*)</pre></div>\s*<div class="clipboard-copy-txt" id="(?P<id>[^"]+)">'
                        r"[^<]*</div>", re.S)
_HEADING = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)">(?P<inner>.*?)<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>', re.S)
_MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>\s*</div>\s*</div>)', re.S)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.S)
_stylesheets: dict[str, str] = {}  # site_dir -> CSS written for it


def _keep_script(script: str) -> bool:
    """mkdocs-jupyter's copy-button script stays (inline, no request); MathJax and Mermaid go."""
    head = script[:300]
    if re.match(r"<script[^>]*\bsrc=", head):
        return False
    if "x-mathjax-config" in head or 'type="module"' in head or "mermaid" in script.lower() or "MathJax" in script:
        return False
    return True


def _math(cell_html: str) -> str:
    def wrap(found: re.Match) -> str:
        if found.group(1) is not None:
            return f'<span class="arithmatex">\\[{found.group(1)}\\]</span>'
        return f'<span class="arithmatex">\\({found.group(2)}\\)</span>'

    out = []
    for part in re.split(r"(<code>.*?</code>|<pre>.*?</pre>)", cell_html, flags=re.S):
        out.append(part if part.startswith(("<code>", "<pre>")) else _MATH.sub(wrap, part))
    return "".join(out)


def clean_notebook_html(content: str, anchors: list[tuple[int, str, str]] | None, where: str) -> tuple[str, str, list]:
    """(HTML without scripts from other hosts and inline CSS, the CSS, toc tokens)."""
    content = _SCRIPT.sub(lambda m: m.group(0) if _keep_script(m.group(0)) else "", content)
    content = re.sub(r"<!-- End of (?:mathjax|mermaid) configuration -->", "", content)
    css = "\n".join(s for s in _STYLE.findall(content) if not s.strip().startswith("['"))  # 0.26 also inlines a list's repr
    content = _STYLE.sub("", content)
    # code and wide tables scroll sideways: keyboard users reach them, as Material's own code blocks
    content = content.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')
    content = re.sub(r"<table\b", '<table tabindex="0"', content)
    # the copy button copies the text of the <pre> it belongs to (clipboard-copy's `for`: textContent)
    content = _COPY_TEXT.sub(lambda m: f'<pre id="{m["id"]}">{m["code"]}</pre></div>', content)
    content = _MARKDOWN_CELL.sub(lambda m: m.group(1) + _math(m.group(2)) + m.group(3), content)
    found = list(_HEADING.finditer(content))
    tokens: list[dict] = []
    if anchors is not None:
        if len(found) != len(anchors):
            raise PluginError(f"{where}: the notebook has {len(found)} headings, the page {len(anchors)}; "
                              "they must match one to one (scripts/notebooks.py makes one heading per page heading).")
        pieces, last = [], 0
        for match, (level, _text, anchor) in zip(found, anchors, strict=True):
            if int(match["level"]) != level:
                raise PluginError(f"{where}: heading {match['inner']!r} is level {match['level']} in the notebook, {level} on the page.")
            pieces.append(content[last:match.start()])
            pieces.append(f'<h{level} id="{anchor}">{match["inner"]}<a class="headerlink" href="#{anchor}" '
                          f'title="Permanent link">¶</a></h{level}>')
            last = match.end()
        pieces.append(content[last:])
        content = "".join(pieces)
        stack: list[dict] = []
        for match, (level, _text, anchor) in zip(found, anchors, strict=True):
            name = html_lib.unescape(re.sub(r"<[^>]+>", "", match["inner"])).strip()
            token = {"level": level, "id": anchor, "name": name, "children": []}
            while stack and stack[-1]["level"] >= level:
                stack.pop()
            (stack[-1]["children"] if stack else tokens).append(token)
            stack.append(token)
    return content, css, tokens


def _classes(html: str) -> set[str]:
    return {name for value in re.findall(r'\sclass="([^"]*)"', html) for name in value.split()}


def _split_selectors(prelude: str) -> list[str]:
    """`a, b:is(c, d)` -> [`a`, ` b:is(c, d)`]: commas inside brackets do not separate selectors."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += char in "([" and 1 or (char in ")]" and -1 or 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [*parts, prelude[start:]]


def _matches(selector: str, used: set[str]) -> bool:
    classes = set(re.findall(r"\.([\w-]+)", selector))
    return bool(classes) and classes <= used and not re.search(r"\s:root\b", selector)


def cached_prune_css(css: str, used: set[str]) -> str:
    """prune_css, remembered in .cache/ (parsing JupyterLab's CSS takes a second or more, on every
    build and every `mkdocs serve` reload, for the same input)."""
    key = hashlib.sha256((css + "\0" + " ".join(sorted(used))).encode()).hexdigest()[:20]
    cached = CACHE / "notebook-css" / f"{key}.css"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    pruned = prune_css(css, used)
    cached.parent.mkdir(parents=True, exist_ok=True)
    _replace(cached, pruned)
    return pruned


def prune_css(css: str, used: set[str]) -> str:
    """mkdocs-jupyter ships all of JupyterLab's CSS (~600 kB) with every notebook. Keep the rules
    that can match the notebooks: a selector whose classes all occur in them (rules without any
    class, `pre` or `table`, would restyle the rest of the page; `.jupyter-wrapper :root` matches
    nothing), then only the CSS variables that the kept rules use."""
    import tinycss2

    css = _prune_rules(css, used)
    declared = re.findall(r"(--[\w-]+)\s*:([^;}]*)", css)
    values: dict[str, list[str]] = {}
    for name, value in declared:
        values.setdefault(name, []).append(value)
    outside = re.sub(r"--[\w-]+\s*:[^;}]*", "", css)
    needed, todo = set(), set(re.findall(r"var\(\s*(--[\w-]+)", outside))
    while todo:  # variables used by kept rules, and the variables their values use
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            for value in values.get(name, []):
                todo.update(re.findall(r"var\(\s*(--[\w-]+)", value))
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True)
                            if d.type == "declaration" and (not d.name.startswith("--") or d.name in needed)]
            if not declarations:
                continue
            body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{' !important' if d.important else ''}" for d in declarations)
            out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        else:
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


def _prune_rules(css: str, used: set[str]) -> str:
    import tinycss2

    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if _matches(s, used)]
            if not selectors:
                continue
            kept.append(",".join(s.strip() for s in selectors) + "{" + tinycss2.serialize(rule.content) + "}")
            continue
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            inner = _prune_rules(tinycss2.serialize(rule.content), used)
            if not inner.strip():
                continue
            kept.append(f"@media{tinycss2.serialize(rule.prelude)}{{{inner}}}")
            continue
        elif rule.type == "error":
            continue
        kept.append(tinycss2.serialize([rule]))
    return "\n".join(kept)


_used_classes: dict[str, set[str]] = {}  # site_dir -> classes in its notebook pages


def _site_images(content: str, file, page_url: str) -> str:
    """The downloaded notebook carries its pictures as attachments; the rendered page loads the
    site's copy instead (cached across pages, and lighter than base64 in the HTML)."""
    import base64
    import json

    images = json.loads(Path(file.abs_src_path).read_text(encoding="utf-8")).get("metadata", {}) \
        .get("pytorch_site", {}).get("images", {})
    for name, image in images.items():
        mime = notebooks.IMAGE_TYPES[Path(name).suffix.lower()]
        data = base64.b64encode((docs_model.DOCS / image["file"]).read_bytes()).decode("ascii")
        content = content.replace(f"data:{mime};base64,{data}", get_relative_url(image["url"], page_url))
    return content


def on_page_content(content: str, page, config, files) -> str:
    file = page.file
    if not isinstance(file, NotebookPage):
        return content
    key, language = file.notebook_key, file.notebook_language
    anchors = notebooks.anchors_of(key, language) if key else None
    content, css, tokens = clean_notebook_html(content, anchors, file.src_uri)
    if css:
        previous = _stylesheets.setdefault(config.site_dir, css)
        if previous != css:
            raise PluginError(f"{file.src_uri}: its notebook CSS differs from another notebook's; they share {STYLESHEET}.")
    _used_classes.setdefault(config.site_dir, set()).update(_classes(content))
    content = _site_images(content, file, page.url)
    if key:
        page.toc = get_toc(tokens)
        page.title = notebooks.LABELS[language]["title"].format(title=docs_model.page_title(key, language))
    return content


def on_post_page(output: str, page, config) -> str:
    if not isinstance(page.file, NotebookPage) or config.site_dir not in _stylesheets:
        return output
    version = hashlib.sha256((_stylesheets[config.site_dir] + SITE_CSS).encode()).hexdigest()[:12]
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}?v={version}">'
    head, sep, rest = output.partition("</head>")
    return head + link + sep + rest


@event_priority(50)  # before mkdocs-static-i18n builds the other languages; each build writes it again
def on_post_build(config) -> None:
    css = _stylesheets.get(config.site_dir)
    if css is not None:
        target = Path(config.site_dir) / STYLESHEET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cached_prune_css(css, _used_classes.get(config.site_dir, set())) + SITE_CSS, encoding="utf-8")
