"""The command that starts a multi-process snippet, for its page:
`<!-- generated: launch-command snippet=snippets/gpu/ddp.py -->`.

The page shows the command the test suite runs: the snippet's `# launch:` header (see
scripts/snippet_engine.py) followed by the file's name, as a reader types it in the folder where
they saved the file. The command a reader copies is tested like the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import snippet_engine as engine  # noqa: E402


def render(language: str, snippet: str) -> str:
    path = engine.ROOT / snippet
    if not path.is_file():
        raise ValueError(f"{snippet} does not exist; name a snippet file, e.g. snippet=snippets/gpu/ddp.py")
    try:
        launch = engine.parse_snippet(path).launch
    except engine.SnippetError as error:
        raise ValueError(str(error)) from None
    if not launch:
        raise ValueError(f"{snippet} has no `# launch: torchrun ...` header, so no command starts it: add the "
                         "header, or show the snippet's code instead")
    return "\n".join(["```bash", " ".join([*launch, path.name]), "```"])
