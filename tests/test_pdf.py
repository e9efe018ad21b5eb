"""The PDF: tagged PDF/UA-1, metadata, headings, bookmarks, live links, page furniture as artifacts."""

from __future__ import annotations

import pikepdf
from testing_utils import (
    handout,
    make_project,
    parse_html,
    pdf_structure,
    pdf_text,
    run_cli,
    text_of,
)


def test_pdf_is_tagged_with_language_and_title(example_pdf):
    with pikepdf.open(example_pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert "/StructTreeRoot" in pdf.Root
        info = pdf.open_metadata()
        assert info["dc:title"] == "Cyber Child Pornography"
        assert info["pdfuaid:part"] == "1"
        assert "The Interpol Chairs" in info["dc:creator"]
        assert info["dc:description"].startswith("A research report for the Interpol committee")
        assert "Interpol" in info["pdf:Keywords"]


def test_pdf_headings_match_the_html_headings_in_text_and_order(example_pdf, example_html):
    html = [(e.tag.upper(), text_of(e)) for e in parse_html(example_html).find(".//main").iter()
            if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    pdf = [(node.type, " ".join(node.text().split()))
           for node in pdf_structure(example_pdf).iter()
           if node.type in ("H1", "H2", "H3", "H4", "H5", "H6")]
    # 16 of the author's, and the headings of the content notes, the contents and the
    # COPINE scale's content note.
    assert len(html) == 19
    # Compared without spaces: poppler does not apply /ActualText, where the space at the end
    # of a wrapped heading's first line is said (the check command compares them with it).
    assert [(kind, "".join(text.split())) for kind, text in pdf] \
        == [(kind, "".join(text.split())) for kind, text in html]


def test_bookmarks_follow_the_headings(example_pdf):
    with pikepdf.open(example_pdf) as pdf, pdf.open_outline() as outline:
        top = outline.root
        assert [item.title for item in top] == ["Cyber Child Pornography"]
        assert [item.title for item in top[0].children][:4] == [
            "Introduction", "Definition of Key Terms", "Abbreviations", "Main Part"]


def test_external_links_are_live(example_pdf):
    with pikepdf.open(example_pdf) as pdf:
        uris = {str(annotation.A.URI) for page in pdf.pages
                for annotation in page.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link" and "/URI" in annotation.get("/A", {})}
    assert "http://en.wikipedia.org/wiki/Mental_disorder" in uris
    assert len(uris) == 10


def test_page_numbers_and_running_header_are_printed_but_not_read_aloud(example_pdf):
    printed = pdf_text(example_pdf)
    with pikepdf.open(example_pdf) as pdf:
        pages = len(pdf.pages)
    assert f"Page 2 of {pages}" in printed
    tagged = pdf_structure(example_pdf).text()
    assert f"Page 2 of {pages}" not in tagged and "Page 1 of" not in tagged
    # The running header, with the conference's short name, is on pages 2 onwards; the kicker
    # on page 1 says the name in full, and it alone is in the tree.
    assert printed.count("EXMUN · Interpol") == pages - 1
    assert printed.count("Example Model United Nations 2027 · Interpol") == 1
    assert tagged.count("Example Model United Nations 2027 · Interpol") == 1
    assert "EXMUN" not in tagged


def test_letter_paper_from_the_settings(tmp_path):
    make_project(tmp_path, {"handouts.toml": '[conference]\npaper = "Letter"\n',
                            "content/a.md": handout()})
    assert run_cli("--project", tmp_path).status == 0
    with pikepdf.open(tmp_path / "dist/pdf/a.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]


def test_a4_by_default(example_pdf):
    with pikepdf.open(example_pdf) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_fonts_are_embedded_atkinson_hyperlegible(example_pdf):
    with pikepdf.open(example_pdf) as pdf:
        fonts = {str(font.BaseFont).split("+")[-1]
                 for page in pdf.pages for font in page.Resources.Font.values()}
        descriptors = [font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                       for page in pdf.pages for font in page.Resources.Font.values()]
        assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    assert {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"} <= fonts


def test_links_between_pages_stay_relative_in_the_pdf(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("A", "See [the second handout](b.html).\n"),
                            "content/b.md": handout("B")})
    assert run_cli("--project", tmp_path).status == 0
    with pikepdf.open(tmp_path / "dist/pdf/a.pdf") as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[0].Annots if "/A" in a]
    assert uris == ["../b.html"]
    assert str(tmp_path) not in (tmp_path / "dist/pdf/a.pdf").read_bytes().decode("latin-1")


OLD_PRINT_CSS = """\
@page { margin: 22mm 20mm; @bottom-center { content: "Page " counter(page) " of " counter(pages) } }
.screen-only { display: none; }
.source-ref { font-size: 0.75em; line-height: 0; }
"""
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4000 40">'
            '<text x="0" y="20" font-size="2">123456789</text></svg>')


def test_a_print_css_kept_from_an_earlier_version_still_gets_what_handouts_needs(tmp_path):
    """A project's own print.css without this version's rules: its source numbers stay
    clickable, the large-print figure description stays out of standard print."""
    make_project(tmp_path, {
        "content/a.md": handout("Old print.css", "## Intro\n\nRead the [report](https://example"
                                ".org/report).\n\n![A strip of numbers](assets/wide.svg "
                                '"A strip")\n'),
        "content/assets/wide.svg": WIDE_SVG,
        "styles/print.css": OLD_PRINT_CSS})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert "PDF checks: 0 finding(s)" in result.out + result.err
    assert "A strip of numbers" not in pdf_text(tmp_path / "dist/pdf/a.pdf")
    assert "A strip of numbers" in pdf_text(tmp_path / "dist/pdf/large-print/a.pdf")
    with pikepdf.open(tmp_path / "dist/pdf/a.pdf") as pdf:
        rects = [[float(v) for v in annotation.Rect] for annotation in pdf.pages[0].Annots
                 if str(annotation.get("/Contents", "")).startswith("Sources 1")]
    assert len(rects) == 1 and rects[0][3] - rects[0][1] > 3  # the number's height, clickable
