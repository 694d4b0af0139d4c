"""Run snippet files the way a reader would, and record what each named section prints.

A snippet is a ``.py`` file under ``snippets/``. Named sections are marked with comment lines
``# --8<-- [start:name]`` / ``# --8<-- [end:name]`` (pymdownx.snippets' own syntax, so pages
include exactly these lines). A comment block at the top of the file may carry metadata::

    # profiles: cpu, cuda   recorded on CPU (always) and on a real CUDA GPU
    # argv: --smoke         command-line arguments the harness passes
    # record: no  (reason)  outputs are not recorded (e.g. timings); the file is still run
    # gpu-recording: pending (reason)
                            the GPU recording is knowingly missing or stale (no GPU was at hand):
                            pages say "GPU output pending", the CPU suite passes with a skip that
                            states the reason, and the GPU suite runs the file without comparing
    # compare: same-torch (reason)
                            the output describes the installed torch itself (the install check):
                            it is compared only with a recording made by the same torch build
                            (e.g. 2.13.0+cpu), and elsewhere the file just has to run cleanly
    # compare: same-cpu (reason)
                            a long training run whose last digits depend on the processor (its
                            matrix kernels round differently on another CPU model, and training
                            amplifies that): compared exactly with a recording made on the same
                            CPU model (the recording's `cpu` line); on another, every number is
                            masked and the rest (lines, words, names, messages) must still match
    # search: prose-only (reason)
                            a long program that its page explains in prose: its code blocks stay
                            on the page but out of the search index (scripts/mkdocs_hooks.py)
    # launch: torchrun --standalone --nproc-per-node=2
                            a program for several processes, run the way its page tells a reader
                            to: torch.distributed.run with these options starts the processes, each
                            runs the file under this harness, and the recording is what process 0
                            printed; the others must print nothing. A notebook cannot start the
                            processes, so the page has no notebook (scripts/notebooks.py)

The recording of a snippet for a profile lives beside it, ``<name>.<profile>.out``: a few
``#`` metadata lines, then each section's output between the same markers, so a page can
include a section's output with pymdownx.snippets too.

This module needs only the standard library (and torch, when it runs a snippet), so it also
works on a GPU machine that has torch but none of the site's build tools.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import difflib
import functools
import hashlib
import importlib.util
import io
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import traceback
import types
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
# How a contributor runs this project's Python (the virtualenv scripts/bootstrap.sh makes): used in
# every message that tells them what command to run.
PYTHON = ".venv\\Scripts\\python.exe" if os.name == "nt" else ".venv/bin/python"
PROFILES = ("cpu", "cuda")
MARKER = re.compile(r"^\s*#\s*--8<--\s*\[(start|end):([^\]]*)\]\s*$")
SECTION_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
HEADER_KEYS = ("profiles", "argv", "record", "gpu-recording", "compare", "search", "launch")
HEADER_KEY = re.compile(rf"^#\s*({'|'.join(HEADER_KEYS)}):\s*(.*)$")
HEADER_LIKE = re.compile(r"^#\s*([A-Za-z][\w-]*):\s*(.*)$")  # `# profile: cpu` -- a header with a mistyped key?
# What each header's value looks like: a comment whose key is close to a header's and whose value fits it
# is that header, mistyped (`# Profiles: cpu, cuda`, `# gpu_recording: pending (...)`); other comments pass.
HEADER_VALUES = {
    "profiles": re.compile(r"^(cpu|cuda)(\s*,\s*(cpu|cuda))*$"),
    "argv": re.compile(r"^-"),
    "record": re.compile(r"^(yes|no)\b"),
    "gpu-recording": re.compile(r"^pending\b"),
    "compare": re.compile(r"^same-(torch|cpu)\b"),
    "search": re.compile(r"^prose-only\b"),
    "launch": re.compile(r"^torchrun\b"),
}
# Metadata keys that must match between a recording and a fresh run; the others (torch version,
# date, driver, platform...) describe the recording run: a newer torch that prints the same output
# does not make a recording wrong (scripts/record.py still refreshes them when torch changed).
COMPARED_META = ("source-sha256",)


class SnippetError(Exception):
    """A mistake in a snippet or recording, with a message that names the file and the fix."""


def rel(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@dataclasses.dataclass
class Snippet:
    path: Path
    source: str
    sections: list[str]
    spans: dict[str, tuple[int, int]]  # name -> (first code line, last code line), 1-based
    profiles: tuple[str, ...]
    argv: list[str]
    record: bool
    gpu_pending: str | None = None  # the reason given by `# gpu-recording: pending (reason)`
    same_torch_only: str | None = None  # the reason given by `# compare: same-torch (reason)`
    same_cpu_only: str | None = None  # the reason given by `# compare: same-cpu (reason)`
    search_prose_only: str | None = None  # the reason given by `# search: prose-only (reason)`
    launch: list[str] | None = None  # `# launch: torchrun --nproc-per-node=2`, split into words

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()

    def recording_path(self, profile: str) -> Path:
        return self.path.with_suffix(f".{profile}.out")

    def section_at(self, lineno: int) -> str | None:
        for name, (first, last) in self.spans.items():
            if first <= lineno <= last:
                return name
        return None

    def section_code(self, name: str) -> str:
        first, last = self.spans[name]
        return "\n".join(self.source.splitlines()[first - 1 : last])


def _reason(meta: dict[str, str], key: str, values: tuple[str, ...], where: str,
            example: str) -> tuple[str | None, str | None]:
    """The value and reason of a `# key: value (reason)` header line whose value is one of `values`,
    or (None, None) when the line is absent."""
    if key not in meta:
        return None, None
    found = re.fullmatch(rf"({'|'.join(map(re.escape, values))})\s*\((.+)\)", meta[key].strip())
    if not found:
        forms = " or ".join(f"`{value} (reason)`" for value in values)
        raise SnippetError(f"{where}: `# {key}:` must be {forms}, e.g. `# {key}: {values[0]} ({example})`.")
    if not found[2].strip():
        raise SnippetError(f"{where}: `# {key}: {found[1]} ()` needs a reason in the brackets.")
    return found[1], found[2].strip()


def parse_snippet(path: Path) -> Snippet:
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    where = rel(path)
    sections: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    open_name, open_line = None, 0
    meta: dict[str, str] = {}
    in_header = True
    lines = source.splitlines()
    for lineno, line in enumerate(lines, 1):
        if in_header:
            found = HEADER_KEY.match(line.strip())
            if found:
                meta[found.group(1)] = found.group(2).strip()
                continue
            like = HEADER_LIKE.match(line.strip())
            key = like.group(1).lower().replace("_", "-") if like else ""
            close = difflib.get_close_matches(key, HEADER_KEYS, n=1, cutoff=0.6) if like else None
            if close and HEADER_VALUES[close[0]].match(like.group(2).strip()):
                raise SnippetError(f"{where}:{lineno}: unknown header `{like.group(1)}:`; did you mean `# {close[0]}:`? "
                                   "(A mistyped header is an ordinary comment, and the snippet runs without it.)")
            if line.strip() and not line.lstrip().startswith("#"):
                in_header = False
        marker = MARKER.match(line)
        if not marker:
            if "--8<--" in line and "[" in line:
                raise SnippetError(
                    f"{where}:{lineno}: malformed section marker {line.strip()!r}. "
                    "Write it on its own line as `# --8<-- [start:name]` or `# --8<-- [end:name]`."
                )
            continue
        in_header = False
        kind, name = marker.groups()
        if not SECTION_NAME.match(name):
            raise SnippetError(
                f"{where}:{lineno}: section name {name!r} is not lower-case kebab-case. "
                "Name the step it shows, e.g. `move-to-device`."
            )
        if kind == "start":
            if open_name:
                raise SnippetError(
                    f"{where}:{lineno}: section {name!r} starts inside section {open_name!r} "
                    f"(started on line {open_line}). Close `{open_name}` first: sections do not nest."
                )
            if name in spans:
                raise SnippetError(f"{where}:{lineno}: section {name!r} is defined twice. Rename one.")
            open_name, open_line = name, lineno
        else:
            if open_name is None:
                raise SnippetError(
                    f"{where}:{lineno}: `[end:{name}]` closes no section: none is open here. Put "
                    f"`# --8<-- [start:{name}]` before the section's first line, or remove this marker."
                )
            if name != open_name:
                raise SnippetError(
                    f"{where}:{lineno}: `[end:{name}]` does not close the open section "
                    f"{open_name!r}. Fix the marker's name."
                )
            if not any(code.strip() for code in lines[open_line:lineno - 1]):
                raise SnippetError(
                    f"{where}:{open_line}: section {name!r} has no code (the page would show an empty box). "
                    "Put the code between its markers, or remove them."
                )
            spans[name] = (open_line + 1, lineno - 1)
            sections.append(name)
            open_name = None
    if open_name:
        raise SnippetError(
            f"{where}:{open_line}: section {open_name!r} is never closed. "
            f"Add `# --8<-- [end:{open_name}]` after its last line."
        )
    profiles = tuple(p.strip() for p in meta.get("profiles", "cpu").split(",") if p.strip())
    for profile in profiles:
        if profile not in PROFILES:
            raise SnippetError(
                f"{where}: unknown profile {profile!r} in `# profiles:`. Use one of {', '.join(PROFILES)}."
            )
    record_value = meta.get("record", "yes").split()[0].lower() if meta.get("record") else "yes"
    if record_value not in ("yes", "no"):
        raise SnippetError(f"{where}: `# record:` must be `yes` or `no (reason)`, not {meta['record']!r}.")
    if record_value == "no" and "(" not in meta.get("record", ""):
        raise SnippetError(f"{where}: `# record: no` needs a reason in brackets, e.g. `# record: no (timings)`.")
    _, gpu_pending = _reason(meta, "gpu-recording", ("pending",), where, "no GPU at hand when this changed")
    if gpu_pending and "cuda" not in profiles:
        raise SnippetError(f"{where}: `# gpu-recording: pending` without `cuda` in `# profiles:`. Remove one of them.")
    compare, reason = _reason(meta, "compare", ("same-torch", "same-cpu"), where, "it prints the torch version")
    same_torch_only = reason if compare == "same-torch" else None
    same_cpu_only = reason if compare == "same-cpu" else None
    _, search_prose_only = _reason(meta, "search", ("prose-only",), where,
                                   "a long program: its code would weigh on every page's search index")
    launch = meta["launch"].split() if "launch" in meta else None
    if launch is not None and (launch[:1] != ["torchrun"] or not all(word.startswith("-") for word in launch[1:])):
        raise SnippetError(f"{where}: `# launch:` must be `torchrun` and its options, without the file's name (the "
                           "harness adds it), e.g. `# launch: torchrun --standalone --nproc-per-node=2`.")
    return Snippet(
        launch=launch,
        search_prose_only=search_prose_only,
        same_torch_only=same_torch_only,
        same_cpu_only=same_cpu_only,
        gpu_pending=gpu_pending,
        path=path,
        source=source,
        sections=sections,
        spans=spans,
        profiles=profiles,
        argv=meta.get("argv", "").split(),
        record=record_value == "yes",
    )


def all_snippets() -> list[Path]:
    return sorted(p for p in SNIPPETS.rglob("*.py") if "__pycache__" not in p.parts)


# ---------------------------------------------------------------------------------------------
# Running


class _SectionWriter(io.TextIOBase):
    """A stdout that files each write under the section of the top-level line being run."""

    def __init__(self, snippet: Snippet, filename: str):
        self.snippet = snippet
        self.filename = filename
        self.outputs: dict[str | None, list[str]] = {}

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lineno = None
        frame = sys._getframe(1)
        while frame is not None:  # the outermost frame of the snippet is the top-level statement
            if frame.f_code.co_filename == self.filename:
                lineno = frame.f_lineno
            frame = frame.f_back
        section = self.snippet.section_at(lineno) if lineno is not None else None
        self.outputs.setdefault(section, []).append(text)
        return len(text)


@dataclasses.dataclass
class RunResult:
    outputs: dict[str, str]  # section -> printed text
    stray_output: str  # printed outside any section
    stderr: str


def _torch_state():
    import torch
    from torch._tensor_str import PRINT_OPTS

    return {
        "default dtype (torch.set_default_dtype)": torch.get_default_dtype(),
        "print options (torch.set_printoptions)": dataclasses.astuple(PRINT_OPTS)
        if dataclasses.is_dataclass(PRINT_OPTS)
        else tuple(sorted(vars(PRINT_OPTS).items())),
        "grad mode (torch.set_grad_enabled)": torch.is_grad_enabled(),
        "threads (torch.set_num_threads)": torch.get_num_threads(),
        "float32 matmul precision": torch.get_float32_matmul_precision(),
        "deterministic algorithms": torch.are_deterministic_algorithms_enabled(),
        "default device (torch.set_default_device)": str(torch.get_default_device()),
        # torch.compile turns these off for the whole process (torch._dynamo's TorchPatcher)
        "distribution checks (Distribution.set_default_validate_args)": torch.distributions.Distribution._validate_args,
    }


def _restore_torch_state(state) -> None:
    import torch

    torch.set_default_dtype(state["default dtype (torch.set_default_dtype)"])
    torch.set_printoptions(profile="default")
    torch.set_grad_enabled(state["grad mode (torch.set_grad_enabled)"])
    torch.set_num_threads(state["threads (torch.set_num_threads)"])
    torch.set_float32_matmul_precision(state["float32 matmul precision"])
    torch.use_deterministic_algorithms(state["deterministic algorithms"])
    torch.set_default_device(None if state["default device (torch.set_default_device)"] == "cpu" else state["default device (torch.set_default_device)"])
    torch.distributions.Distribution.set_default_validate_args(state["distribution checks (Distribution.set_default_validate_args)"])


@contextlib.contextmanager
def _hide_cuda():
    """Run the CPU profile on a machine that has a GPU: device-agnostic code then picks the CPU."""
    import torch

    patches = [(torch.cuda, "is_available", lambda: False), (torch.cuda, "device_count", lambda: 0)]
    if hasattr(torch, "accelerator"):
        patches += [
            (torch.accelerator, "is_available", lambda: False),
            (torch.accelerator, "current_accelerator", lambda *a, **k: None),
            (torch.accelerator, "device_count", lambda: 0),
        ]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    for obj, name, value in patches:
        setattr(obj, name, value)
    try:
        yield
    finally:
        for obj, name, value in saved:
            setattr(obj, name, value)


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def _snippet_frames(error: BaseException, filename: str) -> list[traceback.FrameSummary]:
    """The frames of the exception's traceback that are in the snippet (not the harness's, not torch's)."""
    return [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]


