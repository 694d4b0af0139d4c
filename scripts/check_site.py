"""Consistency checks between pages, snippets and recordings: `python scripts/check_site.py`.

Each problem names the file (and line) and says how to fix it. Exit status 1 when any is found.
The checks:
  typed-code        a fenced code block in docs/ that is not an include of a snippet file
  missing-include   an include of a file or section that does not exist
  include           an include the Markdown would not run: outside a code block, in single quotes,
                    a section name that is not kebab-case, or indented less than its code block
  mirror            docs/<section>/<page>.md including a file other than snippets/<section>/<page>.*
  order             a page including a snippet's sections in another order than the file has them
  orphan            a snippet file, section or recording that no page shows
  translation       a page without its translation, or whose translation includes other sections or
                    has other generated lines
  anchor            a heading without an explicit `{ #anchor }`, an anchor used twice on a page, or
                    anchors that differ between languages
  nav               a page missing from the nav in mkdocs.yml, or a nav title without its English
                    title under nav_translations
  generated         a `<!-- generated: NAME -->` line whose renderer is unknown or fails, or a
                    comment that looks like one but is not written as one (the page would lose it)
  placeholder       the placeholder prose that scripts/new_page.py writes, still on the page
  home              a page in the nav that the home page (docs/index.md, docs/index.en.md) does not
                    list in its sections `#learning-path` and `#topics`, or lists out of the nav's
                    order: they list every page under its nav section, so a reader finds it there
  typed-command     an install or set-up command typed into a page instead of generated from
                    docs/install/install.yml
  glossary          docs/reference/glossary.yml is invalid, or a `see` names a page or anchor that
                    does not exist in every language
  term              a Chinese page writes a variant the glossary lists under `avoid` instead of the
                    glossary's term (opt out per page: `<!-- term-ok: VARIANT (reason) -->`)
  number            the prose (inline code too) quotes a result (a number with 3+ decimals, a loss
                    or a gradient) that no output the page includes prints, rounded or not: typed,
                    or left behind when the output was re-recorded (opt out per page for a number
                    that is not an output: `<!-- number-ok: NUMBER (reason) -->`)
  search-also       a `<!-- search-also: WORDS -->` comment that is not on the line right below a
                    heading with an anchor that the search index has, that lists an empty word, or
                    that is not written as one
"""

from __future__ import annotations

import dataclasses
import re
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs_model  # noqa: E402
import generated  # noqa: E402
import glossary  # noqa: E402
import new_page  # noqa: E402
import snippet_engine as engine  # noqa: E402


@dataclasses.dataclass(frozen=True)
class Problem:
    check: str
    where: str  # file[:line]
    message: str

    def __str__(self) -> str:
        return f"{self.where}: [{self.check}] {self.message}"


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


TYPED_COMMAND = re.compile(
    r"\b(?:pip3?|uv\s+pip|conda|mamba|micromamba)\s+(?:install|create|download)\b"
    r"|\b(?:python3?|py)\s+(?:-\S+\s+)*-m\s+(?:venv|pip\s+(?:install|download))\b"
    r"|\b(?:uv|poetry|pdm|pixi)\s+add\b"
    r"|\buv\s+venv\b|\bpip3?\s+config\s+set\b|\bsetup\.py\s+(?:install|develop)\b|\bgit\s+clone\b", re.I)


NavEntry = tuple[str | None, str | None, int]  # (title, page or None for a section, line in mkdocs.yml)


def _mkdocs_nav(root: Path) -> tuple[list[NavEntry], dict[str, list[int]]] | None:
    """The nav of root/mkdocs.yml as (title, page or None for a section, line) entries, and the English
    nav_translations as title -> the lines it is on; None without a mkdocs.yml. Read with
    yaml.compose, which resolves no tags (`!ENV` is fine) and keeps line numbers."""
    import yaml

    config = root / "mkdocs.yml"
    if not config.exists():
        return None
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None  # MkDocs itself reports a broken mkdocs.yml

    def get(mapping, key: str):
        if isinstance(mapping, yaml.MappingNode):
            return next((value for name, value in mapping.value if name.value == key), None)
        return None

    entries: list[NavEntry] = []

    def walk(sequence) -> None:
        for item in sequence.value if isinstance(sequence, yaml.SequenceNode) else []:
            if isinstance(item, yaml.ScalarNode):
                entries.append((None, item.value, item.start_mark.line + 1))
            for name, value in item.value if isinstance(item, yaml.MappingNode) else []:
                is_page = isinstance(value, yaml.ScalarNode)
                entries.append((name.value, value.value if is_page else None, name.start_mark.line + 1))
                walk(value)

    walk(get(node, "nav"))
    translations: dict[str, list[int]] = {}
    for plugin in getattr(get(node, "plugins"), "value", []):
        for language in getattr(get(get(plugin, "i18n"), "languages"), "value", []):
            for name, _value in getattr(get(language, "nav_translations"), "value", []):
                translations.setdefault(name.value, []).append(name.start_mark.line + 1)
    return entries, translations


