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


def test_removed_html_is_reported_with_its_line(tmp_path):
    result = build_hostile(tmp_path)
    assert "content/a.md:6: warning: removed a <script> element: raw HTML may not contain " \
           "<script>" in result.err
    assert "content/a.md:4: warning: removed the attribute onclick= from <b>: raw HTML may " \
           "not carry scripts or inline styles" in result.err
    assert "content/a.md:14: warning: removed the unsafe URL 'javascript:alert(1)' from <a>: " \
           "only http:, https:, mailto:, tel: and relative links are allowed" in result.err


def test_template_syntax_in_content_is_printed_literally(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("A {{ 7*7 }}", "Text {{ 7*7 }} {% if x %}.\n")})
    assert run_cli("--project", tmp_path).status == 0
    page = parse_html(tmp_path / "dist/a.html")
    assert "Text {{ 7*7 }} {% if x %}." in "".join(page.find(".//main").itertext())
    assert page.find(".//h1").text == "A {{ 7*7 }}"


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


def test_an_unclosed_element_that_would_hide_text_is_an_error(tmp_path):
    body = "Before.\n\n<noscript>\n\n## Everything after\n\nis swallowed.\n"
    make_project(tmp_path, {"content/a.md": handout("A", body)})
    result = run_cli("--project", tmp_path)
    assert result.status == 1
    assert ("content/a.md:6: a <noscript> element would hide the text after it: close it, "
            "or remove it from the handout") in result.err.splitlines()