def _failure(snippet: Snippet, filename: str, error: Exception) -> str:
    """What a snippet that raised says: where (file, line, section), what, and the snippet's own
    frames of the traceback (the harness's frames say nothing about the snippet)."""
    frames = _snippet_frames(error, filename)
    line = frames[-1].lineno if frames else None
    # the section that was running: the innermost frame in one (a function it calls may be outside)
    section = next(filter(None, (snippet.section_at(f.lineno) for f in reversed(frames))), None)
    where = f"{rel(snippet.path)}{f':{line}' if line else ''}{f' (in section {section!r})' if section else ''}"
    trace = "".join(traceback.format_list(frames)).replace(filename, rel(snippet.path))
    return (f"{where} raised {type(error).__name__}: {error}\n{trace}"
            "Fix the snippet, then run it again (the line above is where it stopped).")


# Modules of torch that warn when imported only because torch itself still uses an API it deprecated,
# in torch 2.13: torch.utils.mkldnn uses torch.jit.script_method when imported (pull request
# pytorch/pytorch#189914 makes that lazy), and torch.compile's TorchInductor imports it;
# torch._decomp.decompositions_for_jvp calls torch.jit.script when imported, and forward-mode AD
# imports it at its first use (torch.autograd.forward_ad.make_dual, which torch.func.jvp, jacfwd and
# hessian call). Importing it takes about 0.4 s, once per process. Python hides a DeprecationWarning by
# default, so a reader never sees it; the harness, which makes every warning an error, imports these
# modules beforehand with exactly that warning ignored (a torch without such a module skips it;
# tests/test_engine.py says when an entry is no longer needed).
TORCH_SELF_DEPRECATIONS = {
    "torch.utils.mkldnn": "`torch.jit.script_method` is deprecated",
    "torch._decomp.decompositions_for_jvp": "`torch.jit.script` is deprecated",
}


