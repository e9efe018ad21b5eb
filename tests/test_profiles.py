"""Print profiles: standard and large print, chosen in handouts.toml, added by a project."""

from __future__ import annotations

import re

import pikepdf
import pytest
from checkers import outloud_errors, page_validation_failures
from testing_utils import (
    EXAMPLE_SLUG,
    handout,
    make_project,
    marked_content_types,
    parse_html,
    pdf_text,
    pdf_text_runs,
    run_cli,
    text_of,
    word_boxes,
)

STUDY_GUIDE = "unesco-heritage-in-conflict"
SLUGS = [EXAMPLE_SLUG, STUDY_GUIDE, "interpol-delegates"]  # the packet holds the other two
MM = 72 / 25.4
# The worked example of docs/print.md, "Adding a profile".
README_PROFILE = """
html { font-size: 14pt; line-height: 1.8; letter-spacing: 0.03em; word-spacing: 0.1em; }
body * { font-style: normal !important; }
em, i, cite { font-weight: 700; }
.footnote-print { display: none; }                 /* no notes at the foot of the page … */
.endnotes { display: block; }                      /* … but the numbered list at the end */
.endnote-call { display: inline; }
"""


def first_error(root, files: dict[str, str]) -> str:
    """The first line a build of a project holding these files prints, which must fail."""
    make_project(root, {"content/a.md": handout(), **files})
    result = run_cli("--project", root)
    assert result.status == 1
    return result.err.splitlines()[0]


def large_print(example, slug):
    return example / "dist/pdf/large-print" / f"{slug}.pdf"


def standard(example, slug):
    return example / "dist/pdf" / f"{slug}.pdf"


def in_figure(run) -> bool:
    """Drawn inside an image: an SVG's own labels, sized by the image, not by the profile."""
    return "/Figure" in run.tags


def layout_lines(pdf) -> list[str]:
    """Each line of text as poppler lays it out (a table cell's lines apart), leaders left out."""
    import html
    import subprocess

    output = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    lines = [" ".join(html.unescape(word) for word in re.findall(r">([^<]*)</word>", line))
             for line in re.findall(r"<line[^>]*>(.*?)</line>", output, re.DOTALL)]
    return [line for line in lines if ". . . ." not in line]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_character_in_large_print_is_at_least_18_pt(example, slug):
    pdf = large_print(example, slug)
    runs = pdf_text_runs(pdf)
    text = [run for run in runs if not in_figure(run)]
    assert min(run.size for run in text) == 18
    # Page numbers and running headers are among them: they are artifacts, on every page
    # (but a packet's cover and its booklet's back cover, and the blank pages that carry
    # nothing).
    printed = {run.page for run in text}
    pages = max(printed)
    artifacts = {run.page for run in text if "/Artifact" in run.tags}
    assert artifacts == printed - ({1, pages} if slug == "interpol-delegates" else set())
    if slug != "interpol-delegates":
        assert printed == set(range(1, pages + 1))
    words = pdf_text(pdf)
    # "of M" counts every page of the file, a packet's padding and back cover after its last
    # folio included.
    with pikepdf.open(pdf) as document:
        assert f"Page {max(artifacts)} of {len(document.pages)}" in words
    assert "Example Model United Nations 2027" in words


def test_markers_and_notes_are_printed_in_large_print(example):
    """Source numbers and note calls are drawn (so measured above), and notes come at the end."""
    text = " ".join(pdf_text(large_print(example, STUDY_GUIDE)).split())
    assert re.search(r"Convention\s?1\b", text)  # the source number after a link
    assert re.search(r"destruction of heritage\.\s?1", text)  # the note's call
    notes = text.index("The International Criminal Court's judgment of 27 September 2016")
    assert notes > text.rindex("Questions a Resolution Should Answer")  # the last section
    assert notes < text.rindex("Sources")
    # In the standard profile the note stands at the foot of the page where it is called.
    standard_text = " ".join(pdf_text(standard(example, STUDY_GUIDE)).split())
    assert standard_text.index("The International Criminal Court's judgment") \
        < standard_text.rindex("Questions a Resolution Should Answer")


@pytest.mark.parametrize("slug", SLUGS)
def test_large_print_headings_are_at_least_20_pt(example, slug):
    pdf = large_print(example, slug)
    types = marked_content_types(pdf)
    heading_sizes = {run.size for run in pdf_text_runs(pdf)
                     if any(kind in ("H1", "H2", "H3", "H4", "H5", "H6")
                            for kind in types.get((run.page, run.mcid), ()))}
    assert heading_sizes and min(heading_sizes) >= 20


