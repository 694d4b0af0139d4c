"""Companion Jupyter notebooks, generated from a page and its snippet: nothing is written twice.

For each page in NOTEBOOK_PAGES (every page under docs/basics/ and docs/gpu/) and each language,
`build_notebook(key, language)` turns the page's Markdown into an nbformat notebook:

- prose becomes Markdown cells (one per heading), with the site's Markdown dialect brought down to
  what Jupyter renders: `{ #id }` anchors dropped from headings, admonitions as
  `<div class="admonition ...">` blocks, content tabs as bold labels, block includes
  (`--8<-- "docs/...:section"`) expanded, images embedded as cell attachments, links to other pages
  rewritten to their URL on the site: relative to the rendered notebook page, or, for the .ipynb
  download of a site with a public address, absolute (a downloaded notebook has no site around it);
- each snippet include becomes a code cell holding that section's code, with the section's recorded
  output (`<snippet>.cpu.out`) as its stdout stream: the notebook shows tested code and real output;
- code that the page does not show (imports and seeding outside sections) goes into code cells of
  its own at the place it runs, so running the notebook top to bottom runs exactly the snippet file.

Differences from `python snippet.py` that a notebook needs, all made here and nowhere else:
- a cell whose last statement is a bare expression ends with `;`, or Jupyter would display its
  value (e.g. `torch.manual_seed(0)` would show a generator with a memory address);
- `# (1)!` annotation markers lose the `!` (Material hides the marker; a notebook shows the number,
  and the numbered list that explains it follows the cell);
- a snippet run with arguments (`# argv: --smoke`) gets them in its first code cell, as `sys.argv`:
  a notebook has no command line;
- a bare string statement (a module docstring) outside sections is left out: it does nothing.

The MkDocs hook (scripts/notebook_hooks.py) writes the notebooks at build time; nothing generated
is committed. tests/test_notebooks.py executes every notebook and compares each cell's output with
the recording.
"""

from __future__ import annotations

import ast
import base64
import html
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs_model  # noqa: E402
import generated  # noqa: E402
import snippet_engine as engine  # noqa: E402

# Pages that have a companion notebook: every page in these folders of docs/, which are code from
# top to bottom (the concepts, install and reference pages are not), except a page whose program is
# started by torchrun (`# launch:` in its snippet's header): a notebook is one process, and cannot
# start that program's. A page that is still a placeholder gets none (yet).
NOTEBOOK_SECTIONS = ("basics", "gpu")


def _launched(key: str) -> bool:
    page = docs_model.translation_path(key, docs_model.LANGUAGES[0])
    includes = docs_model.parse_page(page).includes if page.exists() else []
    paths = {engine.ROOT / include.path for include in includes if include.path.endswith(".py")}
    return any(engine.parse_snippet(path).launch for path in paths if path.is_file())  # check_site.py names missing files


NOTEBOOK_PAGES = tuple(sorted(key for key in {docs_model.page_key(page) for page in docs_model.all_pages()}
                              if key.partition("/")[0] in NOTEBOOK_SECTIONS and not _launched(key)))
PLACEHOLDER = "<!-- placeholder"

