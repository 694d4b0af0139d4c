"""The install pages: every command comes from docs/install/install.yml and agrees with it, and the
selector shows, for every choice, exactly the block a reader without JavaScript gets."""

import copy
import html
import re

import pytest

import docs_model
import install_data as install

DATA = install.load()
CHOICES = install.choices(DATA)
SHELL_COMMAND = re.compile(r"^\s*(?:pip3?|uv|conda|python3?|py|git)\s", re.M)


def test_the_data_file_is_valid_and_cites_its_sources():
    assert install.validate(DATA) == []
    for entry in DATA["releases"]:
        assert entry["sources"], entry["version"]


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d["releases"][0].update(sources=["nowhere"]), "cites unknown source 'nowhere'"),
    (lambda d: d["releases"][1].update(cuda=["cu999"]), "names variant 'cu999'"),
    (lambda d: d["releases"].reverse(), "newest first"),
    (lambda d: d["selector"]["platforms"]["windows"]["pip"].append("mps"), "'mps' offered on windows"),
    (lambda d: d["mirrors"]["pypi"][0].pop("sources"), "mirrors[TUNA] has no `sources`"),
    (lambda d: d["commands"]["nvidia-smi"].pop("sources"), "commands[nvidia-smi] has no `sources`"),
    (lambda d: d["commands"]["nvidia-smi"].update(lines=[]), "commands[nvidia-smi] has no `lines`"),
    (lambda d: d["commands"]["wsl-list"].update(shell="cmd"), "`shell` must be bash or powershell"),
    (lambda d: d["releases"][1].update(torchvison="0.28"), "releases[2.14] has unknown key `torchvison` (did you mean `torchvision`?)"),
    (lambda d: d["variants"]["cu128"].update(linux_drivers=d["variants"]["cu128"].pop("linux_driver")),
     "variants[cu128] lacks `linux_driver`: add it"),
])
def test_broken_data_is_reported_by_entry(breakage, message):
    data = copy.deepcopy(DATA)
    breakage(data)
    problems = install.validate(data)
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("choice", CHOICES, ids=[c.key for c in CHOICES])
def test_every_selector_choice_agrees_with_the_data(choice):
    recipe = install.recipe(choice, "en", DATA)
    if recipe.unavailable:
        assert not recipe.lines
        return
    command = recipe.install
    indexes = re.findall(r"--index-url (\S+)", command)
    assert len(indexes) <= 1 and " -i " not in command, "one index only: -i is --index-url"
    assert "-c pytorch" not in command and "pytorch-cuda" not in command and "cudatoolkit" not in command
    if choice.os == "macos":
        assert not re.search(r"cu\d+|rocm|cuda", command), "no CUDA or ROCm on macOS"
    if choice.os == "windows":
        assert "rocm" not in command, "no ROCm on Windows"
    if choice.manager == "conda":
        assert command.startswith("conda install ")
        mirror = install.mirror(DATA, "conda_forge")["url"]
        assert (f"-c {mirror}" in command) == choice.mirror and ("-c conda-forge" in command) != choice.mirror
        python = recipe.lines[0].rsplit("python=", 1)[1]
        assert _version(python) >= _version(install.newest(DATA)["python"]), "the env's Python must run the newest torch"
        return
    assert command.startswith(("pip install torch torchvision", "uv pip install torch torchvision"))
    if choice.platform == install.pypi_variant(DATA, choice.os):
        expected = [install.mirror(DATA, "pypi")["url"]] if choice.mirror else []
        assert indexes == expected, "the PyPI build needs no extra index; with the mirror on, it comes from the mirror"
    else:
        assert indexes == [install.index_url(DATA, choice.platform)]
        if choice.platform != "cpu":
            assert install.newest_with(DATA, choice.platform) is not None, f"no verified release has {choice.platform}"
        if choice.mirror:
            assert any("no mirror in mainland China that this site has verified" in note for note in recipe.notes)
    variant = DATA["variants"].get(choice.platform, {})
    # The newest release the command is known to install: from a CUDA or ROCm index, the newest
    # verified to be there (a dropped variant stops at its `last_release`); the Python it needs
    # is what the command needs, and no note speaks of a newer release than that.
    on_index = choice.platform != install.pypi_variant(DATA, choice.os) and variant.get("kind") in ("cuda", "rocm")
    top = install.newest_with(DATA, choice.platform) if on_index else install.newest(DATA)
    assert any(f"Python {top['python']} or newer" in note for note in recipe.notes)
    for named in re.findall(r"torch (\d+\.\d+)", " ".join(recipe.notes)):
        assert _version(named) <= _version(top["version"]), f"a note names torch {named}, newer than {top['version']}"
    # "since torch X": X needs that Python, and the next older release listed needs an older one
    versions = [r["version"] for r in DATA["releases"]]
    for since in re.findall(r"since torch (\d+\.\d+)", " ".join(recipe.notes)):
        i = versions.index(since)
        assert i + 1 < len(versions) and DATA["releases"][i + 1]["python"] != DATA["releases"][i]["python"], since
    if "last_release" in variant:
        assert any(f"installs torch {variant['last_release']}" in note for note in recipe.notes)
    if variant.get("kind") == "cuda" and choice.os == "windows":
        assert any("not verified the minimum driver version for Windows" in note for note in recipe.notes)
    elif variant.get("kind") == "cuda":
        assert any(f"driver R{variant['linux_driver']}" in note for note in recipe.notes)


