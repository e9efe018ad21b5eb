"""A shared repository cannot hurt whoever builds it: links, templates, stored scripts, writes.

Each case is a project a hostile (or careless) chair could commit. Each asserts the exit
status, the exact message, and that nothing outside the project is read, nothing outside
dist/ is written or removed, and no secret is published. (The cache: test_incremental.py;
limits: test_hostile_limits.py; front matter and settings: test_hostile_messages.py;
assets: test_hostile_assets.py; serve: test_serve.py; links: test_links_command.py.)
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess

import pytest
from test_isolation import audited_build, outside, written_outside
from testing_utils import REPO, handout, make_project, run_cli, snapshot

SECRET = "SECRET-TOKEN-0123456789"


def files_under(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


@pytest.fixture
def project(tmp_path):
    """A small built project in a git checkout with an unpushed commit, and a secret beside
    it (a CI token, say)."""
    root = make_project(tmp_path / "project", {"content/a.md": handout("A", "Words.\n")})
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    (root / ".git").mkdir()
    (root / ".git/config").write_text(f"[remote]\n\turl = https://x:{SECRET}@example.org/\n")
    (tmp_path / "secret.txt").write_text(SECRET)
    assert run_cli("--project", root).status == 0
    return root


def build_lines(root) -> tuple[int, list[str]]:
    result = run_cli("--project", root)
    assert "Traceback" not in result.err
    return result.status, result.err.splitlines()


@pytest.mark.parametrize("target", [".", "..", "content"])
def test_a_committed_dist_link_deletes_nothing(project, target):
    before = files_under(project)
    shutil.rmtree(project / "dist")
    os.symlink(target, project / "dist")
    status, lines = build_lines(project)
    assert status == 1
    assert lines == [f"dist: a symbolic link (to {target}): Handouts writes only into real "
                     "folders; remove the link (nothing was written or deleted), and add "
                     "'/dist' to .gitignore so it is never committed",
                     "Build failed: 1 error(s); dist/ was left as it was."]
    after = files_under(project)
    assert {name: data for name, data in after.items() if not name.startswith("dist")} == {
        name: data for name, data in before.items() if not name.startswith("dist/")}


def test_a_lock_link_truncates_nothing_and_a_folder_link_gets_no_pdf(project, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (project / "dist/.handouts.lock").unlink()
    os.symlink(victim, project / "dist/.handouts.lock")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project / "dist/pdf")
    os.symlink(elsewhere, project / "dist/pdf")
    (project / "content/a.md").write_text(handout("A", "Changed.\n"))
    status, lines = build_lines(project)
    assert status == 1
    assert lines[:2] == [
        f"dist/.handouts.lock: a symbolic link (to {victim}): Handouts writes only into real "
        "folders; remove the link (nothing was written or deleted), and add '/dist' to "
        ".gitignore so it is never committed",
        f"dist/pdf: a symbolic link (to {elsewhere}): Handouts writes only into real folders; "
        "remove the link (nothing was written or deleted), and add '/dist' to .gitignore so "
        "it is never committed"]
    assert victim.read_text() == "precious" and list(elsewhere.iterdir()) == []


def test_the_example_gitignore_keeps_a_dist_link_and_the_cache_out_of_git(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = make_project(tmp_path, {"content/a.md": handout()})
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    os.symlink(".", root / "dist")
    (root / ".handouts-cache").mkdir()
    (root / ".handouts-cache/manifest.json").write_text("{}")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    staged = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True,
                            text=True, check=True).stdout.split()
    assert "dist" not in staged and not any(".handouts-cache" in name for name in staged)
    assert "content/a.md" in staged


def test_only_what_the_last_build_published_is_removed(project):
    """A file someone else put in dist/ stays; a deleted handout's files go."""
    (project / "dist/notes-of-the-chair.txt").write_text("mine")
    (project / "content/b.md").write_text(handout("B"))
    assert run_cli("--project", project).status == 0
    (project / "content/b.md").unlink()
    assert run_cli("--project", project).status == 0
    assert (project / "dist/notes-of-the-chair.txt").read_text() == "mine"
    assert not (project / "dist/b.html").exists() and not (project / "dist/pdf/b.pdf").exists()


