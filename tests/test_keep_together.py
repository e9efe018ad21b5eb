"""Nothing stranded: a term stays with its definition, a content note on one page, a heading
with what follows it, a caption with its table's first rows, two lines of a paragraph a page."""

from __future__ import annotations

import itertools
from pathlib import Path

from testing_utils import REPO, handout, make_project, reader_pdfs, run_cli, word_boxes

from handouts.check.pdf_reader import Element, MarkedContent, read_tagged_pdf


def _drawn(element: Element, skip: frozenset | set = frozenset()):
    """The marked content with text inside element, in reading order (not inside elements of
    the types to skip)."""
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            if kid.text.strip():
                yield kid
        elif isinstance(kid, Element) and kid.type not in skip:
            yield from _drawn(kid, skip)


def _text(element: Element) -> str:
    return " ".join("".join(piece.text for piece in _drawn(element)).split())


def stranded_labels(pdf: Path) -> list[tuple[str, int]]:
    """Items whose label (a term, a marker) ends a page before any of their body is drawn."""
    stranded = []
    for item in read_tagged_pdf(pdf).elements("LI"):
        labels = [kid for kid in item.children() if kid.type == "Lbl"]
        bodies = [kid for kid in item.children() if kid.type == "LBody"]
        label_pages = [piece.page for label in labels for piece in _drawn(label)]
        body_pages = [piece.page for body in bodies[:1] for piece in _drawn(body)]
        if label_pages and body_pages and max(label_pages) < min(body_pages):
            stranded.append((_text(labels[-1])[:40], max(label_pages) + 1))
    return stranded


def split_content_notes(pdf: Path) -> list[tuple[str, list[int]]]:
    """Content notes (headed "Content note") drawn over more than one page."""
    split = []
    for element in read_tagged_pdf(pdf).root.iter():
        if not isinstance(element, Element) or element.type not in ("Sect", "Div"):
            continue
        heading = next(iter(element.children()), None)
        if heading is None or not heading.type.startswith("H") \
                or _text(heading) != "Content note":
            continue
        pages = sorted({piece.page + 1 for piece in _drawn(element)})
        if len(pages) > 1:
            split.append((_text(element)[:60], pages))
    return split


def _pieces_in_order(element: Element, heading: int | None = None):
    """(marked content, the id of the heading holding it or None), in reading order."""
    if element.type in HEADINGS:
        heading = id(element)
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            if kid.text.strip():
                yield kid, heading
        elif isinstance(kid, Element):
            yield from _pieces_in_order(kid, heading)


HEADINGS = {f"H{level}" for level in range(1, 7)}


def headings_ending_a_page(pdf: Path) -> list[tuple[str, int]]:
    """Headings whose last line is the last text of its page, what follows on the next."""
    pieces = list(_pieces_in_order(read_tagged_pdf(pdf).root))
    ending = []
    for (piece, heading), (after, after_heading) in itertools.pairwise(pieces):
        if heading is not None and after_heading != heading and after.page > piece.page:
            ending.append((piece.text.strip()[:40], piece.page + 1))
    return ending


def captions_apart_from_their_rows(pdf: Path) -> list[tuple[str, list[int]]]:
    """Tables whose caption, header row and first row's first line are not on one page."""
    apart = []
    for table in read_tagged_pdf(pdf).elements("Table"):
        rows = [row for row in table.iter() if row.type == "TR"]
        captions = [kid for kid in table.children() if kid.type == "Caption"]
        header = next((row for row in rows if any(cell.type == "TH" for cell in row.children())
                       and all(cell.type == "TH" for cell in row.children())), None)
        first = next((row for row in rows if row is not header), None)
        if not captions or first is None:
            continue
        pages = [min(piece.page for piece in _drawn(part)) + 1
                 for part in (captions[0], header, first) if part is not None]
        if len(set(pages)) > 1:
            apart.append((_text(captions[0])[:40], pages))
    return apart


def _page_lines(pdf: Path) -> dict[int, list[str]]:
    """Page (0-based) -> the text of each line drawn on it, as poppler finds the words."""
    lines: dict[int, dict[int, list[str]]] = {}
    for page, _x0, top, _x1, _bottom, _width, _height, text in word_boxes(pdf):
        lines.setdefault(page - 1, {}).setdefault(round(top), []).append(text)
    return {page: [_squeezed("".join(words)) for words in rows.values()]
            for page, rows in lines.items()}


def _squeezed(text: str) -> str:
    """Only the letters and digits of the text, to find a line inside a paragraph's text
    (without the spaces, the hyphens hyphenation adds, the marks a font draws its way)."""
    return "".join(character for character in text if character.isalnum())


