"""From a request's path to the file it names: decoded strictly, never outside dist/."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, NamedTuple
from urllib.parse import unquote_to_bytes

from .state import Preview

NAME_MAX = 255  # bytes in one file name
PATH_MAX = 4096  # bytes in a whole path

_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class BadPath(ValueError):
    """A request path that cannot name a file: answered 400."""


def request_path(target: str) -> tuple[list[str], str]:
    """The decoded names in a request's path, and its query. Raises BadPath."""
    if not target.startswith("/") or not target.isascii():
        raise BadPath("the path must start with / and be percent-encoded")
    raw, _, query = target.partition("#")[0].partition("?")
    if _BAD_PERCENT.search(raw):
        raise BadPath("invalid percent-encoding")
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise BadPath("the path is not UTF-8") from None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in path):
        raise BadPath("a control character (such as %00) in the path")
    if len(path.encode()) > PATH_MAX:
        raise BadPath("the path is too long")
    names = [name for name in path.split("/") if name]
    if any(len(name.encode()) > NAME_MAX for name in names):
        raise BadPath("a name in the path is too long")
    return names, query


def _inside(base: str, real: str) -> bool:
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _find(base: str, names: list[str]) -> str | None:
    """The real path of the file ``names`` leads to from ``base`` (a real path), index.html
    for a folder, if it is a regular file inside ``base``; else None."""
    if any(name.startswith(".") for name in names):  # "..", and hidden files: never served
        return None
    real = os.path.realpath(os.path.join(base, *names))
    if os.path.isdir(real):
        real = os.path.realpath(os.path.join(real, "index.html"))
    if not _inside(base, real) or not os.path.isfile(real):
        return None
    return real


def _open(real: str) -> BinaryIO | None:
    """The file at ``real``, opened for reading if it is still a regular file; else None."""
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise BadPath("a name in the path is too long") from None
        return None  # removed, replaced by a link, unreadable: not found
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


class Found(NamedTuple):
    """A file a request names, open for reading."""
    file: BinaryIO
    path: str  # its real path
    relative: str  # its path in dist/ (or in the staging folder)


def locate(dist: Path, preview: Preview | None, names: list[str]) -> Found | None:
    """The file a request names: the previewed staging folder's if it staged it (and it is
    still there), else dist/'s. Raises BadPath."""
    if preview is not None:
        real = _find(preview.root, names)
        if real is not None:
            relative = os.path.relpath(real, preview.root)
            if relative in preview.files:
                file = _open(real)
                if file is not None:
                    return Found(file, real, relative)
        # Not staged, or deleted (a failed or superseded build) or published since: dist/'s.
    if os.path.islink(dist):  # made a link since serve started: never followed
        return None
    base = os.path.realpath(dist)
    real = _find(base, names)
    if real is None:
        return None
    file = _open(real)
    return Found(file, real, os.path.relpath(real, base)) if file is not None else None
