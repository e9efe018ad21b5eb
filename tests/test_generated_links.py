"""Only links Handouts makes are spared the link checks, never an author's link with a class."""

from __future__ import annotations

from testing_utils import handout, make_project, run_cli


def test_an_author_s_class_does_not_exempt_a_link_from_the_checks(tmp_path):
    body = ("## One\n\nRead it [here](https://example.org/report){: .screen-only } or "
            "[there](#nowhere){: .term }.\n\nA note[^1].\n\n[^1]: The note.\n")
    make_project(tmp_path, {"content/a.md": handout("Links", body)})
    result = run_cli("--project", tmp_path)
    assert result.status == 1
    assert "content/a.md:6: warning: the link text 'here' does not say where" in result.err
    assert "content/a.md:6: the link to #nowhere goes nowhere" in result.err
    # Handouts' own links (the footnote's call and return, the sources) are not reported.
    assert "fn" not in result.err and "source-" not in result.err
