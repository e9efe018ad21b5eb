"""Pages a print shop would take: no page in the middle of a handout left half empty."""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
from testing_utils import reader_pdfs, word_boxes

from handouts.labels import Labels

# Issue 15: in the middle of a handout no page is more than half empty, and at most one page
# of a handout is more than a third empty.
HALF, THIRD = 0.5, 1 / 3
CONTENT_NOTE_LABELS = {Labels(lang)["content_note"] for lang in ("en", "fr", "es")}


def _lines(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """Page -> its lines, top to bottom: (top, bottom, text), words grouped by their top."""
    words: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for page, _x0, top, _x1, bottom, _width, _height, text in word_boxes(pdf):
        words[page][round(top)].append((top, bottom, text))
    return {page: [(min(w[0] for w in line), max(w[1] for w in line),
                    " ".join(w[2] for w in line)) for _, line in sorted(rows.items())]
            for page, rows in words.items()}


def _portrait_pages(pdf: Path) -> set[int]:
    """The pages taller than wide: a landscape figure page has a text block of its own."""
    with pikepdf.open(pdf) as document:
        return {number for number, page in enumerate(document.pages, start=1)
                if float(page.mediabox[3]) > float(page.mediabox[2])}


def _furniture(lines: dict, pages: set[int], end: int) -> list[set[int]]:
    """The tops of the lines at one end of the page (0: top, -1: bottom) that stand at one
    height on most pages, line after line: a running header of two lines, the folio. The
    body's own first and last lines move from page to page."""
    found, pages = [], {page for page in pages if lines.get(page)}
    for _depth in range(3):
        tops = Counter(round(lines[page][end][0]) for page in pages)
        common = {y for y, count in tops.items() if count >= max(2, len(pages) // 2)}
        if not common:
            break
        found.append(common)
        pages = {page for page in pages if round(lines[page][end][0]) in common}
        lines = {page: lines[page][1:] if end == 0 else lines[page][:-1] for page in pages}
        pages = {page for page in pages if lines[page]}
    return found


def body_lines(pdf: Path) -> tuple[dict[int, list[tuple[float, float, str]]], set[int]]:
    """Each portrait page's lines of text without its running header and folio; and the
    pages that have a folio (a cover or a blank page has none)."""
    lines = _lines(pdf)
    portrait = _portrait_pages(pdf)
    headers, folios = _furniture(lines, portrait, 0), _furniture(lines, portrait, -1)
    body, numbered = {}, set()
    for page in portrait:
        kept = list(lines.get(page, []))
        for tops in headers:
            if len(kept) > 1 and round(kept[0][0]) in tops:
                kept.pop(0)
        for tops in folios:
            if kept and round(kept[-1][0]) in tops:
                kept.pop()
                numbered.add(page)
        body[page] = kept
    return body, numbered


def handout_starts(pdf: Path, packet_slugs: set[str]) -> list[int]:
    """The first page of each handout in the PDF: in a packet, its handouts' bookmarks."""
    if pdf.stem not in packet_slugs:
        return [1]
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        [packet] = outline.root
        starts = [pages[item.destination[0].objgen] for item in packet.children]
    return sorted({1, *starts})


def emptiness(pdf: Path, packet_slugs: set[str]) -> list[tuple[int, float, bool, bool]]:
    """(page, how much of its text block is left empty, whether the rules apply to it,
    whether the next page starts with a content note) for each portrait page. The text
    block runs from the highest to the lowest line of body text on any page of the PDF.
    Exempt: a handout's last page, the page before a handout starts (a packet's contents
    and blank pages), and the pages without a page number: covers and blank pages (a
    booklet's padding); landscape pages are left out."""
    body, numbered = body_lines(pdf)
    filled = [lines for lines in body.values() if lines]
    top = min(lines[0][0] for lines in filled)
    bottom = max(lines[-1][1] for lines in filled)
    starts = handout_starts(pdf, packet_slugs)
    ends = [max((page for page in numbered if start <= page < end), default=start)
            for start, end in zip(starts, [*starts[1:], max(body) + 1])]
    exempt = {start - 1 for start in starts} | set(ends) | (set(body) - numbered)
    return [(page, (bottom - (lines[-1][1] if lines else top)) / (bottom - top),
             page not in exempt, _starts_with_a_content_note(body.get(page + 1)))
            for page, lines in sorted(body.items())]


def _starts_with_a_content_note(lines: list | None) -> bool:
    return bool(lines) and lines[0][2].strip() in CONTENT_NOTE_LABELS


def handout_of(page: int, starts: list[int]) -> int:
    return max(start for start in starts if start <= page)


def packet_slugs(project: Path) -> set[str]:
    config = tomllib.loads((project / "handouts.toml").read_text(encoding="utf-8"))
    return {packet["slug"] for packet in config.get("packet", [])}


def fill_faults(pdf: Path, slugs: set[str]) -> list[str]:
    """Pages more than half empty mid-handout; handouts with two or more a third empty."""
    faults, third_empty = [], defaultdict(list)
    starts = handout_starts(pdf, slugs)
    for page, empty, ruled, before_a_note in emptiness(pdf, slugs):
        if not ruled:
            continue
        if empty > HALF:
            faults.append(f"p{page} {empty:.0%} empty")
        # A content note is kept whole (test_keep_together.py): the page before one that
        # did not fit beneath a handout's title may be a third empty, but not half.
        if empty > THIRD and not before_a_note:
            third_empty[handout_of(page, starts)].append(f"p{page} {empty:.0%}")
    faults += [f"pages {', '.join(pages)} more than a third empty"
               for pages in third_empty.values() if len(pages) > 1]
    return faults


def test_no_page_mid_handout_is_half_empty(project):
    slugs = packet_slugs(project)
    pdfs = reader_pdfs(project)
    found = {pdf.relative_to(project / "dist/pdf").as_posix(): fill_faults(pdf, slugs)
             for pdf in pdfs}
    assert found == {name: [] for name in found}