# A formula, as pymdownx.arithmatex reads it: `$$...$$` or `$...$`.
MATH = r"\$\$.*?\$\$|\$[^$\n]+\$"
INLINE_CODE = r"``.+?``|`[^`\n]*`"
COMMENT = r"<!--.*?-->"  # comments, generated-content lines
OTHER_MARKUP = (
    r"\]\([^)\n]*\)",  # link targets
    r"\[\^[^\]\n]*\]",  # footnote labels
    r"\{[^}\n]*\}",  # attribute lists: heading anchors
    r"<[^>\n]+>",  # HTML tags
    MATH,
)
# Markup in a page that is not prose: masked (line numbers kept) before the term check reads it.
NOT_PROSE = re.compile("|".join((COMMENT, INLINE_CODE, *OTHER_MARKUP)), re.S)
# For the number check: the same, but inline code stays (outputs are often quoted as `tensor([...])`).
NOT_PROSE_KEEP_CODE = re.compile("|".join((COMMENT, *OTHER_MARKUP)), re.S)
# 0.6667, 0.0431: how results are quoted (also at a sentence's end, "0.6612.", or with a unit, "0.6668s")
QUOTED_RESULT = re.compile(r"(?<![\w.])\d+\.\d{3,}(?!\d|\.\d|[eE][-+]?\d)")  # 1.2345e-05 is not 1.2345
PRINTED_NUMBER = re.compile(r"\d+\.\d+(?:e[-+]?\d+)?")