LINKS = {
    "styles/base.css": "/proc/self/environ",
    "styles/profiles/standard.css": "{secret}",
    "content/assets/notes.png": "../../.git/config",
    "content/glossary.md": "{secret}",
    "content/b.md": "{secret}",
    "templates/handout.html": "{secret}",
}


def test_links_to_secrets_are_refused_unread_and_unpublished(project, tmp_path):
    secret = str(tmp_path / "secret.txt")
    for name, target in LINKS.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.format(secret=secret), project / name)
    before = snapshot(project / "dist")
    record = audited_build(project)
    assert record["status"] == 1
    reasons = {"/proc/self/environ": "outside the project", secret: "outside the project",
               "../../.git/config": "inside a hidden folder such as .git"}
    assert record["err"].splitlines() == sorted(
        f"{name}: a symbolic link to {target.format(secret=secret)}, "
        f"{reasons[target.format(secret=secret)]}: Handouts reads only files inside the "
        "project; put the file itself here instead of a link"
        for name, target in LINKS.items()) + ["Build failed: 6 error(s); dist/ was left as "
                                              "it was."]
    assert outside(record["opened"], project) == []
    assert not any(path.endswith((".git/config", "secret.txt", "environ"))
                   for path in record["opened"])
    assert written_outside(record["written"], project) == []
    assert snapshot(project / "dist") == before


def test_a_link_inside_the_project_is_read(project):
    (project / "content/shared").mkdir()
    (project / "content/shared/text.md").write_text(handout("Linked", "Linked words.\n"))
    os.symlink("shared/text.md", project / "content/linked.md")
    assert run_cli("--project", project).status == 0
    assert "Linked words." in (project / "dist/linked.html").read_text()


def test_page_text_never_makes_the_build_read_a_file(project, tmp_path):
    """The cache once found a page's resources by searching its text: this sentence made the
    build read a 3 GB file."""
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * 1000)
    (project / "content/a.md").write_text(handout(
        "A", f"Write `url({big})` or url({big}) or src=\"{big}\" in CSS.\n"))
    record = audited_build(project)
    assert record["status"] == 0, record["err"]
    assert str(big) not in record["opened"] and outside(record["opened"], project) == []


def test_a_template_cannot_run_code(project, tmp_path):
    marker = tmp_path / "ran"
    (project / "templates/partials").mkdir(parents=True)
    nav = (REPO / "templates/partials/site-nav.html").read_text()
    (project / "templates/partials/site-nav.html").write_text(
        nav + "\n{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}\n")
    lines_in_nav = nav.count("\n") + 2
    before = snapshot(project / "dist")
    status, lines = build_lines(project)
    assert status == 1 and not marker.exists()
    assert lines == [
        f"templates/partials/site-nav.html:{lines_in_nav}: this template does what a "
        "template may not (access to attribute '__globals__' of 'function' object is "
        "unsafe.): use only the variables and filters Handouts' own templates use",
        "Build failed: 1 error(s); dist/ was left as it was."]
    assert snapshot(project / "dist") == before


@pytest.mark.parametrize("name, data, message", [
    ("portal.html", b"<script>fetch('/')</script>", "content/assets/portal.html: content/"
     "assets/ holds only images, PDFs and fonts: portal.html is a .html file, which is not "
     "published; remove it"),
    ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
     "content/assets/map.svg:2: the <script> element holds a script, and scripts are not "
     "published: remove it"),
])
def test_stored_scripts_are_not_published(project, name, data, message):
    (project / "content/assets").mkdir(parents=True, exist_ok=True)
    (project / "content/assets" / name).write_bytes(data)
    before = snapshot(project / "dist")
    status, lines = build_lines(project)
    assert status == 1
    assert lines == [message, "Build failed: 1 error(s); dist/ was left as it was."]
    assert snapshot(project / "dist") == before and not (project / "dist/assets").exists()