LABELS = {
    "zh": {
        "intro": "这是《{title}》一页的配套 Jupyter 笔记本，由页面和它的代码文件自动生成：代码就是页面上经过测试的代码，"
                 "输出是真实运行记录下来的输出（CPU，torch {torch}）。从上到下依次运行即可复现。"
                 "网页版：[{title}]({page_url})；下载：[{download}]({download_url})。",
        "link": "本页的代码和输出也整理成了 Jupyter 笔记本：[在线查看笔记本]({view}) · [下载笔记本（.ipynb）]({download})",
        "link-title": "配套笔记本",
        "argv": "# 测试套件以 `python {name} {args}` 运行这个程序。笔记本没有命令行，参数在这里设定，\n"
                "# 可以换成页面上介绍的其他参数。",
        "title": "{title}（笔记本）",
        "description": "《{title}》的配套 Jupyter 笔记本：与页面相同的经过测试的代码和真实输出，可以下载后运行。",
    },
    "en": {
        "intro": "This is the companion Jupyter notebook for the page *{title}*, generated from the page and its code "
                 "file: the code is the page's tested code, and the outputs are the recorded outputs of a real run "
                 "(CPU, torch {torch}). Run it top to bottom to reproduce them. "
                 "On the web: [{title}]({page_url}); download: [{download}]({download_url}).",
        "link": "This page's code and outputs are also available as a Jupyter notebook: [view the notebook]({view}) · "
                "[download the notebook (.ipynb)]({download})",
        "link-title": "Companion notebook",
        "argv": "# The test suite runs this program as `python {name} {args}`. A notebook has no command line, so\n"
                "# the arguments are set here; change them to any the page describes.",
        "title": "{title} (notebook)",
        "description": "The companion Jupyter notebook of {title}: the page's tested code with real outputs, to "
                       "download and run.",
    },
}

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)\s*(?P<type>[\w-]+)(?:\s+"(?P<title>.*)")?\s*$')
TAB = re.compile(r'^(?P<indent>[ \t]*)===\+?\s*"(?P<label>.*)"\s*$')
ANNOTATION_MARKER = re.compile(r"(#\s*\(\d+\))!")
COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


class NotebookError(ValueError):
    """A page that cannot become a notebook; the message names the file and the fix."""


# ---------------------------------------------------------------------------------------------
# Where things are on the site


def notebook_url(key: str, language: str) -> str:
    """Site-relative URL of the rendered notebook: `en/basics/autograd/notebook/`."""
    return docs_model.page_url(key, language) + "notebook/"


def download_name(key: str, language: str) -> str:
    """File name of the .ipynb: `autograd.ipynb` (Chinese), `autograd.en.ipynb` (English)."""
    stem = key.rsplit("/", 1)[-1]
    return f"{stem}.ipynb" if language == docs_model.LANGUAGES[0] else f"{stem}.{language}.ipynb"


def download_url(key: str, language: str) -> str:
    return notebook_url(key, language) + download_name(key, language)


def page_src_uri(key: str, language: str) -> str:
    """The rendered notebook's `src_uri` in MkDocs: `basics/autograd/notebook.en.ipynb`, so a page
    links to it as `autograd/notebook.ipynb` in either language (mkdocs-static-i18n's suffix lookup)."""
    suffix = ".ipynb" if language == docs_model.LANGUAGES[0] else f".{language}.ipynb"
    return f"{key}/notebook{suffix}"


def download_src_uri(key: str, language: str) -> str:
    """The downloadable copy's `src_uri`: `basics/autograd/autograd.en.ipynb`."""
    return f"{key}/{download_name(key, language)}"


def has_notebook(key: str, language: str = docs_model.LANGUAGES[0]) -> bool:
    path = docs_model.translation_path(key, language)
    return key in NOTEBOOK_PAGES and path.exists() and PLACEHOLDER not in path.read_text(encoding="utf-8")


def notebook_keys() -> list[str]:
    """Pages that have notebooks now: listed, and written in every language (not placeholders)."""
    return [key for key in NOTEBOOK_PAGES if all(has_notebook(key, lang) for lang in docs_model.LANGUAGES)]


def page_link_markdown(key: str, language: str) -> str:
    """The block the hook puts under a page's title: links relative to the page's source file, so
    MkDocs checks and rewrites them like any other link."""
    stem = key.rsplit("/", 1)[-1]
    labels = LABELS[language]
    view = f"{stem}/notebook.ipynb"
    download = f"{stem}/{download_name(key, docs_model.LANGUAGES[0])}"
    line = labels["link"].format(view=view, download=download)
    line = line.replace(f"({download})", f'({download}){{ download="{download_name(key, language)}" }}')
    return f'!!! tip "{labels["link-title"]}"\n\n    {line}\n'