def _mask(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(page: docs_model.Page, text: str, inline_code: bool = False) -> list[str]:
    """The page's lines with code blocks, inline code (unless `inline_code`), comments, link targets
    and markup blanked."""
    lines = (NOT_PROSE_KEEP_CODE if inline_code else NOT_PROSE).sub(_mask, text).splitlines()
    lines = ["" if docs_model.INCLUDE.match(line) else line for line in lines]  # `--8<-- "file"` lines
    return _without_fences(page, lines)


def _without_fences(page: docs_model.Page, lines: list[str]) -> list[str]:
    """The lines with the page's fenced code blocks blanked (line numbers kept)."""
    for fence in page.fences:
        for number in range(fence.line, min(fence.end, len(lines)) + 1):
            lines[number - 1] = ""
    return lines


def has_math(page: docs_model.Page) -> bool:
    """Whether the page's Markdown has a formula outside its code blocks and inline code: the pages
    that the build must load KaTeX on (tests/test_math.py)."""
    lines = _without_fences(page, page.text.splitlines())
    return re.search(MATH, re.sub(INLINE_CODE, "", "\n".join(lines)), re.S) is not None


def opt_outs(check: str, placeholder: str, why: str, text: str, where: str) -> tuple[set[str], list[Problem]]:
    """The values of a page's `<!-- CHECK-ok: VALUE, VALUE (reason) -->` comments, and a problem for
    each comment without a reason."""
    allowed, problems = set(), []
    for found in re.finditer(rf"<!--\s*{re.escape(check)}-ok:\s*(?P<body>.*?)\s*-->", text):
        values, _, reason = found["body"].partition("(")
        if not reason.rstrip().endswith(")") or not reason[:-1].strip():
            line = text.count("\n", 0, found.start()) + 1
            problems.append(Problem(check, f"{where}:{line}", f"`{found.group(0)}` needs a reason: write "
                                    f"`<!-- {check}-ok: {values.strip() or placeholder} ({why}) -->`."))
        allowed.add(values.strip())
    return allowed, problems


def _variant_pattern(variant: str) -> re.Pattern:
    if re.fullmatch(r"[\x00-\x7f]+", variant):  # a Latin word: whole words only, any case
        return re.compile(rf"(?<![\w-]){re.escape(variant)}s?(?![\w-])", re.I | re.A)
    return re.compile(re.escape(variant))


def check_terms(data: dict, pages: dict[Path, docs_model.Page], root: Path) -> list[Problem]:
    """Chinese pages that write a variant listed under `avoid` instead of the glossary's term."""
    rules = []
    for entry in data.get("terms") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("avoid"), list):
            continue
        name = entry.get("en") if entry.get("english-in-zh") else entry.get("zh")
        if not isinstance(name, str) or not name:
            continue
        for variant in entry["avoid"]:
            if isinstance(variant, str) and variant.strip():
                rules.append((name, entry.get("en"), variant, _variant_pattern(variant)))
    problems = []
    glossary_file = _rel(root / "docs" / "reference" / "glossary.yml", root)
    for path, page in pages.items():
        if page.language != docs_model.LANGUAGES[0]:
            continue
        where = _rel(path, root)
        text = page.text
        variants, found_problems = opt_outs("term", "VARIANT", "why the variant is right here", text, where)
        problems += found_problems
        allowed = {variant.lower() for variant in variants}
        lines = prose(page, text)
        for name, english, variant, pattern in rules:
            if variant.lower() in allowed:
                continue
            for number, line in enumerate(lines, 1):
                terms = [m.span() for m in re.finditer(re.escape(name), line)]
                for found in pattern.finditer(line):
                    start, end = found.span()
                    if any(s < end and start < e for s, e in terms):
                        continue  # part of the term itself (张量核 in 张量核心)
                    if re.search(rf"{re.escape(name)}\s*[（(]\s*$", line[:start]) and re.match(r"\s*[）)]", line[end:]):
                        continue  # a gloss: 内核（kernel）
                    problems.append(Problem(
                        "term", f"{where}:{number}",
                        f"`{found.group(0)}` is a variant the glossary says to avoid ({glossary_file}, entry {english!r}): "
                        f"write `{name}` (a gloss such as `{name}（{variant}）` is fine). If the variant is right here, "
                        f"add `<!-- term-ok: {variant} (reason) -->` to the page."))
    return problems


def _matches(quoted: str, printed: list[Decimal]) -> bool:
    """A quoted number matches a printed one written as is or rounded to the quoted decimals."""
    places = Decimal(1).scaleb(-len(quoted.split(".")[1]))
    value = Decimal(quoted)
    # Rounding moves a number by half a place at most; only those near enough are rounded (quantizing
    # a far larger one, such as float64's 1.8e+308, to the quoted places exceeds Decimal's precision).
    near = (p for p in printed if abs(p - value) <= places)
    return any(p == value or p.quantize(places, rounding=mode) == value
               for p in near for mode in ("ROUND_HALF_UP", "ROUND_HALF_EVEN"))


def check_numbers(pages: dict[Path, docs_model.Page], root: Path) -> list[Problem]:
    """Results quoted in the prose that none of the page's included outputs prints."""
    problems = []
    for path, page in pages.items():
        where = _rel(path, root)
        text = page.text
        sources = set()
        for include in page.includes:  # a snippet: what it prints is in its recordings
            sources.update(engine.recordings(root / include.path))
        included = (docs_model.INCLUDE.match(line) for line in text.splitlines())
        sources.update(root / found["path"] for found in included if found)  # included tables
        printed = [abs(Decimal(number)) for source in sources if source.is_file()
                   for number in PRINTED_NUMBER.findall(source.read_text(encoding="utf-8"))]
        lists, found_problems = opt_outs("number", "NUMBER", "why it is not an output", text, where)
        problems += found_problems
        allowed = {number for numbers in lists for number in numbers.replace(",", " ").split()}
        for number, line in enumerate(prose(page, text, inline_code=True), 1):
            for quoted in QUOTED_RESULT.findall(line):
                if quoted not in allowed and not _matches(quoted, printed):
                    problems.append(Problem(
                        "number", f"{where}:{number}",
                        f"the prose quotes {quoted}, but no output this page includes prints it (rounded or not). "
                        "Quote the recorded output as it is now (re-recording changes outputs: re-read the prose "
                        "after `scripts/record.py`), or, for a number that is not an output, add "
                        f"`<!-- number-ok: {quoted} (reason) -->` to the page."))
    return problems


