"""scripts/new_page.py: a scaffolded page passes every consistency check and its snippet test."""

import shutil

import pytest

import check_site
import new_page
import snippet_engine as engine


@pytest.fixture
def site(tmp_path):
    for name in ("docs", "snippets"):
        shutil.copytree(engine.ROOT / name, tmp_path / name)
    shutil.copy(engine.ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_a_new_page_passes_the_checks_from_the_start(site):
    written = new_page.scaffold(site, "basics/data-types", "数据类型", "Data types", section="张量与自动求导")
    new_page.scaffold(site, "extra/faq", "常见问答", "FAQ", section="补充", section_en="Extras")
    left = check_site.check(site)  # only the reminders to replace the placeholder prose (two per page and language)
    assert {p.check for p in left} == {"placeholder", "home"}, "\n".join(map(str, left))  # and to list it on the home page
    assert sorted((p.where, p.message.split(":")[0]) for p in left if p.check == "home") == [
        (home, f"does not link to {page}") for home in ("docs/index.en.md", "docs/index.md")
        for page in ("basics/data-types.md", "extra/faq.md")]
    assert len(left) == 8 + 4, "\n".join(map(str, left))
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      - 数据类型: basics/data-types.md" in config and "数据类型: Data types" in config
    assert "  - 补充:\n      - 常见问答: extra/faq.md" in config and "补充: Extras" in config
    snippet = engine.parse_snippet(site / "snippets/basics/data-types.py")
    result = engine.run_snippet(snippet, "cpu")
    fresh = engine.format_recording(snippet, "cpu", result.outputs, engine.run_metadata("cpu"))
    recorded = snippet.recording_path("cpu").read_text(encoding="utf-8")
    assert engine.compared_view(fresh) == engine.compared_view(recorded)
    assert {p.name for p in written} >= {"data-types.md", "data-types.en.md", "data-types.py", "data-types.cpu.out"}


def test_a_new_page_can_follow_a_given_page(site):
    new_page.scaffold(site, "basics/graph-tools", "图工具", "Graph tools", after="docs/basics/fx.md")  # or basics/fx
    nav = [line.strip() for line in (site / "mkdocs.yml").read_text(encoding="utf-8").splitlines()]
    fx = next(i for i, line in enumerate(nav) if line.endswith(": basics/fx.md"))
    assert nav[fx + 1] == "- 图工具: basics/graph-tools.md"


@pytest.mark.parametrize("key, kwargs, message", [
    ("basics/tensors", {}, "already exists"),
    ("Basics/Bad_Name", {}, "lower-case words"),
    ("newfolder/page", {}, "name one with --section"),
    ("basics/data-types", {}, r"pages of basics/ are in several nav sections \(张量与自动求导, 训练, .*\): name the one"),
    ("newfolder/page", {"section": "新栏目"}, r"--section-en, or name one of the existing sections \(入门, 安装, "),
    ("docs/basics/data-types", {}, "name it without the folder, as `basics/data-types`"),
    ("basics/data-types", {"title": "张量入门"}, r"mkdocs.yml:\d+ already has a nav entry titled '张量入门'"),
    ("basics/data-types", {"title_en": "Data types: intro"}, "cannot contain ':'"),
    ("basics/data-types", {"after": "basics/nothing"}, r"--after basics/nothing: no page in the nav of mkdocs.yml"),
    ("basics/data-types", {"after": "basics/tensor"}, r"did you mean basics/tensors\?"),
    ("basics/data-types", {"after": "basics/fx", "section": "训练"}, r"in nav section '性能与部署', not '训练'"),
    ("basics/data-types", {"after": "basics/fx", "section_en": "Training"}, r"leave out --section-en"),
])
def test_mistakes_are_explained(site, key, kwargs, message):
    titles = {"title": "标题", "title_en": "Title", **kwargs}
    with pytest.raises(new_page.ScaffoldError, match=message):
        new_page.scaffold(site, key, **titles)
    assert not (site / "docs" / f"{key}.md").exists() or key == "basics/tensors", "nothing is written on a mistake"