@functools.cache  # once per process: an imported module stays imported
def _import_torch_self_deprecations() -> None:
    for module, message in TORCH_SELF_DEPRECATIONS.items():
        if importlib.util.find_spec(module) is None:
            continue
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", re.escape(message), DeprecationWarning)
            importlib.import_module(module)


def run_snippet(snippet: Snippet, profile: str = "cpu", workdir: str | None = None) -> RunResult:
    """Run a snippet top to bottom, as `python <file>` would, and return each section's output.

    Isolation: a fresh module namespace, which is `sys.modules["__main__"]` while it runs, as a
    script's is (pickle, multiprocessing's spawn and torch.compile look up a class's or function's
    module there), a temporary working directory (or `workdir`: the processes of a launched
    snippet share one, as a reader's share the one they started in), a random seed that the
    snippet must override with its own (so an unseeded snippet cannot match its recording),
    warnings raised as errors, and torch's global settings restored afterwards.
    A snippet with a `# launch:` header runs in processes of its own, each isolated so
    (_run_launched).
    """
    if snippet.launch:
        return _run_launched(snippet, profile)
    import torch

    _import_torch_self_deprecations()

    filename = str(snippet.path.resolve())
    code = compile(snippet.source, filename, "exec")
    writer = _SectionWriter(snippet, filename)
    err = io.StringIO()
    main = types.ModuleType("__main__")
    main.__file__ = filename
    namespace = main.__dict__
    state = _torch_state()
    saved_argv, saved_path, saved_cwd = sys.argv[:], sys.path[:], os.getcwd()
    saved_modules, saved_main = set(sys.modules), sys.modules.get("__main__")
    unseeded = int.from_bytes(os.urandom(4), "little")
    torch.manual_seed(unseeded)
    random.seed(unseeded)
    hide = _hide_cuda() if profile == "cpu" and torch.cuda.is_available() else contextlib.nullcontext()
    try:
        workspace = contextlib.nullcontext(workdir) if workdir else tempfile.TemporaryDirectory(prefix="snippet-")
        with workspace as tmp, hide, warnings.catch_warnings():
            warnings.simplefilter("error")
            os.chdir(tmp)
            sys.argv = [filename, *snippet.argv]
            sys.path.insert(0, str(snippet.path.parent.resolve()))
            sys.modules["__main__"] = main
            with contextlib.redirect_stdout(writer), contextlib.redirect_stderr(err):
                try:
                    exec(code, namespace)
                except Warning as warning:
                    frames = _snippet_frames(warning, filename)
                    line = frames[-1].lineno if frames else "?"
                    raise SnippetError(
                        f"{rel(snippet.path)}:{line} raised {type(warning).__name__}: {warning}. A warning fails the "
                        "snippet (a page must not teach deprecated or risky code): change the code so it runs "
                        "without the warning.") from warning
                except Exception as error:  # the snippet's own error: its lines, not the harness's
                    raise SnippetError(_failure(snippet, filename, error)) from None  # its frames are in the message
    finally:
        os.chdir(saved_cwd)
        sys.argv[:], sys.path[:] = saved_argv, saved_path
        if saved_main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved_main
        for name in set(sys.modules) - saved_modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(SNIPPETS)):
                del sys.modules[name]
        _restore_torch_state(state)
    outputs = {name: "".join(writer.outputs.get(name, [])) for name in snippet.sections}
    return RunResult(outputs=outputs, stray_output="".join(writer.outputs.get(None, [])), stderr=err.getvalue())