@pytest.mark.parametrize("error, why", [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "the file system is read-only"),
    (errno.EACCES, "Permission denied"),
])
def test_a_full_or_read_only_dist_is_one_line(project, monkeypatch, error, why):
    """Root ignores a folder's permissions: the failing write is simulated."""
    import handouts.output

    before = snapshot(project / "dist")
    (project / "content/a.md").write_text(handout("A", "Changed.\n"))

    def failing_replace(source, target):
        raise OSError(error, os.strerror(error), str(target))

    monkeypatch.setattr(handouts.output.os, "replace", failing_replace)
    status, lines = build_lines(project)
    assert status == 1
    assert len(lines) == 2 and lines[0].endswith(
        f": cannot write the build's output ({why}): dist/ keeps its last good files; free "
        "some space or make dist/ writable, then build again")
    assert snapshot(project / "dist") == before


def test_check_refuses_a_dist_with_a_link(project, tmp_path):
    os.symlink(tmp_path / "secret.txt", project / "dist/stolen.html")
    result = run_cli("--project", project, "check")
    assert result.status == 1 and SECRET not in result.out + result.err
    assert result.err.splitlines() == [
        f"dist/stolen.html: a symbolic link (to {tmp_path / 'secret.txt'}): Handouts writes "
        "only into real folders; remove the link (nothing was written or deleted), and add "
        "'/dist' to .gitignore so it is never committed"]


NAV = (REPO / "templates/partials/site-nav.html").read_text()


@pytest.mark.parametrize("line, message", [
    ('{{ conference.path.joinpath("/etc/hostname").read_text() }}',
     "this template does what a template may not (access to attribute 'path' of 'Config' "
     "object is unsafe.): use only the variables and filters Handouts' own templates use"),
    ('{{ "x" * 10**9 }}',
     "this template does what a template may not (repeating 1 items 1,000,000,000 times would "
     "build more than 1,000,000): use only the variables and filters Handouts' own templates "
     "use"),
    ("{{ 1 // 0 }}", "template error: integer division or modulo by zero; check the template "
     "overrides in templates/"),
    ("{{ conference }}", "this template does what a template may not (a template may print "
     "only text, numbers and dates, not a Config): use only the variables and filters "
     "Handouts' own templates use"),
])
def test_a_template_reaches_no_file_and_builds_nothing_unbounded(project, line, message):
    (project / "handouts.toml").write_text('[conference]\nname = "Test MUN"\n')
    (project / "templates/partials").mkdir(parents=True)
    (project / "templates/partials/site-nav.html").write_text(NAV + line + "\n")
    status, lines = build_lines(project)
    assert status == 1
    assert lines == [f"templates/partials/site-nav.html:{NAV.count(chr(10)) + 1}: {message}",
                     "Build failed: 1 error(s); dist/ was left as it was."]


def test_a_template_that_runs_too_long_is_stopped(project, monkeypatch):
    monkeypatch.setattr("handouts.pages.sandbox.TEMPLATE_SECONDS", 1)
    (project / "templates/partials").mkdir(parents=True)
    loops = "{% for a in range(99999) %}{% for b in range(99999) %}{{ b }}{% endfor %}" \
            "{% endfor %}"
    (project / "templates/partials/site-nav.html").write_text(NAV + loops + "\n")
    status, lines = build_lines(project)
    assert status == 1
    assert lines[0] == ("templates: rendering handout.html took more than 1 s, the most a "
                        "page may take: look for loops inside loops in the overrides here")


def test_a_template_without_the_policy_gets_it_before_its_script(project):
    (project / "templates").mkdir()
    base = (REPO / "templates/base.html").read_text()
    start = base.index('<meta http-equiv="Content-Security-Policy"')
    base = base[:start] + "<script>steal()</script>" + base[base.index(">", start) + 1:]
    (project / "templates/base.html").write_text(base)
    assert run_cli("--project", project).status == 0
    from handouts.pages.sandbox import POLICY_META

    for page in ("a.html", "index.html"):
        html = (project / "dist" / page).read_text()
        assert html.index(POLICY_META) < html.index("<script>steal()")