def _version(text):
    return tuple(int(x) for x in text.split("."))


def test_the_glibc_pages_quote_the_release_the_data_names():
    """The paragraph that says which torch pip falls back to on an old glibc quotes the data file's
    values: x86_64's and, beside the word ARM64, ARM64's."""
    linux = DATA["os"]["linux"]
    releases = [linux["last_release_for_older_glibc"], linux["last_release_for_older_glibc_aarch64"]]
    quoted = [re.compile(rf"(?<![\d.]){re.escape(release)}(?![\d.])") for release in releases]
    for key in ("install/linux", "install/troubleshooting"):
        for language in docs_model.LANGUAGES:
            path = docs_model.translation_path(key, language)
            paragraphs = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
            assert any(all(q.search(p) for q in quoted) and "ARM64" in p for p in paragraphs), (
                f"{path.name}: the glibc paragraph must name torch {releases[0]} (x86_64) and, for ARM64, "
                f"torch {releases[1]} (os.linux.last_release_for_older_glibc and ..._aarch64 in docs/install/install.yml)")


def test_the_selector_covers_every_os_and_platform_kind():
    keys = {c.key for c in CHOICES}
    for needed in ("linux/pip/cpu/off", "linux/pip/rocm7.2/off", "linux/uv/cu126/on", "linux/conda/cuda/on",
                   "windows/pip/cpu/off", "windows/pip/cu130/off", "macos/pip/mps/on", "macos/conda/intel/off"):
        assert needed in keys


def test_versions_and_nightlies_use_only_verified_variants():
    with pytest.raises(install.InstallDataError, match="no verified variant 'cu128'"):
        install.version_line(DATA, "2.12", "cu128")
    with pytest.raises(install.InstallDataError, match="no verified torchvision"):
        install.version_line(DATA, "2.15", "cu130")
    assert install.version_line(DATA, "2.12", "cu130") == (
        'pip install "torch==2.12.*" "torchvision==0.27.*" --index-url https://download.pytorch.org/whl/cu130')


def test_set_up_steps_render_from_the_data_and_every_step_is_shown():
    block = install.render_commands("en", "pip-mirror-config")
    assert install.mirror(DATA, "pypi")["url"] in block and "{pypi_mirror}" not in block
    assert install.render_commands("zh", "wsl-list").startswith("``` { .powershell")
    with pytest.raises(install.InstallDataError, match="no step 'nvcc'"):
        install.render_commands("en", "nvcc")
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (install.ROOT / "docs").rglob("*.md"))
    shown = set(re.findall(r"<!-- generated: install-commands name=([a-z0-9-]+) -->", pages))
    assert shown == set(DATA["commands"]), f"steps under `commands` that no page shows: {set(DATA['commands']) - shown}"


