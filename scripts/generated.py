"""Page content generated from data files: `<!-- generated: NAME key=value ... -->` on a line of its own.

A page that shows data (the glossary table, install commands) writes one comment-shaped line where
the content goes, so the raw Markdown reads cleanly on GitHub; the MkDocs hook replaces it with what
the renderer named in RENDERERS returns for the page's language. The data lives in a data file that
the renderer reads; nothing generated is committed.

A renderer is a function `render(language: str, **args: str) -> str` returning Markdown.
"""

from __future__ import annotations

import importlib
import re
import shlex
import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)

# name -> "module:function" (modules live in scripts/)
RENDERERS: dict[str, str] = {
    "install-selector": "install_data:render_selector",
    "install-command": "install_data:render_command",
    "install-version": "install_data:render_version",
    "install-nightly": "install_data:render_nightly",
    "install-releases": "install_data:render_releases",
    "install-architectures": "install_data:render_architectures",
    "install-drivers": "install_data:render_drivers",
    "install-mirrors": "install_data:render_mirrors",
    "install-commands": "install_data:render_commands",
    "glossary": "glossary:render",
    "launch-command": "launch_command:render",
}

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)<!-- generated: (?P<name>[a-z0-9-]+)(?P<args>(?: [^>]*?)?) -->[ \t]*$")


class DirectiveError(ValueError):
    pass


def parse_args(text: str, where: str) -> dict[str, str]:
    args = {}
    for word in shlex.split(text):
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise DirectiveError(f"{where}: argument {word!r} is not `key=value`.")
        args[key.replace("-", "_")] = value
    return args


def renderer(name: str, where: str):
    if name not in RENDERERS:
        known = ", ".join(sorted(RENDERERS)) or "none"
        raise DirectiveError(f"{where}: unknown generated content {name!r} (known: {known}). "
                             "Fix the name, or add a renderer to RENDERERS in scripts/generated.py.")
    module, _, function = RENDERERS[name].partition(":")
    if HERE not in sys.path:  # MkDocs loads hooks with scripts/ on sys.path only while loading them
        sys.path.append(HERE)
    return getattr(importlib.import_module(module), function)


def expand(markdown: str, language: str, where: str) -> str:
    """Replace every directive line in `markdown` by its rendered content, indented like the line."""
    out = []
    for number, line in enumerate(markdown.splitlines(), 1):
        found = DIRECTIVE.match(line)
        if not found:
            out.append(line)
            continue
        at = f"{where}:{number}"
        render = renderer(found["name"], at)
        try:
            text = render(language, **parse_args(found["args"], at))
        except DirectiveError:
            raise
        except TypeError as error:
            import inspect

            accepted = [name for name in inspect.signature(render).parameters if name != "language"]
            raise DirectiveError(f"{at}: generated content {found['name']!r} takes the arguments "
                                 f"{', '.join(a.replace('_', '-') for a in accepted) or 'none'} ({error})") from error
        except (ValueError, KeyError) as error:
            raise DirectiveError(f"{at}: generated content {found['name']!r} failed: {error}") from error
        indent = found["indent"]
        out.extend(indent + part if part else part for part in text.splitlines())
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")