def check_search_also(pages: dict[Path, docs_model.Page], root: Path) -> list[Problem]:
    """`search-also` comments the build cannot attach to a section (scripts/mkdocs_hooks.py); a comment
    that only looks like one is reported with the other look-alikes, in `check`."""
    problems = []
    for path, page in pages.items():
        for line, heading, words in page.search_also():
            where = f"{_rel(path, root)}:{line}"
            if heading is None:
                problems.append(Problem(
                    "search-also", where,
                    "this comment names words that find a section, but it is not on the line right below a heading: "
                    "move it there, under the heading (`## Title { #anchor }`) of the section those words should find."))
            elif heading.anchor is None:
                problems.append(Problem(
                    "search-also", where,
                    "the heading above has no `{ #anchor }`, so the build cannot tell which section these words "
                    "find: give it one."))
            elif "data-search-exclude" in heading.text:
                problems.append(Problem(
                    "search-also", where,
                    "the heading above is left out of the search index (`data-search-exclude`), so these words "
                    "would find nothing: put them under a heading that the index has, or remove the line."))
            if not all(words):
                problems.append(Problem(
                    "search-also", where,
                    f"an empty word: write the words readers type, separated by commas, as in {SEARCH_ALSO_EXAMPLE}."))
    return problems


def check_glossary(root: Path, pages: dict[Path, docs_model.Page]) -> list[Problem]:
    path = root / "docs" / "reference" / "glossary.yml"
    if not path.exists():
        return []
    where = _rel(path, root)
    text = path.read_text(encoding="utf-8")
    try:
        data = glossary.load_yaml(text)
    except glossary.yaml.YAMLError as error:
        return [Problem("glossary", where, f"not valid YAML: {error}")]
    lines = glossary.entry_lines(text)
    problems = [Problem("glossary", f"{where}:{line}" if line else where, message)
                for line, message in glossary.located(data, root / "docs", lines)]
    if isinstance(data, dict):
        problems += check_terms(data, pages, root)
    return problems


LOOKS_GENERATED = re.compile(r"<!--\s*generated\b")
LOOKS_SEARCH_ALSO = re.compile(r"<!--.*search[-_ ]also")
SEARCH_ALSO_EXAMPLE = "`<!-- search-also: 找不到 GPU, 用不了显卡 -->`"


HOME_LISTS = ("learning-path", "topics")  # the sections of the home page that list every page of the nav


def _home_links(home: docs_model.Page) -> list[str] | None:
    """The pages that the sections HOME_LISTS of the home page link to, in order, each once (comments
    left out); None when the page lacks one of those sections."""
    lines = home.text.splitlines()
    sections = [heading for heading in home.headings if heading.level <= 2]
    listed = ["\n".join(lines[heading.line:following.line - 1 if following else len(lines)])
              for heading, following in zip(sections, [*sections[1:], None], strict=True)
              if heading.anchor in HOME_LISTS]
    if len(listed) != len(HOME_LISTS):
        return None
    targets = (link["target"].strip("<>") for link in docs_model.MARKDOWN_LINK.finditer(
        re.sub(r"<!--.*?-->", "", "\n".join(listed), flags=re.S)))
    return list(dict.fromkeys(target.removeprefix("./").partition("#")[0] for target in targets
                              if target.partition("#")[0].endswith(".md")))


