"""Read a Markdown page the way the consistency checks and the MkDocs hook need it.

A page is `docs/<section>/<page>.md` (Chinese, the default language) or `<page>.en.md`
(English). This module finds its fenced code blocks, the snippet includes inside them and its
headings with their explicit `{ #anchor }`. Standard library only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGUAGES = ("zh", "en")  # the first is the default: `page.md`; the others `page.<lang>.md`
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+?)(?::(?P<section>[a-z0-9-]+))?"\s*$')
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
# A picture drawn a second time for a phone's width is `<name>-narrow.svg` beside `<name>.svg`
# (scripts/render_benchmark.py, scripts/render_autograd_graph.py); scripts/reader_hooks.py offers both.
NARROW_SUFFIX = "-narrow"
ANCHOR = re.compile(r"\{\s*#(?P<id>[A-Za-z][\w-]*)[^}]*\}\s*$")
# Words readers type for what a section answers, in their own phrasing, on the line under its heading:
# `<!-- search-also: 找不到 GPU, 用不了显卡 -->`. The build makes them search tags of that section.
SEARCH_ALSO = re.compile(r"^<!--\s*search-also:(?P<words>.*?)-->\s*$")

# A Markdown link or image: [text](target "title"); the target may carry an #anchor
MARKDOWN_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")


@dataclasses.dataclass
class Include:
    path: str  # relative to the repository root, e.g. snippets/basics/tensors.py
    section: str | None
    line: int


@dataclasses.dataclass
class Fence:
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    indent: str
    info: str
    body: list[str]
    includes: list[Include]

    @property
    def is_include_only(self) -> bool:
        lines = [b for b in self.body if b.strip()]
        return bool(lines) and len(self.includes) == len(lines)


@dataclasses.dataclass
class Heading:
    line: int
    level: int
    text: str  # as written, with its `{ #anchor }`
    anchor: str | None

    @property
    def title(self) -> str:
        """The text a reader sees: without its `{ #anchor }`."""
        return ANCHOR.sub("", self.text).strip()


@dataclasses.dataclass
class Page:
    path: Path
    language: str
    fences: list[Fence]
    headings: list[Heading]
    text: str = ""  # the page as read (or as given to parse_page)

    @property
    def includes(self) -> list[Include]:
        return [inc for fence in self.fences for inc in fence.includes]

    @property
    def title(self) -> str | None:
        """The title of the page: its first level-1 heading, as a reader sees it."""
        return next((h.title for h in self.headings if h.level == 1), None)

    def search_also(self) -> list[tuple[int, Heading | None, list[str]]]:
        """(line, the heading on the line above or None, its words) for each `search-also` comment."""
        headings = {heading.line: heading for heading in self.headings}
        return [(number, headings.get(number - 1), [word.strip() for word in comment["words"].split(",")])
                for number, comment in enumerate(map(SEARCH_ALSO.match, self.text.splitlines()), 1) if comment]


def language_of(path: Path) -> str:
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[-2] in LANGUAGES:
        return parts[-2]
    return LANGUAGES[0]


def language_prefix(language: str) -> str:
    """Where a language's pages are in the built site: `` for the default language, `en/`."""
    return "" if language == LANGUAGES[0] else f"{language}/"


def page_url(key: str, language: str = LANGUAGES[0]) -> str:
    """A page's address relative to the site's root: `basics/autograd/`, `en/install/`, `` (home)."""
    return language_prefix(language) + ("" if key == "index" else key.removesuffix("/index") + "/")


def search_index(site: Path, language: str) -> Path:
    """A language's search index in the built site (scripts/mkdocs_hooks.py splits Material's one),
    the file Material fetches: every section's title, tags and code names, and no text."""
    return Path(site) / language_prefix(language) / "search" / "search_index.json"


def search_texts(site: Path, language: str) -> Path:
    """The texts of search_index's sections, in its order, fetched after it (docs/assets/site.js):
    `{"build": ..., "texts": [...]}`, where build is also the index's `config.site_texts`."""
    return search_index(site, language).with_name("search_text.json")


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_search_index(site: Path, language: str, index: dict) -> None:
    """Write a language's whole index as the two files the reader's browser fetches one after the
    other. Both name the build (a hash of the whole index), so that a first file cached from an
    earlier deploy is not joined to another build's texts."""
    texts = [doc["text"] for doc in index["docs"]]
    build = hashlib.sha256(json.dumps(index, sort_keys=True).encode()).hexdigest()[:16]
    target = search_index(site, language)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_json(target, dict(index, config=dict(index["config"], site_texts=build),
                             docs=[dict(doc, text="") for doc in index["docs"]]))
    _write_json(search_texts(site, language), {"build": build, "texts": texts})


def read_search_index(site: Path, language: str) -> dict:
    """A language's whole index, as the search worker has it once both files have arrived."""
    head, texts_file = search_index(site, language), search_texts(site, language)
    index = json.loads(head.read_text(encoding="utf-8"))
    texts = json.loads(texts_file.read_text(encoding="utf-8")) if texts_file.exists() else {}
    build = texts.get("build")
    if build is None or build != index["config"].get("site_texts"):
        raise ValueError(f"{texts_file} is missing or of another build than {head}: rebuild the site")
    index["docs"] = [dict(doc, text=text) for doc, text in zip(index["docs"], texts["texts"], strict=True)]
    return index


