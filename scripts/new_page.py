"""Start a new page: both languages, its snippet with one section, the recorded output, nav entries.

    python scripts/new_page.py basics/dtypes --zh "数据类型" --en "Data types" --section 张量与自动求导
    python scripts/new_page.py reference/faq --zh "常见问答" --en "FAQ" --section 参考 --section-en Reference
    python scripts/new_page.py basics/graph-passes --zh "图变换" --en "Graph passes" --after basics/fx

Creates docs/<page>.md (Chinese), docs/<page>.en.md (English) and snippets/<page>.py, records the
snippet's output (snippets/<page>.cpu.out), and adds the page to the nav of mkdocs.yml, with its
English title under nav_translations: at the end of the nav section given by --section, or right
after the page given by --after; by default, at the end of the section holding the other pages of
the same folder, if they are all in one. Everything it writes passes `scripts/check_site.py` except
its `placeholder` check, which lists the placeholder paragraphs until you replace them (and the
code) with yours, and its `home` check, which asks for the page's line on the home page (its
sections #learning-path and #topics) in each language.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import record  # noqa: E402
import snippet_engine as engine  # noqa: E402

PAGE = {
    "zh": """# {title} {{ #{anchor} }}

（用一两句话告诉读者这一页讲什么、读完能做什么。这一段也是搜索结果里显示的摘要。）

## 第一步 {{ #first-step }}

（解释下面这段代码做了什么。代码来自 `snippets/{key}.py` 的 `first-step` 段，输出由 `scripts/record.py` 记录，会自动显示在代码下方。）

```python
--8<-- "snippets/{key}.py:first-step"
```
""",
    "en": """# {title} {{ #{anchor} }}

(One or two sentences: what this page covers and what the reader can do afterwards. This
paragraph is also the summary shown in search results.)

## First step {{ #first-step }}

(Explain what the code below does. It is the `first-step` section of `snippets/{key}.py`; its output
is recorded by `scripts/record.py` and shown under the code automatically.)

```python
--8<-- "snippets/{key}.py:first-step"
```
""",
}
# The start of each placeholder paragraph above: scripts/check_site.py reports a page that still has one.
PLACEHOLDERS = ("（用一两句话告诉读者", "（解释下面这段代码做了什么", "(One or two sentences: what this page covers",
                "(Explain what the code below does.")
SNIPPET = """# profiles: cpu
import torch

torch.manual_seed(0)

