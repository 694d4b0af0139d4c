"""The GitHub Actions pipeline, checked offline: schema, zizmor's security audit, and the promises
the pipeline makes (pinned actions, least privilege, forks kept off the GPU runner, nothing
deployed that has not passed every test job, the README's test command in CI)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted([*(GITHUB / "workflows").glob("*.yml"), *(GITHUB / "workflows").glob("*.yaml")])
CI = GITHUB / "workflows" / "ci.yml"
FRESHNESS = GITHUB / "workflows" / "freshness.yml"
LINKS = GITHUB / "workflows" / "links.yml"
BIN = Path(sys.executable).parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
FORK_GUARD = ("github.event_name != 'pull_request'", "github.event.pull_request.head.repo.full_name == github.repository")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
PIN_COMMENT = re.compile(r"^\s*-?\s*uses:\s*(\S+)\s+#\s*v\d+\.\d+\.\d+\s*$")


def rel(path):
    return path.relative_to(ROOT).as_posix()


def tool(name):
    exe = BIN / (name + ".exe" if sys.platform == "win32" else name)
    if not exe.exists():
        pytest.fail(f"{name} is missing next to {sys.executable}: run scripts/bootstrap.sh "
                    "(it installs requirements.txt into .venv).", pytrace=False)
    return exe


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{rel(path)}: not a YAML mapping"
    # YAML 1.1 reads the key `on` as the boolean True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def jobs(path):
    return load(path).get("jobs") or {}


def steps(job):
    return job.get("steps") or []


def runs(job):
    return [step["run"] for step in steps(job) if "run" in step]


def labels(job):
    runs_on = job.get("runs-on", [])
    return [runs_on] if isinstance(runs_on, str) else list(runs_on)


def ancestors(all_jobs, name):
    """Every job `name` waits for, directly or through other jobs."""
    seen, todo = set(), [name]
    while todo:
        needs = all_jobs[todo.pop()].get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in seen:
                seen.add(need)
                todo.append(need)
    return seen


def uses(job):
    return [step["uses"] for step in steps(job) if "uses" in step] + ([job["uses"]] if "uses" in job else [])


def jobs_using(path, action):
    return {name: job for name, job in jobs(path).items() if any(u.split("@")[0] == action for u in uses(job))}


def test_workflows_exist():
    assert CI.exists(), f"{rel(CI)} is missing: it is the pipeline (lint, CPU and GPU tests, deploy)."
    assert FRESHNESS.exists(), f"{rel(FRESHNESS)} is missing: it runs the snippets on the newest torch weekly."


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_schema(path):
    result = subprocess.run([str(tool("check-jsonschema")), "--builtin-schema", "vendor.github-workflows", str(path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (f"{rel(path)} is not a valid GitHub workflow (fix the keys named below):\n"
                                    f"{result.stdout}{result.stderr}")


def test_dependabot_schema():
    path = GITHUB / "dependabot.yml"
    if not path.exists():
        pytest.skip("no .github/dependabot.yml")
    result = subprocess.run([str(tool("check-jsonschema")), "--builtin-schema", "vendor.dependabot", str(path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{rel(path)} is not a valid Dependabot config:\n{result.stdout}{result.stderr}"


def test_zizmor_finds_nothing_high():
    result = subprocess.run([str(tool("zizmor")), "--offline", "--format", "json", ".github/"],
                            cwd=ROOT, capture_output=True, text=True)
    # zizmor exits 10-14 when it has findings (by their highest severity); anything else non-zero is an error.
    assert result.returncode == 0 or 10 <= result.returncode <= 14, f"zizmor failed:\n{result.stderr[-3000:]}"
    findings = json.loads(result.stdout or "[]")

    def where(finding):
        loc = finding["locations"][0]
        path = loc["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
        return f"{path}:{loc['concrete']['location']['start_point']['row'] + 1}"

    listing = "\n".join(f"  {f['determinations']['severity']:<13} {f['ident']:<24} {where(f)}  {f['desc']} ({f['url']})"
                        for f in findings)
    high = [f for f in findings if f["determinations"]["severity"] == "High"]
    if high:
        pytest.fail(f"zizmor found {len(high)} high-severity problem(s) in .github/; fix them "
                    f"(`.venv/bin/zizmor --offline .github/` explains each one):\n{listing}", pytrace=False)


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_actions_pinned_to_a_commit(path):
    problems = []
    for name, job in jobs(path).items():
        problems += [f"job {name}: uses {u}" for u in uses(job) if not u.startswith("./") and not PINNED.match(u)]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^\s*-?\s*uses:", line) and "./" not in line and not PIN_COMMENT.match(line):
            problems.append(f"line {number}: {line.strip()}")
    assert not problems, (f"{rel(path)}: pin every action to a full 40-hex commit SHA with the release in a comment, "
                          "e.g. `uses: actions/checkout@<sha> # v7.0.1`:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_least_privilege(path):
    workflow = load(path)
    top = workflow.get("permissions")
    assert top in ({}, {"contents": "read"}), (
        f"{rel(path)}: set `permissions: {{}}` at the top; each job then asks for what it needs.")
    missing = [name for name, job in workflow["jobs"].items() if "permissions" not in job]
    assert not missing, f"{rel(path)}: give job(s) {missing} an explicit `permissions:` block (`contents: read` at most, usually)."
    untimed = [name for name, job in workflow["jobs"].items() if "timeout-minutes" not in job]
    assert not untimed, f"{rel(path)}: give job(s) {untimed} a `timeout-minutes:` so a hung run cannot hold a runner for 6 h."


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_no_credentials_left_behind_or_expressions_in_scripts(path):
    workflow = load(path)
    triggers = workflow["on"]
    triggers = [triggers] if isinstance(triggers, str) else list(triggers)
    risky = {"pull_request_target", "workflow_run"} & set(triggers)
    assert not risky, f"{rel(path)}: do not trigger on {sorted(risky)}; they run with secrets on code from forks."
    for name, job in workflow["jobs"].items():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (
                    f"{rel(path)}: job {name}: add `with: persist-credentials: false` to actions/checkout.")
            assert "${{" not in step.get("run", ""), (
                f"{rel(path)}: job {name}, step {step.get('name', step['run'][:40])!r}: move the `${{{{ }}}}` "
                "expression out of `run:` into the step's `env:` and use the variable in the script.")


def test_linux_job_runs_the_readme_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^scripts/test\.sh\b", readme, re.M), "README.md no longer names `scripts/test.sh` as the test command."
    linux = {name: job for name, job in jobs(CI).items()
             if any(label.startswith("ubuntu-") for label in labels(job)) and "scripts/test.sh" in runs(job)}
    assert linux, (f"{rel(CI)}: a job on ubuntu-latest must run the README's test command, a step `run: scripts/test.sh` "
                   "(the whole suite: lint, snippets, strict build, browser tests).")
    for name, job in linux.items():
        assert (job.get("env") or {}).get("PIP_EXTRA_INDEX_URL") == CPU_INDEX, (
            f"{rel(CI)}: job {name}: set `env: PIP_EXTRA_INDEX_URL: {CPU_INDEX}` so torch is the CPU wheel.")


def test_snippets_on_windows_and_macos():
    matrix_jobs = [job for job in jobs(CI).values()
                   if {"windows-latest", "macos-latest"} <= set((job.get("strategy") or {}).get("matrix", {}).get("os", []))]
    assert matrix_jobs, f"{rel(CI)}: add a job with `matrix: os: [windows-latest, macos-latest]` that runs the snippets."
    for job in matrix_jobs:
        assert any("tests/test_snippets.py" in run for run in runs(job)), (
            f"{rel(CI)}: the Windows/macOS job must run `python -m pytest tests/test_snippets.py -p no:cacheprovider`.")
        assert (job.get("env") or {}).get("SNIPPETS_COMPARE_OUTPUT") == "0", (
            f"{rel(CI)}: set `env: SNIPPETS_COMPARE_OUTPUT: \"0\"` on the Windows/macOS job (outputs were recorded on Linux).")


def test_gpu_job_never_runs_fork_code():
    gpu = {name: job for name, job in jobs(CI).items() if "self-hosted" in labels(job)}
    assert gpu, f"{rel(CI)}: add the GPU job, `runs-on: [self-hosted, linux, gpu]`, running `scripts/test.sh`."
    for name, job in gpu.items():
        condition = " ".join(str(job.get("if", "")).split())
        assert all(part in condition for part in FORK_GUARD), (
            f"{rel(CI)}: job {name} runs on a self-hosted runner: keep code from forks off it with "
            f"`if: {FORK_GUARD[0]} || {FORK_GUARD[1]}`.")
        assert "gpu" in labels(job), f"{rel(CI)}: job {name}: add the `gpu` label to runs-on."
        assert "scripts/test.sh" in runs(job), f"{rel(CI)}: job {name}: run `scripts/test.sh` (it detects CUDA)."
        assert "PIP_EXTRA_INDEX_URL" not in str(job), (
            f"{rel(CI)}: job {name}: drop PIP_EXTRA_INDEX_URL; the GPU job needs PyPI's CUDA build of torch.")
    for path in WORKFLOWS:
        for name, job in jobs(path).items():
            assert path == CI or "self-hosted" not in labels(job), (
                f"{rel(path)}: job {name}: self-hosted runners belong in {rel(CI)} behind the fork guard.")


def test_deploy_only_after_every_test_job_on_main():
    all_jobs = jobs(CI)
    deploy = jobs_using(CI, "actions/deploy-pages")
    assert len(deploy) == 1, f"{rel(CI)}: exactly one job should use actions/deploy-pages (found {sorted(deploy)})."
    (name, job), = deploy.items()
    chain = ancestors(all_jobs, name)
    tests = {other for other in all_jobs if other != name and not jobs_using(CI, "actions/upload-pages-artifact").get(other)}
    gpu = {other for other, j in all_jobs.items() if "self-hosted" in labels(j)}
    missing = (tests | gpu) - chain
    assert not missing, f"{rel(CI)}: job {name} must wait for every test job: add {sorted(missing)} to its `needs:`."
    for gated in {name} | (chain - tests):
        condition = " ".join(str(all_jobs[gated].get("if", "")).split())
        assert "github.event_name == 'push'" in condition and "github.ref == 'refs/heads/main'" in condition, (
            f"{rel(CI)}: job {gated}: add `if: github.event_name == 'push' && github.ref == 'refs/heads/main'`.")
    assert job.get("permissions") == {"pages": "write", "id-token": "write"}, (
        f"{rel(CI)}: job {name}: permissions should be exactly `pages: write` and `id-token: write`.")
    environment = job.get("environment")
    assert (environment.get("name") if isinstance(environment, dict) else environment) == "github-pages", (
        f"{rel(CI)}: job {name}: deploy to `environment: github-pages`.")
    assert (job.get("concurrency") or {}).get("cancel-in-progress") is False, (
        f"{rel(CI)}: job {name}: add `concurrency: {{group: pages, cancel-in-progress: false}}`.")
    uploads = [step for j in all_jobs.values() for step in steps(j)
               if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and all((s.get("with") or {}).get("path") == "site" for s in uploads), (
        f"{rel(CI)}: upload the built site with actions/upload-pages-artifact, `with: path: site`.")
    builds = [run for j in all_jobs.values() for run in runs(j)]
    assert "scripts/bootstrap.sh --no-browser" in builds and ".venv/bin/mkdocs build --strict" in builds, (
        f"{rel(CI)}: build the site with `scripts/bootstrap.sh --no-browser` then `.venv/bin/mkdocs build --strict`.")


def test_only_the_jobs_that_need_it_can_write():
    allowed = {(CI, "pages"), (CI, "id-token"), (FRESHNESS, "issues"), (LINKS, "issues")}
    for path in WORKFLOWS:
        for name, job in jobs(path).items():
            for scope, level in (job.get("permissions") or {}).items():
                assert level != "write" or (path, scope) in allowed, (
                    f"{rel(path)}: job {name} asks for `{scope}: write`; drop it (only Pages deploy and the "
                    "issues of the freshness and link checks need to write).")
                if scope == "issues":
                    assert any("gh issue create" in run for run in runs(job)), (
                        f"{rel(path)}: only the job that runs `gh issue create` may have `issues: write`.")


def test_freshness_runs_snippets_on_newest_torch_weekly():
    workflow = load(FRESHNESS)
    assert workflow["on"].get("schedule") and "workflow_dispatch" in workflow["on"], (
        f"{rel(FRESHNESS)}: trigger on a weekly `schedule: - cron:` and on `workflow_dispatch`.")
    scripts = "\n".join(run for job in workflow["jobs"].values() for run in runs(job))
    assert "pip install" in scripts and "--upgrade torch" in scripts, (
        f"{rel(FRESHNESS)}: install requirements.txt, then `python -m pip install --upgrade torch`.")
    assert "pytest tests/test_snippets.py -W error" in scripts, (
        f"{rel(FRESHNESS)}: run `python -m pytest tests/test_snippets.py -W error`.")
    assert "gh issue create" in scripts, f"{rel(FRESHNESS)}: open an issue with `gh issue create` when the snippets fail."


def test_external_links_are_checked_online_weekly():
    path = GITHUB / "workflows" / "links.yml"
    workflow = load(path)
    assert workflow["on"].get("schedule") and "workflow_dispatch" in workflow["on"], (
        f"{rel(path)}: trigger on a weekly `schedule: - cron:` and on `workflow_dispatch`.")
    scripts = "\n".join(run for job in workflow["jobs"].values() for run in runs(job))
    assert "scripts/external_links.py --check" in scripts and "gh issue create" in scripts, (
        f"{rel(path)}: run `python scripts/external_links.py --check` and open an issue when it fails.")


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_python_is_3_11(path):
    for name, job in jobs(path).items():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert str((step.get("with") or {}).get("python-version")) == "3.11", (
                    f"{rel(path)}: job {name}: set `python-version: \"3.11\"` on actions/setup-python.")
