"""Typeset TeX with KaTeX at build time: `typeset(r"\\frac{a}{b}", display=True)` returns KaTeX's HTML.

The build uses it to check every formula (scripts/mkdocs_hooks.py, check_math): a TeX mistake fails
the build, naming the page and the formula with KaTeX's reason, instead of showing red text to
readers; and it writes each formula into the search index as plain text (as_text, through
mkdocs_hooks.searchable_math), so that search results never show TeX. The pages themselves still
typeset their formulas in the browser, each as it comes near the viewport
(docs/assets/katex-init.js): typeset in advance, basics/autograd's formulas would double its
elements (1,600 -> 3,500; Lighthouse mobile 90 -> 79). KaTeX is the copy vendored in
docs/assets/katex/, the same the browser runs, run here in QuickJS (the `quickjs` wheel pinned in
requirements.txt), so the build needs no Node.js.
"""

from __future__ import annotations

import functools
from pathlib import Path

KATEX_JS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "katex" / "katex.min.js"


class KatexError(ValueError):
    """KaTeX could not typeset a formula; the message is KaTeX's (what is wrong, and where)."""


@functools.cache
def _renderer():
    import quickjs

    context = quickjs.Context()
    context.eval("var self = globalThis;")  # katex.min.js is a UMD bundle: without module or define it sets self.katex
    context.eval(KATEX_JS.read_text(encoding="utf-8"))
    return context.eval("(function (tex, display, output) {"
                        " return katex.renderToString(tex, {displayMode: display, output: output, throwOnError: true}); })")


@functools.cache
def typeset(tex: str, display: bool, output: str = "htmlAndMathml") -> str:
    """KaTeX's HTML (with MathML for screen readers) for one formula; KatexError if it has a mistake.
    `output="mathml"`: the MathML alone."""
    import quickjs

    try:
        return _renderer()(tex, display, output)
    except quickjs.JSException as error:
        message = str(error).splitlines()[0].removeprefix("ParseError: ")
        raise KatexError(message) from None


def as_text(tex: str) -> str:
    """A formula as plain text, for search results, from KaTeX's MathML: `\\frac{1}{n}` becomes
    `1/n`, `10^{-7}` `10^(-7)`, `a_i` `a_i`, `\\operatorname{SiLU}(x) = x\\,\\sigma(x)` `SiLU(x) = xσ(x)`."""
    import re
    import xml.etree.ElementTree as ET

    def group(node) -> str:  # a script or fraction part other than a plain name or number gets brackets
        text = walk(node)
        return text if re.fullmatch(r"[A-Za-z0-9.]*|.", text) else f"({text})"

    def walk(node) -> str:
        tag, kids = node.tag.rsplit("}", 1)[-1], list(node)
        if tag == "annotation":
            return ""
        if tag in ("mover", "munder") and walk(kids[1]) in ACCENTS:
            return walk(kids[0])  # \\hat x, \\underbrace{x}: the accent or brace is no script
        if tag in ("msup", "mover"):
            sup = walk(kids[1])
            return walk(kids[0]) + (sup if sup and sup in "′″‴" else "^" + group(kids[1]))
        if tag in ("msub", "munder"):
            base = walk(kids[0])
            return base + "_" + group(kids[1]) + (" " if base and base in "∑∏∫" else "")  # ∑_i x_i
        if tag in ("msubsup", "munderover"):
            return walk(kids[0]) + "_" + group(kids[1]) + "^" + group(kids[2]) + " "  # ∑_(i = 1)^n b_i
        if tag == "mfrac":
            return group(kids[0]) + "/" + group(kids[1])
        if tag == "msqrt":
            return "√" + group(kids[0]) if len(kids) == 1 else "√(" + "".join(walk(k) for k in kids) + ")"
        if tag == "mo":
            text = (node.text or "").strip().replace("\u2061", "")  # function application: invisible
            return {",": ", "}.get(text, f" {text} " if text and text in "=≤≥<>≈≠→" else text)
        text = (node.text or "").strip()
        if tag == "mi" and len(text) > 1:
            return f" {text} "  # a function name: sin x_i
        return text + "".join(walk(kid) for kid in kids)

    mathml = typeset(tex, display=False, output="mathml")
    text = walk(ET.fromstring(mathml[mathml.index("<math"):mathml.rindex("</math>") + len("</math>")]))
    text = " ".join(text.split()).translate(TYPED)
    return re.sub(r"(?<=\w) (?=\()|(?<=\() | (?=\))", "", text)  # SiLU(x), not SiLU (x)


ACCENTS = set("⏟⏞^ˉ~˜→˙¨ˇ˘´`¯‾")  # what \\underbrace, \\overbrace, \\hat, \\bar, \\vec ... put under or over
TYPED = str.maketrans({"−": "-", "∣": "|"})  # as a reader types them into the search box
