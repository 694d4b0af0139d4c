"""The consistency checks: the real site passes them, and each check fails when it should."""

import textwrap

import pytest

import check_site

SNIPPET = """\
import torch

torch.manual_seed(0)
# --8<-- [start:first-step]
print(torch.ones(2))
# --8<-- [end:first-step]
# --8<-- [start:second-step]
print(torch.zeros(2))
# --8<-- [end:second-step]
"""
PAGE_ZH = """\
# 示例 {{ #example }}

## 第一步 {{ #first }}

```python
--8<-- "snippets/demo/page.py:{a}"
```

## 第二步 {{ #second }}

```python
--8<-- "snippets/demo/page.py:{b}"
```
"""
PAGE_EN = PAGE_ZH.replace("示例", "Example").replace("第一步", "First").replace("第二步", "Second")


MISSING = object()


def make_site(tmp_path, zh=None, en=None, snippet=SNIPPET, nav="demo/page.md", extra=None):
    files = {
        "mkdocs.yml": f"nav:\n  - Demo: {nav}\n",
        "docs/demo/page.md": PAGE_ZH.format(a="first-step", b="second-step") if zh is None else zh,
        "docs/demo/page.en.md": PAGE_EN.format(a="first-step", b="second-step") if en is None else en,
        "snippets/demo/page.py": snippet,
        **(extra or {}),
    }
    for name, text in files.items():
        if text is MISSING:
            continue
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def problems(root, check):
    return [p for p in check_site.check(root) if p.check == check]


def test_the_real_site_is_consistent():
    found = check_site.check()
    assert not found, "\n".join(map(str, found))


def test_a_well_formed_site_passes(tmp_path):
    assert check_site.check(make_site(tmp_path)) == []


def test_typed_code_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n```python\nprint('typed')\n```\n"
    found = problems(make_site(tmp_path, zh=zh), "typed-code")
    assert len(found) == 1 and found[0].where == "docs/demo/page.md:15"
    assert "snippets/demo/page.py" in found[0].message and "--8<--" in found[0].message


def test_missing_file_and_section_are_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="no-such-step")
    en = PAGE_EN.format(a="first-step", b="no-such-step")
    found = problems(make_site(tmp_path, zh=zh, en=en), "missing-include")
    assert any("no section 'no-such-step'" in p.message for p in found)
    zh = PAGE_ZH.format(a="first-step", b="second-step").replace("page.py:first", "pages.py:first")
    found = problems(make_site(tmp_path, zh=zh), "missing-include")
    assert any("snippets/demo/pages.py does not exist" in p.message for p in found)


def test_orphan_snippet_section_and_recording_are_caught(tmp_path):
    extra = {"snippets/demo/unused.py": "print(1)\n", "snippets/demo/page.cuda.out": "# stray\n"}
    zh = PAGE_ZH.format(a="first-step", b="first-step")
    en = PAGE_EN.format(a="first-step", b="first-step")
    found = problems(make_site(tmp_path, zh=zh, en=en, extra=extra), "orphan")
    messages = "\n".join(str(p) for p in found)
    assert "snippets/demo/unused.py: [orphan] no page includes this snippet" in messages
    assert "section 'second-step' is not included by any page" in messages
    assert "snippets/demo/page.cuda.out" in messages


def test_translation_with_other_sections_or_order_is_caught(tmp_path):
    en = PAGE_EN.format(a="second-step", b="first-step")
    found = problems(make_site(tmp_path, en=en), "translation")
    assert len(found) == 1 and found[0].where == "docs/demo/page.en.md:6"  # the first include that differs
    assert "same sections in the same order" in found[0].message
    assert "its include no. 1 is `snippets/demo/page.py:second-step` where docs/demo/page.md:6 has " \
           "`snippets/demo/page.py:first-step`" in found[0].message


def test_missing_translation_is_caught(tmp_path):
    found = problems(make_site(tmp_path, en=MISSING), "translation")
    assert len(found) == 1 and "create docs/demo/page.en.md" in found[0].message


def test_heading_anchors_are_required_and_must_match(tmp_path):
    en = PAGE_EN.format(a="first-step", b="second-step").replace("{ #second }", "{ #second-step }")
    zh = PAGE_ZH.format(a="first-step", b="second-step").replace(" { #first }", "")
    found = problems(make_site(tmp_path, zh=zh, en=en), "anchor")
    messages = "\n".join(str(p) for p in found)
    assert "docs/demo/page.md:3: [anchor] heading '第一步' has no explicit anchor" in messages
    assert "docs/demo/page.en.md:3: [anchor] its heading anchor no. 2 is `first` where docs/demo/page.md:3 has `None`" in messages
    assert len([p for p in found if "heading anchor no." in p.message]) == 1, "only the first difference is reported"


