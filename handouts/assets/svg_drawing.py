"""What reading one SVG keeps: its problems (at most MAX_PROBLEMS listed) and its shape."""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Problem

# Problems listed for one drawing; a hostile one could otherwise hold a million.
MAX_PROBLEMS = 20


class Stop(Exception):
    """Reading the drawing any further is pointless or dangerous."""


@dataclass
class Drawing:
    """What the parse of one SVG keeps: its problems, and its shape (no more than
    MAX_SVG_ELEMENTS elements: the parse stops at one more)."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    count: int = 0  # elements met so far
    lines: list[int] = field(default_factory=list)  # per element, in document order
    children: list[list[int]] = field(default_factory=list)
    refs: list[list[str]] = field(default_factory=list)  # a <use>'s #ids
    ids: dict[str, list[int]] = field(default_factory=dict)
    open: list[int] = field(default_factory=list)  # elements not yet closed
    style: list[str] | None = None  # text of the <style> element being read
    style_line: int = 0
    style_depth: int = 0  # len(open) while that <style> is the innermost element open
    unlisted: int = 0  # problems beyond the first MAX_PROBLEMS, counted only

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))
        else:
            self.unlisted += 1

    def report(self) -> list[Problem]:
        if not self.unlisted:
            return self.problems
        return self.problems + [(None, f"{self.unlisted:,} more problems in the drawing are "
                                       "not listed: fix the ones above first")]
