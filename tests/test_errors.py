"""Content errors: each names the file and line, says how to fix it, exits 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testing_utils import REPO, handout, make_project, run_cli


def build_errors(tmp_path, files):
    make_project(tmp_path, files)
    result = run_cli("--project", tmp_path)
    assert result.status == 1
    assert "Traceback" not in result.err
    return [line for line in result.err.splitlines() if not line.startswith("Build failed")]


@pytest.mark.parametrize("front_matter, expected", [
    ("---\ntitel: Hello\n---\n",
     "content/a.md:2: unknown front matter key 'titel' (did you mean 'title'?); known keys: "
     "title, subtitle, committee, topic, authors, date, lang, summary, content_notes, status"),
    ("---\nsubtitle: Hello\n---\n",
     "content/a.md:1: the front matter has no 'title': add 'title: …'"),
    ("---\ntitle: A\ndate: tomorrow\n---\n",
     "content/a.md:3: 'date' must be an ISO date such as 2027-01-15"),
    ("---\ntitle: A\ncontent_notes: violence\n---\n",
     "content/a.md:3: 'content_notes' must be a list of texts ('- …' lines)"),
    ("---\ntitle: A\nauthors:\n  - {name: B, rank: 1}\n---\n",
     "content/a.md:3: 'authors' must be a list of names or of {name, role}"),
    ("---\ntitle: [A, B]\n---\n",
     "content/a.md:2: 'title' must be a non-empty text"),
    ("---\ntitle: A\nstatus: ready\n---\n",
     "content/a.md:3: 'status' must be draft or final"),
    ("---\ntitle: A\nlang: english please\n---\n",
     "content/a.md:3: 'lang' must be a language tag such as en, fr or es-MX"),
    ("---\ntitle: A\n  bad: indentation\n---\n",
     "content/a.md:3: the front matter is not valid YAML: mapping values are not allowed here; "
     "a value that contains ': ' must be in quotes, e.g. title: \"Welcome: a guide\""),
    ("---\ntitle: A\ndate: 2027-02-30\n---\n",
     "content/a.md:3: 'date' is not a real date (day is out of range for month): write an ISO "
     "date such as 2027-01-15"),
    ("---\ntitle: A\ntitle: B\n---\n",
     "content/a.md:3: 'title' is given twice: keep one"),
    ("---\ntitle: A\n",
     "content/a.md:1: the front matter is never closed: add a line '---' after its last key"),
    ("# Just Markdown\n",
     "content/a.md:1: the handout must start with front matter: a line '---', then at "
     "least 'title: …', then a line '---'"),
    ("",
     "content/a.md:1: the file is empty: a handout needs front matter with a title, then "
     "its Markdown text"),
])
def test_front_matter_errors_name_file_and_line(tmp_path, front_matter, expected):
    assert build_errors(tmp_path, {"content/a.md": front_matter}) == [expected]


def test_invalid_utf8_names_the_line(tmp_path):
    data = "---\ntitle: A\n---\n\nCaf".encode() + b"\xe9 au lait\n"
    assert build_errors(tmp_path, {"content/a.md": data}) == [
        "content/a.md:5: the file is not valid UTF-8; save it as UTF-8 in your editor"]


def test_every_broken_handout_is_reported_at_once(tmp_path):
    errors = build_errors(tmp_path, {
        "content/a.md": "---\ntitel: A\n---\n",
        "content/b.md": "---\ntitle: B\nstatus: ready\n---\n",
    })
    assert [error.split(":")[0] for error in errors] == ["content/a.md", "content/b.md"]


def test_bom_and_crlf_just_work(tmp_path):
    text = "\ufeff" + handout("Windows file", "## One\r\n\r\nText.\r\n").replace("\n", "\r\n")
    make_project(tmp_path, {"content/a.md": text})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert "<h2 id=\"one\">One</h2>" in (tmp_path / "dist/a.html").read_text()


def test_unknown_config_key_suggests_the_nearest(tmp_path):
    errors = build_errors(tmp_path, {
        "handouts.toml": '[conference]\nname = "X"\npapr = "A4"\n',
        "content/a.md": handout(),
    })
    assert errors == ["handouts.toml:3: unknown key 'papr' in [conference] (did you mean "
                      "'paper'?); known keys: name, short_name, lang, paper, logo, "
                      "logo_alt"]


def test_wrong_paper_size_is_explained(tmp_path):
    errors = build_errors(tmp_path, {
        "handouts.toml": '[conference]\npaper = "A5"\n',
        "content/a.md": handout(),
    })
    assert errors == ['handouts.toml:2: paper must be "A4" or "Letter", not \'A5\'']


def test_no_handouts_is_an_error(tmp_path):
    (tmp_path / "content").mkdir()
    assert build_errors(tmp_path, {}) == [
        f"content: no handouts found in {tmp_path}/content: add a Markdown file such as "
        "content/welcome.md, or name the project with --project DIR"]


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


def test_a_template_override_with_a_syntax_error_names_the_template_and_line(tmp_path):
    errors = build_errors(tmp_path, {
        "content/a.md": handout(),
        "templates/handout.html": '{% extends "base.html" %}\n{% block main %}\n{{ meta.title }\n',
    })
    assert errors == ["templates/handout.html:3: template syntax error: unexpected '}'"]


@pytest.mark.parametrize("name, expected", [
    ("index.md", "content/index.md: the name 'index' is taken by Handouts' own index.html: "
                 "rename the file, e.g. to 'welcome.md'"),
    ("My Handout.md", "content/My Handout.md: a handout's file name becomes its web address: "
                      "use letters, digits and '-' only, e.g. 'my-handout.md'"),
])
def test_file_names_that_cannot_be_pages(tmp_path, name, expected):
    assert build_errors(tmp_path, {f"content/{name}": handout()}) == [expected]


def test_editor_files_and_folders_are_not_handouts(tmp_path):
    make_project(tmp_path, {"content/a.md": handout(), "content/.#a.md": "lock",
                            "content/folder.md/x.txt": "not a handout"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.html")) == ["a.html", "index.html"]


@pytest.mark.parametrize("body, expected", [
    ("![](assets/dot.png)\n",
     "content/a.md:4: the image assets/dot.png has no alternative text: describe it, "
     "![what the image shows](…), or mark an image that carries no information "
     "![](…){: .decorative }"),
])
def test_an_image_without_alternative_text_fails_the_build(tmp_path, body, expected):
    make_project(tmp_path, {"content/assets/dot.png": b"\x89PNG"})
    assert build_errors(tmp_path, {"content/a.md": handout(body=body)}) == [expected]


@pytest.mark.parametrize("toml, expected", [
    ('conference = "X"\n',
     "handouts.toml:1: conference must be a section: write [conference] on its own line, "
     "then its keys"),
    ('[packet]\nslug = "p"\n',
     "handouts.toml:1: each packet is a [[packet]] section (two brackets), with slug, title "
     "and handouts"),
    ('[[packet]]\ntitle = "P"\n',
     "handouts.toml:1: a [[packet]] needs slug, handouts"),
    ('[conference]\nlang = "English"\n',
     "handouts.toml:2: lang must be a language tag such as en, fr or es-MX, not 'English'"),
])
def test_settings_of_the_wrong_shape(tmp_path, toml, expected):
    assert build_errors(tmp_path, {"handouts.toml": toml, "content/a.md": handout()}) == [
        expected]


def test_nesting_too_deep_for_a_page_is_an_error(tmp_path):
    errors = build_errors(tmp_path, {"content/a.md": "---\ntitle: A\n---\n\n" + "> " * 200 + "x\n"})
    assert errors == ["content/a.md: lists, quotes or HTML elements are nested 201 deep; more "
                      "than 60 cannot be laid out on a page: flatten the nesting"]


def test_an_unclosed_code_fence_is_a_warning(tmp_path):
    make_project(tmp_path, {"content/a.md": "---\ntitle: A\n---\n\nText.\n\n```\ncode\n"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0
    assert result.err.splitlines() == [
        "content/a.md:7: warning: this code fence is never closed: add a line ``` after the code"]
