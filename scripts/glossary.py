"""The glossary, generated from the one data file `docs/reference/glossary.yml`.

The glossary page writes `<!-- generated: glossary -->`; the MkDocs hook (through
scripts/generated.py) replaces it with the table for the page's language. The same data drives the
`glossary` and `term` checks in scripts/check_site.py: every `see` must name a heading anchor that
exists in both languages, and Chinese pages must not use a variant listed under `avoid`.

`python scripts/glossary.py` validates the data file and prints each term.

An entry:

    - en: leaf tensor                  # the English term, as English pages write it
      zh: 叶子张量                      # the Chinese term; omit it with `english-in-zh: true`
      define:                          # one line each
        zh: 计算图的起点：……
        en: A tensor at the start of the graph: ...
      see: basics/autograd.md#leaf-tensors   # the page (under docs/) and heading anchor that explain it
      avoid: [叶张量]                   # optional: Chinese variants that pages should not use
      english-in-zh: true              # optional: Chinese prose keeps the English term (CUDA, state_dict)
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import yaml

# libyaml's parser where PyYAML has it (the wheels do): the build reads this file several times, and
# the pure-Python parser took about a twentieth of a build doing so.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "reference" / "glossary.yml"
KEYS = {"en", "zh", "define", "see", "avoid", "english-in-zh"}
PAGE = "reference/glossary.md"  # where the table is shown: `see` links are relative to it

L = {
    "zh": {"term": "术语", "other": "English", "define": "释义", "see": "详见", "english": "不译"},
    "en": {"term": "Term", "other": '<span lang="zh">中文</span>', "define": "Definition", "see": "Explained in",
           "english": "kept in English"},
}


class GlossaryError(ValueError):
    pass


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def zh_term(entry: dict) -> str:
    return entry["en"] if entry.get("english-in-zh") else entry["zh"]


def see_location(see: str) -> str:
    """A `see` value as the section's address in the built site, relative to its language's root, as
    the search index writes it: basics/tensors.md#shape-and-dtype -> basics/tensors/#shape-and-dtype,
    install/index.md#x -> install/#x."""
    page, _, anchor = see.partition("#")
    return docs_model.page_url(page.removesuffix(".md")) + (f"#{anchor}" if anchor else "")


def term(entry: dict, language: str) -> str:
    return entry["en"] if language == "en" else zh_term(entry)


def label(index: int, entry, lines: list[int] | None = None) -> str:
    name = entry.get("en") if isinstance(entry, dict) else None
    line = f"line {lines[index]}" if lines and index < len(lines) else None
    details = ", ".join(x for x in (name, line) if x)
    return f"entry {index + 1} ({details})" if details else f"entry {index + 1}"


def load_yaml(text: str):
    """The data; for a mistake, the pure-Python parser's message, which quotes the lines around it
    (libyaml's names only a line and column)."""
    try:
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def entry_lines(text: str) -> list[int]:
    """The line each entry of `terms:` starts on (1-based), for messages; [] if the text is not YAML."""
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return []
    for key, value in getattr(root, "value", []) if isinstance(root, yaml.MappingNode) else []:
        if key.value == "terms" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


@functools.lru_cache(maxsize=64)
def _headings(path: Path, mtime: float) -> dict[str, str]:
    """anchor -> heading text (without its `{ #id }`) of one page."""
    page = docs_model.parse_page(path)
    return {h.anchor: h.title for h in page.headings if h.anchor}


def headings(path: Path) -> dict[str, str]:
    return _headings(path, path.stat().st_mtime)


def validate(data, docs: Path = docs_model.DOCS, lines: list[int] | None = None) -> list[str]:
    """Every problem in the data, each naming the entry (and its line, given `lines`) and the fix."""
    return [message for _line, message in located(data, docs, lines)]


