"""The autograd page's graph picture: drawn from the graph torch really records, and committed fresh."""

import re

import pytest

torch = pytest.importorskip("torch")

import render_autograd_graph as graph  # noqa: E402


def test_walk_follows_next_functions_from_the_root_to_the_leaf():
    tensors = graph.build_example()
    nodes, edges = graph.walk(tensors["out"].grad_fn, tensors)
    assert [(n.name, n.depth, n.tensor) for n in nodes] == [
        ("MeanBackward0", 0, "out"),
        ("MulBackward0", 1, "b"),
        ("AccumulateGrad", 2, "a"),
        ("None", 2, None),  # the constant 2 needs no gradient
    ]
    assert [(e.parent, e.child, e.slot) for e in edges] == [(0, 1, 0), (1, 2, 0), (1, 3, 1)]


def test_a_tensor_used_twice_is_one_node_with_two_edges_into_it():
    x = torch.tensor(2.0, requires_grad=True)
    v = x * x + x
    nodes, edges = graph.walk(v.grad_fn, {"v": v, "x": x})
    assert [n.name for n in nodes] == ["AddBackward0", "MulBackward0", "AccumulateGrad"]
    assert sorted((e.parent, e.child) for e in edges) == [(0, 1), (0, 2), (1, 2), (1, 2)]
    assert nodes[2].depth == 2, "depth is the longest path, so the leaf sits below the MulBackward0 node"


@pytest.mark.parametrize("layout", graph.LAYOUTS, ids=lambda layout: layout.suffix or "wide")
def test_the_svg_is_accessible_and_readable_on_both_schemes(layout):
    svg = graph.render_svg(layout=layout)
    assert svg == graph.render_svg(layout=layout), "rendering must give the same bytes every time"
    ids = f"autograd-graph{layout.suffix}"
    assert f'<title id="{ids}-title">' in svg and f'<desc id="{ids}-desc">' in svg
    assert 'role="img"' in svg and "currentColor" in svg and "prefers-color-scheme: dark" in svg
    for name in ("MeanBackward0", "MulBackward0", "AccumulateGrad", "a.grad += grad", "None"):
        assert name in svg
    assert "0x" not in svg, "no memory address may reach the picture"
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", ""), "the picture loads nothing"


def test_the_narrow_drawing_fits_a_phone_and_keys_its_short_labels():
    svg = graph.render_svg(layout=graph.NARROW)
    width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
    assert width <= 360 - 32, "the narrow drawing is shown at its own size in a 360 px phone's column"
    assert ">[0]<" in svg and ">[1]<" in svg and "[i]: next_functions[i]" in svg
    assert ">requires_grad=True<" in svg, "the leaf's flags go on two lines"


def test_committed_svg_is_a_fresh_render():
    assert graph.main(["--check"]) == 0, graph.stale()


def test_check_fails_with_the_file_and_the_fix(tmp_path, capsys):
    stale = tmp_path / "graph.svg"
    stale.write_text(graph.render_svg().replace("MulBackward0", "MulBackward1"), encoding="utf-8")
    (tmp_path / "graph-narrow.svg").write_text(graph.render_svg(layout=graph.NARROW), encoding="utf-8")
    assert graph.main(["--check", "--svg", str(stale)]) == 1
    err = capsys.readouterr().err
    assert "differs from a fresh render" in err and "render_autograd_graph.py" in err
    assert "graph.svg differs" in err and "graph-narrow.svg" not in err, "it names the stale drawing only"
    assert graph.main(["--check", "--svg", str(tmp_path / "missing.svg")]) == 1
    assert "is missing" in capsys.readouterr().err


def test_writing_renders_both_drawings_beside_each_other(tmp_path):
    target = tmp_path / "graph.svg"
    assert graph.main(["--svg", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == graph.render_svg()
    assert (tmp_path / "graph-narrow.svg").read_text(encoding="utf-8") == graph.render_svg(layout=graph.NARROW)
    assert graph.main(["--check", "--svg", str(target)]) == 0
