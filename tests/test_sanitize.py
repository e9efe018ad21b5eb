"""Raw HTML in Markdown is sanitised; template syntax in content is text."""

from __future__ import annotations

from testing_utils import DOT_PNG, handout, make_project, parse_html, run_cli

HOSTILE = """\
Intro <b onclick="steal()">bold</b> text.

<script>alert(1)</script>

<iframe src="https://example.com"></iframe>

<object data="x.swf"></object>

<p style="background: url(http://example.com/x.png)">Styled</p>

[Run me](javascript:alert(1)) and <a href="JaVaScRiPt:alert(2)">me</a>.

<img src="assets/dot.png" onerror="alert(3)" alt="A dot">

Template {{ config }} and {% raw %} stay text.
"""




def build_hostile(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("A", HOSTILE),
                            "content/assets/dot.png": DOT_PNG})
    return run_cli("--project", tmp_path)


def test_scripts_frames_objects_and_handlers_are_removed(tmp_path):
    result = build_hostile(tmp_path)
    page = (tmp_path / "dist/a.html").read_text()
    body = page[page.index("<main"):]
    for forbidden in ("<script", "<iframe", "<object", "onclick", "onerror", "javascript:",
                      "JaVaScRiPt", "style=", "example.com"):
        assert forbidden not in body
    assert "bold" in body and "Styled" in body and 'alt="A dot"' in body
    assert result.status == 0, result.err


def test_unknown_tags_are_unwrapped_once_keeping_text_in_order(tmp_path):
    body = '<p><font><b>Bold</b><font color=red>red</font> text</font> after</p>\n'
    make_project(tmp_path, {"content/a.md": handout("A", body)})
    result = run_cli("--project", tmp_path)
    assert result.status == 0
    paragraph = parse_html(tmp_path / "dist/a.html").find(".//div[@class='handout-body']/p")
    assert "".join(paragraph.itertext()) == "Boldred text after"
    assert result.err.count("removed the unknown tag <font>") == 2


def test_svg_and_math_are_removed_with_their_scripts(tmp_path):
    body = ('<svg><script>alert(7)</script><style>@import url(http://x)</style></svg>\n\n'
            '<math><mi>x</mi></math>\n\nAfter.\n')
    make_project(tmp_path, {"content/a.md": handout("A", body)})
    assert run_cli("--project", tmp_path).status == 0
    main = "".join(parse_html(tmp_path / "dist/a.html").find(".//main").itertext())
    assert "alert" not in main and "import" not in main and "After." in main