def check_home(nav: list[NavEntry], pages: dict[Path, docs_model.Page], root: Path,
               docs: Path) -> list[Problem]:
    """The home page in each language lists every other page of the nav (`nav`: _mkdocs_nav's entries), in
    the nav's order, in its sections HOME_LISTS (its learning path, then what to read next)."""
    section_of: dict[str, str] = {}  # page -> its nav section, in the nav's order
    section = None
    for title, page, _line in nav:
        if page is None:
            section = title
        elif page != "index.md":
            section_of[page] = section or title
    order = list(section_of)
    problems = []
    for language in docs_model.LANGUAGES:
        home = pages.get(docs_model.translation_path("index", language, docs))
        if home is None:
            continue
        where = _rel(home.path, root)
        linked = _home_links(home)
        if linked is None:
            anchors = " and ".join(f"`{{ #{anchor} }}`" for anchor in HOME_LISTS)
            problems.append(Problem("home", where, f"has no sections headed {anchors}: the home page lists every "
                                                   "page of the nav there."))
            continue
        for index, page in enumerate(order):
            if page not in linked:
                previous = order[index - 1] if index else None
                place = (f"after the line for {previous}" if previous and section_of[previous] == section_of[page]
                         else "as its first line")
                problems.append(Problem(
                    "home", where,
                    f"does not link to {page}: add a line for it under {section_of[page]} (its section in the nav of "
                    f"mkdocs.yml), {place}: a link with its title, then a few words on what it teaches."))
        listed = [page for page in linked if page in section_of]
        expected = [page for page in order if page in listed]
        for shown, wanted in zip(listed, expected, strict=True):
            if shown != wanted:
                problems.append(Problem(
                    "home", where,
                    f"lists {shown} where the nav of mkdocs.yml has {wanted} ({section_of[wanted]}): keep the home "
                    "page's lists in the nav's order, so that each page sits under its section."))
                break
    return problems


def check_nav_translations(nav: tuple[list[NavEntry], dict[str, list[int]]] | None) -> list[Problem]:
    """Every Chinese title in the nav of mkdocs.yml (`nav`: what _mkdocs_nav returns) has its English title
    under nav_translations, once."""
    if nav is None or not nav[1]:
        return []  # no i18n configuration: nothing to translate
    entries, translated = nav
    problems = []
    for title, lines in translated.items():
        for line in lines[1:]:
            problems.append(Problem("nav", f"mkdocs.yml:{line}",
                                    f"{title!r} is translated twice under nav_translations (also line {lines[0]}): "
                                    "keep one, or the English nav shows the last."))
    for title, _page, line in entries:
        if title and re.search(r"[\u2e80-\u9fff\uff00-\uffef]", title) and title not in translated:  # Linux, GPU: as is
            problems.append(Problem("nav", f"mkdocs.yml:{line}",
                                    f"nav title {title!r} has no English title: add `{title}: TITLE` under "
                                    "nav_translations (the i18n plugin's `en` language), or the English nav shows it "
                                    "in Chinese."))
    return problems


def _directives(page: docs_model.Page) -> list[tuple[int, str]]:
    """(line, `NAME args`) of each generated line of a page."""
    return [(number, f"{found['name']}{found['args']}") for number, line in
            enumerate(page.text.splitlines(), 1) if (found := generated.DIRECTIVE.match(line))]


def _includes(page: docs_model.Page) -> list[tuple[int, str]]:
    return [(i.line, f"{i.path}:{i.section}" if i.section else i.path) for i in page.includes]


def _anchors(page: docs_model.Page) -> list[tuple[int, str]]:
    return [(h.line, str(h.anchor)) for h in page.headings]


def _difference(mine: str, ours: list[tuple[int, str]], other: str, theirs: list[tuple[int, str]],
                noun: str) -> tuple[str, str] | None:
    """Where a translation's (line, item) list first differs from the original's: (its location,
    what differs, naming both lines), or None when they agree."""
    a, b = [item for _, item in ours], [item for _, item in theirs]
    if a == b:
        return None
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    here = f"{mine}:{ours[i][0]}" if i < len(a) else mine
    there = f"{other}:{theirs[i][0]}" if i < len(b) else other
    if i < len(a) and i < len(b):
        return here, f"its {noun} no. {i + 1} is `{a[i]}` where {there} has `{b[i]}`"
    if i < len(a):
        return here, f"its {noun}s from no. {i + 1} on ({', '.join(a[i:])}) are not in {other}"
    return here, f"it lacks the {noun}s {', '.join(b[i:])} of {there}"


