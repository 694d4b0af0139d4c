"""docs/reference/errors*.md: the messages it lists but shows elsewhere are the ones those pages show.

Its own sections show each message through an include (tests/test_snippets.py runs them). The last
two sections only point elsewhere: a row of the table or a bullet quotes a message and links the
section that explains it. This test reads that section of the linked page, with the output of every
snippet section it includes, and the quoted message must be in it, so that a quote cannot drift from
what the site shows, nor point to the wrong section.
"""

import re

import pytest

import docs_model
import snippet_engine as engine

LINK = re.compile(r"\]\(([^)#]*\.md)#([\w-]+)\)")
CODE = re.compile(r"`([^`]+)`")


def _section(page: docs_model.Page, anchor: str) -> tuple[str, list[docs_model.Include]]:
    """The Markdown of the section headed `{ #anchor }` up to the next heading of its level or
    higher, and the includes in it."""
    lines = page.text.splitlines()
    start = next((h for h in page.headings if h.anchor == anchor), None)
    assert start, f"{page.path}: no heading with {{ #{anchor} }}"
    end = next((h.line for h in page.headings if h.line > start.line and h.level <= start.level), len(lines) + 1)
    includes = [i for fence in page.fences for i in fence.includes if start.line < i.line < end]
    return "\n".join(lines[start.line - 1:end - 1]), includes


def _shown(page: docs_model.Page, anchor: str) -> str:
    """What a reader of that section sees: its Markdown and the recorded output of its includes."""
    text, includes = _section(page, anchor)
    for include in includes:
        for recording in engine.recordings(engine.ROOT / include.path):
            text += "\n" + engine.parse_recording(recording).outputs.get(include.section, "")
    return text


def _quotes(page: docs_model.Page, anchor: str) -> list[tuple[str, str, str]]:
    """(message, linked page, anchor) for each table row (code spans of its first cell) and each
    bullet (its first code span) of the section that links another page."""
    quotes = []
    for line in _section(page, anchor)[0].splitlines():
        link = LINK.search(line)
        if not link:
            continue
        if line.startswith("|"):
            messages = CODE.findall(line.split("|")[1])
        elif line.startswith("- "):
            messages = CODE.findall(line)[:1]
        else:
            continue
        quotes += [(message, *link.groups()) for message in messages]
    return quotes


@pytest.mark.parametrize("language", docs_model.LANGUAGES)
def test_each_message_quoted_is_shown_by_the_section_it_links(language):
    path = docs_model.translation_path("reference/errors", language)
    page = docs_model.parse_page(path)
    quotes = _quotes(page, "on-the-gpu") + _quotes(page, "elsewhere")
    assert len(quotes) >= 12, f"{engine.rel(path)}: found only {quotes}"
    wrong = []
    for message, target, anchor in quotes:
        key = docs_model.page_key((path.parent / target).resolve())
        linked = docs_model.parse_page(docs_model.translation_path(key, language))
        if message not in _shown(linked, anchor):
            wrong.append(f"`{message}` → {key}#{anchor}")
    assert not wrong, (f"{engine.rel(path)}: these messages are not what the linked section shows (its text or the output of "
                       "its includes); quote the message as that section shows it, or link the section that "
                       "shows it:\n" + "\n".join(wrong))
