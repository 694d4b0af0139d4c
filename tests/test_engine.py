"""The snippet engine itself: what it records, what it refuses, and how it isolates snippets."""

import os
import re
import subprocess
import sys
import textwrap

import pytest
import torch

import snippet_engine as engine


def snippet(tmp_path, source, name="demo.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return engine.parse_snippet(path)


def test_output_is_filed_under_the_section_of_the_running_statement(tmp_path):
    s = snippet(tmp_path, """\
        # --8<-- [start:define]
        def report(x):
            print("value", x)
        # --8<-- [end:define]
        # --8<-- [start:call]
        for i in range(2):
            report(i)
        # --8<-- [end:call]
        """)
    result = engine.run_snippet(s)
    assert result.outputs == {"define": "", "call": "value 0\nvalue 1\n"}
    assert result.stray_output == ""


def test_output_outside_sections_is_reported(tmp_path):
    s = snippet(tmp_path, 'print("hidden")\n# --8<-- [start:a]\nprint("shown")\n# --8<-- [end:a]\n')
    result = engine.run_snippet(s)
    assert result.stray_output == "hidden\n" and result.outputs == {"a": "shown\n"}


def test_a_warning_fails_the_snippet(tmp_path):
    s = snippet(tmp_path, "import warnings\nwarnings.warn('old API', DeprecationWarning)\n")
    with pytest.raises(engine.SnippetError, match=r"demo\.py:2 raised DeprecationWarning: old API\. A warning fails"):
        engine.run_snippet(s)


def test_an_error_names_the_snippet_line_and_section_and_shows_only_its_frames(tmp_path):
    s = snippet(tmp_path, """\
        import torch
        def shape_of(x):
            return x.shape[3]
        # --8<-- [start:index]
        print(shape_of(torch.zeros(2)))
        # --8<-- [end:index]
        """)
    with pytest.raises(engine.SnippetError) as raised:
        engine.run_snippet(s)
    message = str(raised.value)
    assert re.match(r"\S*demo\.py:3 \(in section 'index'\) raised IndexError: tuple index out of range\n", message), message
    assert 'line 5, in <module>' in message and 'line 3, in shape_of' in message and "return x.shape[3]" in message
    assert "snippet_engine" not in message and "exec(" not in message, "no frames of the harness"
    assert message.rstrip().endswith("(the line above is where it stopped).")


def test_an_unseeded_snippet_cannot_reproduce_its_output(tmp_path):
    s = snippet(tmp_path, "import torch\n# --8<-- [start:a]\nprint(torch.rand(3))\n# --8<-- [end:a]\n")
    assert engine.run_snippet(s).outputs != engine.run_snippet(s).outputs
    seeded = snippet(tmp_path, "import torch\ntorch.manual_seed(0)\n# --8<-- [start:a]\nprint(torch.rand(3))\n# --8<-- [end:a]\n", "seeded.py")
    assert engine.run_snippet(seeded).outputs == engine.run_snippet(seeded).outputs


def test_global_torch_state_is_restored_and_files_land_in_a_temp_dir(tmp_path):
    s = snippet(tmp_path, """\
        import torch
        torch.set_default_dtype(torch.float64)
        torch.set_printoptions(precision=8)
        torch.set_grad_enabled(False)
        torch.distributions.Distribution.set_default_validate_args(False)  # as torch.compile does
        with open("written.txt", "w") as f:
            f.write("x")
        """)
    before = engine._torch_state()
    engine.run_snippet(s)
    assert engine._torch_state() == before
    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()
    assert torch.distributions.Distribution._validate_args
    assert not (tmp_path / "written.txt").exists()


def test_argv_and_main_are_those_of_a_script(tmp_path):
    s = snippet(tmp_path, """\
        # argv: --quick --n 3
        import sys
        # --8<-- [start:a]
        if __name__ == "__main__":
            print(sys.argv[1:])
        # --8<-- [end:a]
        """)
    assert engine.run_snippet(s).outputs["a"] == "['--quick', '--n', '3']\n"


def test_the_snippet_is_the_main_module_while_it_runs(tmp_path):
    # pickle finds a class by its module, __main__, as multiprocessing's spawn finds a function and
    # torch.compile the globals of an nn.Module's forward: all look in sys.modules["__main__"], which
    # a script's namespace is
    s = snippet(tmp_path, """\
        import multiprocessing
        import pickle
        import sys
        # --8<-- [start:a]
        class Point:
            def __init__(self, x):
                self.x = x


        def square(n):
            return n * n


        if __name__ == "__main__":  # not in the spawned process, which runs this file as __mp_main__
            print(pickle.loads(pickle.dumps(Point(3))).x, sys.modules["__main__"].Point is Point)
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                print(pool.map_async(square, [2, 3]).get(timeout=120))  # a failing worker is restarted forever
        # --8<-- [end:a]
        """)
    main = sys.modules["__main__"]
    assert engine.run_snippet(s).outputs["a"] == "3 True\n[4, 9]\n"
    assert sys.modules["__main__"] is main, "the harness's own __main__ is back afterwards"
    with pytest.raises(engine.SnippetError):
        engine.run_snippet(snippet(tmp_path, "raise ValueError('stop')\n", "fails.py"))
    assert sys.modules["__main__"] is main, "and after a snippet that raised"


@pytest.mark.parametrize("line, printed", [
    ("print(torch.compile(lambda x: x + 1)(torch.zeros(2)))", "tensor([1., 1.])"),
    ("print(torch.func.jvp(torch.sin, (torch.zeros(2),), (torch.ones(2),))[1])", "tensor([1., 1.])"),
], ids=["compile", "forward-mode"])
def test_torch_apis_that_warn_about_torch_itself_run_in_a_snippet(tmp_path, line, printed):
    # in torch 2.13 TorchInductor's import and forward-mode AD's first use warn (torch's own use of
    # an API it deprecated): the harness imports those modules beforehand with exactly that warning
    # ignored, so that no snippet needs a workaround. A fresh interpreter, since this one may have
    # imported them already.
    s = snippet(tmp_path, f"""\
        import torch
        torch.manual_seed(0)
        # --8<-- [start:a]
        {line}
        # --8<-- [end:a]
        """)
    code = (f"import sys; sys.path.insert(0, {str(engine.ROOT / 'scripts')!r}); import snippet_engine as e; "
            f"from pathlib import Path; print(e.run_snippet(e.parse_snippet(Path({str(s.path)!r}))).outputs['a'], end='')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert (run.returncode, run.stdout) == (0, printed + "\n"), run.stderr[-3000:]


@pytest.mark.parametrize("module, message", engine.TORCH_SELF_DEPRECATIONS.items(), ids=list(engine.TORCH_SELF_DEPRECATIONS))
def test_each_torch_self_deprecation_is_still_needed(module, message):
    run = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", f"import {module}"],
                         capture_output=True, text=True, timeout=300)
    assert message in run.stderr, (f"importing {module} no longer warns {message!r} with this torch: remove it "
                                   "from TORCH_SELF_DEPRECATIONS in scripts/snippet_engine.py")


def test_the_cpu_profile_hides_a_gpu(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    s = snippet(tmp_path, "import torch\n# --8<-- [start:a]\nprint(torch.cuda.is_available())\n# --8<-- [end:a]\n")
    assert engine.run_snippet(s, "cpu").outputs["a"] == "False\n"


def test_recording_round_trip_and_compared_view(tmp_path):
    s = snippet(tmp_path, "# --8<-- [start:a]\nprint('# torch: looks like metadata')\n# --8<-- [end:a]\n")
    meta = {"torch": "2.13.0", "device": "cpu", "date": "2026-01-01"}
    text = engine.format_recording(s, "cpu", engine.run_snippet(s).outputs, meta)
    path = tmp_path / "demo.cpu.out"
    path.write_text(text)
    recording = engine.parse_recording(path)
    assert recording.outputs == {"a": "# torch: looks like metadata"}
    assert recording.meta["source-sha256"] == s.sha256
    later = engine.format_recording(s, "cpu", engine.run_snippet(s).outputs, dict(meta, date="2027-01-01"))
    assert engine.compared_view(later) == engine.compared_view(text)  # only the date changed
    newer_torch = engine.format_recording(s, "cpu", engine.run_snippet(s).outputs, dict(meta, torch="2.14.0"))
    assert engine.compared_view(newer_torch) == engine.compared_view(text)  # same output, newer torch
    other_code = text.replace(s.sha256, "0" * 64)
    assert engine.compared_view(other_code) != engine.compared_view(text)


def _gpu_recording(s, tmp_path, **meta):
    text = engine.format_recording(s, "cuda", {"a": "cuda:0"}, {"torch": "2.11.0", "device": "NVIDIA H100 80GB HBM3", **meta})
    s.recording_path("cuda").write_text(text)


def test_a_changed_snippet_makes_its_gpu_recording_stale(tmp_path):
    source = "# profiles: cpu, cuda\n# --8<-- [start:a]\nprint('x')\n# --8<-- [end:a]\n"
    s = snippet(tmp_path, source)
    assert "has no GPU recording" in engine.stale_gpu_recording(s)
    _gpu_recording(s, tmp_path)
    assert engine.stale_gpu_recording(s) is None
    changed = snippet(tmp_path, source.replace("'x'", "'y'"))
    assert "GPU recording is stale" in engine.stale_gpu_recording(changed)
    assert "re-record on a GPU" in engine.stale_gpu_recording(changed)


def test_a_gpu_recording_made_on_a_cpu_is_refused(tmp_path):
    s = snippet(tmp_path, "# profiles: cuda\n# --8<-- [start:a]\nprint('x')\n# --8<-- [end:a]\n")
    text = engine.format_recording(s, "cuda", {"a": "x"}, {"torch": "2.13.0", "device": "cpu"})
    s.recording_path("cuda").write_text(text)
    assert "made on the CPU" in engine.stale_gpu_recording(s)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without a GPU")
def test_record_refuses_the_cuda_profile_without_a_gpu():
    result = subprocess.run([sys.executable, str(engine.ROOT / "scripts/record.py"), "--profile", "cuda"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "needs a CUDA GPU" in result.stderr


def test_record_refuses_output_that_depends_on_the_number_of_threads(tmp_path):
    """The suite runs snippets on one thread per worker, a reader on all their cores: record.py's
    second run is on one thread, and a difference that a third run on all threads does not show
    is named for what it is (nn.LayerNorm's CPU gradients drifted a training run apart)."""
    import record

    path = tmp_path / "threads.py"
    path.write_text("import torch\n# --8<-- [start:a]\nprint(torch.get_num_threads() > 1)\n# --8<-- [end:a]\n")
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with pytest.raises(engine.SnippetError, match="depends on how the work is split among threads"):
            record.record(path, "cpu")
        assert torch.get_num_threads() == 2  # put back after the one-thread run
    finally:
        torch.set_num_threads(threads)
    assert not path.with_suffix(".cpu.out").exists()


def test_compare_same_torch_header(tmp_path):
    s = snippet(tmp_path, "# compare: same-torch (prints the version)\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")
    assert s.same_torch_only == "prints the version"
    assert snippet(tmp_path, "# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n").same_torch_only is None
    with pytest.raises(engine.SnippetError, match="must be `same-torch"):
        snippet(tmp_path, "# compare: never\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")


def test_a_cpu_is_named_with_its_generation_because_vms_hide_the_model():
    x86 = ("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
           "model name\t: AMD EPYC\n\nprocessor\t: 1\ncpu family\t: 99\nmodel\t\t: 9\n")
    assert engine.describe_cpu(x86) == "AMD EPYC (family 26, model 2)"  # the first processor's block
    arm = "processor\t: 0\nBogoMIPS\t: 2000.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"
    assert engine.describe_cpu(arm).endswith("(implementer 0x41, part 0xd0c)")
    assert engine.describe_cpu("model name\t: Intel(R) Xeon(R)   Processor\n") == "Intel(R) Xeon(R) Processor"
    assert engine.describe_cpu("")  # no /proc/cpuinfo: still a name, never empty


def test_search_prose_only_needs_its_reason(tmp_path):
    body = "# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n"
    assert snippet(tmp_path, "# search: prose-only (a long program)\n" + body).search_prose_only == "a long program"
    assert snippet(tmp_path, body).search_prose_only is None
    with pytest.raises(engine.SnippetError, match=r"`# search:` must be `prose-only \(reason\)`"):
        snippet(tmp_path, "# search: prose-only\n" + body)


def test_compare_same_cpu_masks_numbers_only_on_another_cpu(tmp_path):
    s = snippet(tmp_path, "# compare: same-cpu (a long run)\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")
    assert s.same_cpu_only == "a long run" and s.same_torch_only is None
    here = engine.run_metadata("cpu")
    assert here["cpu"] == engine.cpu_model() and here["cpu"]

    def recording(**meta):
        return engine.Recording(path=tmp_path / "x.cpu.out", meta={"device": "cpu", **meta}, outputs={})

    assert engine.compare_exactly(s, recording(cpu=engine.cpu_model()))
    assert not engine.compare_exactly(s, recording(cpu="Another CPU"))
    assert not engine.compare_exactly(s, recording())  # recorded before the cpu line existed
    assert engine.compare_exactly(s, recording(cpu="Another CPU", device="NVIDIA H100"))  # a GPU's digits
    plain = snippet(tmp_path, "# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")
    assert engine.compare_exactly(plain, recording(cpu="Another CPU"))
    # digits, decimals, exponents, signs and a tensor's column widths may differ
    assert (engine.masked_numbers("loss 0.0650 acc 0.995\ntensor([[ 0.8462, -0.6827]])\n1.2e-05")
            == engine.masked_numbers("loss 0.0676 acc 0.990\ntensor([[ 0.8461, -0.6827]])\n1.3e-05"))
    assert engine.masked_numbers("tensor([ 9.9000,  1.0000])") == engine.masked_numbers("tensor([10.1000,  1.0000])")
    assert engine.masked_numbers("tensor([ 0.0001])") == engine.masked_numbers("tensor([-0.0001])")
    # words, lines, names with digits in them and how many numbers there are may not
    assert engine.masked_numbers("epoch 25 loss 0.1") != engine.masked_numbers("epoch 25 loss nan")
    assert engine.masked_numbers("499 of 500") != engine.masked_numbers("499 of 500 changed")
    assert engine.masked_numbers("fc1 float32 cu126") != engine.masked_numbers("fc2 float64 cu128")
    assert engine.masked_numbers("# source-sha256: ab12") == "# source-sha256: ab12"
    assert engine.masked_numbers("[1, 2]") != engine.masked_numbers("[1, 2, 3]")
    with pytest.raises(engine.SnippetError, match="needs a reason"):
        snippet(tmp_path, "# compare: same-cpu ( )\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")


def test_a_changed_snippet_makes_its_cpu_recording_stale(tmp_path):
    """The build refuses to show a recording under code it was not recorded from (mkdocs_hooks)."""
    source = "# --8<-- [start:a]\nprint('x')\n# --8<-- [end:a]\n"
    s = snippet(tmp_path, source)
    assert "has no recorded output" in engine.stale_cpu_recording(s)
    s.recording_path("cpu").write_text(engine.format_recording(s, "cpu", {"a": "x"}, {"torch": "2.13.0"}))
    assert engine.stale_cpu_recording(s) is None
    stale = engine.stale_cpu_recording(snippet(tmp_path, source.replace("'x'", "'y'")))
    assert "recorded from another version" in stale and "scripts/record.py" in stale and "demo.py" in stale


def test_a_mistyped_section_name_is_named_with_the_closest_one(tmp_path):
    s = snippet(tmp_path, "# --8<-- [start:make-a-tensor]\nx = 1\n# --8<-- [end:make-a-tensor]\n")
    message = engine.missing_section(s, "make-a-tensr", "docs/demo/page.md")
    assert "no section 'make-a-tensr'" in message and "did you mean 'make-a-tensor'?" in message
    assert "Fix the name in docs/demo/page.md" in message
    assert "it has: make-a-tensor" in engine.missing_section(s, "zzz", "docs/demo/page.md")


def test_record_leaves_a_same_cpu_recording_of_another_cpu_alone_unless_forced(tmp_path):
    import record

    source = "# compare: same-cpu (a long run)\n# --8<-- [start:a]\nprint('loss', 0.5)\n# --8<-- [end:a]\n"
    s = snippet(tmp_path, source)
    meta = {**engine.run_metadata("cpu"), "cpu": "Another CPU"}
    theirs = engine.format_recording(s, "cpu", {"a": "loss 0.4999\n"}, meta)  # that CPU's digits
    target = s.recording_path("cpu")
    target.write_text(theirs, encoding="utf-8")
    assert record.record(s.path, "cpu").startswith("unchanged") and target.read_text(encoding="utf-8") == theirs
    assert record.record(s.path, "cpu", force=True).startswith("wrote")
    recorded = engine.parse_recording(target)
    assert recorded.outputs["a"] == "loss 0.5" and recorded.meta["cpu"] == engine.cpu_model()
    # where another CPU printed the same digits, --force only claims the recording for this CPU
    same_digits = engine.format_recording(s, "cpu", {"a": "loss 0.5\n"}, meta)
    target.write_text(same_digits, encoding="utf-8")
    assert "whose digits hold here too; --force makes this CPU its owner" in record.record(s.path, "cpu")
    assert record.record(s.path, "cpu", force=True).startswith(f"claimed {engine.rel(target)} for this CPU")
    assert engine.parse_recording(target).meta["cpu"] == engine.cpu_model()
    assert record.record(s.path, "cpu", force=True).startswith("unchanged")  # already this CPU's: nothing to do
    # another CPU's recording of code that changed since is rewritten without --force
    target.write_text(theirs, encoding="utf-8")
    snippet(tmp_path, source.replace("0.5)", "0.5)  # the same output"))
    assert record.record(s.path, "cpu").startswith("wrote")


# A `# launch: torchrun ...` snippet: run the way its page says, in processes of its own.
LAUNCHED = """\
    # launch: torchrun --standalone --nproc-per-node=2
    import os
    import time

    import torch
    import torch.distributed as dist

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    # --8<-- [start:sum]
    x = torch.tensor([rank + 1.0])
    dist.all_reduce(x)
    if rank == 0:
        print("sum", x.item(), "over", os.environ["WORLD_SIZE"], "processes")
        open("from-process-0.txt", "w").close()
    dist.barrier()
    assert os.path.exists("from-process-0.txt"), "the processes share their working directory, as a reader's do"
    # --8<-- [end:sum]
    # --8<-- [start:mistake]
    MISTAKE
    # --8<-- [end:mistake]
    dist.destroy_process_group()
    """


def test_a_launched_snippet_records_what_process_0_printed(tmp_path):
    s = snippet(tmp_path, LAUNCHED.replace("MISTAKE", "pass"))
    assert s.launch == ["torchrun", "--standalone", "--nproc-per-node=2"]
    result = engine.run_snippet(s)
    assert result.outputs == {"sum": "sum 3.0 over 2 processes\n", "mistake": ""}
    assert not result.stray_output and not result.stderr


@pytest.mark.parametrize("mistake, message", [
    ('if rank == 1:\n        print("hello")', r"process 1 printed 'hello\\n'\. Print on process 0 only"),
    ('if rank == 1:\n        raise ValueError("bad")', r"process 1: .*demo\.py:\d+ \(in section 'mistake'\) raised ValueError: bad"),
])
def test_a_launched_snippet_names_the_process_that_went_wrong(tmp_path, mistake, message):
    s = snippet(tmp_path, LAUNCHED.replace("MISTAKE", mistake))
    with pytest.raises(engine.SnippetError, match=message):
        engine.run_snippet(s)


def test_a_launched_snippet_that_hangs_is_stopped_with_its_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "LAUNCH_TIMEOUT", 10)
    pid_file = tmp_path / "pid"
    s = snippet(tmp_path, LAUNCHED.replace("MISTAKE", f'if rank == 1:\n        open({str(pid_file)!r}, "w").write(str(os.getpid()))\n'
                                           "        time.sleep(600)\n    dist.barrier()"))
    with pytest.raises(engine.SnippetError, match=r"did not finish within 10 s under `torchrun --standalone "
                                                   r"--nproc-per-node=2`: a process probably waits in a collective"):
        engine.run_snippet(s)
    with pytest.raises(ProcessLookupError):  # the sleeping process was stopped, not left behind
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.parametrize("header", ["# launch: python -m torch.distributed.run", "# launch: torchrun demo.py"])
def test_a_launch_header_is_torchrun_and_its_options(tmp_path, header):
    with pytest.raises(engine.SnippetError, match=r"`# launch:` must be `torchrun` and its options"):
        snippet(tmp_path, f"{header}\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")


def test_the_page_shows_the_command_the_harness_runs():
    import launch_command

    assert launch_command.render("zh", "snippets/gpu/ddp.py") == (
        "```bash\ntorchrun --standalone --nproc-per-node=2 ddp.py\n```")
    with pytest.raises(ValueError, match=r"snippets/basics/tensors\.py has no `# launch: torchrun \.\.\.` header"):
        launch_command.render("en", "snippets/basics/tensors.py")
