"""Authoring workflow: starting a handout, and builds that give the same bytes every time."""

from __future__ import annotations

import re

import pytest
from testing_utils import (
    handout,
    make_project,
    parse_html,
    run_cli,
    snapshot,
    text_of,
)


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
        "Contents", "Introduction", "Definition of Key Terms", "Background", "Major Parties Involved",
        "Timeline", "Previous Attempts to Solve the Issue", "Possible Solutions",
        "Further Reading", "Sources", "Printed pages"]
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


@pytest.mark.parametrize("name, reason", [
    ("index", "handouts new: 'index' is taken by Handouts' own index.html: choose another name"),
    ("Review", "handouts new: 'Review' is taken by Handouts' own review.html: choose another"),
    ("glossary", "handouts new: content/glossary.md is the glossary every handout shares, not "
                 "a handout"),
    ("delegates", "handouts new: 'delegates' is the slug of the packet 'Delegates' in "
                  "handouts.toml (both would write dist/delegates.html)"),
    ("TAKEN", "handouts new: content/taken.md already exists: choose another name, or edit"),
])
def test_new_refuses_a_name_that_is_taken_and_says_by_what(tmp_path, name, reason):
    make_project(tmp_path, {
        "content/taken.md": handout("Taken"),
        "handouts.toml": '[conference]\nname = "X"\n\n[[packet]]\nslug = "delegates"\n'
                         'title = "Delegates"\nhandouts = ["taken"]\n'})
    result = run_cli("--project", tmp_path, "new", name)
    assert result.status == 1
    assert result.err.startswith(reason)
    assert sorted(path.name for path in (tmp_path / "content").iterdir()) == ["taken.md"]


def test_two_builds_of_the_same_input_give_the_same_bytes(example, example_elsewhere):
    # Two builds of the example, each in its own folder, with different numbers of PDF jobs:
    # every file the same, PDFs and EPUBs included.
    first, second = snapshot(example / "dist"), snapshot(example_elsewhere / "dist")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_progress_is_plain_lines_off_a_terminal_and_can_be_quiet_or_verbose(tmp_path):
    make_project(tmp_path, {"content/a.md": "---\ntitle: A\n---\n\nText.\n",
                            "content/b.md": "---\ntitle: B\n---\n\nText.\n"})
    plain = run_cli("--project", tmp_path, "--jobs", "1")
    assert plain.out.splitlines()[:4] == ["[1/4] a: PDF", "[2/4] a (large-print): PDF",
                                          "[3/4] b: PDF", "[4/4] b (large-print): PDF"]
    # One page each, in the standard and the large-print profile.
    assert plain.out.splitlines()[-1].startswith("Built 2 handout(s), 4 PDF page(s)")
    assert run_cli("--project", tmp_path, "--quiet").out == ""
    verbose = run_cli("--project", tmp_path, "build", "--verbose", "--force",
                      "--jobs", "1").out.splitlines()
    assert re.fullmatch(r"  a: 1 page\(s\), \d+\.\d\d s, 0 finding\(s\)", verbose[1])
    again = run_cli("--project", tmp_path, "build", "--verbose", "--jobs", "1").out.splitlines()
    assert again[:2] == ["[1/4] a: PDF kept", "  a: 1 page(s), kept, 0 finding(s)"]
    assert run_cli("--project", tmp_path, "build", "-q", "-v").status == 2


def test_a_terminal_gets_a_progress_bar(tmp_path):
    import subprocess
    import sys

    from testing_utils import REPO

    make_project(tmp_path, {"content/a.md": "---\ntitle: A\n---\n\nText.\n"})
    command = f"{sys.executable} {REPO / 'build.py'} --project {tmp_path}"
    result = subprocess.run(["script", "-qc", command, "/dev/null"], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "TERM": "xterm"})
    assert result.returncode == 0
    assert "PDF: a" in result.stdout and "[1/1] a: PDF" not in result.stdout
