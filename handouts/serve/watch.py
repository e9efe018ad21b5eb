"""What counts as a save, and the loop that watches for one and rebuilds."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

from ..progress import PlainProgress
from .rebuild import FAILED, rebuild
from .state import BuildState

WATCHED = ("content", "templates", "styles", "handouts.toml")
CHANGE_SEEN = "Change seen: rebuilding…"


def source_fingerprint(root: Path) -> tuple:
    """Every watched file with its modification time and size: changes when any of them do.

    Editors' swap and backup files (".a.md.swp", "a.md~") are left out: no build reads them,
    and a swap file rewritten as the author types must not count as a save.
    """
    entries = []
    for name in WATCHED:
        path = root / name
        try:
            files = [path] if path.is_file() else sorted(
                p for p in path.rglob("*") if p.is_file() and not _editor_file(p))
        except FileNotFoundError:  # a folder removed as we looked: the next look sees it
            files = []
        for file in files:
            try:
                stat_result = file.stat()
            except FileNotFoundError:  # removed while we looked: the next look sees it
                continue
            entries.append((str(file), stat_result.st_mtime_ns, stat_result.st_size))
    return tuple(entries)


def _editor_file(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith("~")


def _changed_since(root: Path, fingerprint: tuple) -> bool:
    try:
        return source_fingerprint(root) != fingerprint
    except OSError:  # a file an editor is replacing: a save is under way
        return True


def watch(root: Path, state: BuildState, progress: PlainProgress, fingerprint: tuple,
          stopping: threading.Event, interval: float) -> None:
    """Rebuild on every save after ``fingerprint`` until ``stopping`` is set."""
    while not stopping.wait(interval):
        try:
            current = source_fingerprint(root)
            if current != fingerprint:
                fingerprint = current
                progress.message(CHANGE_SEEN)
                # superseded once a save after this one is seen: the next build starts then
                rebuild(root, state, progress, partial(_changed_since, root, current))
        except Exception as error:  # noqa: BLE001 (shown, and the server keeps serving)
            message = f"the build stopped on an unexpected error: {error!r}"
            progress.message(message)
            progress.message(FAILED)
            state.finished([message])
