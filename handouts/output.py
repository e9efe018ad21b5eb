"""Staged output: everything is written to a staging folder, then moved into dist/ file by file."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fontpkg_atkinson_hyperlegible import ROOT as FONT_ROOT

from .cache import CACHE_DIR as CACHE
from .cache import MANIFEST, STORE
from .errors import BuildFailed, ContentError
from .pages.render import STATIC

if TYPE_CHECKING:
    from .pdf.profiles import Profile
    from .project import Project

LOCK_NAME = ".handouts.lock"
PUBLISH_PAUSE_VARIABLE = "HANDOUTS_TEST_PUBLISH_PAUSE"
OUTPUT = "dist"
OWN_FOLDERS = (OUTPUT, CACHE)  # the build cache (cache.py) is written by the build, like dist/
CACHE_LAYOUT = {MANIFEST: stat.S_IFREG, STORE: stat.S_IFDIR}


def check_output_folders(root: Path) -> None:
    """dist/ and the build cache, and every folder and file under them, are real: no link.

    A committed ``dist -> .`` would make the build write, and remove, inside the checkout;
    ``dist/pdf -> elsewhere`` would make it write elsewhere. Nothing is followed to find
    out: every entry is looked at with lstat. Raises BuildFailed naming each link.
    """
    errors = []
    for name in OWN_FOLDERS:
        top = root / name
        for path in [top] + _entries_under(top):
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(info.st_mode):
                errors.append(ContentError(path, None, f"a symbolic link (to "
                              f"{os.readlink(path)}): Handouts writes only "
                              f"into real folders; remove the link (nothing was written or "
                              f"deleted), and add '/{name}' to .gitignore so it is never "
                              "committed"))
            elif path == top and not stat.S_ISDIR(info.st_mode):
                errors.append(ContentError(path, None, "a file, not a folder: remove it, "
                              "Handouts makes the folder"))
            elif path.parent == root / CACHE and path.name in CACHE_LAYOUT and \
                    CACHE_LAYOUT[path.name] != stat.S_IFMT(info.st_mode):
                errors.append(ContentError(path, None, "not what the build cache keeps "
                              "here: remove it (the cache is made again)"))
    if errors:
        raise BuildFailed(sorted(errors, key=lambda error: str(error.path)))


def write_tool_page(target: Path, page: str) -> None:
    """A page check writes into dist/ (review, pages): whole, with every other page's mode."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-",
                                         suffix=target.suffix)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(handle, 0o666 & ~umask)  # as every other page in dist/, not mkstemp's 0600
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(page)
    os.replace(temporary, target)