# ---------------------------------------------------------------------------------------------
# Markdown: the site's dialect -> what Jupyter (and nbconvert) render


def _dedent(lines: list[str], width: int) -> list[str]:
    return [line[width:] if line[:width].strip() == "" else line.lstrip() for line in lines]


def _indented_block(lines: list[str], start: int, indent: str) -> tuple[list[str], int]:
    """The lines after `start` indented deeper than `indent` (blank lines included), and the index
    of the first line after them."""
    body, i = [], start
    while i < len(lines):
        line = lines[i]
        if line.strip() and not line.startswith(indent + "    ") and not line.startswith(indent + "\t"):
            break
        body.append(line)
        i += 1
    while body and not body[-1].strip():
        body.pop()
        i -= 1
    return _dedent(body, len(indent) + 4), i


def _inline_html(text: str) -> str:
    """A title for an HTML block: Markdown is not parsed there, so code spans become <code>."""
    parts = re.split(r"(`[^`]+`)", text)
    return "".join(f"<code>{html.escape(p[1:-1])}</code>" if p.startswith("`") else html.escape(p) for p in parts)


def _section_text(path: Path, section: str | None) -> list[str]:
    text = path.read_text(encoding="utf-8").splitlines()
    if not section:
        return text
    out, inside = [], False
    for line in text:
        marker = re.search(r"--8<--\s*\[(start|end):([^\]]*)\]", line)
        if marker and marker.group(2) == section:
            if marker.group(1) == "end":
                return out
            inside = True
            continue
        if inside:
            out.append(line)
    raise NotebookError(f"{engine.rel(path)} has no section {section!r}.")


