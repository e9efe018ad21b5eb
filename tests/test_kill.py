"""A build killed at any point leaves each file in dist/ old and complete, or new and complete."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from testing_utils import REPO, handout, make_project, run_cli, snapshot

from handouts.output import LOCK_NAME, PUBLISH_PAUSE_VARIABLE

STYLESHEETS = {name: (REPO / "styles" / name).read_text(encoding="utf-8")
               for name in ("base.css", "screen.css", "print.css")}


def version(word: str) -> dict[str, str]:
    """Two handouts and the stylesheets; every output but the fonts and the print profiles'
    stylesheets depends on word."""
    return {"content/a.md": handout(f"First, {word}", f"## One\n\n{word} text.\n"),
            "content/b.md": handout(f"Second, {word}", f"## Two\n\nMore {word} text.\n"),
            **{f"styles/{name}": text + f"/* {word} */\n" for name, text in STYLESHEETS.items()}}


def outputs(dist: Path) -> dict[str, bytes]:
    """dist/ as a reader sees it: without the lock and a killed build's hidden staging folder."""
    return {name: data for name, data in snapshot(dist).items()
            if name != LOCK_NAME and not name.startswith(".staging-")}


def built(root: Path, files: dict[str, str]) -> dict[str, bytes]:
    make_project(root, files)
    result = run_cli("--project", root, "--quiet")
    assert result.status == 0, result.err
    return outputs(root / "dist")


def start_build(root: Path, pause: float = 0) -> subprocess.Popen:
    environment = {**os.environ, PUBLISH_PAUSE_VARIABLE: str(pause)}
    # One job: one PDF at a time, each in a worker that dies with the build.
    return subprocess.Popen([sys.executable, "-m", "handouts", "--project", str(root),
                             "--verbose", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=environment)


def kill_at_line(build: subprocess.Popen, start: str) -> None:
    for line in build.stdout:
        if line.startswith(start):
            build.send_signal(signal.SIGKILL)
            break
    build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL, f"the build ended before '{start}'"


def kill_when(build: subprocess.Popen, published) -> None:
    """Kill as soon as published() is true; the build reads on, the test polls dist/."""
    deadline = time.monotonic() + 60
    while not published() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL, "the build ended before the kill"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """dist/ of a complete old build and of a complete new one, each in its own project."""
    old = built(tmp_path_factory.mktemp("old"), version("old"))
    new = built(tmp_path_factory.mktemp("new"), version("new"))
    assert set(old) == set(new)
    changed = {name for name in old if old[name] != new[name]}
    assert {"a.html", "b.html", "index.html", "pdf/a.pdf", "pdf/b.pdf",
            "_static/base.css", "_static/screen.css", "_static/print.css"} <= changed
    # The fonts and the print profiles' stylesheets do not depend on the content.
    assert all(name.startswith(("_static/fonts/", "_static/profiles/"))
               for name in set(old) - changed)
    return old, new, changed


def test_a_killed_build_leaves_every_file_old_or_new(versions, tmp_path):
    old, new, changed = versions
    root = tmp_path / "project"
    make_project(root, {f"dist/{name}": data for name, data in old.items()})
    make_project(root, version("new"))

    def state() -> dict[str, str]:
        """Each output's version: 'old' or 'new'; a missing, extra or mixed file fails here."""
        found = outputs(root / "dist")
        assert set(found) == set(old), "a file is missing, or a temporary file is visible"
        versions = {}
        for name, data in found.items():
            assert data in (old[name], new[name]), f"{name} is neither old nor new"
            versions[name] = "old" if data == old[name] else "new"
        return versions

    def reset() -> None:
        """The old build's dist/, and no build cache: every PDF is rendered again."""
        make_project(root, {f"dist/{name}": data for name, data in old.items()})
        shutil.rmtree(root / ".handouts-cache", ignore_errors=True)

    def is_new(name: str):
        return lambda: (root / "dist" / name).read_bytes() == new[name]

    # Killed after a while, wherever the build then is (or not at all, if it has finished).
    for delay in (0.5, 1.0, 1.5, 2.0):
        build = start_build(root, pause=0.05)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        state()
        reset()
    # Killed between two PDFs (each line is printed when a PDF is done), and after the last
    # one. On a busy machine the
    # kill may land a little later, even in the publish (each file is still whole); the pause
    # keeps the publish from ending first.
    for start in ("[1/4] ", "[2/4] ", "[3/4] ", "[4/4] "):
        kill_at_line(start_build(root, pause=0.2), start)
        state()
        reset()
    # Killed between two renames of the publish: some files new, the rest still old.
    for first_new in ("a.html", "index.html", "_static/base.css"):
        build = start_build(root, pause=0.5)
        kill_when(build, is_new(first_new))
        assert state()[first_new] == "new"
        assert "old" in {state()[name] for name in changed}, first_new
        reset()
    assert list((root / "dist").glob(".staging-*")), "no kill left a staging folder behind"
    # The next build completes, publishes the new version and clears what the kills left.
    result = run_cli("--project", root, "--quiet")
    assert result.status == 0, result.err
    assert outputs(root / "dist") == new
    assert not list((root / "dist").glob(".staging-*"))
    shutil.rmtree(root)


def processes_of_session(session: int) -> list[str]:
    """The command lines of the processes still running in a session (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # ended while being read
            continue
        # After the name: state, parent, group, session; a zombie is already gone.
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(command.decode(errors="replace"))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_a_killed_build_leaves_no_process_behind(tmp_path):
    """Killed while its PDF workers' server is still loading, a build used to leave that
    server, a worker waiting for a job and the resource tracker running for ever."""
    root = make_project(tmp_path, version("one"))
    for wait in (0.0, 0.2, 0.4, 0.8):
        build = subprocess.Popen([sys.executable, "-m", "handouts", "--project", str(root),
                                  "--quiet", "--jobs", "1", "build", "--force"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        deadline = time.monotonic() + 60
        while (not any("forkserver" in command for command in processes_of_session(build.pid))
               and build.poll() is None and time.monotonic() < deadline):
            time.sleep(0.01)
        time.sleep(wait)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        assert build.returncode == -signal.SIGKILL, "the build ended before the kill"
        deadline = time.monotonic() + 60  # a worker rendering when the kill came stops too
        while processes_of_session(build.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_of_session(build.pid) == [], f"{wait} s after its PDF server started"
