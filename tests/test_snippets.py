"""Every snippet file, run top to bottom as a reader would, against its recorded output.

One generic test: a new file under snippets/ is picked up by name. The test id is the snippet's
path, so `pytest "tests/test_snippets.py::test_snippet[snippets/basics/tensors.py-cpu]"` runs one page.
"""

import difflib
import os

import pytest

import snippet_engine as engine

COMPARE = os.environ.get("SNIPPETS_COMPARE_OUTPUT", "1") != "0"
PATHS = engine.all_snippets()
IDS = [engine.rel(p) for p in PATHS]


def _profiles():
    yield "cpu"
    if engine.cuda_available():
        yield "cuda"


@pytest.mark.parametrize("profile", list(_profiles()))
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_snippet(path, profile):
    snippet = engine.parse_snippet(path)
    if profile not in snippet.profiles:
        if profile == "cpu":
            pytest.skip(f"{engine.rel(path)} is GPU-only (`# profiles: cuda`); it runs in the GPU job")
        profile = "cuda"  # a CPU snippet on a GPU machine: run it anyway, show nothing new
    result = engine.run_snippet(snippet, profile)
    assert not result.stray_output, (
        f"{engine.rel(path)} printed outside any section, where no reader sees it: "
        f"{result.stray_output[:300]!r}. Move the print into a section or remove it."
    )
    assert not result.stderr, f"{engine.rel(path)} wrote to stderr:\n{result.stderr}"
    if not (COMPARE and snippet.record and profile in snippet.profiles):
        return
    recording = snippet.recording_path(profile)
    fix = f"{engine.PYTHON} scripts/record.py --profile {profile} {engine.rel(path)}"
    if profile == "cuda" and snippet.gpu_pending and engine.stale_gpu_recording(snippet):
        pytest.skip(f"ran on the GPU; its GPU recording is pending ({snippet.gpu_pending}): run `{fix}` and commit it")
    assert recording.exists(), f"{engine.rel(path)} has no recorded output {engine.rel(recording)}: run `{fix}`."
    recorded, meta = engine.parse_recording(recording), engine.run_metadata(profile)
    if profile == "cuda":
        recorded_on = recorded.meta.get("device")
        if recorded_on != meta["device"]:
            pytest.skip(f"GPU output was recorded on {recorded_on}; this GPU's digits may differ")
    if snippet.same_torch_only:
        import torch

        recorded_with = recorded.meta.get("torch")
        if recorded_with != torch.__version__:
            pytest.skip(f"ran cleanly; output not compared: recorded with torch {recorded_with}, this is "
                        f"torch {torch.__version__} ({snippet.same_torch_only})")
    fresh = engine.format_recording(snippet, profile, result.outputs, meta)
    old = engine.compared_view(recording.read_text(encoding="utf-8"))
    new = engine.compared_view(fresh)
    masked = not engine.compare_exactly(snippet, recorded)
    if masked:  # `# compare: same-cpu`, recorded on another CPU model: its digits may differ here, nothing else
        old, new = engine.masked_numbers(old), engine.masked_numbers(new)
    if old != new:
        diff = "".join(difflib.unified_diff(
            old.splitlines(True), new.splitlines(True), f"{engine.rel(recording)} (committed)", "fresh run"))
        def outputs(view: str) -> list[str]:
            return [line for line in view.splitlines() if not line.startswith("# source-sha256:")]

        if outputs(old) == outputs(new):
            pytest.fail(f"{engine.rel(path)} changed (its source-sha256), but not its output: run `{fix}` to record "
                        "the new hash, and commit the result.", pytrace=False)
        pytest.fail(f"{engine.rel(recording)} no longer matches a fresh run of {engine.rel(path)}"
                    f"{' (numbers masked: it was recorded on another CPU model)' if masked else ''}.\n"
                    f"If the change is intended, run `{fix}` and commit the result. If the numbers change on "
                    "every run, re-recording cannot help: seed the randomness (`torch.manual_seed(0)`) and print "
                    f"no times, addresses or paths.\n{diff}", pytrace=False)


@pytest.mark.parametrize(
    "path", [p for p in PATHS if "cuda" in engine.parse_snippet(p).profiles],
    ids=[engine.rel(p) for p in PATHS if "cuda" in engine.parse_snippet(p).profiles])
def test_gpu_recording_is_fresh(path):
    """Runs everywhere, GPU or not: a CPU machine cannot re-record, but it can tell stale from fresh."""
    snippet = engine.parse_snippet(path)
    problem = engine.stale_gpu_recording(snippet)
    if problem and snippet.gpu_pending:
        pytest.skip(f"declared `# gpu-recording: pending ({snippet.gpu_pending})`; pages say so. {problem}")
    assert problem is None, problem
    assert not snippet.gpu_pending, (
        f"{engine.rel(path)} has a fresh GPU recording but still says `# gpu-recording: pending`: remove that line.")
