"""Page markers: each HTML page's "Page 5" comes before the words that begin page 5 of its PDF."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from ..html_classes import has_class
from ..page_numbers.markers import PAGE_NUMBER
from ..page_numbers.starts import SCREEN_HIDDEN

RULE = "page-markers"
WINDOW = 3  # words: how much of a page's beginning must be found after its marker
LOOK_AHEAD = 60  # words after a marker within which its page's first words must be
FIRST_WORDS = 15  # the page's first words tried (a table header repeated on it comes first)
# Words a reader meets in the page and in the PDF alike: not what the screen hides, nor what
# print hides (screen-only).
NOT_IN_BOTH = (*SCREEN_HIDDEN, "screen-only")
# Scripts written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Burmese): a
# page may begin between any two of their letters, so each is a word here.
UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
            "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff")
WORD = re.compile(rf"[{UNSPACED}]|(?:(?![{UNSPACED}])[^\W_])+")


def check_page_markers(html_path: Path, document) -> Iterator:
    """Findings for the page's markers and Printed pages list against the PDF it names."""
    from .findings import Finding

    page_list = next((nav for nav in document.iter("nav") if has_class(nav, "page-list")),
                     None)
    if page_list is None:
        return
    if has_class(page_list, "packet-page-list"):
        yield from _packet_page_list(html_path, page_list)
        return
    name = str(html_path)
    pdf_path = _beside(html_path, page_list.get("data-pages-of") or "")
    markers, words = _markers_and_words(document)
    listed = [link.get("href", "")[1:] for link in page_list.iter("a")]
    targets = [marker_id for marker_id, _ in markers]
    if listed != targets:
        yield Finding(name, RULE, f"the Printed pages list links to {_short(listed)}, the "
                      f"page's markers are {_short(targets)}")
    for link in document.iter("a"):  # an author's "see page 5": a page the PDF has
        wanted = (link.get("href") or "").removeprefix("#")
        if link.get("href", "").startswith("#page-") and wanted not in targets:
            yield Finding(name, RULE, f"a link leads to #{wanted}, but the PDF has no such "
                          "page")
    pages = _pdf_page_words(pdf_path) if pdf_path is not None else None
    if pages is None:
        yield Finding(name, RULE, f"{page_list.get('data-pages-of')}, whose pages the "
                      "markers give, is not a readable PDF in this folder")
        return
    with_words = [number for number, page in enumerate(pages, 1) if page]
    numbers = [_page_number(marker_id) for marker_id, _ in markers]
    # Every page with words has its marker, in order (a page of pictures only has one too).
    if numbers != sorted(set(numbers)) or not set(with_words) <= set(numbers) or \
            any(not 1 <= number <= len(pages) for number in numbers):
        yield Finding(name, RULE, f"markers for pages {_short(numbers)}; the PDF has words on "
                      f"pages {_short(with_words)}")
    ends = [at for _, at in markers[1:]] + [len(words)]
    for (_, at), end, number in zip(markers, ends, numbers):
        if not 1 <= number <= len(pages) or not pages[number - 1]:
            continue  # (a page of pictures only: no words to find)
        found = _find(words, at, min(end, at + LOOK_AHEAD), pages[number - 1])
        if found is None:
            start = " ".join(pages[number - 1][:6])
            yield Finding(name, RULE, f"the marker of page {number} is not just before the "
                          f"words that begin page {number} of the PDF ('{start}…')")