LAUNCH_TIMEOUT = 300  # seconds: a program whose processes wait for each other forever is stopped


def _run_launched(snippet: Snippet, profile: str) -> RunResult:
    """Run a `# launch: torchrun ...` snippet as its page says to, with torchrun's options; each
    process runs this file (`--as-rank`), which runs the snippet with run_snippet and writes what it
    printed to a JSON file. The result is process 0's output: the others must print nothing, because
    the lines of several processes interleave differently on every run."""
    command_line = " ".join(snippet.launch)
    env = dict(os.environ)
    if profile == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""  # the CPU profile, on a machine with a GPU too
    with tempfile.TemporaryDirectory(prefix="snippet-ranks-") as tmp:
        command = [sys.executable, "-m", "torch.distributed.run", *snippet.launch[1:], str(Path(__file__).resolve()),
                   "--as-rank", tmp, str(snippet.path.resolve()), profile]
        workdir = Path(tmp, "work")  # every process's working directory
        workdir.mkdir()
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)  # a group to kill if torchrun hangs too
        try:
            _, said = process.communicate(timeout=LAUNCH_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.terminate()  # torchrun stops the processes it started (each in a session of its own)
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
            raise SnippetError(
                f"{rel(snippet.path)} did not finish within {LAUNCH_TIMEOUT} s under `{command_line}`: a process "
                "probably waits in a collective (all_reduce, barrier, a DDP backward...) that another never reaches. "
                "Make every process run the same collectives in the same order.") from None
        reports = {int(path.stem.split("-")[1]): json.loads(path.read_text(encoding="utf-8"))
                   for path in Path(tmp).glob("rank-*.json")}
    errors = [f"process {rank}: {report['error']}" for rank, report in sorted(reports.items()) if report["error"]]
    if errors:
        raise SnippetError("\n".join(errors))
    if process.returncode or 0 not in reports or len(reports) != reports[0]["world_size"]:
        tail = "\n".join(said.splitlines()[-30:])
        raise SnippetError(f"{rel(snippet.path)} failed under `{command_line}` (exit status {process.returncode}, "
                           f"{len(reports)} processes reported); torchrun said:\n{tail}")
    for rank, report in sorted(reports.items()):
        printed = "".join(report["outputs"].values()) + report["stray_output"]
        if rank and printed:
            raise SnippetError(
                f"{rel(snippet.path)}: process {rank} printed {printed[:200]!r}. Print on process 0 only "
                "(`if rank == 0:`): the page shows process 0's output, and the lines of several processes "
                "interleave differently on every run.")
    return RunResult(outputs=reports[0]["outputs"], stray_output=reports[0]["stray_output"],
                     stderr="".join(report["stderr"] for _, report in sorted(reports.items())))


def _main_as_rank(outdir: str, path: str, profile: str) -> int:
    """One process of a launched snippet (started by torchrun, see _run_launched)."""
    report: dict = {"world_size": int(os.environ["WORLD_SIZE"]), "error": None}
    try:
        result = run_snippet(dataclasses.replace(parse_snippet(Path(path)), launch=None), profile, workdir=os.getcwd())
        report.update(outputs=result.outputs, stray_output=result.stray_output, stderr=result.stderr)
    except SnippetError as error:
        report["error"] = str(error)
    Path(outdir, f"rank-{os.environ['RANK']}.json").write_text(json.dumps(report), encoding="utf-8")
    return 1 if report["error"] else 0  # torchrun then stops the other processes


# ---------------------------------------------------------------------------------------------
# Recordings


def run_metadata(profile: str) -> dict[str, str]:
    import torch

    meta = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "platform": f"{platform.system()}-{platform.machine()}",
        "cpu": cpu_model(),
        "device": "cpu",
        "date": datetime.date.today().isoformat(),
    }
    if profile == "cuda":
        props = torch.cuda.get_device_properties(0)
        meta["device"] = torch.cuda.get_device_name(0)
        meta["cuda"] = str(torch.version.cuda)
        meta["compute-capability"] = f"{props.major}.{props.minor}"
        meta["driver"] = _nvidia_driver()
    return meta