@pytest.mark.parametrize("limit, messages", [
    ("time", ["its PDF took more than 1 s of processor time, the most one PDF may take: make "
              "it shorter or simpler, or split it"]),
    # Out of memory, Python raises MemoryError, or a library aborts and the worker dies.
    ("memory", ["its PDF needed more than 64 MB of memory, the most one PDF may take: make it "
                "shorter or simpler, or split it",
                "its PDF's worker was stopped (out of memory or processor time): make it "
                "shorter or simpler"]),
])
def test_a_pdf_past_its_worker_s_limits_fails_with_a_message(tmp_path, limit, messages):
    import sys

    page = tmp_path / "big.html"
    page.write_text("<html lang=en><title>Big</title><body>" + "<p>A paragraph of a long "
                    "handout, written again and again to make pages.</p>" * 20_000)
    result = subprocess.run([sys.executable, str(REPO / "tests/limited_render.py"), limit,
                             str(page)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in messages
    assert not page.with_suffix(".pdf").exists() or limit == "memory"


def test_a_handout_whose_pdf_failed_in_its_worker_fails_the_build_by_name(project, monkeypatch):
    import dataclasses

    import handouts.pdf.stage

    real = handouts.pdf.stage.run_pdf_jobs

    def first_fails(jobs, *args, **kwargs):
        done = real(jobs, *args, **kwargs)
        return [dataclasses.replace(done[0], failed="its PDF took too long")] + done[1:]

    (project / "content/a.md").write_text(handout("A", "Changed.\n"))
    before = snapshot(project / "dist")
    monkeypatch.setattr(handouts.pdf.stage, "run_pdf_jobs", first_fails)
    status, lines = build_lines(project)
    assert status == 1
    assert lines == ["content/a.md: its PDF took too long",
                     "Build failed: 1 error(s); dist/ was left as it was."]
    assert snapshot(project / "dist") == before


def test_a_file_name_cannot_forge_a_line_of_the_output(project):
    (project / "content/assets").mkdir(exist_ok=True)
    (project / "content/assets/a\n::error title=ok::all fine.txt").write_text("x")
    status, lines = build_lines(project)
    assert status == 1 and not any(line.startswith("::error") for line in lines)
    assert lines[0].startswith("content/assets/a\\n::error title=ok::all fine.txt: ")


def test_a_signing_key_inside_the_project_is_never_used(project, monkeypatch):
    """A key a repository holds is anybody's: the cache is off, and the build says so."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    result = run_cli("--project", project)
    assert result.status == 0
    assert f"The build cache is off: its key cannot be kept in {project}/cache/handouts/" \
           f"cache-key ({project}/cache/handouts/cache-key is inside the project); every PDF " \
           "is rendered." in result.out + result.err
    assert not (project / "cache").exists()


def test_serve_refuses_a_dist_link_and_serves_nothing(project):
    shutil.rmtree(project / "dist")
    os.symlink("/", project / "dist")
    result = run_cli("--project", project, "serve", "--port", "0")
    assert result.status == 1
    assert result.err.splitlines() == [
        "dist: a symbolic link (to /): Handouts writes only into real folders; remove the link "
        "(nothing was written or deleted), and add '/dist' to .gitignore so it is never "
        "committed"]


def test_new_reads_and_writes_nothing_through_a_link(project, tmp_path):
    outside_folder = tmp_path / "outside"
    outside_folder.mkdir()
    shutil.move(project / "content", outside_folder / "content")
    os.symlink(outside_folder / "content", project / "content")
    result = run_cli("--project", project, "new", "hello")
    assert result.status == 1 and not (outside_folder / "content/hello.md").exists()
    assert result.err.splitlines() == [
        f"handouts new: content: a symbolic link to {outside_folder / 'content'}, outside the "
        "project: Handouts reads only files inside the project; put the file itself here "
        "instead of a link"]


def test_check_review_writes_nothing_through_a_dist_link(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / "dist", elsewhere)
    os.symlink(elsewhere, project / "dist")
    result = run_cli("--project", project, "check", "--review", "dist/a.html")
    assert result.status == 1 and not (elsewhere / "review.html").exists()


@pytest.mark.parametrize("files, message", [
    ({"content/b.md": handout("B", "[l](other%00.md)\n")},
     "content/b.md:4: the link to other%00.md goes nowhere: a file name cannot hold %00"),
    ({"content/b.md": handout("B", "![p](assets/a%00b.png)\n")},
     "content/b.md:4: the image assets/a%00b.png cannot be a file: a file name cannot hold "
     "%00"),
    ({"handouts.toml": '[conference]\nname = "T"\nlogo = "assets/a\\u0000.png"\nlogo_alt = ""\n'},
     "handouts.toml:3: the logo 'assets/a\\x00.png' cannot be a file: a file name cannot hold "
     "a NUL character"),
])
def test_a_nul_in_a_file_name_is_a_message(project, files, message):
    make_project(project, files)
    status, lines = build_lines(project)
    assert status == 1 and lines[0] == message, lines


def test_a_handout_template_without_its_article_is_a_message_for_packets(project):
    (project / "handouts.toml").write_text(
        '[[packet]]\nslug = "pack"\ntitle = "Pack"\nhandouts = ["a"]\n')
    (project / "templates").mkdir()
    (project / "templates/handout.html").write_text(
        (REPO / "templates/handout.html").read_text().replace('class="handout', 'class="h'))
    status, lines = build_lines(project)
    assert status == 1
    assert lines[0] == ("templates/handout.html: a packet takes each handout's <article "
                        "class=\"handout\"> from its page, and this override of handout.html "
                        "writes none: keep that element")


def test_a_policy_in_a_comment_does_not_count(project):
    """The policy is put first in the head, whatever the template wrote before its script."""
    from handouts.pages.sandbox import POLICY_META

    (project / "templates").mkdir()
    base = (REPO / "templates/base.html").read_text().replace(
        POLICY_META, f"<!-- {POLICY_META} --><script>steal()</script>")
    (project / "templates/base.html").write_text(base)
    assert run_cli("--project", project).status == 0
    html = (project / "dist/a.html").read_text()
    assert html.index(POLICY_META) < html.index("<!--") < html.index("<script>")


def test_a_page_template_must_begin_with_its_head(project):
    (project / "templates").mkdir()
    (project / "templates/base.html").write_text(
        "<script>steal()</script>" + (REPO / "templates/base.html").read_text())
    status, lines = build_lines(project)
    assert status == 1 and lines[0] == (
        "templates: the page handout.html makes must begin with <!doctype html>, <html …> and "
        "<head>, where Handouts puts its security policy: check the overrides here")


def test_check_browser_never_opens_a_page_handouts_did_not_write(project):
    """A chair can commit dist/evil.html; check --browser would run its script in Chromium."""
    from handouts.check.browser import axe_findings

    evil = project / "dist/evil.html"
    evil.write_text("<!doctype html><html lang=en><head><title>x</title></head><body>"
                    "<script>require('fs')</script></body></html>")
    findings, checked = axe_findings([evil, project / "dist/a.html"])
    assert checked == 1
    assert [(finding.file, finding.detail) for finding in findings if finding.file == str(evil)] \
        == [(str(evil), "not opened in the browser: it does not begin with Handouts' security "
             "policy, so it was not built by Handouts")]


def test_an_unclosed_quote_in_the_head_cannot_swallow_the_policy(project):
    """<meta charset="utf-8> with its quote left open would take in what follows it."""
    from handouts.pages.sandbox import POLICY_META

    (project / "templates").mkdir()
    base = (REPO / "templates/base.html").read_text().replace(
        '<meta charset="utf-8">', '<meta charset="utf-8><script>steal()</script>', 1)
    (project / "templates/base.html").write_text(base)
    assert run_cli("--project", project).status == 0
    html = (project / "dist/a.html").read_text()
    assert html.index("<head>\n" + POLICY_META) < html.index('<meta charset="utf-8><script>')