def test_text_inside_an_image_grows_with_it(example):
    """A chart's labels are part of the picture: full width in large print, not 18 pt."""
    def figure_sizes(pdf):
        return {run.size for run in pdf_text_runs(pdf) if in_figure(run)}

    large, small = figure_sizes(large_print(example, STUDY_GUIDE)), \
        figure_sizes(standard(example, STUDY_GUIDE))
    assert large and small and min(large) > max(small)


@pytest.mark.parametrize("slug", SLUGS)
def test_large_print_uses_no_italics(example, slug):
    fonts = {run.font for run in pdf_text_runs(large_print(example, slug))}
    assert not [font for font in fonts if re.search("italic|oblique", font, re.IGNORECASE)]
    assert any("Bold" in font for font in fonts)  # emphasis, captions and headings


def test_the_standard_profile_does_use_italics(example):
    """So that the test above can fail: the example's emphasis is italic in standard print."""
    fonts = {run.font for run in pdf_text_runs(standard(example, EXAMPLE_SLUG))}
    assert any("Italic" in font for font in fonts)


@pytest.mark.parametrize("slug", SLUGS)
def test_large_print_text_keeps_20_mm_from_every_edge(example, slug):
    """Running headers and page numbers included; wide tables included: nothing leaves the page."""
    words = word_boxes(large_print(example, slug))
    assert words
    outside = [(page, text) for page, x0, y0, x1, y1, width, height, text in words
               if x0 < 20 * MM or y0 < 20 * MM or x1 > width - 20 * MM or y1 > height - 20 * MM]
    assert outside == []


@pytest.mark.parametrize("slug", SLUGS)
def test_standard_print_body_is_12_pt_and_lines_about_75_characters(example, slug):
    pdf = standard(example, slug)
    types = marked_content_types(pdf)
    paragraph_sizes = {run.size for run in pdf_text_runs(pdf)
                       if types.get((run.page, run.mcid), ())[-1:] in (("P",), ("Span",))
                       and "P" in types.get((run.page, run.mcid), ())}
    assert min(paragraph_sizes) >= 12
    lines = [" ".join(line.split()) for line in layout_lines(pdf)]
    assert 70 <= max(len(line) for line in lines) <= 78


def test_wide_tables_become_one_block_per_row_in_large_print(example):
    text = pdf_text(large_print(example, STUDY_GUIDE))
    # Each cell on its own line, after its column's name (generated, an artifact).
    assert re.search(r"^\s*Africa\s*$", text, re.MULTILINE)
    assert re.search(r"^\s*1954 Convention: 33\s*$", text, re.MULTILINE)
    assert re.search(r"^\s*Blue Shield committees: 6\s*$", text, re.MULTILINE)


@pytest.mark.parametrize("slug", SLUGS)
def test_large_print_pdfs_pass_the_checkers(example, slug):
    pdf = large_print(example, slug)
    result = run_cli("--project", example, "check", pdf)
    assert (result.status, result.out) == (0, "Checked 1 file(s): 0 error(s), 0 warning(s).\n")
    assert outloud_errors(pdf) == []
    assert page_validation_failures(pdf) == []


def test_the_index_offers_each_profile_with_pages_and_size(example):
    page = parse_html(example / "dist/index.html")
    links = [text_of(a) for a in page.iter("a") if "pdf/" in (a.get("href") or "")]

    pages = {path: len(pikepdf.open(path).pages)
             for path in (standard(example, EXAMPLE_SLUG), large_print(example, EXAMPLE_SLUG))}
    # 4 handouts and the packet, each in 2 profiles, and the packet's 2 booklets
    assert len(links) == 12
    hrefs = [a.get("href") for a in page.iter("a") if "pdf/" in (a.get("href") or "")]
    first = hrefs.index(f"pdf/{EXAMPLE_SLUG}.pdf")  # the index lists handouts in packet order
    ours = links[first:first + 2]
    assert re.fullmatch(r"PDF: Cyber Child Pornography, \d+ pages, \d+ kB", ours[0])
    assert re.fullmatch(r"Large print PDF: Cyber Child Pornography, \d+ pages, \d+ kB", ours[1])
    assert [int(re.search(r"(\d+) pages", link)[1]) for link in ours] == list(pages.values())
    assert hrefs[first + 1] == f"pdf/large-print/{EXAMPLE_SLUG}.pdf"