def test_an_anchor_used_twice_on_a_page_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step").replace("{ #second }", "{ #first }")
    en = PAGE_EN.format(a="first-step", b="second-step").replace("{ #second }", "{ #first }")
    found = problems(make_site(tmp_path, zh=zh, en=en), "anchor")
    assert sorted(p.where for p in found) == ["docs/demo/page.en.md:9", "docs/demo/page.md:9"], found
    assert "anchor 'first' is also on line 3" in found[0].message


@pytest.mark.parametrize("line, expected", [
    ("\n```python\n--8<-- 'snippets/demo/page.py:first-step'\n```\n", "double quotes"),
    ('\n```python\n--8<-- "snippets/demo/page.py:first_step"\n```\n', "'first_step' is not a section name"),
    ('\n--8<-- "snippets/demo/page.py:first-step"\n', "outside a code block"),
    ('\n!!! note\n\n    ```python\n  --8<-- "snippets/demo/page.py:first-step"\n    ```\n', "indented less than its code block"),
])
def test_an_include_the_markdown_would_not_run_is_caught(tmp_path, line, expected):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + line
    found = problems(make_site(tmp_path, zh=zh), "include")
    assert len(found) == 1 and expected in found[0].message and found[0].where.startswith("docs/demo/page.md:1"), found


def test_a_comment_that_only_looks_generated_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n<!--generated: glossary-->\n"
    found = problems(make_site(tmp_path, zh=zh), "generated")
    assert len(found) == 1 and found[0].where == "docs/demo/page.md:15" and "one space" in found[0].message


def test_new_pages_placeholder_prose_is_caught(tmp_path):
    import new_page

    zh = PAGE_ZH.format(a="first-step", b="second-step") + f"\n{new_page.PLACEHOLDERS[0]}……）\n"
    found = problems(make_site(tmp_path, zh=zh), "placeholder")
    assert len(found) == 1 and found[0].where == "docs/demo/page.md:15"


def test_every_chinese_nav_title_needs_one_english_title(tmp_path):
    config = ("site_url: !ENV [SITE_URL, 'x']\nnav:  # pages\n  - 示例:\n      - 页面: demo/page.md\n  - GPU: demo/page.md\n"
              "plugins:\n  - i18n:\n      languages:\n        - locale: en\n\n          nav_translations:\n"
              '            "示例": Demo\n            示例: Example\n')
    found = problems(make_site(tmp_path, extra={"mkdocs.yml": config}), "nav")
    messages = "\n".join(map(str, found))
    assert "mkdocs.yml:4: [nav] nav title '页面' has no English title" in messages
    assert "mkdocs.yml:13: [nav] '示例' is translated twice under nav_translations (also line 12)" in messages
    assert "GPU" not in messages and len(found) == 2, messages


def test_a_broken_snippet_does_not_make_its_recording_an_orphan(tmp_path):
    found = check_site.check(make_site(tmp_path, snippet="# --8<-- [start:a]\nx = 1\n",
                                       extra={"snippets/demo/page.cpu.out": "# recorded\n"}))
    assert any(p.check == "snippet" for p in found)
    assert not any(p.check == "orphan" and p.where.endswith(".out") for p in found), found


def test_include_that_does_not_mirror_the_page_is_caught(tmp_path):
    extra = {"snippets/other/page.py": SNIPPET}
    zh = PAGE_ZH.format(a="first-step", b="second-step").replace("demo/page.py:second", "other/page.py:second")
    en = PAGE_EN.format(a="first-step", b="second-step").replace("demo/page.py:second", "other/page.py:second")
    found = problems(make_site(tmp_path, zh=zh, en=en, extra=extra), "mirror")
    assert len(found) == 2 and "lives in snippets/demo/page.py" in found[0].message


def test_sections_out_of_page_order_are_caught(tmp_path):
    zh = PAGE_ZH.format(a="second-step", b="first-step")
    en = PAGE_EN.format(a="second-step", b="first-step")
    found = problems(make_site(tmp_path, zh=zh, en=en), "order")
    assert found and "Reorder the sections" in found[0].message


TWO_PAGES = {"mkdocs.yml": "nav:\n  - 第一组:\n      - 甲: demo/page.md\n      - 乙: demo/other.md\n",
             "docs/demo/other.md": "# 乙 { #other }\n", "docs/demo/other.en.md": "# B { #other }\n"}
HOME = "# 首页 {{ #home }}\n\n## 学习路线 {{ #learning-path }}\n\n{lines}\n## 接下来 {{ #topics }}\n\n## 另外 {{ #more }}\n\n{more}\n"


def test_page_missing_from_the_home_page_is_caught(tmp_path):
    home = {"docs/index.md": HOME.format(lines="- [甲](demo/page.md#first)：一页。\n- [乙](<./demo/other.md> \"乙\")",
                                         more=""),
            "docs/index.en.md": HOME.format(lines="<!-- - [A](demo/page.md) -->\n- [B](demo/other.md)",
                                            more="[A](demo/page.md) is outside the lists.")}
    found = problems(make_site(tmp_path, extra={**TWO_PAGES, **home}), "home")
    assert [(p.where, p.message.split(":")[0]) for p in found] == [("docs/index.en.md", "does not link to demo/page.md")]
    assert "add a line for it under 第一组 (its section in the nav of mkdocs.yml), as its first line" in found[0].message


def test_home_page_out_of_the_navs_order_or_without_its_lists_is_caught(tmp_path):
    home = {"docs/index.md": HOME.format(lines="- [乙](demo/other.md)\n- [甲](demo/page.md)", more=""),
            "docs/index.en.md": "# Home { #home }\n\n- [A](demo/page.md)\n- [B](demo/other.md)\n"}
    found = problems(make_site(tmp_path, extra={**TWO_PAGES, **home}), "home")
    assert [(p.where, p.message.split(":")[0]) for p in found] == [
        ("docs/index.md", "lists demo/other.md where the nav of mkdocs.yml has demo/page.md (第一组)"),
        ("docs/index.en.md", "has no sections headed `{ #learning-path }` and `{ #topics }`")]


def test_page_missing_from_nav_is_caught(tmp_path):
    found = problems(make_site(tmp_path, nav="other.md"), "nav")
    assert len(found) == 1 and "add `demo/page.md`" in found[0].message


@pytest.mark.parametrize("source, expected", [
    ("# --8<-- [start:a]\nx = 1\n", "never closed"),
    ("# --8<-- [start:a]\n# --8<-- [start:b]\n", "do not nest"),
    ("# --8<-- [start:Bad_Name]\n# --8<-- [end:Bad_Name]\n", "kebab-case"),
    ("# --8<-- [start:a]\n# --8<-- [end:b]\n", "does not close"),
    ("x = 1\n# --8<-- [end:a]\n", "closes no section: none is open here"),
    ("# --8<-- [start:a]\n\n# --8<-- [end:a]\n", "has no code"),
    ("# profile: cpu, cuda\nx = 1\n", "did you mean `# profiles:`?"),
    ("# profiles: cpu, tpu\n", "unknown profile 'tpu'"),
    ("# record: no\n", "needs a reason"),
    ("# gpu-recording: pending\n", "must be `pending (reason)`"),
    ("# gpu-recording: pending (no GPU)\n", "without `cuda`"),
])
def test_malformed_snippets_are_caught(tmp_path, source, expected):
    found = problems(make_site(tmp_path, snippet=source), "snippet")
    assert found and expected in found[0].message, found


def test_unknown_generated_content_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n<!-- generated: no-such-table -->\n"
    found = problems(make_site(tmp_path, zh=zh), "generated")
    assert len(found) == 1 and "unknown generated content 'no-such-table'" in found[0].message, found
    assert "scripts/generated.py" in found[0].message


def test_generated_content_is_expanded_with_indent_and_arguments(monkeypatch):
    import generated

    monkeypatch.setitem(generated.RENDERERS, "echo", "test_consistency:_echo")
    page = "text\n    <!-- generated: echo word=hello other='two words' -->\nend\n"
    assert generated.expand(page, "en", "x.md") == "text\n    en hello\n\n    two words\nend\n"
    with pytest.raises(generated.DirectiveError, match="x.md:1: argument 'bad' is not `key=value`"):
        generated.expand("<!-- generated: echo bad -->", "en", "x.md")
    with pytest.raises(generated.DirectiveError, match="x.md:1: generated content 'echo' takes the arguments word, other"):
        generated.expand("<!-- generated: echo word=a othr=b -->", "en", "x.md")


def _echo(language, word, other):
    return f"{language} {word}\n\n{other}"


@pytest.mark.parametrize("line", [
    "先运行 `pip install torch`。", "```bash\nconda install -c pytorch pytorch\n```", "uv pip install torch",
    "python3 -m venv .venv", "py -m venv .venv", "python setup.py install", "pip3 config set global.index-url x",
    "uv add torch", "poetry add torch", "pip download torch", "Pip Install torch",
])
def test_typed_install_commands_are_caught(tmp_path, line):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + f"\n{line}\n"
    found = problems(make_site(tmp_path, zh=zh), "typed-command")
    assert found and "docs/install/install.yml" in found[0].message, found


def _page_quoting(text):
    return PAGE_ZH.format(a="first-step", b="second-step") + "\n" + text + "\n"


def test_a_quoted_result_must_be_an_output_the_page_includes(tmp_path):
    recording = "## first-step\ntensor([0.6667, 1.0000])\n## second-step\ntensor([-2.0223])\n"
    good = "梯度是 0.6667，约等于 0.667；权重是 −2.0223。学习率 0.1 不算结果。"
    root = make_site(tmp_path, zh=_page_quoting(good), extra={"snippets/demo/page.cpu.out": recording})
    assert problems(root, "number") == []  # as printed, rounded, with a minus sign, or too short to be a result

    # a printed number far larger than the quoted one (float64's largest) is no match, and no crash
    huge = make_site(tmp_path, zh=_page_quoting("它是 0.10000000149011611938。"),
                     extra={"snippets/demo/page.cpu.out": "## first-step\n1.8e+308 0.10000000149011611938\n"})
    assert problems(huge, "number") == []

    stale = "上一轮录的损失是 0.6572。"
    found = problems(make_site(tmp_path, zh=_page_quoting(stale)), "number")
    line = _page_quoting(stale).splitlines().index(stale) + 1
    assert len(found) == 1 and found[0].where == f"docs/demo/page.md:{line}" and "0.6572" in found[0].message
    assert "number-ok" in found[0].message


def test_a_quoted_result_may_end_a_sentence_and_a_printed_exponent_is_not_cut(tmp_path):
    snippet = SNIPPET.replace("print(torch.ones(2))", "print(0.6612)\nprint(1.2345e-05)")
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n值是 0.6612。输出 `1.2345e-05`。\n"
    en = PAGE_EN.format(a="first-step", b="second-step") + "\nThe value is 0.6613. It prints `1.2345e-05`.\n"
    site = make_site(tmp_path, zh=zh, en=en, snippet=snippet,
                     extra={"snippets/demo/page.cpu.out": "# --8<-- [start:first-step]\n0.6612\n1.2345e-05\n"})
    found = problems(site, "number")
    assert [p.where for p in found] == ["docs/demo/page.en.md:15"] and "quotes 0.6613" in found[0].message, found


def test_include_and_generated_look_alikes_in_a_sentence_are_not_flagged(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n写 `--8<--` 引用，或者 `<!-- generated: glossary -->`。\n"
    found = [p for p in check_site.check(make_site(tmp_path, zh=zh)) if p.check in ("include", "generated")]
    assert not found, found


def test_a_number_that_is_not_an_output_opts_out_with_a_reason(tmp_path):
    quoted = "原文写的是 0.00035 ms。"
    ok = make_site(tmp_path, zh=_page_quoting(quoted + "\n<!-- number-ok: 0.00035 (the article's claim) -->"))
    assert problems(ok, "number") == []
    bare = make_site(tmp_path, zh=_page_quoting(quoted + "\n<!-- number-ok: 0.00035 -->"))
    assert [p.message.split(":")[0] for p in problems(bare, "number")][:1] == ["`<!-- number-ok"]


def test_a_result_quoted_as_inline_code_is_checked_too(tmp_path):
    found = problems(make_site(tmp_path, zh=_page_quoting("输出是 `tensor([0.1234])`。")), "number")
    assert len(found) == 1 and "0.1234" in found[0].message


def test_a_generated_line_changed_in_one_language_only_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step") + "\n<!-- generated: glossary -->\n"
    en = PAGE_EN.format(a="first-step", b="second-step") + "\n<!-- generated: glossary sort=zh -->\n"
    found = problems(make_site(tmp_path, zh=zh, en=en), "translation")
    assert len(found) == 1 and found[0].where == "docs/demo/page.en.md:15", found
    assert "its generated line no. 1 is `glossary sort=zh` where docs/demo/page.md:15 has `glossary`" in found[0].message


def test_a_search_also_comment_the_build_cannot_attach_is_caught(tmp_path):
    zh = PAGE_ZH.format(a="first-step", b="second-step")
    zh = zh.replace("## 第一步 { #first }\n", "## 第一步 { #first }\n<!-- search-also: 第一, 开头 -->\n")  # right
    zh += ("\n那一段。\n\n<!-- search-also: 第二步 -->\n"  # 18: not under a heading
           "\n## 第三步 { #third data-search-exclude }\n<!-- search-also: 第三, -->\n"  # 21: excluded, empty word
           "\n<!-- search-also 第四 -->\n")  # 23: no colon
    en = PAGE_EN.format(a="first-step", b="second-step") + "\n## Third { #third }\n"
    root = make_site(tmp_path, zh=zh, en=en)
    found = sorted((p.where, p.message.split(":")[0]) for p in problems(root, "search-also"))
    assert [where for where, _ in found] == [f"docs/demo/page.md:{n}" for n in (18, 21, 21, 23)], found
    messages = " ".join(message for _, message in found)
    assert "not on the line right below a heading" in messages and "data-search-exclude" in messages
    assert "an empty word" in messages and "not read as a search-also line" in messages
