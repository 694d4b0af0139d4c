"""Record what each section of a snippet prints: `python scripts/record.py [--profile cpu|cuda] [SNIPPET ...]`.

With no SNIPPET, records every snippet that declares the profile. The cuda profile needs a real
CUDA GPU and refuses to run without one: GPU output is never invented. A recording whose outputs
did not change is left untouched (its date stays), so review diffs show only real changes; so is
a `# compare: same-cpu` recording made on another CPU model whose numbers alone differ here (the
page quotes its numbers: --force records this CPU's digits, then update the page; where the digits
agree, --force only writes this CPU's name into the recording). Each snippet
runs twice, the second time on one thread: output that differs between the runs (unseeded
randomness, times, a result that depends on the number of threads) is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import snippet_engine as engine  # noqa: E402


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def _run_on_one_thread(snippet, profile: str):
    """The second run, on one thread: the test suite runs each snippet on one thread per worker
    (tests/conftest.py), a reader on all of theirs, and the recording must hold for both."""
    import torch

    threads = _threads()
    torch.set_num_threads(1)
    try:
        return engine.run_snippet(snippet, profile)
    finally:
        torch.set_num_threads(threads)


def record(path: Path, profile: str, force: bool = False) -> str:
    snippet = engine.parse_snippet(path)
    if not snippet.record:
        return f"skipped {engine.rel(path)}: `# record: no` in its header"
    if profile not in snippet.profiles:
        return f"skipped {engine.rel(path)}: profile {profile} is not in its `# profiles:` line"
    result = engine.run_snippet(snippet, profile)
    if result.stray_output:
        raise engine.SnippetError(
            f"{engine.rel(path)} printed outside any section (a reader would never see it): "
            f"{result.stray_output[:200]!r}. Move the print into a section or remove it."
        )
    again = _run_on_one_thread(snippet, profile)
    changed = [name for name in snippet.sections if again.outputs[name] != result.outputs[name]]
    threads = _threads()
    if changed and threads > 1:
        third = engine.run_snippet(snippet, profile)  # as many threads as the first run
        if all(third.outputs[name] == result.outputs[name] for name in changed):
            raise engine.SnippetError(
                f"{engine.rel(path)}: sections {', '.join(changed)} printed something else on one thread than on "
                f"{threads}, and the same twice on {threads}: the output depends on how the work is split "
                "among threads, and the test suite runs snippets on one thread per worker (tests/conftest.py), so "
                "no recording could match everywhere. Find the operation whose result depends on it and avoid it: "
                "on the CPU, nn.LayerNorm sums its weight and bias gradients per thread (a training run drifts "
                "apart within a few hundred steps), while nn.RMSNorm does not (snippets/basics/transformer.py).")
    if changed:
        raise engine.SnippetError(
            f"{engine.rel(path)}: sections {', '.join(changed)} printed something else on a second run, so no "
            "recording could ever match. Seed the randomness (`torch.manual_seed(0)` near the top) and print no "
            "times, addresses or paths.")
    meta = engine.run_metadata(profile)
    text = engine.format_recording(snippet, profile, result.outputs, meta)
    target = snippet.recording_path(profile)
    if target.exists():
        old, new = engine.compared_view(target.read_text(encoding="utf-8")), engine.compared_view(text)
        recorded = engine.parse_recording(target)
        same_torch = recorded.meta.get("torch") == meta["torch"]
        other_cpu = not engine.compare_exactly(snippet, recorded)  # a same-cpu recording of another model
        if same_torch and old == new:
            if not other_cpu:
                return f"unchanged {engine.rel(target)}"
            if not force:
                return (f"unchanged {engine.rel(target)}: recorded on another CPU "
                        f"({recorded.meta.get('cpu', 'unknown')}), whose digits hold here too; --force makes "
                        "this CPU its owner, compared digit for digit")
            # --force claims it: the digits stay, so the page needs no update
            target.write_text(text, encoding="utf-8")
            return f"claimed {engine.rel(target)} for this CPU ({meta['cpu']}): the same digits, the page needs no update"
        if (same_torch and not force and other_cpu
                and engine.masked_numbers(old) == engine.masked_numbers(new)):
            return (f"unchanged {engine.rel(target)}: only numbers differ, and it was recorded on another CPU "
                    f"({recorded.meta.get('cpu', 'unknown')}); --force records this CPU's digits (then update "
                    "the numbers its page quotes)")
    target.write_text(text, encoding="utf-8")
    return f"wrote {engine.rel(target)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=engine.PROFILES, default="cpu")
    parser.add_argument("--force", action="store_true",
                        help="rewrite a same-cpu recording made on another CPU model: with this CPU's digits, "
                             "or, where they agree, only with its name")
    parser.add_argument("snippets", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.profile == "cuda" and not engine.cuda_available():
        print("error: the cuda profile needs a CUDA GPU, and torch sees none. GPU output is "
              "recorded on a real GPU only.", file=sys.stderr)
        return 2
    paths = args.snippets or [p for p in engine.all_snippets()
                              if args.profile in engine.parse_snippet(p).profiles]
    failed = False
    for path in paths:
        try:
            print(record(path, args.profile, force=args.force))
        except engine.SnippetError as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
