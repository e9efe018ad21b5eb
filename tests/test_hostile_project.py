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
        f"templates/partials/site-nav.html:{lines_in_nav}: this template tries to reach "
        "Python itself (access to attribute '__globals__' of 'function' object is unsafe.), "
        "which templates may not do: use only the variables and filters Handouts' own "
        "templates use",
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