def _packet_page_list(html_path: Path, page_list) -> Iterator:
    """A packet's list: each page's link leads to just before that page's first words."""
    import tinyhtml5

    from .findings import Finding

    name = str(html_path)
    pdf_path = _beside(html_path, page_list.get("data-pages-of") or "")
    pages = _pdf_page_words(pdf_path) if pdf_path is not None else None
    if pages is None:
        yield Finding(name, RULE, f"{page_list.get('data-pages-of')}, whose pages the "
                      "list gives, is not a readable PDF in this folder")
        return
    read: dict[str, tuple] = {}
    for link in page_list.iter("a"):
        text = "".join(link.itertext()).strip()
        number = int(text) if PAGE_NUMBER.fullmatch(text) else 0
        target, _, anchor = (link.get("href") or "").partition("#")
        if not target or number < 1 or number > len(pages):
            continue  # the cover and contents: this page's own title
        if target not in read:
            page = _beside(html_path, target)
            read[target] = _markers_and_words(tinyhtml5.parse(
                page.read_bytes(), namespace_html_elements=False), anchors_only=True) \
                if page is not None else ([], [])
        anchors, words = read[target]
        at = next((position for anchor_id, position in anchors if anchor_id == anchor), None)
        if at is None:
            yield Finding(name, RULE, f"page {number}'s link leads to {link.get('href')}, "
                          "which is not there")
        elif _find(words, at, at + LOOK_AHEAD, pages[number - 1]) is None:
            yield Finding(name, RULE, f"page {number}'s link does not lead to just before the "
                          f"words that begin page {number} of the PDF")


def _beside(html_path: Path, relative: str) -> Path | None:
    """The regular file ``relative`` names in the page's folder (dist/), or None: a page
    given to check is not trusted to name files outside it."""
    folder = html_path.parent.resolve()
    target = (folder / relative).resolve()
    try:
        regular = stat.S_ISREG(os.lstat(target).st_mode)
    except OSError:
        return None
    return target if regular and target.is_relative_to(folder) else None


def _page_number(marker_id: str) -> int:
    """The page a marker's id names (page-5: 5); 0 for an id that names none."""
    number = marker_id.removeprefix("page-")
    return int(number) if PAGE_NUMBER.fullmatch(number) else 0


def _find(words: list[str], start: int, end: int, page: list[str]) -> int | None:
    """Where in words[start:end] a run of WINDOW of the page's first words begins."""
    wanted = {tuple(page[index:index + WINDOW])
              for index in range(max(1, min(FIRST_WORDS, len(page) - WINDOW + 1)))}
    for index in range(start, max(start, end)):
        if tuple(words[index:index + WINDOW]) in wanted:
            return index
    return None


def _markers_and_words(document, anchors_only: bool = False
                       ) -> tuple[list[tuple[str, int]], list[str]]:
    """Each marker's id (or packet page anchor's) with the number of visible words before
    it; the visible words."""
    markers: list[tuple[str, int]] = []
    anchors: list[tuple[str, int]] = []  # a packet's pages in this handout: not markers
    words: list[str] = []
    body = document.find("body")

    def walk(element):
        hidden = element.tag in ("script", "style", "template") or any(
            has_class(element, name) for name in (*NOT_IN_BOTH, "page-list"))
        if hidden:
            return
        if has_class(element, "page-marker"):  # (empty: screen.css draws its number)
            markers.append((element.get("id") or "", len(words)))
            return
        if has_class(element, "packet-page-anchor"):
            anchors.append((element.get("id") or "", len(words)))
        words.extend(_words(element.text))
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            words.extend(_words(child.tail))

    if body is not None:
        walk(body)
    return (anchors if anchors_only else markers), words


def _words(text: str | None) -> list[str]:
    return [word.casefold() for word in WORD.findall(text or "")]


def _pdf_page_words(pdf_path: Path) -> list[list[str]] | None:
    """Each page's words in reading order, artifacts (running headers, folios) left out."""
    import pikepdf

    from .pdf_reader import MarkedContent, read_tagged_pdf

    try:
        pdf = read_tagged_pdf(pdf_path)
    except (pikepdf.PdfError, OSError, ValueError):
        return None
    pages: list[list[str]] = [[] for _ in pdf.pages]

    def walk(element):
        for kid in element.kids:
            if isinstance(kid, MarkedContent):
                if 0 <= kid.page < len(pages):
                    pages[kid.page].extend(_words(kid.text))
            elif hasattr(kid, "kids"):
                walk(kid)
    if pdf.root is not None:
        walk(pdf.root)
    return pages


def _short(numbers: list) -> str:
    shown = ", ".join(map(str, numbers[:12]))
    return shown + (", …" if len(numbers) > 12 else "") if numbers else "none"
