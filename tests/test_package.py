"""The package a conference installs: a wheel that builds a project outside the clone, and init."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pikepdf
import pytest
from testing_utils import REPO, make_project, parse_html, run_cli, text_of

STARTED = ["handouts.toml", "content/welcome.md", ".gitignore", ".github/workflows/handouts.yml",
           "README.md", "content/research-report.md"]


def _run(*command: str | Path, cwd: Path) -> str:
    """Run a program outside this process and the clone; its output, or a failure with it."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from the clone's files (copied: a build writes build/ there)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("handouts", "templates", "styles"):
        shutil.copytree(REPO / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         tmp_path / "wheel", source, cwd=tmp_path)
    [wheel] = (tmp_path / "wheel").glob("handouts-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new environment holding the wheel, not the clone's editable install.

    Its dependencies are this environment's, reached through a .pth line: a path there is
    only added to sys.path, so the editable install's own .pth (its import hook) is not run.
    """
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).strip())
    ours = {sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")}
    (site / "dependencies.pth").write_text("".join(f"{path}\n" for path in sorted(ours)))
    # --ignore-installed: pip sees the clone's editable install through that line, and must
    # leave it alone.
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", "--ignore-installed", wheel, cwd=tmp_path)
    return venv


def _shipped(path: Path) -> bool:
    """A file of Handouts' own, not Python's cache nor an editor's."""
    inside = path.relative_to(REPO).parts
    return path.is_file() and "__pycache__" not in inside and \
        not any(part.startswith(".") for part in inside)


def test_the_wheel_carries_every_module_template_stylesheet_and_catalogue(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"handouts/{path.relative_to(REPO / 'handouts')}"
                for path in (REPO / "handouts").rglob("*") if _shipped(path)}
    for folder in ("templates", "styles"):  # kept at the top of the clone, mapped into the wheel
        expected |= {f"handouts/{path.relative_to(REPO)}"
                     for path in (REPO / folder).rglob("*") if _shipped(path)}
    assert {"handouts/templates/handout.html", "handouts/styles/profiles/large-print.css",
            "handouts/messages/fr.toml", "handouts/starter/handouts.yml"} <= expected
    assert sorted(expected - names) == []


def test_an_installed_wheel_starts_and_builds_a_project_outside_the_clone(tmp_path, wheel):
    venv = _fresh_venv(tmp_path, wheel)
    where = _run(venv / "bin" / "python", "-c", "import handouts, handouts.defaults as d; "
                 "print(handouts.__file__, d.TEMPLATES, d.STYLES, sep='\\n')", cwd=tmp_path)
    assert all(Path(line).is_relative_to(venv) for line in where.split()), where
    assert not tmp_path.is_relative_to(REPO)
    _run(venv / "bin" / "handouts", "init", "conference", "--name", "Example MUN 2028",
         cwd=tmp_path)
    project = tmp_path / "conference"
    own_style = (REPO / "styles/screen.css").read_text() + "/* the conference's own */\n"
    make_project(project, {"styles/screen.css": own_style})  # still overrides the wheel's
    clone_built = shutil.copytree(project, tmp_path / "conference-in-the-clone")
    out = _run(venv / "bin" / "handouts", "build", cwd=project)
    assert out.splitlines()[-1].startswith("Built 2 handout(s), "), out
    dist = project / "dist"
    for slug in ("welcome", "research-report"):
        assert (dist / f"{slug}.html").is_file()
        for pdf in (dist / "pdf" / f"{slug}.pdf", dist / "pdf" / "large-print" / f"{slug}.pdf"):
            with pikepdf.open(pdf) as document:
                assert len(document.pages) >= 1 and "/StructTreeRoot" in document.Root
    assert "0 error(s), 0 warning(s)" in _run(venv / "bin" / "handouts", "check", cwd=project)
    assert (dist / "_static/screen.css").read_text() == own_style
    # The same program as the clone's: the installed defaults give the same bytes.
    assert run_cli("--project", clone_built, "build", "--quiet").status == 0
    files = sorted(path.relative_to(dist) for path in dist.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(clone_built / "dist")
                           for path in (clone_built / "dist").rglob("*") if path.is_file())
    assert [path for path in files
            if (dist / path).read_bytes() != (clone_built / "dist" / path).read_bytes()] == []


def test_init_starts_a_repository_that_builds_without_a_warning(tmp_path):
    root = tmp_path / "exmun-2028"
    started = run_cli("init", root, "--name", "Example MUN 2028")
    assert started.status == 0, started.err
    assert started.out.split() == STARTED
    assert 'name = "Example MUN 2028"' in (root / "handouts.toml").read_text()
    assert (root / ".gitignore").read_text().splitlines()[-2:] == ["/dist", "/.handouts-cache"]
    workflow = (root / ".github/workflows/handouts.yml").read_text()
    assert workflow.startswith("# An example")
    assert "handouts build" in workflow and "upload-pages-artifact" in workflow
    assert "path: dist" in workflow and "deploy-pages" in workflow
    assert "handouts new" in (root / "README.md").read_text()
    built = run_cli("--project", root, "build")
    assert built.status == 0 and "warning" not in built.err, built.err
    checked = run_cli("--project", root, "check")
    assert checked.out.endswith("0 error(s), 0 warning(s).\n"), checked.out
    index = parse_html(root / "dist/index.html")
    titles = {text_of(link) for link in index.iter("a")}
    assert {"Welcome to Example MUN 2028", "Research report"} <= titles
    report = parse_html(root / "dist/research-report.html")
    assert "Possible Solutions" in [text_of(heading) for heading in report.iter("h2")]


def test_init_refuses_a_project_and_keeps_what_is_there(tmp_path):
    project = make_project(tmp_path / "project", {"content/mine.md": "mine"})
    refused = run_cli("init", project)
    assert refused.status == 1
    assert "content already exists: this folder holds a Handouts project" in refused.err
    assert sorted(path.name for path in project.rglob("*")) == ["content", "mine.md"]
    settings = make_project(tmp_path / "settings", {"handouts.toml": "[conference]\n"})
    assert run_cli("--project", settings, "init").status == 1
    assert [path.name for path in settings.iterdir()] == ["handouts.toml"]
    fresh = make_project(tmp_path / "fresh", {"README.md": "Ours.\n", ".gitignore": "*.log\n"})
    started = run_cli("init", fresh)
    assert started.status == 0, started.err
    assert "README.md: already there, kept as it was" in started.err
    assert (fresh / "README.md").read_text() == "Ours.\n"
    # The README for staff goes beside the repository's own, and the last line names it.
    assert "handouts new" in (fresh / "HANDOUTS.md").read_text()
    assert "HANDOUTS.md says more" in started.err.splitlines()[-1]
    assert (fresh / ".gitignore").read_text() == "*.log\n"
    assert (fresh / "content/welcome.md").is_file()
    assert 'name = "fresh"' in (fresh / "handouts.toml").read_text()