def _entries_under(folder: Path) -> list[Path]:
    """Every file and folder under folder, links listed but never followed."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for parent, folders, files in os.walk(folder, followlinks=False):
        found += [Path(parent, name) for name in folders + files]
    return found


@contextmanager
def exclusive_build(root: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """One build of a project at a time: a second one waits for the first to finish.

    Holding the lock also means any staging folder left in dist/ is a killed build's:
    it is removed. dist/ and the build cache are checked first (check_output_folders).
    """
    check_output_folders(root)
    dist = root / OUTPUT
    try:
        dist.mkdir(exist_ok=True)
        # Never through a link (checked above; O_NOFOLLOW makes sure), never truncated.
        handle = os.open(dist / LOCK_NAME,
                         os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise BuildFailed([ContentError(dist, None, _cannot_write(error))]) from None
    with os.fdopen(handle, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in dist.glob(".staging-*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
        try:
            yield
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC,
                                   errno.EDQUOT):
                raise
            raise BuildFailed([ContentError(Path(error.filename or dist), None,
                                            _cannot_write(error))]) from None
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _cannot_write(error: OSError) -> str:
    """One line for a dist/ that cannot be written: read-only, full, or not ours."""
    reasons: dict[int | None, str] = {
        errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only"}
    why = reasons.get(error.errno, error.strerror or str(error))
    return (f"cannot write the build's output ({why}): dist/ keeps its last good files; "
            "free some space or make dist/ writable, then build again")


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

    def _staged(self) -> Iterator[tuple[Path, Path]]:
        """Each staged file with its place in dist/ (its folder made), in a stable order."""
        for folder, _, files in os.walk(self.root):
            for name in sorted(files):
                source = Path(folder) / name
                yield source, self.dist / source.relative_to(self.root)

    def publish(self, private: tuple[str, ...] = ()) -> list[Path]:
        """Rename each staged file into dist/, except those under the ``private`` folders
        (made only for the build cache), which go with the staging folder."""
        # A test hook (tests/test_kill.py): seconds to wait after each rename, so that a
        # test can kill the build between two renames. Unset, it costs nothing.
        pause = float(os.environ.get(PUBLISH_PAUSE_VARIABLE) or 0)
        staged = [(source, target) for source, target in self._staged()
                  if not any(source.relative_to(self.root).as_posix().startswith(f"{folder}/")
                             for folder in private)]
        self._check_targets([target for _, target in staged])
        published = []
        for source, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            published.append(target)
            if pause:
                time.sleep(pause)
        return published

    def _check_targets(self, targets: list[Path]) -> None:
        """Before the first rename: every target's folders are folders, no target is one
        (a file 'dist/pdf' would stop the publish half-way). Raises BuildFailed."""
        errors, looked = [], set()
        for target in targets:
            for path in [*reversed(target.relative_to(self.dist).parents), target]:
                if path in looked or path == Path("."):
                    continue
                looked.add(path)
                full = self.dist / path
                try:
                    mode = os.lstat(full).st_mode
                except (FileNotFoundError, NotADirectoryError):  # (a file above: told)
                    break
                if stat.S_ISDIR(mode) == (full == target):
                    what = ("a folder where the build writes a file" if full == target
                            else "a file where the build makes a folder")
                    errors.append(ContentError(full, None, f"{what}: remove it (nothing was "
                                               "published)"))
                    break
        if errors:
            raise BuildFailed(errors)

    def prune(self, last: list[str], published: list[str]) -> list[Path]:
        """Remove what the last build published and this one did not (a deleted handout's
        page): only files named in the last build's manifest, never found by walking dist/.

        A name that would leave dist/, or that is not a plain file there, is left alone.
        """
        removed = []
        # On a file system that ignores case, Welcome.html is the welcome.html just written.
        kept = {name.casefold() for name in published}
        for relative in sorted(name for name in set(last) if name.casefold() not in kept):
            parts = Path(relative).parts
            if (not parts or Path(relative).is_absolute() or ".." in parts
                    or parts[0].startswith(".staging-") or relative == LOCK_NAME):
                continue
            path = self.dist / relative
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
            except FileNotFoundError:
                continue
            path.unlink()
            removed.append(path)
            for folder in path.relative_to(self.dist).parents:
                emptied = self.dist / folder
                if emptied == self.dist or any(emptied.iterdir()):
                    break
                emptied.rmdir()
        return removed

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


STYLESHEETS = ("base.css", "screen.css", "print.css")


def stage_static_files(project: Project, staging: Staging, profiles: list[Profile]) -> None:
    """The stylesheets, each profile's, the fonts and the project's assets, into staging."""
    for name in STYLESHEETS:
        staging.copy(project.style_file(name), f"{STATIC}/{name}")
    for profile in profiles:  # what each PDF was made with: the check reads it there
        staging.copy(profile.stylesheet, f"{STATIC}/{profile.static_path}")
    for font in sorted((FONT_ROOT / "files").glob("*.ttf")):
        staging.copy(font, f"{STATIC}/fonts/{font.name}")
    staging.copy(FONT_ROOT / "LICENSE", f"{STATIC}/fonts/LICENSE.txt")
    for path in project.asset_paths():  # each checked by prepare (prepare/inputs.py, assets/)
        staging.copy(path, f"assets/{path.relative_to(project.content_dir / 'assets')}")