def check(root: Path = engine.ROOT) -> list[Problem]:
    docs, snippets_dir = root / "docs", root / "snippets"
    problems: list[Problem] = []
    pages = {path: docs_model.parse_page(path) for path in docs_model.all_pages(docs)}
    by_key: dict[str, dict[str, docs_model.Page]] = {}
    for path, page in pages.items():
        by_key.setdefault(docs_model.page_key(path, docs), {})[page.language] = page

    snippets: dict[str, engine.Snippet] = {}
    unreadable: set[str] = set()  # snippets with a marker or header mistake: their recordings are not orphans
    for path in sorted(snippets_dir.rglob("*.py")):
        try:
            snippets[_rel(path, root)] = engine.parse_snippet(path)
        except engine.SnippetError as error:
            problems.append(Problem("snippet", _rel(path, root), str(error)))
            unreadable.add(_rel(path, root))

    data_error = None  # the install data is read by many pages' generated lines: report its problems once
    data_file = root / "docs" / "install" / "install.yml"
    if data_file.exists():
        import install_data

        try:
            install_data.load(data_file)
        except install_data.InstallDataError as error:
            data_error = str(error).partition(": ")[2]
            problems.append(Problem("generated", _rel(data_file, root), data_error))
    shown: dict[str, set[str | None]] = {}
    for path, page in pages.items():
        where = _rel(path, root)
        source = page.text
        for number, line in enumerate(source.splitlines(), 1):
            found = TYPED_COMMAND.search(line)
            if found and not generated.DIRECTIVE.match(line):
                problems.append(Problem(
                    "typed-command", f"{where}:{number}",
                    f"`{found.group(0)}` is typed into the page. Install and set-up commands are generated from "
                    "docs/install/install.yml: use a `<!-- generated: install-... -->` line (see scripts/install_data.py), "
                    "or describe the step in words."))
        try:
            generated.expand(source, page.language, where)
        except generated.DirectiveError as error:
            at, _, message = str(error).partition(": ")
            if data_error is None or data_error not in message:
                problems.append(Problem("generated", at if at.startswith(where) else where, message))
        problems += [Problem("include", f"{where}:{line}", message)
                     for line, message in docs_model.include_mistakes(page, source)]
        for number, line in enumerate(source.splitlines(), 1):
            if LOOKS_GENERATED.match(line.strip()) and not generated.DIRECTIVE.match(line):
                problems.append(Problem(
                    "generated", f"{where}:{number}",
                    "this comment looks like generated content but is not written as such, so the page shows "
                    "nothing here: write `<!-- generated: NAME key=value -->` on a line of its own, with one space "
                    "after `<!--` and before `-->`."))
            if LOOKS_SEARCH_ALSO.search(line) and not docs_model.SEARCH_ALSO.match(line):
                problems.append(Problem(
                    "search-also", f"{where}:{number}",
                    f"this comment is not read as a search-also line: write it on a line of its own, as {SEARCH_ALSO_EXAMPLE}."))
            if any(marker in line for marker in new_page.PLACEHOLDERS):
                problems.append(Problem(
                    "placeholder", f"{where}:{number}",
                    "the placeholder text from scripts/new_page.py is still here: replace it with your own prose."))
        key = docs_model.page_key(path, docs)
        for fence in page.fences:
            if not fence.is_include_only:
                problems.append(Problem(
                    "typed-code", f"{where}:{fence.line}",
                    "this code block is typed into the page, so nothing tests it. Put the code in "
                    f"snippets/{key}.py between `# --8<-- [start:NAME]` and `# --8<-- [end:NAME]`, "
                    f'and write only `--8<-- "snippets/{key}.py:NAME"` inside the block.'))
        last_index: dict[str, int] = {}
        for include in page.includes:
            at = f"{where}:{include.line}"
            mirror_ok = include.path.startswith((f"snippets/{key}.", f"snippets/{key}/"))
            if not mirror_ok:
                problems.append(Problem(
                    "mirror", at,
                    f"{include.path} does not mirror this page. Code for docs/{key}.md lives in "
                    f"snippets/{key}.py (or snippets/{key}/<name>.py): move it there."))
            target = root / include.path
            if not target.exists():
                problems.append(Problem("missing-include", at, docs_model.missing_file(include.path, key)))
                continue
            shown.setdefault(include.path, set()).add(include.section)
            snippet = snippets.get(include.path)
            if snippet is None or include.section is None:
                continue
            if include.section not in snippet.sections:
                problems.append(Problem("missing-include", at, engine.missing_section(snippet, include.section, where)))
                continue
            index = snippet.sections.index(include.section)
            # order is the original page's business; a translation that differs from it is a `translation` problem
            is_original = docs_model.language_of(path) == docs_model.LANGUAGES[0]
            if is_original and index < last_index.get(include.path, -1):
                problems.append(Problem(
                    "order", at,
                    f"section {include.section!r} comes before {snippet.sections[last_index[include.path]]!r} in "
                    f"{include.path} but after it on the page. Reorder the sections in the file to follow the page."))
            last_index[include.path] = index

    for name, snippet in snippets.items():
        sections_shown = shown.get(name)
        if sections_shown is None:
            problems.append(Problem(
                "orphan", name,
                "no page includes this snippet. Include its sections in the page it mirrors, or delete it."))
            continue
        if None in sections_shown:
            continue  # the whole file is shown
        for section in snippet.sections:
            if section not in sections_shown:
                problems.append(Problem(
                    "orphan", f"{name}:{snippet.spans[section][0] - 1}",
                    f"section {section!r} is not included by any page. Include it, or remove its markers and code."))
    for recording in sorted(snippets_dir.rglob("*.out")):
        stem, _, profile = recording.name[: -len(".out")].rpartition(".")
        source = recording.with_name(f"{stem}.py")
        snippet = snippets.get(_rel(source, root))
        if _rel(source, root) in unreadable:
            continue  # reported above: fix the snippet, not its recording
        if snippet is None or profile not in snippet.profiles:
            problems.append(Problem(
                "orphan", _rel(recording, root),
                f"recording without a snippet that declares profile {profile!r} ({_rel(source, root)}). Delete it."))

    problems += check_glossary(root, pages)
    problems += check_numbers(pages, root)
    problems += check_search_also(pages, root)

    config_nav = _mkdocs_nav(root)  # mkdocs.yml, read once for the nav checks
    problems += check_nav_translations(config_nav)
    nav = None if config_nav is None else {page for _title, page, _line in config_nav[0] if page}
    if config_nav is not None:
        problems += check_home(config_nav[0], pages, root, docs)
    for key, languages in sorted(by_key.items()):
        for language in docs_model.LANGUAGES:
            if language not in languages:
                present = next(iter(languages.values()))
                missing = _rel(docs_model.translation_path(key, language, docs), root)
                problems.append(Problem(
                    "translation", _rel(present.path, root),
                    f"has no {language} translation: create {missing} with the same headings, anchors and includes."))
        default = languages.get(docs_model.LANGUAGES[0])
        if nav is not None and default is not None and f"{key}.md" not in nav:
            problems.append(Problem("nav", _rel(default.path, root), f"is not in the nav of mkdocs.yml: add `{key}.md` there."))
        for page in languages.values():
            seen: dict[str, int] = {}
            for heading in page.headings:
                if heading.anchor in seen:
                    problems.append(Problem(
                        "anchor", f"{_rel(page.path, root)}:{heading.line}",
                        f"anchor {heading.anchor!r} is also on line {seen[heading.anchor]}: links to it would land on "
                        "the first. Give each heading its own `{ #id }`."))
                if heading.anchor:
                    seen.setdefault(heading.anchor, heading.line)
                if heading.anchor is None:
                    problems.append(Problem(
                        "anchor", f"{_rel(page.path, root)}:{heading.line}",
                        f"heading {heading.text!r} has no explicit anchor. End it with `{{ #some-id }}`, "
                        "the same id in every language."))
        if default is None:
            continue
        for page in languages.values():
            if page is default:
                continue
            compared = (
                ("translation", "include", _includes,
                 "Both languages show the same sections in the same order: make the two pages agree (a section "
                 "name the snippet lacks is also reported as missing-include)."),
                ("translation", "generated line", _directives,
                 "Both languages show the same generated content: change the line in both."),
                ("anchor", "heading anchor", _anchors,
                 "Use the same `{ #id }` on the same headings, in the same order, in both languages."),
            )
            for check_name, noun, items, fix in compared:
                found = _difference(_rel(page.path, root), items(page), _rel(default.path, root), items(default), noun)
                if found:
                    problems.append(Problem(check_name, found[0], f"{found[1]}. {fix}"))
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s). Each line names the file and the fix.", file=sys.stderr)
        return 1
    print("site consistency: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