# --8<-- [start:first-step]
x = torch.arange(6).reshape(2, 3)
print(x)
# --8<-- [end:first-step]
"""


class ScaffoldError(Exception):
    pass


def bare_page(name: str) -> str:
    """A page as the nav and this script name it: docs/basics/fx.en.md and basics/fx.md are basics/fx."""
    return re.sub(r"(\.[a-z]{2})?\.(md|py)$", "", name.removeprefix("docs/").removeprefix("snippets/"))


def add_to_nav(config: str, key: str, title: str, title_en: str, section: str | None, section_en: str | None,
               after: str | None = None) -> str:
    """mkdocs.yml's text with the page added to its nav section (at its end, or after the page `after`) and its
    titles translated."""
    lines = config.splitlines()
    try:
        nav = lines.index("nav:")
    except ValueError as error:
        raise ScaffoldError("mkdocs.yml has no top-level `nav:`") from error
    end = next((i for i in range(nav + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines))
    folder = key.rsplit("/", 1)[0] if "/" in key else None
    current, sections, holding, pages = None, {}, [], {}  # pages: the nav's page -> (its section, its line)
    for i in range(nav + 1, end):
        found = re.match(r"^  - ([^:]+):\s*$", lines[i])
        if found:
            current = found.group(1)
            sections[current] = [i, i]
        elif current and lines[i].startswith("      - "):
            sections[current][1] = i
            if folder and f": {folder}/" in lines[i] and current not in holding:
                holding.append(current)
            pages[bare_page(lines[i].rsplit(": ", 1)[-1])] = current, i
    previous = pages.get(after) if after else None
    for number, line in enumerate(lines[nav + 1:end], nav + 2):
        if re.match(rf"^\s+- {re.escape(title)}:", line):
            raise ScaffoldError(f"mkdocs.yml:{number} already has a nav entry titled {title!r}: choose another --zh title "
                                "(nav_translations translates by title, so two pages cannot share one)")
    if after:
        if previous is None:
            close = difflib.get_close_matches(after, list(pages), n=1)
            raise ScaffoldError(f"--after {after}: no page in the nav of mkdocs.yml is {after}.md; "
                                + (f"did you mean {close[0]}?" if close else "name one as the nav does, e.g. basics/fx"))
        if section not in (None, previous[0]):
            raise ScaffoldError(f"--after {after}: that page is in nav section {previous[0]!r}, not {section!r}; "
                                "leave out --section")
        if section_en:
            raise ScaffoldError(f"--after {after}: the page joins nav section {previous[0]!r}, which has its English "
                                "title already; leave out --section-en")
        section = previous[0]
    if section is None and len(holding) > 1:
        raise ScaffoldError(f"the pages of {folder}/ are in several nav sections ({', '.join(holding)}): "
                            "name the one for this page with --section")
    if section is None and holding:
        section = holding[0]
    entry = f"      - {title}: {key}.md"
    translations = [f"{title}: {title_en}"]
    if section in sections:
        lines.insert((previous[1] if previous else sections[section][1]) + 1, entry)
    else:
        if not section:
            raise ScaffoldError(f"no nav section holds pages of {folder or 'the top level'}/: name one with --section")
        if not section_en:
            raise ScaffoldError(f"nav section {section!r} is new: give its English title with --section-en, or name "
                                f"one of the existing sections ({', '.join(sections)})")
        while end > nav + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = [f"  - {section}:", entry]
        translations.insert(0, f"{section}: {section_en}")
    text = "\n".join(lines) + "\n"
    found = re.search(r"^(\s+)nav_translations:\n", text, re.M)
    if not found:
        raise ScaffoldError("mkdocs.yml has no `nav_translations:` under the English language of the i18n plugin")
    indent = found.group(1) + "  "
    block_end = found.end()
    for line in text[found.end():].splitlines(True):
        if not line.startswith(indent):
            break
        block_end += len(line)
    addition = "".join(f"{indent}{t}\n" for t in translations)
    return text[:block_end] + addition + text[block_end:]


def scaffold(root: Path, key: str, title: str, title_en: str, section: str | None = None,
             section_en: str | None = None, after: str | None = None) -> list[Path]:
    if key.startswith(("docs/", "snippets/")):
        raise ScaffoldError(f"page {key!r}: name it without the folder, as `{bare_page(key)}`")
    if not re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", key):
        raise ScaffoldError(f"page {key!r}: use lower-case words with hyphens, e.g. basics/data-types")
    for name, value in (("--zh", title), ("--en", title_en), ("--section", section), ("--section-en", section_en)):
        if value is not None and (not value.strip() or re.search(r":|\s#", value) or value.strip()[0] in "-?[]{}&*!|>'\"%@`,#"):
            raise ScaffoldError(f"{name} {value!r}: a nav title in mkdocs.yml cannot contain ':' or ' #' or start with "
                                "a YAML sign; write it another way (in Chinese, '：' is fine)")
    docs, snippet = root / "docs" / f"{key}.md", root / "snippets" / f"{key}.py"
    pages = {"zh": docs, "en": docs.with_suffix(".en.md")}
    for path in (*pages.values(), snippet):
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} already exists: choose another name")
    if after:
        after = bare_page(after)
    config_path = root / "mkdocs.yml"
    config = add_to_nav(config_path.read_text(encoding="utf-8"), key, title, title_en, section, section_en, after)
    anchor = key.rsplit("/", 1)[-1]
    for language, path in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE[language].format(title=title if language == "zh" else title_en, anchor=anchor, key=key),
                        encoding="utf-8")
    snippet.parent.mkdir(parents=True, exist_ok=True)
    snippet.write_text(SNIPPET, encoding="utf-8")
    record.record(snippet, "cpu")
    config_path.write_text(config, encoding="utf-8")
    return [*pages.values(), snippet, engine.parse_snippet(snippet).recording_path("cpu"), config_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="the page without language or suffix, e.g. basics/dtypes")
    parser.add_argument("--zh", required=True, help="Chinese title (also the nav entry)")
    parser.add_argument("--en", required=True, help="English title")
    parser.add_argument("--section", help="nav section (Chinese title); default: where the folder's pages are "
                        "(required when they are in several sections)")
    parser.add_argument("--section-en", help="English title of a new nav section")
    parser.add_argument("--after", help="put the page right after this one in the nav (and in its section), "
                        "e.g. basics/fx; default: at the end of its section")
    args = parser.parse_args(argv)
    try:
        written = scaffold(engine.ROOT, args.page, args.zh, args.en, args.section, args.section_en, args.after)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(engine.ROOT)}")
    print("next: write the prose in both pages and the code in the snippet, then run "
          f"`{engine.PYTHON} scripts/record.py snippets/{args.page}.py` and `scripts/test.sh -k {args.page}`; "
          "give the page its line on the home page (docs/index.md, docs/index.en.md), under its nav section")
    return 0


if __name__ == "__main__":
    sys.exit(main())