def build_language(config) -> str:
    """The language a MkDocs build is building: mkdocs-static-i18n (reconfigure_material: true) sets
    theme.language for each language's build; the default language's comes first, the others' follow
    in the same process."""
    return config.theme.get("language", LANGUAGES[0])


def page_key(path: Path, docs: Path = DOCS) -> str:
    """The page without its language: docs/basics/tensors.en.md -> `basics/tensors`."""
    relative = Path(path).resolve().relative_to(docs.resolve()).as_posix()
    relative = relative[: -len(".md")]
    language = language_of(Path(path))
    if relative.endswith(f".{language}"):
        relative = relative[: -len(language) - 1]
    return relative


def localized(path: str, language: str) -> str:
    """A file's name in `language` (mkdocs-static-i18n's suffix structure): `gpu/results/h100.svg`
    is itself in the default language and `gpu/results/h100.en.svg` in English."""
    if language == LANGUAGES[0]:
        return path
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.{language}.{extension}" if dot else f"{path}.{language}"


def translation_path(key: str, language: str, docs: Path = DOCS) -> Path:
    return docs / localized(f"{key}.md", language)


def page_title(key: str, language: str) -> str:
    """The title of page `key` in `language` (its first heading), or `key` if it has none."""
    return parse_page(translation_path(key, language)).title or key


def parse_page(path: Path, text: str | None = None) -> Page:
    text = path.read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines()
    fences: list[Fence] = []
    headings: list[Heading] = []
    i = 0
    while i < len(lines):
        opened = FENCE_OPEN.match(lines[i])
        if opened:
            indent, fence, info = opened.group("indent", "fence", "info")
            body, j = [], i + 1
            while j < len(lines):
                closing = lines[j].strip()
                if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                    break
                body.append(lines[j])
                j += 1
            includes = []
            for k, line in enumerate(body):
                found = INCLUDE.match(line)
                if found:
                    includes.append(Include(found.group("path"), found.group("section"), i + 2 + k))
            fences.append(Fence(i + 1, j + 1, indent, info.strip(), body, includes))
            i = j + 1
            continue
        heading = HEADING.match(lines[i])
        if heading:
            anchor = ANCHOR.search(heading.group("text"))
            headings.append(Heading(i + 1, len(heading.group("hashes")), heading.group("text"),
                                    anchor.group("id") if anchor else None))
        i += 1
    return Page(path=path, language=language_of(path), fences=fences, headings=headings, text=text)


def missing_file(path: str, key: str) -> str:
    """What to say when page `key` includes a file that does not exist (check_site and the build)."""
    where = f" (the code of docs/{key}.md lives in snippets/{key}.py or snippets/{key}/)" if path.startswith("snippets/") else ""
    return f"{path} does not exist. Fix the path or create the file{where}."


def include_mistakes(page: Page, text: str) -> list[tuple[int, str]]:
    """(line, what to do) for each line with `--8<--` that the Markdown would not run as the page
    means it: pymdownx.snippets then shows it as text, or the code without its output. Used by
    scripts/check_site.py (the `include` check) and by the build (scripts/mkdocs_hooks.py)."""
    fence_of = {n: fence for fence in page.fences for n in range(fence.line + 1, fence.end)}
    mistakes = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("--8<--"):  # `--8<--` quoted in a sentence is not an include
            continue
        found, fence, stripped = INCLUDE.match(line), fence_of.get(number), line.strip()
        section = re.match(r'--8<--\s+"[^":]*\.\w+:([^"]*)"\s*$', stripped)  # file.py:Section_Name
        if found is None or section and not found["section"]:
            if re.match(r"--8<--\s+'", stripped):
                why = 'write the path in double quotes: `--8<-- "snippets/PAGE.py:SECTION"`'
            elif section:
                why = (f"{section[1]!r} is not a section name: section names are kebab-case (lower-case letters, "
                       "digits and hyphens), as in the snippet's `# --8<-- [start:NAME]`")
            else:
                why = 'an include is a line of its own: `--8<-- "PATH"` or `--8<-- "PATH:SECTION"`'
            mistakes.append((number, f"this include would not work: {why}."))
        elif fence is None:
            if found["path"].startswith("snippets/"):
                mistakes.append((number, "this code include is outside a code block, so the page would show the code "
                                 "as prose and no output. Put it alone inside a block: ```python, then the include "
                                 "line, then ```."))
        elif len(line) - len(line.lstrip()) < len(fence.indent):
            mistakes.append((number, f"this include is indented less than its code block's opening ``` (line "
                             f"{fence.line}), so the block ends there. Indent it like the ``` line "
                             f"({len(fence.indent)} spaces)."))
    return mistakes


def all_pages(docs: Path = DOCS) -> list[Path]:
    """Every page; Markdown under a `results/` folder is generated data that pages include."""
    return sorted(p for p in docs.rglob("*.md") if "results" not in p.relative_to(docs).parts[:-1])


def page_urls() -> list[tuple[str, str, str]]:
    """(language, key, site-relative URL) for every page in every language."""
    return [(language_of(path), page_key(path), page_url(page_key(path), language_of(path))) for path in all_pages()]