class _Converter:
    def __init__(self, key: str, language: str, source: Path, site_url: str | None = None):
        self.key, self.language, self.source, self.site_url = key, language, source, site_url
        self.here = notebook_url(key, language)
        self.cells: list[dict] = []  # {"type": "markdown"|"code", ...}
        self.attachments: dict[str, dict] = {}
        self.images: dict[str, dict] = {}  # attachment name -> its file under docs/ and its URL on the site

    # links ---------------------------------------------------------------------------------
    def _rewrite_links(self, line: str, base: str) -> str:
        def replace(found: re.Match) -> str:
            target = found["target"]
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", target):
                return found.group(0)
            path, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(base, path))
            if found["bang"]:
                return self._image(found, resolved)
            if resolved.endswith(".md"):
                file = docs_model.DOCS / resolved
                if not file.exists():
                    raise NotebookError(f"{engine.rel(self.source)}: link to {target!r}, which is not a page.")
                key = docs_model.page_key(file)
                url = docs_model.page_url(key, self.language)
            else:  # a file, not a page: one copy at the site's root serves every language
                url = resolved
            return f"[{found['text']}]({self.address(url)}{'#' + anchor if anchor else ''}{found['title'] or ''})"

        return docs_model.MARKDOWN_LINK.sub(replace, line)

    def address(self, url: str) -> str:
        """How the notebook links to `url` (site-relative): relative to the rendered notebook page,
        or absolute under site_url."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + url
        address = posixpath.relpath(url or ".", self.here) + ("/" if url.endswith("/") else "")
        return address.replace("//", "/")

    def _image(self, found: re.Match, resolved: str) -> str:
        file, url = docs_model.DOCS / resolved, resolved
        localized = docs_model.DOCS / docs_model.localized(resolved, self.language)  # h100.en.svg: the chart in
        if localized.exists():  # English, which the site publishes as en/.../h100.svg
            file, url = localized, docs_model.language_prefix(self.language) + resolved
        mime = IMAGE_TYPES.get(file.suffix.lower())
        if not file.exists() or mime is None:
            raise NotebookError(f"{engine.rel(self.source)}: image {found['target']!r} is not an image file in docs/.")
        data = file.read_bytes()
        name = file.name
        self.attachments[name] = {mime: base64.b64encode(data).decode("ascii")}
        self.images[name] = {"file": file.relative_to(docs_model.DOCS).as_posix(), "url": url}
        return f"![{found['text']}](attachment:{name}{found['title'] or ''})"

    # cells ---------------------------------------------------------------------------------
    def _markdown(self, lines: list[str]) -> None:
        if self.cells and self.cells[-1]["type"] == "markdown" and not self.cells[-1].get("closed"):
            self.cells[-1]["lines"] += ["", *lines]
        else:
            self.cells.append({"type": "markdown", "lines": list(lines)})

    def _close_markdown(self) -> None:
        if self.cells and self.cells[-1]["type"] == "markdown":
            self.cells[-1]["closed"] = True

    def convert(self, lines: list[str], base: str, wrap=None) -> None:
        """Append cells for `lines` (Markdown whose relative links are relative to `base`).
        `wrap(md_lines, first)` wraps each run of Markdown (admonitions are HTML blocks)."""
        run: list[str] = []
        first = [True]

        def flush():
            while run and not run[0].strip():
                run.pop(0)
            while run and not run[-1].strip():
                run.pop()
            if run:
                md = wrap(list(run), first[0]) if wrap else list(run)
                first[0] = False
                self._markdown(md)
            run.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            opened = docs_model.FENCE_OPEN.match(line)
            if opened:
                fence_char = opened["fence"]
                j = i + 1
                while j < len(lines) and not (lines[j].strip().startswith(fence_char) and not lines[j].strip().strip(fence_char[0])):
                    j += 1
                body = lines[i + 1 : j]
                includes = [docs_model.INCLUDE.match(b) for b in body if b.strip()]
                if includes and all(includes) and all(m["path"].endswith(".py") for m in includes):
                    flush()
                    for found in includes:
                        self.cells.append({"type": "code", "path": found["path"], "section": found["section"]})
                else:  # a fence of text: keep it, with any include expanded
                    run.append(line.strip())
                    for b in body:
                        found = docs_model.INCLUDE.match(b)
                        run.extend(_section_text(docs_model.ROOT / found["path"], found["section"]) if found else [b[len(opened["indent"]):]])
                    run.append(opened["fence"])
                i = j + 1
                continue
            heading = docs_model.HEADING.match(line)
            if heading and not wrap:
                flush()
                self._close_markdown()
                run.append(docs_model.ANCHOR.sub("", line).rstrip())
                i += 1
                continue
            admonition = ADMONITION.match(line)
            if admonition:
                flush()
                body, i = _indented_block(lines, i + 1, admonition["indent"])
                kind = admonition["type"]
                title = admonition["title"] if admonition["title"] is not None else kind.capitalize()

                def box(md, first_run, kind=kind, title=title):
                    head = [f'<div class="admonition {kind}">']
                    if first_run and title:
                        head.append(f'<p class="admonition-title">{_inline_html(title)}</p>')
                    return head + [""] + md + ["", "</div>"]

                self.convert(body, base, wrap=box)
                continue
            tab = TAB.match(line)
            if tab:
                flush()
                body, i = _indented_block(lines, i + 1, tab["indent"])
                run.append(f"**{tab['label']}**")
                flush()
                self.convert(body, base, wrap=wrap)
                continue
            include = docs_model.INCLUDE.match(line)
            if include:
                path = docs_model.ROOT / include["path"]
                included = [x for x in _section_text(path, include["section"]) if not COMMENT_LINE.match(x)]
                rel_base = posixpath.dirname(path.resolve().relative_to(docs_model.DOCS.resolve()).as_posix()) \
                    if path.resolve().is_relative_to(docs_model.DOCS.resolve()) else base
                run.extend(self._rewrite_links(x, rel_base) for x in included)
                i += 1
                continue
            if COMMENT_LINE.match(line):
                i += 1
                continue
            run.append(self._rewrite_links(line, base))
            i += 1
        flush()


def _suppress_display(code: str) -> str:
    """End the cell with `;` when its last statement is a bare expression (not a print call):
    Jupyter would otherwise display the value, which `python file.py` never prints."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return code
    last = tree.body[-1].value
    if isinstance(last, ast.Call) and isinstance(last.func, ast.Name) and last.func.id == "print":
        return code
    lines = code.split("\n")
    row, col = last.end_lineno - 1, last.end_col_offset
    lines[row] = lines[row][:col] + ";" + lines[row][col:]
    return "\n".join(lines)


