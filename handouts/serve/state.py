"""What the builds and the requests share: the latest outcome, and the staging folder previewed."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import NamedTuple


class Preview(NamedTuple):
    """A build's staging folder while its PDFs render: the files staged with its pages."""
    root: str  # its real path
    files: frozenset[str]  # paths relative to root, as staged when the pages were ready


class BuildState:
    """The outcome of the latest build, a generation number that pages wait on, and the
    staging folder previewed while a build renders its PDFs."""

    def __init__(self) -> None:
        self.generation = 0
        self.errors: list[str] = []
        self.preview: Preview | None = None
        self.closing = False
        self.changed = threading.Condition()

    def finished(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()

    def news_since(self, generation: int) -> bool:
        """Whether a build has finished since ``generation``, or serve is stopping."""
        return self.generation != generation or self.closing

    def preview_from(self, staging_root: Path) -> None:
        """Serve the files now in ``staging_root`` (the pages, _static/, assets/) before dist/'s."""
        root = os.path.realpath(staging_root)
        files = set()
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    if stat.S_ISREG(os.lstat(path).st_mode):  # never a link the build did not make
                        files.add(os.path.relpath(path, root))
                except OSError:
                    continue
        self.preview = Preview(root, frozenset(files))

    def end_preview(self) -> None:
        self.preview = None

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()
