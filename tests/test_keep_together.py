"""Nothing stranded: a term stays with its definition, a content note on one page."""

from __future__ import annotations

from pathlib import Path

from handouts.check.pdf_reader import Element, MarkedContent, read_tagged_pdf
from testing_utils import REPO, handout, make_project, reader_pdfs, run_cli

def _drawn(element: Element):
    """The marked content with text inside element, in reading order."""
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            if kid.text.strip():
                yield kid
        elif isinstance(kid, Element):
            yield from _drawn(kid)


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