@functools.cache
def cpu_model() -> str:
    """The processor's name and generation (`AMD EPYC (family 26, model 2)`): the digits of a long CPU
    training run depend on it (`# compare: same-cpu`)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            return describe_cpu(info.read())
    except OSError:
        pass
    if platform.system() == "Darwin":  # "Apple M3 Pro": platform.processor() says only "arm"
        try:
            brand = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True)
        except OSError:
            brand = None
        if brand and brand.returncode == 0 and brand.stdout.strip():
            return brand.stdout.strip()
    return describe_cpu("")


def describe_cpu(cpuinfo: str) -> str:
    """Name and generation from the text of /proc/cpuinfo. A VM often shows only a vague name (`AMD EPYC`,
    `Intel(R) Xeon(R) Processor`), so the family and model numbers (x86) or the implementer and part
    (ARM) tell the generations apart."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            if fields:
                break  # the end of the first processor's block: the others repeat it
            continue
        fields.setdefault(key.strip(), " ".join(value.split()))
    name = fields.get("model name") or platform.processor() or platform.machine() or "unknown"
    for first, second in (("cpu family", "model"), ("CPU implementer", "CPU part")):
        if fields.get(first) and fields.get(second):
            return f"{name} ({first.split()[-1]} {fields[first]}, {second.split()[-1]} {fields[second]})"
    return name


