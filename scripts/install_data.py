"""Install commands and tables, generated from the one install data file `docs/install/install.yml`.

Pages never contain an install command: they write a line such as

    <!-- generated: install-selector -->
    <!-- generated: install-command os=linux manager=pip platform=cu126 -->

and the MkDocs hook (through scripts/generated.py) replaces it with what a `render_*` function
below returns. `python scripts/install_data.py` validates the data file and prints every command
the selector offers.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "install" / "install.yml"
MANAGERS = ("pip", "uv", "conda")
OSES = ("linux", "windows", "macos")


class InstallDataError(ValueError):
    pass


L = {
    "zh": {
        "os": "操作系统", "manager": "安装工具", "platform": "计算平台", "mirror": "下载源",
        "off": "官方源", "on": "国内镜像", "mps": "Apple 芯片（MPS）", "intel": "Intel Mac",
        "cuda": "CUDA（最新）", "cuda12": "CUDA 12", "conda": "conda-forge",
        "python": "需要 Python {py} 及以上版本（torch {torch} 起）。",
        "python-listed": "需要 Python {py} 及以上版本。",
        "python-fallback": "Python {old} 上同一条命令会装上 torch {prev}，它是支持 {old} 的最后一个版本。",
        "pypi-default": "PyPI 上的 Linux 版 torch {torch} 默认就带 CUDA {cuda}，所以不需要额外的下载地址。",
        "driver": "需要 NVIDIA 驱动 {driver} 及以上版本（Linux）；不需要另装 CUDA Toolkit。",
        "driver-windows": "Windows 上的最低驱动版本本站还没有核实，请装 NVIDIA 为你的显卡提供的最新驱动；不需要另装 CUDA Toolkit。",
        "rocm-newest": "本站在这个下载地址上核实过的最新版本是 torch {torch}；更新的版本可能改用新的 ROCm 版本号。",
        "cuda-newest": "本站在这个下载地址上核实过的最新版本是 torch {torch}。",
        "cuda-last": "torch {torch} 之后不再发布这个 CUDA 版本的包，所以这条命令装的是 torch {torch}。",
        "no-mirror": "download.pytorch.org 目前没有本站核实过的国内镜像，这个组合仍从官方服务器下载，所以命令和官方源一样。",
        "mirror-pypi": "torch 和依赖都从清华大学 TUNA 的 PyPI 镜像下载。",
        "mirror-conda": "所有包都从清华大学 TUNA 的 conda-forge 镜像下载。",
        "conda-env": "先装 [Miniforge]({miniforge})（默认就用 conda-forge 频道）。",
        "conda-cuda12": "固定 CUDA 12.x 构建，给只支持 CUDA 12 的旧显卡（如 GTX 10xx）或旧驱动用。",
        "conda-auto": "conda-forge 检测到 NVIDIA 驱动时才会默认装 CUDA 版；这里用构建字符串强制选 CUDA 版。",
        "unavailable": "没有这个组合",
        "version": "版本", "released": "发布", "python-col": "Python", "cuda-col": "CUDA 版本（下载地址）",
        "rocm-col": "ROCm", "tv-col": "torchvision", "pypi-col": "Linux 上 PyPI 默认", "unverified": "未核实",
        "arch": "架构", "sm": "计算能力", "gpus": "代表型号", "builds": "可用的 CUDA 版本（2.12 至 2.14）",
        "none": "无（所有当前版本都不支持）", "variant": "下载地址", "min-driver": "最低驱动（Linux）",
        "mirror-name": "镜像", "url": "地址", "for": "用途", "pypi": "PyPI", "conda-forge-use": "conda-forge",
        "sources-line": "资料来源：{links}。数据核对于 {date}。", "list-separator": "；",
    },
    "en": {
        "os": "Operating system", "manager": "Package manager", "platform": "Compute platform",
        "mirror": "Download from", "off": "Official", "on": "China mirror", "mps": "Apple silicon (MPS)",
        "intel": "Intel Mac", "cuda": "CUDA (newest)", "cuda12": "CUDA 12", "conda": "conda-forge",
        "python": "Needs Python {py} or newer (since torch {torch}).",
        "python-listed": "Needs Python {py} or newer.",
        "python-fallback": "On Python {old} the same command installs torch {prev}, the last release that supports {old}.",
        "pypi-default": "On Linux, torch {torch} from PyPI comes with CUDA {cuda}, so no extra index is needed.",
        "driver": "Needs NVIDIA driver {driver} or newer (Linux); no separate CUDA Toolkit is needed.",
        "driver-windows": "This site has not verified the minimum driver version for Windows: install the newest NVIDIA driver for your GPU. No separate CUDA Toolkit is needed.",
        "rocm-newest": "The newest release verified on this index is torch {torch}; newer releases may use a newer ROCm index.",
        "cuda-newest": "The newest release verified on this index is torch {torch}.",
        "cuda-last": "torch {torch} is the last release built for this CUDA version, so this command installs torch {torch}.",
        "no-mirror": "download.pytorch.org has no mirror in mainland China that this site has verified so far, "
                     "so this choice still downloads from the official server, and the command is the same as without it.",
        "mirror-pypi": "torch and its dependencies come from the TUNA (Tsinghua University) PyPI mirror.",
        "mirror-conda": "Every package comes from the TUNA (Tsinghua University) conda-forge mirror.",
        "conda-env": "Install [Miniforge]({miniforge}) first (it uses the conda-forge channel by default).",
        "conda-cuda12": "Pins a CUDA 12.x build, for older GPUs that only CUDA 12 builds support (e.g. GTX 10xx) or older drivers.",
        "conda-auto": "conda-forge picks a CUDA build by default only when it detects an NVIDIA driver; the build string forces one.",
        "unavailable": "Not available",
        "version": "Version", "released": "Released", "python-col": "Python", "cuda-col": "CUDA builds (index)",
        "rocm-col": "ROCm", "tv-col": "torchvision", "pypi-col": "PyPI default on Linux", "unverified": "not verified",
        "arch": "Architecture", "sm": "Compute capability", "gpus": "Examples", "builds": "CUDA builds (2.12 to 2.14)",
        "none": "none (no current release supports it)", "variant": "Index", "min-driver": "Minimum driver (Linux)",
        "mirror-name": "Mirror", "url": "URL", "for": "For", "pypi": "PyPI", "conda-forge-use": "conda-forge",
        "sources-line": "Sources: {links}. Data checked on {date}.", "list-separator": "; ",
    },
}
OS_LABELS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}


# ---------------------------------------------------------------------------------------------
# Loading and validating


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InstallDataError(f"{_shown(path)}: not valid YAML: {error}") from error
    problems = validate(data)
    if problems:
        raise InstallDataError(f"{_shown(path)}: " + "; ".join(problems))
    return data


def load(path: Path = DATA) -> dict:
    return _load(path, path.stat().st_mtime)


# The keys each kind of entry may have (a misspelt key would otherwise be ignored, and the page
# would show "not verified" or fail with a bare KeyError), and those it must have.
KEYS = {
    "releases": {"version", "released", "python", "torchvision", "pypi_linux", "cuda", "rocm", "sources"},
    "variants": {"kind", "cuda", "rocm", "linux_driver", "last_release", "sources"},
    "architectures": {"name", "sm", "gpus", "builds"},
    "os": {"glibc", "last_release_for_older_glibc", "last_release_for_older_glibc_aarch64", "wheel_tag", "pypi_build", "min_macos", "min_macos_since",
           "last_intel_wheel", "sources"},
    "commands": {"lines", "shell", "sources"},
}
REQUIRED = {
    "releases": {"version", "python", "sources"},
    "variants": {"kind"},
    "variants/cuda": {"cuda", "linux_driver", "sources"},
    "variants/rocm": {"rocm", "sources"},
    "architectures": {"name", "sm", "gpus", "builds"},
}


def _entries(data: dict, section: str) -> list[tuple[str, dict]]:
    value = data.get(section) or []
    if isinstance(value, dict):
        return [(f"{section}[{name}]", entry) for name, entry in value.items()]
    return [(f"{section}[{entry.get('version') or entry.get('name') or i}]" if isinstance(entry, dict) else f"{section}[{i}]",
             entry) for i, entry in enumerate(value)]


TOP_KEYS = {"checked", "sources", "releases", "variants", "index_url", "nightly_index_url", "architectures",
            "architecture_sources", "os", "mirrors", "conda", "selector", "commands"}


def check_keys(data: dict) -> list[str]:
    """Unknown keys (with the likely intended one) and missing required keys, per entry."""
    import difflib

    def unknown(where: str, keys, allowed: set[str], otherwise: str) -> list[str]:
        found = []
        for key in sorted(set(keys) - allowed):
            close = difflib.get_close_matches(key, allowed, n=1)
            found.append(f"{where} `{key}` ({f'did you mean `{close[0]}`?' if close else otherwise})")
        return found

    problems = unknown("unknown top-level key", data, TOP_KEYS, "remove it")
    for section, allowed in KEYS.items():
        for where, entry in _entries(data, section):
            if not isinstance(entry, dict):
                problems.append(f"{where} is not a mapping of keys to values")
                continue
            problems += unknown(f"{where} has unknown key", entry, allowed, f"known keys: {', '.join(sorted(allowed))}")
            required = REQUIRED.get(section, set()) | REQUIRED.get(f"{section}/{entry.get('kind')}", set())
            for key in sorted(required - set(entry)):
                problems.append(f"{where} lacks `{key}`: add it")
    return problems


def validate(data: dict) -> list[str]:
    """Every problem in the data, each naming the entry and what to fix."""
    if not isinstance(data, dict):
        return ["the file must be a mapping (`releases:`, `variants:`, ...)"]
    problems = check_keys(data)
    if problems:
        return problems  # the checks below read these keys
    sources = data.get("sources", {})

    def cite(where: str, entry: dict) -> None:
        for source in entry.get("sources") or []:
            if source not in sources:
                problems.append(f"{where} cites unknown source {source!r}: add it under `sources`")
        if not entry.get("sources"):
            problems.append(f"{where} has no `sources`: name where the fact comes from")

    variants = data.get("variants", {})
    versions = []
    for release in data.get("releases", []):
        where = f"releases[{release.get('version')}]"
        versions.append(tuple(int(x) for x in str(release["version"]).split(".")))
        cite(where, release)
        for variant in index_variants(release) + [release.get("pypi_linux")]:
            if variant is not None and variant not in variants:
                problems.append(f"{where} names variant {variant!r}, which is not under `variants`")
    if versions != sorted(versions, reverse=True):
        problems.append("`releases` must be listed newest first")
    for name, variant in variants.items():
        if variant.get("kind") != "cpu":
            cite(f"variants[{name}]", variant)
        last = variant.get("last_release")
        if last is not None and last not in [str(r.get("version")) for r in data.get("releases", [])]:
            problems.append(f"variants[{name}]: `last_release` {last!r} is not under `releases`")
    for arch in data.get("architectures", []):
        for build in arch["builds"]:
            if build not in variants:
                problems.append(f"architectures[{arch['name']}] names unknown variant {build!r}")
    for os_name, facts in data.get("os", {}).items():
        cite(f"os[{os_name}]", facts)
    for kind in ("pypi", "conda_forge"):
        for mirror in data.get("mirrors", {}).get(kind, []):
            cite(f"mirrors[{mirror['name']}]", mirror)
    cite("conda", data.get("conda", {}))
    for name, step in (data.get("commands") or {}).items():
        cite(f"commands[{name}]", step)
        if not step.get("lines"):
            problems.append(f"commands[{name}] has no `lines`: list the shell lines it shows")
        if step.get("shell", "bash") not in ("bash", "powershell"):
            problems.append(f"commands[{name}]: `shell` must be bash or powershell, not {step['shell']!r}")
    selector = data.get("selector", {})
    for os_name, managers in selector.get("platforms", {}).items():
        for manager, platforms in managers.items():
            for platform in platforms:
                if platform in ("mps", "intel") and os_name != "macos":
                    problems.append(f"selector: {platform!r} offered on {os_name}")
                if manager == "conda":
                    if platform not in selector.get("conda_builds", {}) and platform not in ("mps", "intel"):
                        problems.append(f"selector: conda platform {platform!r} has no entry in `conda_builds`")
                elif platform not in variants and platform not in ("mps", "intel"):
                    problems.append(f"selector: {os_name}/{manager} offers {platform!r}, not under `variants`")
    for key in selector.get("unavailable", {}):
        os_name, manager, platform = key.split("/")
        if platform not in selector.get("platforms", {}).get(os_name, {}).get(manager, []):
            problems.append(f"selector.unavailable[{key}] is not offered by selector.platforms")
    return problems


# ---------------------------------------------------------------------------------------------
# Facts derived from the data


def newest(data: dict) -> dict:
    return data["releases"][0]


def index_variants(release: dict) -> list[str]:
    """The CUDA and ROCm variants verified for `release` on download.pytorch.org."""
    return (release.get("cuda") or []) + (release.get("rocm") or [])


def newest_with(data: dict, variant: str) -> dict | None:
    """The newest release verified to have `variant` on download.pytorch.org."""
    return next((release for release in data["releases"] if variant in index_variants(release)), None)


def pypi_variant(data: dict, os_name: str) -> str:
    """The build a plain `pip install torch` gets."""
    if os_name == "linux":
        return newest(data)["pypi_linux"]
    return data["os"][os_name]["pypi_build"]


def index_url(data: dict, variant: str, nightly: bool = False) -> str:
    return data["nightly_index_url" if nightly else "index_url"].format(variant=variant)


def mirror(data: dict, kind: str) -> dict:
    name = data["mirrors"]["selector"]
    return next(m for m in data["mirrors"][kind] if m["name"] == name)


def platform_label(platform: str, language: str, data: dict | None = None) -> str:
    if platform in L[language]:
        return L[language][platform]
    if platform == "cpu":
        return "CPU"
    data = data or load()
    variant = data["variants"][platform]
    return f"CUDA {variant['cuda']}" if variant["kind"] == "cuda" else f"ROCm {variant['rocm']}"


# ---------------------------------------------------------------------------------------------
# Commands


@dataclasses.dataclass(frozen=True)
class Choice:
    os: str
    manager: str
    platform: str
    mirror: bool

    @property
    def key(self) -> str:
        return f"{self.os}/{self.manager}/{self.platform}/{'on' if self.mirror else 'off'}"


@dataclasses.dataclass
class Recipe:
    choice: Choice
    lines: list[str]  # empty when unavailable
    shell: str  # bash or powershell
    notes: list[str]
    unavailable: str | None = None

    @property
    def install(self) -> str:
        return self.lines[-1] if self.lines else ""


def choices(data: dict | None = None) -> list[Choice]:
    data = data or load()
    out = []
    selector = data["selector"]
    for os_name in selector["oses"]:
        for manager in selector["managers"]:
            for platform in selector["platforms"][os_name][manager]:
                for on in (False, True):
                    out.append(Choice(os_name, manager, platform, on))
    return out


def _pip_install(data: dict, choice: Choice) -> tuple[str, list[str]]:
    """(install line, notes keys with arguments) for pip and uv."""
    tool = "pip install" if choice.manager == "pip" else "uv pip install"
    notes = []
    platform = choice.platform
    if platform == pypi_variant(data, choice.os):
        line = f"{tool} torch torchvision"
        if choice.mirror:
            line += f" --index-url {mirror(data, 'pypi')['url']}"
            notes.append(("mirror-pypi", {}))
        if choice.os == "linux":
            notes.append(("pypi-default", {"torch": newest(data)["version"], "cuda": data["variants"][platform]["cuda"]}))
        return line, notes
    line = f"{tool} torch torchvision --index-url {index_url(data, platform)}"
    if choice.mirror:
        notes.append(("no-mirror", {}))
    release = newest_with(data, platform)
    last = data["variants"].get(platform, {}).get("last_release")
    if last is not None:
        notes.append(("cuda-last", {"torch": last}))
    elif release is not None and release is not newest(data):
        notes.append(("rocm-newest" if platform.startswith("rocm") else "cuda-newest", {"torch": release["version"]}))
    return line, notes


def recipe(choice: Choice, language: str, data: dict | None = None) -> Recipe:
    data = data or load()
    windows = choice.os == "windows"
    shell = "powershell" if windows else "bash"
    unavailable = data["selector"].get("unavailable", {}).get(f"{choice.os}/{choice.manager}/{choice.platform}")
    if unavailable:
        return Recipe(choice, [], shell, [], unavailable[language])
    notes: list[tuple[str, dict]] = []
    activate = r".venv\Scripts\Activate.ps1" if windows else "source .venv/bin/activate"
    if choice.manager == "pip":
        lines = ["py -m venv .venv" if windows else "python3 -m venv .venv", activate]
        install, more = _pip_install(data, choice)
    elif choice.manager == "uv":
        lines = ["uv venv", activate]
        install, more = _pip_install(data, choice)
    else:
        conda = data["conda"]
        channel = f"--override-channels -c {mirror(data, 'conda_forge')['url']}" if choice.mirror else f"-c {conda['channel']}"
        lines = [f"conda create -n {conda['env']} {channel} python={conda['python']}", f"conda activate {conda['env']}"]
        build = data["selector"]["conda_builds"].get(choice.platform)
        install = f"conda install {channel} {build + ' ' if build else 'pytorch '}torchvision"
        more = [("conda-env", {"miniforge": data["sources"]["miniforge"]["url"]})]
        if choice.mirror:
            more.append(("mirror-conda", {}))
        if choice.platform == "cuda12":
            more.append(("conda-cuda12", {}))
        elif choice.platform == "cuda":
            more.append(("conda-auto", {}))
    lines.append(install)
    notes += more
    variant = data["variants"].get(choice.platform)
    if variant and variant.get("kind") == "cuda":
        if windows:  # the data has Linux minimums only (install.yml: variants)
            notes.append(("driver-windows", {}))
        else:
            notes.append(("driver", {"driver": "R" + variant["linux_driver"]}))
    if choice.manager != "conda":
        releases = releases_installed_by(data, choice)
        python = releases[0]["python"]
        # Since when torch needs that Python: counted over every release, not only this index's, and
        # said only when a listed older release needs an older Python (else the list cannot tell).
        first = _first_with_python(data["releases"][data["releases"].index(releases[0]):], python)
        if first == data["releases"][-1]["version"]:
            notes.insert(0, ("python-listed", {"py": python}))
        else:
            notes.insert(0, ("python", {"py": python, "torch": first}))
        older = next((r for r in releases if r["python"] != python), None)
        if older is not None:
            notes.insert(1, ("python-fallback", {"old": older["python"], "prev": older["version"]}))
    return Recipe(choice, lines, shell, [L[language][key].format(**args) for key, args in notes])


def releases_installed_by(data: dict, choice: Choice) -> list[dict]:
    """The releases (newest first) a pip or uv command for `choice` is known to install from: every
    release from PyPI or the CPU index, only those verified to have the variant from a CUDA or
    ROCm index (so a dropped variant stops at its last release, and an unverified one is not
    described by releases it may not have)."""
    if choice.platform == pypi_variant(data, choice.os) or data["variants"][choice.platform]["kind"] == "cpu":
        return data["releases"]
    return [r for r in data["releases"] if choice.platform in index_variants(r)]


def _first_with_python(releases: list[dict], python: str) -> str:
    """The oldest of the newest releases (`releases` is newest first) that all need `python`."""
    first = releases[0]["version"]
    for release in releases:
        if release["python"] != python:
            break
        first = release["version"]
    return first


def all_install_lines(data: dict | None = None) -> set[str]:
    """Every install command any page may show (selector, per-version and nightly commands)."""
    data = data or load()
    lines = set()
    for choice in choices(data):
        for language in L:
            lines.update(recipe(choice, language, data).lines)
    for release in data["releases"]:
        for variant in ["cpu", *index_variants(release)]:
            if release.get("torchvision"):
                lines.add(version_line(data, release["version"], variant))
    for variant in ("cpu", *newest_variants(data)):
        lines.add(nightly_line(data, variant))
    return lines


def command_lines(data: dict, name: str) -> list[str]:
    """The shell lines of one step under `commands:`, with `{pypi_mirror}` and `{conda_env}` filled in."""
    steps = data.get("commands") or {}
    if name not in steps:
        raise InstallDataError(f"no step {name!r} under `commands` in {DATA.name} (known: {', '.join(sorted(steps))})")
    values = {"pypi_mirror": mirror(data, "pypi")["url"], "conda_env": data["conda"]["env"]}
    return [line.format(**values) for line in steps[name]["lines"]]


def other_commands(data: dict | None = None) -> set[str]:
    """Shell lines of the other generated steps (`commands:` in the data file)."""
    data = data or load()
    return {line for name in (data.get("commands") or {}) for line in command_lines(data, name)}


def newest_variants(data: dict) -> list[str]:
    for release in data["releases"]:
        if release.get("cuda"):
            return list(release["cuda"]) + list(newest_with(data, "rocm7.2") and ["rocm7.2"] or [])
    return []


def version_line(data: dict, version: str, variant: str) -> str:
    release = next((r for r in data["releases"] if r["version"] == version), None)
    if release is None:
        raise InstallDataError(f"no release {version!r} in {DATA.name}")
    if not release.get("torchvision"):
        raise InstallDataError(f"release {version} has no verified torchvision pairing in {DATA.name}")
    if variant != "cpu" and variant not in index_variants(release):
        raise InstallDataError(f"release {version} has no verified variant {variant!r} in {DATA.name}")
    return (f'pip install "torch=={version}.*" "torchvision=={release["torchvision"]}.*" '
            f"--index-url {index_url(data, variant)}")


def nightly_line(data: dict, variant: str) -> str:
    return f"pip install --pre torch torchvision --index-url {index_url(data, variant, nightly=True)}"


# ---------------------------------------------------------------------------------------------
# Markdown renderers (registered in scripts/generated.py)


def _fence(lines: list[str], shell: str) -> list[str]:
    return [f"``` {shell}", *lines, "```"]


def _indent(lines: list[str], depth: int) -> list[str]:
    return [("    " * depth + line) if line else "" for line in lines]


def _recipe_block(rec: Recipe, language: str) -> list[str]:
    if rec.unavailable:
        return [f'!!! info "{L[language]["unavailable"]}"', "", f"    {rec.unavailable}"]
    lines = _fence(rec.lines, f'{{ .{rec.shell} .install-command data-choice="{rec.choice.key}" }}')
    if rec.notes:
        lines += ["", *[f"- {note}" for note in rec.notes]]
    return lines


def render_selector(language: str) -> str:
    """The interactive selector. Without JavaScript: nested content tabs (OS, manager, platform,
    download source) holding every command; with it, docs/assets/install-selector.js shows one
    row of buttons per choice and drives the same tabs, so both show the very same block."""
    data = load()
    labels = L[language]
    selector = data["selector"]
    meta = {
        "labels": {k: labels[k] for k in ("os", "manager", "platform", "mirror")},
        "oses": [[o, OS_LABELS[o]] for o in selector["oses"]],
        "managers": [[m, labels["conda"] if m == "conda" else m] for m in selector["managers"]],
        "platforms": {o: {m: [[p, platform_label(p, language, data)] for p in ps] for m, ps in ms.items()}
                      for o, ms in selector["platforms"].items()},
        "mirrors": [["off", labels["off"]], ["on", labels["on"]]],
    }
    # Every command of every choice would fill the search index (fetched by every page) many times
    # over; the OS pages index the commands once. A <section>, since Material's exclusion ends at the
    # first closing tag of the same name (the tabs are nested <div>s).
    out = ['<section class="install-selector" data-search-exclude="selector" markdown>', "",
           f'<script type="application/json" class="install-selector-data">{html.escape(json.dumps(meta, ensure_ascii=False), quote=False)}</script>', ""]
    for os_name in selector["oses"]:
        out += [f'=== "{OS_LABELS[os_name]}"', ""]
        for manager in selector["managers"]:
            out += _indent([f'=== "{labels["conda"] if manager == "conda" else manager}"', ""], 1)
            for platform in selector["platforms"][os_name][manager]:
                out += _indent([f'=== "{platform_label(platform, language, data)}"', ""], 2)
                for on in (False, True):
                    rec = recipe(Choice(os_name, manager, platform, on), language, data)
                    out += _indent([f'=== "{labels["on" if on else "off"]}"', ""], 3)
                    out += _indent(_recipe_block(rec, language), 4) + [""]
    out += ["</section>"]
    return "\n".join(out)


def render_command(language: str, os: str, manager: str, platform: str, mirror: str = "off") -> str:
    """One recipe, e.g. on the Linux page: `<!-- generated: install-command os=linux manager=pip platform=cu126 -->`."""
    data = load()
    choice = Choice(os, manager, platform, mirror == "on")
    offered = choices(data)
    if choice not in offered:
        same = sorted({c.platform for c in offered if (c.os, c.manager) == (os, manager)})
        hint = (f"for os={os} manager={manager} it offers platform={'|'.join(same)}" if same else
                f"it offers os={'|'.join(sorted({c.os for c in offered}))}, manager={'|'.join(sorted({c.manager for c in offered}))}")
        raise InstallDataError(f"the selector offers no {choice.key} ({hint}; mirror=on|off); see `selector` in {DATA.name}")
    return "\n".join(_recipe_block(recipe(choice, language, data), language))


def render_version(language: str, version: str, platform: str) -> str:
    data = load()
    return "\n".join(_fence([version_line(data, version, platform)], "bash"))


def render_nightly(language: str, platform: str) -> str:
    data = load()
    if platform != "cpu" and platform not in newest_variants(data):
        raise InstallDataError(f"no current variant {platform!r} in {DATA.name}")
    return "\n".join(_fence([nightly_line(data, platform)], "bash"))


def render_commands(language: str, name: str) -> str:
    """A step under `commands:`, e.g. `<!-- generated: install-commands name=nvidia-smi -->`."""
    data = load()
    shell = data["commands"].get(name, {}).get("shell", "bash")
    lines = command_lines(data, name)
    return "\n".join(_fence(lines, f'{{ .{shell} .install-command data-step="{name}" }}'))


def _cell(values: list[str] | None, language: str) -> str:
    return ", ".join(f"`{v}`" for v in values) if values else f"*{L[language]['unverified']}*"


def render_releases(language: str) -> str:
    data, t = load(), L[language]
    rows = [f"| {t['version']} | {t['released']} | {t['python-col']} | {t['cuda-col']} | {t['rocm-col']} | {t['tv-col']} | {t['pypi-col']} |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in data["releases"]:
        pypi = data["variants"][r["pypi_linux"]]
        rows.append(f"| {r['version']} | {r['released']} | ≥ {r['python']} | {_cell(r.get('cuda'), language)} | "
                    f"{_cell(r.get('rocm'), language)} | {r.get('torchvision') or '*' + t['unverified'] + '*'} | CUDA {pypi['cuda']} |")
    return "\n".join(rows) + "\n\n" + _sources_line(data, ["release-matrix", "build-matrix", "pypi-torch"], language)


def render_architectures(language: str) -> str:
    data, t = load(), L[language]
    rows = [f"| {t['arch']} | {t['sm']} | {t['gpus']} | {t['builds']} |", "| --- | --- | --- | --- |"]
    for a in data["architectures"]:
        builds = ", ".join(f"`{b}`" for b in a["builds"]) or t["none"]
        rows.append(f"| {a['name']} | {a['sm']} | {a['gpus']} | {builds} |")
    return "\n".join(rows) + "\n\n" + _sources_line(data, data["architecture_sources"], language)


def render_drivers(language: str) -> str:
    data, t = load(), L[language]
    rows = [f"| {t['variant']} | CUDA | {t['min-driver']} |", "| --- | --- | --- |"]
    for name, v in data["variants"].items():
        if v["kind"] == "cuda":
            rows.append(f"| `{name}` | {v['cuda']} | R{v['linux_driver']} |")
    return "\n".join(rows) + "\n\n" + _sources_line(data, ["cuda-compat", "release-matrix"], language)


def render_mirrors(language: str) -> str:
    data, t = load(), L[language]
    rows = [f"| {t['mirror-name']} | {t['for']} | {t['url']} |", "| --- | --- | --- |"]
    for kind, label in (("pypi", t["pypi"]), ("conda_forge", t["conda-forge-use"])):
        for m in data["mirrors"][kind]:
            help_page = data["sources"][m["sources"][0]]["url"]
            rows.append(f"| [{m['name']}]({help_page}) | {label} | `{m['url']}` |")
    return "\n".join(rows)


def _sources_line(data: dict, ids: list[str], language: str) -> str:
    t = L[language]
    links = t["list-separator"].join(f"[{data['sources'][i]['title']}]({data['sources'][i]['url']})" for i in ids)
    return t["sources-line"].format(links=links, date=data["checked"])


def main() -> int:
    try:
        data = load()
    except InstallDataError as error:
        print(error, file=sys.stderr)
        return 1
    for choice in choices(data):
        rec = recipe(choice, "en", data)
        print(f"{choice.key:28} {rec.install or '(' + (rec.unavailable or '') + ')'}")
    print(f"\n{DATA.relative_to(ROOT)}: ok, {len(choices(data))} selector choices")
    return 0


if __name__ == "__main__":
    sys.exit(main())