def _code_blocks(page_html):
    """Every code block but Python code and recorded output."""
    for classes, block in re.findall(r'<div class="([^"]*\bhighlight\b[^"]*)"[^>]*><pre[^>]*>(.*?)</pre>', page_html, re.S):
        if "language-python" in classes or "snippet-output" in classes:
            continue
        yield html.unescape(re.sub(r"<[^>]+>", "", block))


def test_every_shell_command_on_the_site_is_generated_from_the_data(site_dir):
    allowed = set()
    for choice in CHOICES:
        for language in install.L:
            allowed.update(install.recipe(choice, language, DATA).lines)
    allowed |= install.all_install_lines(DATA)
    allowed |= install.other_commands(DATA)
    seen = 0
    for page in site_dir.rglob("*.html"):
        for block in _code_blocks(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                if SHELL_COMMAND.match(line):
                    seen += 1
                    assert line.strip() in allowed, (
                        f"{page.relative_to(site_dir)}: `{line.strip()}` is not generated from docs/install/install.yml")
    assert seen > len(CHOICES), "the install pages show too few commands: is the selector on the page?"


# --- the selector in a real browser -----------------------------------------------------------

LEAF_TEXT = """
    const leafText = () => {
        const root = document.querySelector('.install-selector');
        const visible = [...root.querySelectorAll('.tabbed-block')].filter(b => b.offsetParent !== null);
        const leaf = visible.filter(b => !b.querySelector('.tabbed-block')).pop();
        if (!leaf) return null;
        return leaf.innerText.split('\\n').map(l => l.trim()).filter(Boolean).join('\\n');
    };
"""
# A reader without JavaScript: click the tab labels (pure CSS tabs), read the visible block.
STATIC = LEAF_TEXT + """
    (choices) => Object.fromEntries(choices.map(([key, names]) => {
        let set = document.querySelector('.install-selector > .tabbed-set');
        for (const name of names) {
            const labels = [...set.querySelector(':scope > .tabbed-labels').children];
            const i = labels.findIndex(l => l.textContent.trim() === name);
            labels[i].click();
            const block = set.querySelector(':scope > .tabbed-content').children[i];
            set = block.querySelector(':scope > .tabbed-set');
        }
        return [key, leafText()];
    }))
"""
# A reader with JavaScript: press the selector's buttons, read the visible block.
LIVE = LEAF_TEXT + """
    (choices) => Object.fromEntries(choices.map(([key, names]) => {
        const rows = [...document.querySelectorAll('.install-row')];
        names.forEach((name, i) => [...rows[i].querySelectorAll('button')].find(b => b.textContent === name).click());
        const shown = document.querySelector('.install-selector').dataset.choice;
        return [key, shown === key ? leafText() : `selector shows ${shown}`];
    }))
"""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_selector_shows_the_static_tab_for_every_choice(browser, site_url, language):
    prefix = "" if language == "zh" else "en/"
    url = f"{site_url}/{prefix}install/"
    labels = install.L[language]
    choices = [(c.key, [install.OS_LABELS[c.os], labels["conda"] if c.manager == "conda" else c.manager,
                        install.platform_label(c.platform, language, DATA), labels["on" if c.mirror else "off"]])
               for c in CHOICES]
    static_context = browser.new_context(java_script_enabled=False)
    static = static_context.new_page()
    static.goto(url)
    assert static.locator(".install-panel").count() == 0, "without JavaScript there are no buttons, only tabs"
    expected = static.evaluate(STATIC, choices)
    static_context.close()

    live_context = browser.new_context()
    live = live_context.new_page()
    errors = []
    live.on("pageerror", lambda e: errors.append(str(e)))
    live.goto(url, wait_until="networkidle")
    assert live.locator(".install-selector--enhanced .install-panel").count() == 1
    assert live.locator(".install-selector .tabbed-labels").first.is_hidden()
    shown = live.evaluate(LIVE, choices)
    live_context.close()
    assert not errors
    for choice in CHOICES:
        assert shown[choice.key] == expected[choice.key], choice.key
        rec = install.recipe(choice, language, DATA)
        assert (rec.unavailable or rec.install) in expected[choice.key], choice.key


def test_selector_is_usable_from_the_keyboard(browser, site_url):
    page = browser.new_context().new_page()
    page.goto(f"{site_url}/en/install/", wait_until="networkidle")
    button = page.locator(".install-row").nth(0).get_by_role("button", name="Windows", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator(".install-selector").get_attribute("data-choice").startswith("windows/")
    assert page.evaluate("document.activeElement.textContent") == "Windows"
    assert button.get_attribute("aria-pressed") == "true"
    page.context.close()


# --- the install check (snippets/install/verify.py) on a pretend GPU ---------------------------

@pytest.mark.parametrize("arch_list, capability, expected", [
    (["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"], (8, 9), "supported: this build has sm_86"),
    (["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"], (12, 0), "supported: this build has sm_120"),
    (["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"], (12, 0), "NOT supported by this build"),
    (["sm_75", "sm_80", "sm_90", "compute_90"], (12, 0), "supported through compute_90 (PTX"),
    (["sm_75", "sm_80", "sm_86", "sm_90"], (6, 1), "NOT supported by this build"),
])
def test_verify_judges_the_gpu_against_the_compiled_architectures(monkeypatch, capsys, arch_list, capability, expected):
    """The GPU part of the install check, run on a CPU machine with a pretend CUDA GPU."""
    import runpy
    import types

    import torch

    to = torch.Tensor.to
    monkeypatch.setattr(torch.version, "cuda", "13.0")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.cuda, "get_arch_list", lambda: arch_list)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda i: types.SimpleNamespace(
        name="Pretend GPU", total_memory=24 * 2**30, major=capability[0], minor=capability[1]))
    monkeypatch.setattr(torch.Tensor, "to", lambda self, device, *a, **k: to(self, "cpu" if str(device).startswith("cuda") else device, *a, **k))
    runpy.run_path(str(install.ROOT / "snippets" / "install" / "verify.py"), run_name="__main__")
    report = capsys.readouterr().out
    assert "build: CUDA 13.0" in report and "cuda: yes, 1 GPU(s)" in report
    assert f"compute capability {capability[0]}.{capability[1]}" in report
    assert expected in report
    assert "matmul on cuda:0: ok" in report and "result: every device agrees" in report


