"""Page labels: in every PDF a viewer's page N is the page whose folio prints "Page N of M"."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pikepdf
import pytest
from checkers import outloud_errors, page_validation_failures
from testing_utils import EXAMPLE_SLUG, handout, make_project, run_cli

from handouts.pdf.booklet import is_imposed, sheet_order
from handouts.pdf.page_labels import label_ranges, printed_labels, set_page_labels

MESSAGES = Path(__file__).resolve().parent.parent / "handouts" / "messages"
PACKET = "interpol-delegates"
EXAMPLE_PDFS = {f"{folder}{name}.pdf" for folder in ("", "large-print/") for name in (
    "welcome", "rules-of-procedure", EXAMPLE_SLUG, "unesco-heritage-in-conflict", PACKET)}


def _folio_pattern(template: str) -> re.Pattern:
    """ "Page {page} of {pages}" as a pattern capturing both numbers."""
    pattern = "".join(r"(\S+)" if piece in ("{page}", "{pages}") else re.escape(piece)
                      for piece in re.split(r"(\{pages?\})", template))
    return re.compile(pattern.replace(r"\ ", r"\s+"))


# The folio in every language Handouts writes one in.
FOLIOS = [_folio_pattern(tomllib.loads(path.read_text(encoding="utf-8"))["page_of"])
          for path in sorted(MESSAGES.glob("*.toml"))]


def printed_folios(pdf: Path) -> list[tuple[str, str] | None]:
    """Each page's folio as poppler reads it, (N, M) of "Page N of M", or None."""
    output = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    folios = []
    for text in output.split("\f")[:-1]:
        found = [(match.start(), match.groups()) for pattern in FOLIOS
                 for match in pattern.finditer(text)]
        folios.append(max(found)[1] if found else None)  # the last on the page: its foot
    return folios


def label_findings(pdf: Path) -> list[str]:
    """Where the PDF's page labels or folios disagree with what a viewer shows and counts.

    A page with a folio is labelled with the number it prints, and its "of M" is the
    file's page count; a page without one (a cover, a blank page) with the number its
    neighbours' folios count it as.
    """
    with pikepdf.open(pdf) as document:
        if "/PageLabels" not in document.Root:
            return [f"{pdf.name}: no /PageLabels in the catalog"]
        labels = [page.label for page in document.pages]
    folios = printed_folios(pdf)
    findings = [] if len(folios) == len(labels) else [
        f"{pdf.name}: poppler reads {len(folios)} pages, pikepdf {len(labels)}"]
    numbered = [(index, int(folio[0])) for index, folio in enumerate(folios)
                if folio and folio[0].isdigit()]
    if not numbered:
        return findings + [f"{pdf.name}: no page prints a folio"]
    for index, (label, folio) in enumerate(zip(labels, folios)):
        if folio is not None:
            expected = folio[0]
            if folio[1] != str(len(labels)):
                findings.append(f"{pdf.name}: page {index + 1} prints 'of {folio[1]}' in a "
                                f"file of {len(labels)} pages")
        else:  # counted from the nearest folio before it, else the first after it
            before = [(at, number) for at, number in numbered if at < index]
            at, number = before[-1] if before else numbered[0]
            expected = str(number + index - at)
        if label != expected:
            findings.append(f"{pdf.name}: page {index + 1} is labelled {label!r}, "
                            f"its folio counts it as {expected!r}")
    return findings


def reader_pdfs(dist: Path) -> dict[str, Path]:
    """Every PDF in dist/pdf for readers (an imposed booklet is the print shop's)."""
    pdfs = {}
    for path in sorted((dist / "pdf").rglob("*.pdf")):
        with pikepdf.open(path) as document:
            if not is_imposed(document):
                pdfs[str(path.relative_to(dist / "pdf"))] = path
    return pdfs


def booklet_findings(booklet: Path, packet: Path) -> list[str]:
    """A sheet side is labelled "left|right" with the packet pages it carries."""
    with pikepdf.open(packet) as document:
        labels = [page.label for page in document.pages]
    with pikepdf.open(booklet) as document:
        if "/PageLabels" not in document.Root:
            return [f"{booklet.name}: no /PageLabels in the catalog"]
        sides = [page.label for page in document.pages]
    expected = [f"{labels[left - 1]}|{labels[right - 1]}"
                for left, right in sheet_order(len(labels))]
    return [] if sides == expected else [f"{booklet.name}: sides {sides}, not {expected}"]


def test_the_example_has_the_pdfs_the_labels_are_checked_on(example):
    assert set(reader_pdfs(example / "dist")) == EXAMPLE_PDFS


