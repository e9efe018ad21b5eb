"""Content errors and warnings, each naming the file and line they come from."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self, TypeVar

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ContentError(Exception):
    """A problem in the project's content that the author must fix."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message

    def location(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None and path.is_absolute() and path.is_relative_to(root):
            path = path.relative_to(root)
        # A file name can hold a line break or a terminal's escape: shown escaped, so that
        # a name cannot forge a line of the build's output (a CI annotation, say).
        shown = _CONTROL.sub(lambda match: repr(match[0])[1:-1], str(path))
        return f"{shown}:{self.line}" if self.line else shown

    def format(self, root: Path | None = None) -> str:
        return f"{self.location(root)}: {self.message}"

    def __str__(self) -> str:
        return self.format()


@dataclass
class ContentWarning:
    """A recoverable problem: the build goes on, the author is told."""

    path: Path
    line: int | None
    message: str

    def format(self, root: Path | None = None) -> str:
        return ContentError(self.path, self.line, f"warning: {self.message}").format(root)


Message = TypeVar("Message", bound="ContentError | ContentWarning")


class InFileOrder(list[Message]):
    """Messages kept in the order an author reads them: by file, then line.

    Each check adds its messages as it finds them (front matter, links, glossary…); the
    author gets them file after file, top to bottom. Messages of one line keep their order,
    a message with no line comes first in its file.
    """

    @staticmethod
    def _key(message: ContentError | ContentWarning) -> tuple[str, int]:
        return str(message.path), message.line or 0

    def append(self, message: Message) -> None:
        list.insert(self, bisect.bisect_right(self, self._key(message), key=self._key), message)

    def extend(self, messages: Iterable[Message]) -> None:
        for message in list(messages):
            self.append(message)

    # typeshed's list.__iadd__ (builtins.pyi) carries this same ignore: list's
    # __add__ may widen the item type, += may not.
    def __iadd__(self, messages: Iterable[Message]) -> Self:  # type: ignore[override, misc]
        self.extend(messages)
        return self


@dataclass
class Diagnostics:
    """Collects errors and warnings across every handout, so all are reported at once."""

    errors: list[ContentError] = field(default_factory=InFileOrder)
    warnings: list[ContentWarning] = field(default_factory=InFileOrder)

    def error(self, path: Path, line: int | None, message: str) -> None:
        self.errors.append(ContentError(path, line, message))

    def warn(self, path: Path, line: int | None, message: str) -> None:
        self.warnings.append(ContentWarning(path, line, message))

    def in_file_order(self) -> list[ContentError | ContentWarning]:
        """Errors and warnings in one list, as an author reads the files: top to bottom.
        Of one line, the warnings come first."""
        messages: InFileOrder[ContentError | ContentWarning] = InFileOrder()
        messages += self.warnings
        messages += self.errors
        return messages

    def raise_errors(self) -> None:
        """End the build here if any content error was found so far."""
        if self.errors:
            raise BuildFailed(self.errors)


class BuildFailed(Exception):
    """The build stopped on content errors; they are in ``errors``, dist/ is untouched."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors


def line_of(text: str, needle: str, start_line: int = 1) -> int | None:
    """The line (counting from start_line) where needle first occurs in text."""
    index = text.find(needle)
    if index < 0:
        return None
    return start_line + text.count("\n", 0, index)