def test_the_index_names_the_profiles_in_the_conference_language(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Un document"),
                            "handouts.toml": '[conference]\nlang = "fr"\n'})
    assert run_cli("--project", tmp_path).status == 0
    page = parse_html(tmp_path / "dist/index.html")
    links = [text_of(a) for a in page.iter("a") if "pdf/" in (a.get("href") or "")]
    assert [link.split(":")[0] for link in links] == ["PDF", "PDF en gros caractères"]


def test_build_profiles_picks_the_profiles(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Only standard"),
                            "handouts.toml": '[build]\nprofiles = ["standard"]\n'})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert (tmp_path / "dist/pdf/a.pdf").is_file()
    assert not (tmp_path / "dist/pdf/large-print").exists()
    page = parse_html(tmp_path / "dist/index.html")
    assert [text_of(a).split(":")[0] for a in page.iter("a")
            if "pdf/" in (a.get("href") or "")] == ["PDF"]


def test_large_print_alone_is_linked_from_the_handout_page(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Only large print"),
                            "handouts.toml": '[build]\nprofiles = ["large-print"]\n'})
    assert run_cli("--project", tmp_path).status == 0
    assert not (tmp_path / "dist/pdf/a.pdf").exists()
    page = parse_html(tmp_path / "dist/a.html")
    assert {a.get("href") for a in page.iter("a") if "pdf" in (a.get("href") or "")} == {
        "pdf/large-print/a.pdf"}
    assert (tmp_path / "dist/pdf/large-print/a.pdf").is_file()


def test_an_unknown_profile_is_a_content_error(tmp_path):
    settings = '[conference]\nname = "X"\n\n[build]\nprofiles = ["standard", "large_print"]\n'
    assert first_error(tmp_path, {"handouts.toml": settings}) == (
        "handouts.toml:5: unknown profile 'large_print' in [build] profiles (did you mean "
        "'large-print'?); known profiles: standard, large-print (a profile is a stylesheet "
        "in styles/profiles/)")
    assert not (tmp_path / "dist/pdf").exists()


def test_profiles_must_be_a_list_of_names(tmp_path):
    assert first_error(tmp_path, {"handouts.toml": "[build]\nprofiles = []\n"}) == (
        'handouts.toml:2: profiles in [build] must list profile names, such as '
        '["standard", "large-print"]')


def test_a_project_adds_its_own_profile(tmp_path):
    make_project(tmp_path, {
        "content/a.md": handout("Own profile", "Some *text* and a note.[^1]\n\n[^1]: The note.\n"),
        "styles/profiles/dyslexia-friendly.css": README_PROFILE})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert result.err == ""  # its PDF passes the checks, as the others do
    own = tmp_path / "dist/pdf/dyslexia-friendly/a.pdf"
    runs = pdf_text_runs(own)
    assert {run.size for run in runs if "/Artifact" not in run.tags} >= {14.0}
    assert not [run.font for run in runs if "Italic" in run.font]
    assert "1. The note." in pdf_text(own)  # at the end
    assert (tmp_path / "dist/pdf/a.pdf").is_file()
    assert (tmp_path / "dist/pdf/large-print/a.pdf").is_file()
    page = parse_html(tmp_path / "dist/index.html")
    assert [text_of(a).split(":")[0] for a in page.iter("a")
            if "pdf/" in (a.get("href") or "")] == ["PDF", "Large print PDF",
                                                     "PDF (dyslexia friendly)"]
    assert run_cli("--project", tmp_path, "check").status == 0


