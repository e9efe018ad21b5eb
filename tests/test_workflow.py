"""Authoring workflow: starting a handout, and builds that give the same bytes every time."""

from __future__ import annotations

import shutil

from testing_utils import copy_example, make_project, parse_html, run_cli, snapshot, text_of


def test_new_writes_a_research_report_outline_that_builds(tmp_path):
    result = run_cli("--project", tmp_path, "new", "security-council-guide",
                     "--title", "Security Council: a study guide", "--committee", "Security Council")
    assert result.status == 0
    assert result.out == "content/security-council-guide.md\n"
    text = (tmp_path / "content/security-council-guide.md").read_text()
    assert text.startswith("---\ntitle: 'Security Council: a study guide'\n"
                           "committee: Security Council\n")
    assert "!!! content-note" in text
    built = run_cli("--project", tmp_path)
    assert built.status == 0, built.err
    page = parse_html(tmp_path / "dist/security-council-guide.html")
    assert [text_of(h) for h in page.iter("h2")] == [
        "Introduction", "Definition of Key Terms", "Background", "Major Parties Involved",
        "Timeline", "Previous Attempts to Solve the Issue", "Possible Solutions",
        "Further Reading", "Sources"]
    assert page.find(".//p[@class='draft-banner']") is not None


def test_new_never_overwrites_and_refuses_unusable_names(tmp_path):
    make_project(tmp_path, {"content/taken.md": "mine"})
    result = run_cli("--project", tmp_path, "new", "taken")
    assert result.status == 1
    assert result.err == ("handouts new: content/taken.md already exists: choose another name, "
                          "or edit that file\n")
    assert (tmp_path / "content/taken.md").read_text() == "mine"
    result = run_cli("--project", tmp_path, "new", "My Guide")
    assert result.status == 1
    assert result.err.startswith("handouts new: 'My Guide' cannot be a handout's name")


def test_two_builds_of_the_same_input_give_the_same_bytes(tmp_path):
    copy_example(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    for name in ("one", "two"):
        assert run_cli("--project", tmp_path / name).status == 0
    first, second = snapshot(tmp_path / "one/dist"), snapshot(tmp_path / "two/dist")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
