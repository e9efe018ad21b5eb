"""The new file's text, and the review list: what a person must check, at its line."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .inventory import Finding
from .to_markdown import Block


@dataclass
class ReviewItem:
    line: int | None  # in the new file; None: the whole document
    message: str


@dataclass
class Imported:
    text: str
    review: list[ReviewItem]


def assemble(meta: dict, meta_review: dict[str, str], blocks: list[Block], notes: list[str],
             abbreviations: list[tuple[str, str]], findings: list[Finding],
             loose: list[str]) -> Imported:
    """The Markdown file, counting lines as it goes, and every review item placed."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    lines = ["---", *front.rstrip("\n").split("\n"), "---", ""]
    review: list[ReviewItem] = []
    for key, message in meta_review.items():
        line = next((number for number, text in enumerate(lines, start=1)
                     if text.startswith(f"{key}:")), None)
        review.append(ReviewItem(line, message))
    for block in blocks:
        review += [ReviewItem(len(lines) + 1, message) for message in block.review]
        text = f"{'#' * block.level} {block.text}" if block.kind == "heading" else block.text
        lines += text.split("\n") + [""]
    for note in notes:
        lines += note.split("\n") + [""]
    if abbreviations:
        for abbreviation, expansion in abbreviations:
            review.append(ReviewItem(len(lines) + 1, f"the abbreviation {abbreviation} was "
                                     "found defined in the text: confirm its expansion, or "
                                     "delete the line"))
            lines.append(f"*[{abbreviation}]: {expansion}")
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    for finding in findings:
        review.append(ReviewItem(find_line(lines, finding.needle), finding.message))
    review += [ReviewItem(None, message) for message in loose]
    review.sort(key=lambda item: item.line or 0)
    return Imported("\n".join(lines) + "\n", review)


MARKUP = re.compile(r"\]\([^)]*\)|\[\^\d+\]|\{:[^}]*\}|<https?://[^>]*>")


def _letters(text: str) -> str:
    """The words' letters only: links' addresses, note marks and attributes left out."""
    return re.sub(r"\W+", "", MARKUP.sub("", text.replace("\\", ""))).casefold()


def find_line(lines: list[str], needle: str) -> int | None:
    """The first line (after the front matter) holding the needle's words, or None."""
    wanted = _letters(needle)[:32]
    if not wanted:
        return None
    start = lines.index("---", 1) + 1 if "---" in lines[1:] else 0
    for number in range(start, len(lines)):
        if wanted in _letters(lines[number]):
            return number + 1
    return None


def format_review(shown: str, items: list[ReviewItem]) -> list[str]:
    """path:line: message, as the build prints its messages."""
    return [f"{shown}:{item.line}: {item.message}" if item.line else f"{shown}: {item.message}"
            for item in items]