def test_verify_fails_loudly_when_a_device_cannot_compute(monkeypatch, capsys):
    import runpy

    import torch

    def broken(self, other):  # the float64 reference still works; the device's float32 product fails
        if self.dtype == torch.float64:
            return torch.matmul(self, other)
        raise RuntimeError("CUDA error: no kernel image is available for execution on the device")

    monkeypatch.setattr(torch.Tensor, "__matmul__", broken)
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(install.ROOT / "snippets" / "install" / "verify.py"), run_name="__main__")
    assert exit_info.value.code == 1
    report = capsys.readouterr().out
    assert "matmul on cpu: ERROR CUDA error: no kernel image" in report and "result: FAILED on cpu" in report


def test_source_lines_are_punctuated_in_their_language():
    zh = install._sources_line(DATA, ["cuda-compat", "release-matrix"], "zh")
    assert zh.startswith("资料来源：") and "；[" in zh and zh.endswith(f"数据核对于 {DATA['checked']}。") and ". " not in zh
    en = install._sources_line(DATA, ["cuda-compat", "release-matrix"], "en")
    assert en.startswith("Sources: [") and en.endswith(f". Data checked on {DATA['checked']}.")


def test_a_command_the_selector_does_not_offer_lists_what_it_does_offer():
    with pytest.raises(install.InstallDataError) as raised:
        install.render_command("zh", os="linux", manager="pip", platform="cu127")
    assert "offers no linux/pip/cu127/off (for os=linux manager=pip it offers platform=cpu|" in str(raised.value)
