"""Typeset TeX with KaTeX at build time: `typeset(r"\\frac{a}{b}", display=True)` returns KaTeX's HTML.

The build uses it to check every formula (scripts/mkdocs_hooks.py, check_math): a TeX mistake fails
the build, naming the page and the formula with KaTeX's reason, instead of showing red text to
readers. The pages themselves still typeset their formulas in the browser, each as it comes near
the viewport (docs/assets/katex-init.js): typeset in advance, basics/autograd's formulas would
double its elements (1,600 -> 3,500; Lighthouse mobile 90 -> 79). KaTeX is the copy vendored in
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
    return context.eval("(function (tex, display) {"
                        " return katex.renderToString(tex, {displayMode: display, throwOnError: true}); })")


@functools.cache
def typeset(tex: str, display: bool) -> str:
    """KaTeX's HTML (with MathML for screen readers) for one formula; KatexError if it has a mistake."""
    import quickjs

    try:
        return _renderer()(tex, display)
    except quickjs.JSException as error:
        message = str(error).splitlines()[0].removeprefix("ParseError: ")
        raise KatexError(message) from None
