"""Staged output: everything is written to a staging folder, then moved into dist/ file by file."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".handouts.lock"
PUBLISH_PAUSE_VARIABLE = "HANDOUTS_TEST_PUBLISH_PAUSE"


@contextmanager
def exclusive_build(dist: Path, waiting: Callable[[], None] = lambda: None):
    """One build of a project at a time: a second one waits for the first to finish.

    Holding the lock also means any staging folder left in dist/ is a killed build's:
    it is removed.
    """
    dist.mkdir(parents=True, exist_ok=True)
    with open(dist / LOCK_NAME, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in dist.glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Staging:
    """A folder inside dist/ that mirrors it; ``publish`` renames each file into place.

    A rename within one file system is atomic, so every file in dist/ is always either the
    old complete version or the new one; a build that fails before ``publish`` changes nothing.
    """

    def __init__(self, dist: Path):
        self.dist = dist
        self.dist.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=".staging-", dir=dist))

    def path(self, relative: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.write_text(text, encoding="utf-8")
        return target

    def copy(self, source: Path, relative: str) -> None:
        shutil.copyfile(source, self.path(relative))

    def _staged(self):
        """Each staged file with its place in dist/ (its folder made), in a stable order."""
        for folder, _, files in os.walk(self.root):
            for name in sorted(files):
                source = Path(folder) / name
                target = self.dist / source.relative_to(self.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                yield source, target

    def publish_copies(self) -> list[Path]:
        """Publish a copy of each file staged so far, keeping it staged (the build goes on
        reading it); each copy is written beside its target, then renamed into place."""
        published = []
        for source, target in self._staged():
            temporary = target.with_name(f".{target.name}.handouts-new")
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
            published.append(target)
        return published

    def publish(self) -> list[Path]:
        # A test hook (tests/test_kill.py): seconds to wait after each rename, so that a
        # test can kill the build between two renames. Unset, it costs nothing.
        pause = float(os.environ.get(PUBLISH_PAUSE_VARIABLE) or 0)
        published = []
        for source, target in list(self._staged()):
            os.replace(source, target)
            published.append(target)
            if pause:
                time.sleep(pause)
        return published

    def prune(self, keep: list[Path]) -> list[Path]:
        """Remove what an earlier build wrote and this one did not (a deleted handout's page)."""
        kept = set(keep)
        removed = []
        for path in sorted(self.dist.rglob("*"), reverse=True):
            relative = path.relative_to(self.dist)
            if relative.parts[0].startswith(".staging-") or relative.name == LOCK_NAME:
                continue  # this build's staging folder, and the lock
            if path.is_file() and path not in kept:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.discard()