def _runs_something(code: str) -> bool:
    """Whether code does anything: not only comments, blank lines and string statements."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return True
    return any(not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str))
               for s in tree.body)


def _strip_docstrings(code: str) -> str:
    tree = ast.parse(code)
    lines = code.split("\n")
    for statement in reversed(tree.body):
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str):
            del lines[statement.lineno - 1 : statement.end_lineno]
    return "\n".join(lines)


def _hidden_code(snippet: engine.Snippet, first: int, last: int) -> str:
    """Lines first..last (1-based) of the snippet outside sections, without header comments,
    section markers and docstrings."""
    lines = snippet.source.splitlines()[first - 1 : last]
    keep = [line for line in lines if not engine.MARKER.match(line) and not engine.HEADER_KEY.match(line.strip())]
    code = "\n".join(keep)
    code = _strip_docstrings(code) if _runs_something(code) else ""
    return code.strip("\n")


def _recorded_outputs(snippet: engine.Snippet) -> dict[str, str] | None:
    if not snippet.record:
        return None
    if "cpu" in snippet.profiles and snippet.recording_path("cpu").exists():
        return engine.parse_recording(snippet.recording_path("cpu")).outputs
    if "cuda" in snippet.profiles and engine.stale_gpu_recording(snippet) is None:
        return engine.parse_recording(snippet.recording_path("cuda")).outputs
    return None


def build_notebook(key: str, language: str, site_url: str | None = None) -> dict:
    """The notebook of page `key` in `language`, as an nbformat v4 dictionary. With `site_url`, links
    to the site's pages and files are absolute addresses under it (for the downloaded .ipynb)."""
    import nbformat
    from nbformat import v4

    source = docs_model.translation_path(key, language)
    where = engine.rel(source)
    markdown = source.read_text(encoding="utf-8")
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)  # front matter
    try:
        markdown = generated.expand(markdown, language, where)
    except generated.DirectiveError as error:
        raise NotebookError(str(error)) from error
    base = posixpath.dirname(source.relative_to(docs_model.DOCS).as_posix())
    converter = _Converter(key, language, source, site_url)
    converter.convert(markdown.splitlines(), base)

    title = docs_model.page_title(key, language)
    labels = LABELS[language]

    snippets: dict[str, engine.Snippet] = {}
    done: dict[str, int] = {}  # snippet path -> last line already in the notebook
    cells = []
    counter = [0]

    def code_cell(code: str, text: str | None, path: str, section: str | None):
        counter[0] += 1
        outputs = [v4.new_output("stream", name="stdout", text=text.rstrip("\n") + "\n")] if text else []
        cell = v4.new_code_cell(code, execution_count=counter[0], outputs=outputs)
        # where the code comes from: the test compares the section's output with its recording
        cell.metadata["pytorch_site"] = {"snippet": path, "section": section}
        cells.append(cell)

    def gap(snippet: engine.Snippet, path: str, upto: int) -> None:
        code = _hidden_code(snippet, done.get(path, 0) + 1, upto)
        if snippet.argv and path not in done:
            name = Path(path).name
            argv = "\n".join([labels["argv"].format(name=name, args=" ".join(snippet.argv)), "import sys",
                              "", f"sys.argv = {[name, *snippet.argv]!r}"])
            code = argv + ("\n\n" + code if code else "")
        if code:
            code_cell(_suppress_display(code), None, path, None)

    torch_versions = set()
    intro_done = False
    for cell in converter.cells:
        if cell["type"] == "markdown":
            text = "\n".join(cell["lines"]).strip("\n")
            md = v4.new_markdown_cell(text)
            used = {n: a for n, a in converter.attachments.items() if f"(attachment:{n}" in text}
            if used:
                md["attachments"] = used
            cells.append(md)
            if not intro_done and text.startswith("# "):
                cells.append(None)  # the introduction goes right under the title
                intro_done = True
            continue
        path = cell["path"]
        if path not in snippets:
            try:
                snippets[path] = engine.parse_snippet(engine.ROOT / path)
            except (OSError, engine.SnippetError) as error:
                raise NotebookError(f"{where}: {error}") from error
        snippet = snippets[path]
        sections = [cell["section"]] if cell["section"] else snippet.sections
        outputs = _recorded_outputs(snippet)
        if outputs is not None:
            recording = snippet.recording_path("cpu")
            if recording.exists():
                torch_versions.add(engine.parse_recording(recording).meta.get("torch", "?"))
        for section in sections:
            if section not in snippet.spans:
                line = next((n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
                             if f'{path}:{section}"' in text), None)
                raise NotebookError(f"{where}{f':{line}' if line else ''}: {engine.missing_section(snippet, section, where)}")
            first, last = snippet.spans[section]
            if first - 1 <= done.get(path, 0):
                raise NotebookError(f"{where}: section {section!r} of {path} comes before one shown above it; "
                                    "a notebook runs top to bottom, so show the sections in file order.")
            gap(snippet, path, first - 2)  # up to the start marker
            code = ANNOTATION_MARKER.sub(r"\1", snippet.section_code(section))
            code_cell(_suppress_display(code), (outputs or {}).get(section) or None, path, section)
            done[path] = last + 1  # the end marker
    for path, snippet in snippets.items():  # code after the last section shown still runs
        gap(snippet, path, len(snippet.source.splitlines()))

    intro = labels["intro"].format(title=title, download=download_name(key, language),
                                   download_url=converter.address(download_url(key, language)), torch=", ".join(sorted(torch_versions)) or "?",
                                   page_url=converter.address(docs_model.page_url(key, language)))
    intro_cell = v4.new_markdown_cell(intro)
    cells = [intro_cell if c is None else c for c in cells]
    if intro_cell not in cells:
        cells.insert(0, intro_cell)

    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["pytorch_site"] = {"page": key, "language": language,
                                         "snippets": sorted(snippets), "title": title,
                                         "images": converter.images}
    for index, cell in enumerate(notebook.cells):  # stable ids: the same page gives the same file
        cell["id"] = f"cell-{index}"
    nbformat.validate(notebook)
    return notebook


def notebook_json(key: str, language: str, site_url: str | None = None) -> str:
    import nbformat

    return nbformat.writes(build_notebook(key, language, site_url)) + "\n"


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def public_site_url(site_url: str | None) -> str | None:
    """The site's address if readers can reach it (SITE_URL of the deploy job), else None: a local
    build's `http://127.0.0.1:8000/` would make every link of a downloaded notebook a dead end."""
    if not site_url:
        return None
    return None if urlparse(site_url).hostname in LOCAL_HOSTS else site_url


def anchors_of(key: str, language: str) -> list[tuple[int, str, str]]:
    """(level, text, anchor) of each heading of the page, in order: the notebook has the same."""
    source = docs_model.translation_path(key, language)
    return [(h.level, h.title, h.anchor or "") for h in docs_model.parse_page(source).headings]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write the companion notebooks (the site build does this itself).")
    parser.add_argument("out", type=Path, help="folder to write <page>.<lang>.ipynb into")
    args = parser.parse_args(argv)
    for key in notebook_keys():
        for language in docs_model.LANGUAGES:
            target = args.out / key / download_name(key, language)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(notebook_json(key, language), encoding="utf-8")
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
