"""Safety: the build reads only the project, never the network; a failed build loses nothing."""

from __future__ import annotations

import shutil

import pytest
from testing_utils import REPO, handout, make_project, run_cli, snapshot

from handouts.pdf import stage as pdf_stage_module
from handouts.pdf.fetcher import ProjectURLFetcher, RefusedURL


@pytest.mark.parametrize("url", [
    "http://example.com/logo.png",
    "https://example.com/style.css",
    "file:///etc/passwd",
    "ftp://example.com/x",
])
def test_fetcher_refuses_anything_but_project_files(tmp_path, url):
    fetcher = ProjectURLFetcher(tmp_path)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_dot_dot_escapes_and_serves_project_files(tmp_path):
    project = tmp_path / "project"
    make_project(project, {"content/assets/a.css": "p {}"})
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = ProjectURLFetcher(project)
    with pytest.raises(RefusedURL):
        fetcher.fetch(project.as_uri() + "/content/../../secret.txt")
    response = fetcher.fetch((project / "content/assets/a.css").as_uri())
    assert response.read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_content_error_leaves_the_last_good_output(example, tmp_path):
    shutil.copytree(example, tmp_path, dirs_exist_ok=True)  # the example, built
    before = snapshot(tmp_path / "dist")
    make_project(tmp_path, {"content/broken.md": "---\ntitel: Broken\n---\n"})
    assert run_cli("--project", tmp_path).status == 1
    assert snapshot(tmp_path / "dist") == before


def test_a_build_that_fails_half_way_leaves_every_file_intact(tmp_path, monkeypatch):
    make_project(tmp_path, {"content/a.md": handout("First"), "content/b.md": handout("Second")})
    assert run_cli("--project", tmp_path).status == 0
    before = snapshot(tmp_path / "dist")
    make_project(tmp_path, {"content/a.md": handout("First, changed"),
                            "content/b.md": handout("Second, changed")})
    real_run_pdf_jobs, rendered = pdf_stage_module.run_pdf_jobs, []

    def first_pdf_then_crash(jobs, *args, **kwargs):
        rendered.extend(real_run_pdf_jobs(jobs[:1], *args, **kwargs))
        raise RuntimeError("the machine ran out of memory")

    monkeypatch.setattr(pdf_stage_module, "run_pdf_jobs", first_pdf_then_crash)
    with pytest.raises(RuntimeError):
        run_cli("--project", tmp_path)
    assert rendered[0].job.pdf_path.name.endswith(".pdf")  # written, to the staging folder
    assert snapshot(tmp_path / "dist") == before
    assert not list((tmp_path / "dist").glob(".staging-*"))


def test_a_deleted_handout_disappears_from_dist(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("First"), "content/b.md": handout("Second")})
    assert run_cli("--project", tmp_path).status == 0
    (tmp_path / "content/b.md").unlink()
    assert run_cli("--project", tmp_path).status == 0
    assert not (tmp_path / "dist/b.html").exists() and not (tmp_path / "dist/pdf/b.pdf").exists()
    assert (tmp_path / "dist/a.html").exists() and (tmp_path / "dist/pdf/a.pdf").exists()


def test_a_second_build_waits_for_the_first(tmp_path):
    import subprocess
    import sys
    import time

    from handouts.output import exclusive_build

    make_project(tmp_path, {"content/a.md": handout()})
    with exclusive_build(tmp_path):  # a first build, holding dist/
        second = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project",
                                   str(tmp_path)], stdout=subprocess.PIPE, text=True)
        first_line = second.stdout.readline()
        assert first_line.startswith("Another build of this project is running: waiting")
        time.sleep(0.5)
        assert second.poll() is None and not (tmp_path / "dist/a.html").exists()
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output
    assert (tmp_path / "dist/a.html").exists() and (tmp_path / "dist/pdf/a.pdf").exists()


def test_a_killed_builds_staging_folder_is_cleared(tmp_path):
    make_project(tmp_path, {"content/a.md": handout(),
                            "dist/.staging-killed/a.html": "half written"})
    assert run_cli("--project", tmp_path).status == 0
    assert not (tmp_path / "dist/.staging-killed").exists()
