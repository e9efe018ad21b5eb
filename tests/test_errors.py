"""Reporting content errors: all at once, exit statuses, one program; each case is in test_bad_input_corpus.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testing_utils import REPO, handout, make_project, run_cli


def build_errors(tmp_path, files):
    make_project(tmp_path, files)
    result = run_cli("--project", tmp_path)
    assert result.status == 1
    assert "Traceback" not in result.err
    return [line for line in result.err.splitlines() if not line.startswith("Build failed")]


def test_every_broken_handout_is_reported_at_once(tmp_path):
    errors = build_errors(tmp_path, {
        "content/a.md": "---\ntitel: A\n---\n",
        "content/b.md": "---\ntitle: B\nstatus: ready\n---\n",
    })
    assert [error.split(":")[0] for error in errors] == ["content/a.md", "content/b.md"]


def test_wrong_usage_exits_2(tmp_path):
    assert run_cli("--no-such-option").status == 2
    assert run_cli("--project", tmp_path / "missing").status == 2


def test_build_py_and_console_script_are_the_same_program(tmp_path):
    make_project(tmp_path, {"content/a.md": "---\ntitel: A\n---\n"})
    for command in ([sys.executable, str(REPO / "build.py")],
                    [str(Path(sys.executable).parent / "handouts")], [sys.executable, "-m", "handouts"]):
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stderr.startswith("content/a.md:2: unknown front matter key 'titel'")
        assert "Traceback" not in result.stderr


def test_editor_files_and_folders_are_not_handouts(tmp_path):
    make_project(tmp_path, {"content/a.md": handout(), "content/.#a.md": "lock",
                            "content/folder.md/x.txt": "not a handout"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.html")) == ["a.html", "index.html"]


SETTINGS_WITH_TWO_MISTAKES = '[conference]\npaper = "A5"\n\n[glossary]\nlink = "sometimes"\n'


def test_every_command_that_opens_the_project_reports_handouts_toml_in_plain_lines(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("A"),
                            "handouts.toml": SETTINGS_WITH_TWO_MISTAKES})
    (tmp_path / "dist").mkdir()
    both = ["handouts.toml:2: paper must be \"A4\" or \"Letter\", not 'A5'",
            ("handouts.toml:5: link in [glossary] must be \"first\", \"all\" or \"none\", "
             "not 'sometimes'")]
    made = run_cli("--project", tmp_path, "new", "minutes")
    assert (made.status, made.err.splitlines()) == (1, both)
    assert not (tmp_path / "content/minutes.md").exists()
    reviewed = run_cli("--project", tmp_path, "check", "--review")
    assert (reviewed.status, reviewed.err.splitlines()) == (1, both)
    linked = run_cli("--project", tmp_path, "links")  # stops before any request
    assert linked.status == 1 and linked.out.splitlines()[0] == both[0]
    for result in (made, reviewed, linked):
        assert "Traceback" not in result.out + result.err