# A number on its own: not the digits of a name (fc1, float32, cu126, layer2.weight), with its sign
# and the spaces before it (a tensor pads its columns to the widest number, `[ 9.9` but `[10.1`).
NUMBER = re.compile(r" *(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def masked_numbers(text: str) -> str:
    """The text with every number replaced by ` #` and runs of spaces made one: what a `same-cpu`
    recording must still match on another CPU (lines, words, names, messages, how many numbers)."""
    return re.sub(r" +", " ", NUMBER.sub(" #", text))


def compare_exactly(snippet: Snippet, recording: Recording) -> bool:
    """Whether a fresh run must print exactly the recorded digits here; a `same-cpu` snippet recorded
    on another CPU model is compared by `masked_numbers` instead."""
    on_cpu = recording.meta.get("device") == "cpu"  # a GPU recording's digits are the GPU's
    return not (snippet.same_cpu_only and on_cpu) or recording.meta.get("cpu") == cpu_model()


def _nvidia_driver() -> str:
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        return out.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def format_recording(snippet: Snippet, profile: str, outputs: dict[str, str], meta: dict[str, str]) -> str:
    lines = [
        f"# Output of {rel(snippet.path)}, profile {profile}: written by scripts/record.py, never by hand.",
        f"# source-sha256: {snippet.sha256}",
    ]
    lines += [f"# {key}: {value}" for key, value in meta.items()]
    for name in snippet.sections:
        lines.append(f"# --8<-- [start:{name}]")
        text = outputs.get(name, "")
        if text:
            lines.append(text.rstrip("\n"))
        lines.append(f"# --8<-- [end:{name}]")
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class Recording:
    path: Path
    meta: dict[str, str]
    outputs: dict[str, str]


def recordings(path: Path) -> list[Path]:
    """Every recorded output of the snippet file at `path`: `tensors.py` -> `tensors.cpu.out`, `tensors.cuda.out`."""
    stem = Path(path).with_suffix("")
    return sorted(stem.parent.glob(stem.name + ".*.out"))


def parse_recording(path: Path) -> Recording:
    meta: dict[str, str] = {}
    outputs: dict[str, str] = {}
    current: list[str] | None = None
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        marker = MARKER.match(line)
        if marker:
            kind, name_found = marker.groups()
            if kind == "start":
                name, current = name_found, []
            else:
                outputs[name] = "\n".join(current)
                current = None
            continue
        if current is not None:
            current.append(line)
        elif not outputs and name is None and line.startswith("# ") and ": " in line:
            key, value = line[2:].split(": ", 1)
            meta[key.strip()] = value.strip()
    return Recording(path=path, meta=meta, outputs=outputs)


def compared_view(text: str) -> str:
    """The part of a recording that must match a fresh run: outputs and the compared metadata."""
    keep, in_header = [], True
    for line in text.splitlines():
        in_header = in_header and not MARKER.match(line)
        if in_header and line.startswith("# ") and ": " in line:
            if line[2:].split(": ", 1)[0] not in COMPARED_META:
                continue
        keep.append(line)
    return "\n".join(keep) + "\n"


def missing_section(snippet: Snippet, section: str, page: str) -> str:
    """What to say when `page` includes a section the snippet does not have."""
    close = difflib.get_close_matches(section, snippet.sections, n=1)
    known = f"did you mean {close[0]!r}?" if close else f"it has: {', '.join(snippet.sections) or 'none'}"
    return (f"{rel(snippet.path)} has no section {section!r} ({known}). "
            f"Fix the name in {page}, or add `# --8<-- [start:{section}]` ... `# --8<-- [end:{section}]` to the snippet.")


def stale_cpu_recording(snippet: Snippet) -> str | None:
    """Why the snippet's CPU recording is not the output of its code as it is now, or None."""
    if "cpu" not in snippet.profiles or not snippet.record:
        return None
    path = snippet.recording_path("cpu")
    fix = f"run `{PYTHON} scripts/record.py {rel(snippet.path)}`"
    if not path.exists():
        return f"{rel(snippet.path)} has no recorded output ({rel(path)}): {fix}."
    if _recorded_from_other_code(snippet, parse_recording(path)):
        return (f"{rel(path)} was recorded from another version of {rel(snippet.path)}, so the page would show "
                f"old output under new code: {fix}.")
    return None


def _recorded_from_other_code(snippet: Snippet, recording: Recording) -> bool:
    return recording.meta.get("source-sha256") != snippet.sha256


def stale_gpu_recording(snippet: Snippet) -> str | None:
    """Why the snippet's CUDA recording cannot be trusted, or None. Needs no GPU."""
    if "cuda" not in snippet.profiles or not snippet.record:
        return None
    path = snippet.recording_path("cuda")
    fix = f"re-record on a GPU: `{PYTHON} scripts/record.py --profile cuda {rel(snippet.path)}`"
    if not path.exists():
        return (f"{rel(snippet.path)} declares `# profiles: ... cuda` but has no GPU recording {rel(path)}: {fix}. "
                "Without a GPU at hand, add `# gpu-recording: pending (reason)` to its header (then re-record its "
                "CPU output), and the pages say the GPU output is pending.")
    recording = parse_recording(path)
    if _recorded_from_other_code(snippet, recording):
        return f"GPU recording is stale: {rel(path)} was recorded from another version of {rel(snippet.path)}; {fix}."
    if set(recording.outputs) != set(snippet.sections):
        return f"GPU recording is stale: {rel(path)} has sections {sorted(recording.outputs)}, the snippet {snippet.sections}; {fix}."
    if recording.meta.get("device", "cpu") == "cpu":
        return f"{rel(path)} claims to be a GPU recording but was made on the CPU; {fix}."
    return None


if __name__ == "__main__" and sys.argv[1:2] == ["--as-rank"]:
    status = _main_as_rank(*sys.argv[2:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: once a DDP model holds the process group, a gloo worker thread of torch 2.13 can
    # still be releasing a collective's tensors when the interpreter shuts down, and then aborts it
    # (SIGABRT, "terminate called without an active exception"; pytorch/pytorch#190489): in 3 of 18
    # runs of snippets/gpu/ddp.py here, after the report was written. Its page says so.
    os._exit(status)