@pytest.mark.parametrize("name", sorted(EXAMPLE_PDFS))
def test_each_example_pdf_is_labelled_as_its_folios_print(example, name):
    assert label_findings(example / "dist" / "pdf" / name) == []


def test_every_pdf_of_a_built_project_is_labelled_as_its_folios_print(project):
    root = project
    pdfs = reader_pdfs(root / "dist")
    assert pdfs
    assert [finding for path in pdfs.values() for finding in label_findings(path)] == []
    booklets = sorted((root / "dist" / "pdf").rglob("*-booklet.pdf"))
    for booklet in booklets:
        packet = booklet.with_name(booklet.name.removesuffix("-booklet.pdf") + ".pdf")
        assert booklet_findings(booklet, packet) == []


@pytest.mark.parametrize("folder", ["", "large-print/"])
def test_the_packet_counts_its_cover_blank_pages_and_padding(example, folder):
    packet = example / "dist" / "pdf" / f"{folder}{PACKET}.pdf"
    folios = printed_folios(packet)
    with pikepdf.open(packet) as document:
        labels = [page.label for page in document.pages]
    assert len(labels) % 4 == 0  # booklet = true: padded before its folios were laid out
    assert folios[0] is None and labels[0] == "1"  # the cover: counted, no number printed
    assert all(folio[1] == str(len(labels)) for folio in folios if folio)
    # Every page, printed folio or not, is labelled with its place: typing 12 goes to the
    # page that prints "Page 12", and no number typed is missing.
    assert labels == [str(number) for number in range(1, len(labels) + 1)]
    assert [folio[0] for folio in folios if folio] == [
        label for label, folio in zip(labels, folios) if folio]


def test_the_large_print_packet_prints_its_whole_length(example):
    """The defect measured: "Page N of 29" in a 32-page file, its padding added after."""
    packet = example / "dist" / "pdf" / "large-print" / f"{PACKET}.pdf"
    folios = printed_folios(packet)
    last = max(index for index, folio in enumerate(folios) if folio)
    assert folios[last] == (str(last + 1), str(len(folios)))
    # The padding, then the back cover (test_covers.py), follow the last folio.
    assert len(folios) - last - 1 == -(last + 2) % 4 + 1


@pytest.mark.parametrize("name", [f"large-print/{PACKET}.pdf",
                                  f"large-print/{EXAMPLE_SLUG}.pdf"])
def test_labelled_and_padded_pdfs_still_pass_pdf_ua_1(example, name):
    """The standard ones are in test_checkers.py; the padding is now in the checked file."""
    assert outloud_errors(example / "dist" / "pdf" / name) == []
    assert page_validation_failures(example / "dist" / "pdf" / name) == []


def test_the_booklet_sides_are_labelled_with_the_packet_pages_they_carry(example):
    for folder in ("", "large-print/"):
        pdf = example / "dist" / "pdf" / folder
        assert booklet_findings(pdf / f"{PACKET}-booklet.pdf", pdf / f"{PACKET}.pdf") == []
    with pikepdf.open(example / "dist" / "pdf" / f"{PACKET}-booklet.pdf") as document:
        assert document.pages[0].label == f"{len(document.pages) * 2}|1"