def lonely_lines(pdf: Path) -> list[tuple[str, int, int]]:
    """Paragraphs broken over pages with fewer than two lines on one side: (text, page,
    lines there)."""
    lines = _page_lines(pdf)
    lonely = []
    for paragraph in read_tagged_pdf(pdf).elements("P"):
        by_page: dict[int, str] = {}
        for piece in _drawn(paragraph, skip={"Note"}):  # a footnote's place is its own
            by_page[piece.page] = by_page.get(piece.page, "") + piece.text
        if len(by_page) < 2:
            continue
        for page, text in by_page.items():
            squeezed = _squeezed(text)
            # A list item's first line starts with its number, not in the paragraph.
            count = sum(1 for line in lines.get(page, []) if line and (
                line in squeezed or (line.lstrip("0123456789") or "-") in squeezed))
            if count < 2:
                lonely.append((_text(paragraph)[:40], page + 1, count))
    return lonely


def test_two_lines_at_least_of_a_paragraph_on_each_side_of_a_page_break(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: lonely_lines(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_no_heading_ends_a_page(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: headings_ending_a_page(pdf) for pdf in pdfs} == {
        pdf.name: [] for pdf in pdfs}


def test_a_caption_stays_with_its_header_row_and_first_row(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: captions_apart_from_their_rows(pdf) for pdf in pdfs} == {
        pdf.name: [] for pdf in pdfs}


def test_no_term_or_item_label_ends_a_page_apart_from_its_body(project):
    pdfs = reader_pdfs(project)
    assert len(pdfs) >= 10
    assert {pdf.name: stranded_labels(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_no_content_note_is_split_over_pages(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: split_content_notes(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


GLOSSARY = "".join(f"Term {n}\n:   The definition of term {n}, long enough to read as one.\n\n"
                   for n in range(1, 4))
NOTED = ("## Noted\n\n!!! content-note\n    Describes violence in words.\n\n"
         "    It gives numbers too.\n\nThe section.\n")


def test_the_checks_find_a_stranded_term_and_a_split_note(tmp_path):
    """Forced apart by a project's own print.css, each is reported."""
    forced = ("dd { break-before: page !important; }\n"
              ".content-note p:last-child { break-before: page !important; }\n")
    make_project(tmp_path, {
        "handouts.toml": '[conference]\nname = "X"\n\n[build]\nprofiles = ["standard"]\n',
        "content/a.md": handout("Kept", f"## Key Terms {{: .glossary }}\n\n{GLOSSARY}{NOTED}"
                                "\nTerm 1, term 2 and term 3.\n"),
        "styles/print.css": (REPO / "styles/print.css").read_text() + forced})
    assert run_cli("--project", tmp_path).status == 0
    pdf = tmp_path / "dist/pdf/a.pdf"
    assert [label for label, _ in stranded_labels(pdf)] == ["Term 1", "Term 2", "Term 3"]
    [(note, pages)] = split_content_notes(pdf)
    assert note.startswith("Content note Describes violence") and len(pages) == 2


LONG = " ".join(["A sentence long enough to fill a line of the page with words."] * 12)


def test_the_checks_find_a_heading_a_caption_and_a_line_left_alone(tmp_path):
    """Forced apart by a project's own print.css, each is reported."""
    forced = ("h2 { break-after: page !important; }\n"
              "caption { break-after: page !important; }\n"
              ".spacer { break-before: page; height: calc(100vh - 36px); margin: 0; }\n"
              "p { orphans: 1 !important; widows: 1 !important; }\n")
    make_project(tmp_path, {
        "handouts.toml": '[conference]\nname = "X"\n\n[build]\nprofiles = ["standard"]\n',
        "content/a.md": handout("Kept", "## Apart\n\nText.\n\nTable: Years\n\n"
                                "| Year | Event |\n|---|---|\n| 1954 | Convention |\n\n"
                                f"Spacer.\n{{: .spacer }}\n\n{LONG}\n"),
        "styles/print.css": (REPO / "styles/print.css").read_text() + forced})
    assert run_cli("--project", tmp_path).status == 0
    pdf = tmp_path / "dist/pdf/a.pdf"
    assert [heading for heading, _ in headings_ending_a_page(pdf)] == ["Apart"]
    assert captions_apart_from_their_rows(pdf) == [("Years", [2, 3, 3])]
    assert [(text[:10], lines) for text, _, lines in lonely_lines(pdf)] == [("A sentence", 1)]