def test_a_project_profile_can_choose_endnotes(tmp_path):
    """The check learns from the profile's own rules which notes its PDFs print."""
    make_project(tmp_path, {
        "content/a.md": handout("Endnotes", "Text with a note.[^1]\n\n[^1]: The note.\n"),
        "handouts.toml": '[build]\nprofiles = ["notes-at-end"]\n',
        "styles/profiles/notes-at-end.css":
            ".footnote-print { display: none; }\n.endnotes { display: block; }\n"
            ".endnote-call { display: inline; }\n"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and result.err == "", result.err
    assert run_cli("--project", tmp_path, "check").out.endswith(
        "Checked 3 file(s): 0 error(s), 0 warning(s).\n")
    text = " ".join(pdf_text(tmp_path / "dist/pdf/notes-at-end/a.pdf").split())
    assert re.search(r"Text with a note\.\s?1 1\. The note\. ↩ Page 1 of 1", text)


def test_a_project_can_replace_a_built_in_profile(tmp_path):
    make_project(tmp_path, {
        "content/a.md": handout("Larger"),
        "handouts.toml": '[build]\nprofiles = ["large-print"]\n',
        "styles/profiles/large-print.css": "html { font-size: 24pt; }\n"})
    assert run_cli("--project", tmp_path).status == 0
    sizes = {run.size for run in pdf_text_runs(tmp_path / "dist/pdf/large-print/a.pdf")
             if "/Artifact" not in run.tags}
    assert 24.0 in sizes


def test_large_print_draft_mark_and_footnote_markers_are_18_pt(tmp_path):
    body = ("## A part\n\nA [linked source](https://example.org/a \"A source\") and a "
            "note.[^n] *Emphasis*, `code` and <sub>low</sub>.\n\n"
            "Table: A caption\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
            + "A sentence to fill the pages. " * 200 + "\n\n[^n]: The note.\n")
    make_project(tmp_path, {
        "content/a.md": handout("Draft", body, status="draft",
                                committee="A Committee With a Rather Long Name"),
        "handouts.toml": '[conference]\nname = "Example Model United Nations 2027"\n\n'
                         '[build]\nprofiles = ["large-print"]\n'})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and result.err == "", result.err
    pdf = tmp_path / "dist/pdf/large-print/a.pdf"
    runs = pdf_text_runs(pdf)
    assert min(run.size for run in runs) == 18
    assert pdf_text(pdf).count("DRAFT") == max(run.page for run in runs) > 1
    assert not [run.font for run in runs if "Italic" in run.font]
    # The running header takes two lines beside the DRAFT mark, and keeps the margin.
    words = word_boxes(pdf)
    header_lines = {round(y0) for page, _, y0, _, y1, _, _, _ in words
                    if page == 2 and y1 < 42 * MM}
    assert len(header_lines) == 2 and [text for _, x0, y0, x1, y1, width, height, text in words
                       if x0 < 20 * MM or y0 < 20 * MM or x1 > width - 20 * MM
                       or y1 > height - 20 * MM] == []


def test_large_print_on_letter_paper_keeps_its_margins(tmp_path):
    body = "## A part\n\n" + "A sentence long enough to fill the line of a page. " * 60 + "\n"
    make_project(tmp_path, {"content/a.md": handout("Letter", body),
                            "handouts.toml": '[conference]\npaper = "Letter"\n\n'
                                             '[build]\nprofiles = ["large-print"]\n'})
    assert run_cli("--project", tmp_path).status == 0
    words = word_boxes(tmp_path / "dist/pdf/large-print/a.pdf")
    assert {(width, height) for _, _, _, _, _, width, height, _ in words} == {(612.0, 792.0)}
    assert [text for _, x0, y0, x1, y1, width, height, text in words
            if x0 < 20 * MM or y0 < 20 * MM or x1 > width - 20 * MM
            or y1 > height - 20 * MM] == []
    assert min(run.size for run in pdf_text_runs(tmp_path / "dist/pdf/large-print/a.pdf")) == 18


def test_the_check_finds_what_a_profile_hides_another_way(tmp_path):
    """Only simple one-class rules tell the check what a profile leaves out."""
    make_project(tmp_path, {
        "content/a.md": handout("Hidden", "First paragraph.\n\nSecond paragraph.\n"),
        "handouts.toml": '[build]\nprofiles = ["standard", "terse"]\n',
        "styles/profiles/terse.css": ".handout-body p:first-child { display: none; }\n"})
    result = run_cli("--project", tmp_path, "build", "--strict")
    assert result.status == 1
    assert "content/a.md: PDF check (terse): pdf-structure: P: the HTML has 1 (First " \
        "paragraph.), the PDF has 0 (nothing)" in result.err.splitlines()


def test_a_profile_name_must_be_a_plain_folder_name(tmp_path):
    badly_named = {"styles/profiles/Big Print.css": "html { font-size: 20pt; }\n"}
    assert first_error(tmp_path, badly_named) == (
        "styles/profiles/Big Print.css: 'Big Print' cannot name a print profile: rename the "
        "stylesheet with lower-case letters, digits and hyphens, such as "
        "styles/profiles/dyslexia-friendly.css")