def located(data, docs: Path = docs_model.DOCS, lines: list[int] | None = None) -> list[tuple[int | None, str]]:
    """validate()'s problems, each with the line of its entry (given `lines`; else None)."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return [(None, "the file must hold a mapping with a `terms:` list")]
    problems: list[str] = []
    entry_of: list[int] = []  # for each problem, the index of its entry
    seen: dict[str, str] = {}
    for index, entry in enumerate(data["terms"]):
        entry_of += [index - 1] * (len(problems) - len(entry_of))  # the previous entry's problems
        where = label(index, entry, lines)
        if not isinstance(entry, dict):
            problems.append(f"{where}: is not a mapping; write `- en: ...` with `zh`, `define`, `see` under it")
            continue
        for key in sorted(set(entry) - KEYS):
            problems.append(f"{where}: unknown key {key!r}; the keys are {', '.join(sorted(KEYS))}")
        english_kept = entry.get("english-in-zh", False)
        if english_kept not in (True, False):
            problems.append(f"{where}: `english-in-zh` must be true or false")
        names = [("en", entry.get("en"))]
        if english_kept is True:
            if "zh" in entry and entry["zh"] != entry.get("en"):
                problems.append(f"{where}: has `english-in-zh: true` and a different `zh`; remove one of them")
        else:
            names.append(("zh", entry.get("zh")))
        for key, value in names:
            if not isinstance(value, str) or not value.strip():
                fix = "add the Chinese term, or `english-in-zh: true` if Chinese prose keeps the English one" \
                    if key == "zh" else "add the English term"
                problems.append(f"{where}: `{key}` is missing or empty; {fix}")
                continue
            if value != value.strip():
                problems.append(f"{where}: `{key}` {value!r} has surrounding spaces; remove them")
            found = seen.get(f"{key}:{value.lower()}")
            if found:
                problems.append(f"{where}: `{key}` {value!r} is already the term of {found}; merge the two entries")
            seen[f"{key}:{value.lower()}"] = where
        define = entry.get("define")
        if not isinstance(define, dict):
            problems.append(f"{where}: `define` must have a one-line `zh` and `en` definition")
        else:
            for language in docs_model.LANGUAGES:
                text = define.get(language)
                if not isinstance(text, str) or not text.strip():
                    problems.append(f"{where}: `define.{language}` is missing; add a one-line definition")
                elif "\n" in text.strip() or "|" in text:
                    problems.append(f"{where}: `define.{language}` must be one line without `|`")
        avoid = entry.get("avoid")
        if avoid is not None and not isinstance(avoid, list):
            problems.append(f"{where}: `avoid` must be a list, e.g. `avoid: [{avoid if isinstance(avoid, str) else '核函数'}]`")
        for variant in avoid if isinstance(avoid, list) else []:
            if not isinstance(variant, str) or not variant.strip():
                problems.append(f"{where}: `avoid` must be a list of non-empty strings")
            elif isinstance(entry.get("zh"), str) and variant == entry["zh"]:
                problems.append(f"{where}: `avoid` lists the term itself ({variant!r}); remove it")
        problems += _validate_see(where, entry.get("see"), docs)
    entry_of += [len(data["terms"]) - 1] * (len(problems) - len(entry_of))
    return [(lines[i] if lines and i < len(lines) else None, message) for i, message in zip(entry_of, problems, strict=True)]


def _validate_see(where: str, see, docs: Path) -> list[str]:
    if not isinstance(see, str) or "#" not in see or not see.split("#", 1)[0].endswith(".md"):
        return [f"{where}: `see` must be `section/page.md#anchor` (a page under docs/ and one of its heading anchors), "
                f"not {see!r}"]
    page, anchor = see.split("#", 1)
    key = page[: -len(".md")]
    problems = []
    for language in docs_model.LANGUAGES:
        path = docs_model.translation_path(key, language, docs)
        if not path.exists():
            problems.append(f"{where}: `see` names {page}, but docs/{_rel(path, docs)} does not exist; "
                            "fix the path (relative to docs/)")
            continue
        anchors = headings(path)
        if anchor not in anchors:
            problems.append(f"{where}: `see` anchor #{anchor} is not a heading anchor of docs/{_rel(path, docs)}; "
                            f"use one of: {', '.join('#' + a for a in anchors)}")
    return problems


@functools.lru_cache(maxsize=4)
def _parse(path: Path, mtime: float):
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise GlossaryError(f"{_rel(path, ROOT)}: not valid YAML: {error}") from error


def load(path: Path = DATA, docs: Path = docs_model.DOCS) -> dict:
    """The validated data. Validated on every call: a page's headings may change while the file does not."""
    data = _parse(path, path.stat().st_mtime)
    problems = validate(data, docs)
    if problems:  # again, with each entry's line for the message
        problems = validate(data, docs, entry_lines(path.read_text(encoding="utf-8")))
        raise GlossaryError(f"{_rel(path, ROOT)}: " + "; ".join(problems))
    return data


def sorted_terms(data: dict) -> list[dict]:
    """By English term, case-insensitively: a Chinese reader who met the English word finds it too."""
    return sorted(data["terms"], key=lambda e: e["en"].lower())


def _link(see: str, language: str, docs: Path) -> str:
    page, anchor = see.split("#", 1)
    key = page[: -len(".md")]
    names = headings(docs_model.translation_path(key, language, docs))
    top = next(iter(names.values()))
    text = top if names[anchor] == top else f"{top} › {names[anchor]}"
    target = Path("..") / page if not page.startswith("reference/") else Path(page).relative_to("reference")
    return f"[{text}]({target.as_posix()}#{anchor})"


def render(language: str) -> str:
    """The glossary table for the glossary page in `language` (in a .site-glossary box: on a phone
    site.css shows each row as a card). Chinese on the English page is marked lang="zh", so that
    it is drawn with a Simplified Chinese font and read out as Chinese."""
    data, t = load(), L[language]
    rows = [f"| {t['term']} | {t['other']} | {t['define']} | {t['see']} |", "| --- | --- | --- | --- |"]
    for entry in sorted_terms(data):
        name, other = f"**{term(entry, language)}**", term(entry, "en" if language == "zh" else "zh")
        if language != "zh" and not entry.get("english-in-zh"):  # CUDA stays English in Chinese too
            other = f'<span lang="zh">{other}</span>'
        if entry.get("english-in-zh"):
            if language == "zh":
                name += f"（{t['english']}）"
            else:
                other += f" ({t['english']})"
        rows.append(f"| {name} | {other} | {entry['define'][language].strip()} | "
                    f"{_link(entry['see'], language, docs_model.DOCS)} |")
    return '<div class="site-glossary" markdown>\n\n' + "\n".join(rows) + "\n\n</div>"


def main() -> int:
    try:
        data = load()
    except GlossaryError as error:
        print(error, file=sys.stderr)
        return 1
    for entry in sorted_terms(data):
        print(f"{entry['en']:28} {zh_term(entry):12} {entry['see']}")
    print(f"\n{_rel(DATA, ROOT)}: ok, {len(data['terms'])} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
