"""What a build may read: regular files inside the project, outside .git and other dot-folders.

A shared repository is hostile ground: a committed symbolic link can point at the builder's
secrets (``/proc/self/environ``, ``~/.ssh``, ``.git/config`` with a CI token). Every place
the build reads from is looked at once, before anything is read, without following links;
a link is allowed only where it leads to a regular file inside the project.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from ..errors import ContentError
from ..limits import MAX_ASSET_BYTES, MAX_HANDOUT_BYTES, MAX_PROJECT_FILE_BYTES

# The project's own inputs: its settings, its content, its overrides of Handouts' defaults.
INPUTS = ("handouts.toml", "content", "styles", "templates")


def unsafe_inputs(root: Path) -> list[ContentError]:
    """Every input of the project that the build must not read, each with why."""
    root = root.resolve()
    problems: list[ContentError] = []
    seen: set[Path] = set()
    for name in INPUTS:
        path = root / name
        if os.path.lexists(path):
            _look(root, path, problems, seen)
    return problems


def _look(root: Path, path: Path, problems: list[ContentError], seen: set[Path]) -> None:
    """path and, for a folder, everything under it; links are checked, not followed blindly."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = Path(os.path.realpath(path))
            why = outside_reason(root, target)
            if why:
                problems.append(ContentError(path, None, f"a symbolic link to "
                                             f"{os.readlink(path)}, {why}: Handouts reads "
                                             "only files inside the project; put the file "
                                             "itself here instead of a link"))
                return
            info = os.stat(target)
            path_read = target
        else:
            path_read = path
        if stat.S_ISDIR(info.st_mode):
            if path_read in seen:
                return  # a link back to a folder already looked at
            seen.add(path_read)
            for entry in sorted(os.listdir(path)):
                if not hidden(Path(entry)):  # editors' and tools' files: never read
                    _look(root, path / entry, problems, seen)
        elif not stat.S_ISREG(info.st_mode):
            problems.append(ContentError(path, None, "not a regular file (a device, pipe or "
                                         "socket): Handouts reads only files; remove it"))
        elif info.st_size > (limit := size_limit(root, path)):
            problems.append(ContentError(path, None, f"this file is {info.st_size:,} bytes, "
                                         f"more than the {limit:,} Handouts reads for such "
                                         "a file: make it smaller, or split a handout in two"))
    except OSError as error:
        problems.append(ContentError(path, None, f"cannot be read: "
                                     f"{error.strerror or error}"))


def hidden(relative: Path) -> bool:
    """Whether a path inside the project is hidden (.git, .DS_Store, an editor's file), or
    inside a hidden folder: never read, never published."""
    return any(part.startswith(".") for part in relative.parts)


def outside_reason(root: Path, target: Path) -> str:
    """Why a resolved path may not be read, or '' when it may."""
    if not target.is_relative_to(root):
        return "outside the project"
    if hidden(target.relative_to(root)):
        return "inside a hidden folder such as .git"
    return ""


def size_limit(root: Path, path: Path) -> float:
    """The most Handouts reads of one file of this kind (a file it never reads: no limit)."""
    relative = path.relative_to(root).parts
    if relative[:2] == ("content", "assets"):
        return MAX_ASSET_BYTES
    if relative[0] == "content":
        return MAX_HANDOUT_BYTES if len(relative) == 2 and path.suffix == ".md" else math.inf
    return MAX_PROJECT_FILE_BYTES


def check_settings_file(root: Path) -> None:
    """handouts.toml, read before anything else: raise if it may not be read."""
    problems: list[ContentError] = []
    path = root.resolve() / "handouts.toml"
    if os.path.lexists(path):
        _look(root.resolve(), path, problems, set())
    if problems:
        raise problems[0]