@pytest.fixture
def handout_copy(example, tmp_path) -> Path:
    path = tmp_path / f"{EXAMPLE_SLUG}.pdf"
    shutil.copy(example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf", path)
    return path


def test_the_check_reports_a_pdf_without_page_labels(handout_copy):
    with pikepdf.open(handout_copy, allow_overwriting_input=True) as document:
        del document.Root["/PageLabels"]
        document.save(handout_copy)
    assert label_findings(handout_copy) == [f"{handout_copy.name}: no /PageLabels in the catalog"]


def test_the_check_reports_labels_shifted_from_the_folios(handout_copy):
    with pikepdf.open(handout_copy, allow_overwriting_input=True) as document:
        pages = len(document.pages)
        set_page_labels(document, [str(number) for number in range(2, pages + 2)])
        document.save(handout_copy)
    findings = label_findings(handout_copy)
    assert len(findings) == pages
    assert findings[0] == f"{handout_copy.name}: page 1 is labelled '2', its folio counts it as '1'"


def test_the_check_reports_pages_added_after_the_folios_were_laid_out(handout_copy):
    """What the packet did before: blank pages padded on after "of M" was printed."""
    with pikepdf.open(handout_copy, allow_overwriting_input=True) as document:
        pages = len(document.pages)
        document.add_blank_page()
        document.save(handout_copy)
    findings = label_findings(handout_copy)
    assert len(findings) == pages
    assert findings[-1] == (f"{handout_copy.name}: page {pages} prints 'of {pages}' in a file "
                            f"of {pages + 1} pages")


def test_the_check_reports_a_booklet_without_sheet_labels(example, tmp_path):
    booklet = tmp_path / "booklet.pdf"
    shutil.copy(example / "dist" / "pdf" / f"{PACKET}-booklet.pdf", booklet)
    with pikepdf.open(booklet, allow_overwriting_input=True) as document:
        set_page_labels(document, [str(number) for number in range(1, len(document.pages) + 1)])
        document.save(booklet)
    assert booklet_findings(booklet, example / "dist" / "pdf" / f"{PACKET}.pdf")


def _labels(css: str, body: str) -> list[str]:
    import weasyprint

    document = weasyprint.HTML(string=f"<html lang=fr><style>{css}</style>{body}</html>").render()
    return printed_labels(document.pages)


FOLIO_CSS = ('@page { @bottom-center { content: "Page " counter(page) " sur " counter(pages) } }'
             " @page :blank { @bottom-center { content: none } } .right { break-before: right }")
THREE_STARTS = '<p>Un</p><p class="right">Deux</p><p class="right">Trois</p>'


@pytest.mark.parametrize("css, labels", [
    ("", ["1", "2", "3", "4", "5"]),  # pages 2 and 4 are blank: counted all the same
    ("@page :first { counter-set: page 7 }", ["7", "8", "9", "10", "11"]),  # a packet's part
    ('@page { @bottom-center { content: counter(page, lower-roman) } }',
     ["i", "2", "iii", "4", "v"]),  # a blank page prints nothing: it keeps its count
    ('@page { @bottom-center { content: "Brouillon" } }', ["1", "2", "3", "4", "5"]),
    # The number followed by generated text with no words between: read whole, "12" not "1".
    ('@page { @bottom-center { content: counter(page) " " string(running) } }'
     " p { string-set: running content() } @page :first { counter-set: page 12 }",
     ["12", "13", "14", "15", "16"]),
])
def test_labels_are_read_from_the_folios_weasyprint_lays_out(css, labels):
    assert _labels(FOLIO_CSS + css, THREE_STARTS) == labels


def test_a_folio_wrapped_over_lines_is_still_read():
    css = ('@page { @bottom-right { content: "Page " counter(page) " sur " counter(pages);'
           " width: 8mm; font-size: 30pt } }")
    assert _labels(css, '<p>Un</p><p style="break-before: page">Deux</p>') == ["1", "2"]


def test_consecutive_numbers_share_one_range_and_other_labels_stand_alone(tmp_path):
    labels = ["1", "2", "iii", "4", "5", "0", "7", "07"]
    assert label_ranges(labels) == [(0, None, 1), (2, "iii", 0), (3, None, 4), (5, "0", 0),
                                    (6, None, 7), (7, "07", 0)]
    with pikepdf.new() as document:
        for _ in labels:
            document.add_blank_page()
        set_page_labels(document, labels)
        document.save(tmp_path / "labels.pdf")
    with pikepdf.open(tmp_path / "labels.pdf") as document:
        assert [page.label for page in document.pages] == labels


def test_a_rebuilt_packet_keeps_its_labels_from_the_cache_and_after_a_change(tmp_path):
    make_project(tmp_path, {
        "content/one.md": handout("One"), "content/two.md": handout("Two"),
        "handouts.toml": '[conference]\nname = "Test MUN"\n\n[[packet]]\nslug = "pack"\n'
                         'title = "Pack"\nhandouts = ["one", "two"]\nbooklet = true\n'})
    assert run_cli("--project", tmp_path).status == 0
    packet, booklet = tmp_path / "dist/pdf/pack.pdf", tmp_path / "dist/pdf/pack-booklet.pdf"
    # cover, contents, One, blank, Two: 5 pages, padded to 8 before the folios.
    assert printed_folios(packet)[-4:] == [("5", "8"), None, None, None]
    assert label_findings(packet) == [] and booklet_findings(booklet, packet) == []
    built = packet.read_bytes()
    with pikepdf.open(packet, allow_overwriting_input=True) as document:
        del document.Root["/PageLabels"]  # dist/ is never read for a kept PDF
        document.save(packet)
    result = run_cli("--project", tmp_path, "--verbose")
    assert result.status == 0 and "pack: 8 page(s), kept" in result.out, result.out
    assert packet.read_bytes() == built
    (tmp_path / "content/two.md").write_text(handout("Two", "Text.\n\n" + "\n\n".join(
        f"Paragraph {n}." for n in range(120))), encoding="utf-8")
    assert run_cli("--project", tmp_path).status == 0
    folios = printed_folios(packet)
    assert len(folios) > 8 and len(folios) % 4 == 0
    assert label_findings(packet) == [] and booklet_findings(booklet, packet) == []
