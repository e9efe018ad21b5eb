"""python build.py check: findings as 'file: rule: detail', a summary, exit 1 on errors."""

from __future__ import annotations

import json

import pytest
import weasyprint
from testing_utils import DOT_PNG, make_project, run_cli

BROKEN_PAGE = """<!doctype html><html><head><title></title></head><body>
<main><h2>Starts at two</h2><h4>Skips three</h4>
<img src="a.png"><a href="x.html"></a><a href="y.html">click here</a>
<table><tr><td>No headers</td></tr></table></main></body></html>"""


def test_example_passes_check(example):
    result = run_cli("--project", example, "check")
    assert result.status == 0
    # 7 pages (index, 4 handouts, the packet's page and print document); in each of the 2
    # profiles, 6 PDFs (4 handouts, the packet and its imposed booklet)
    assert result.out == "Checked 19 file(s): 0 error(s), 0 warning(s).\n"


def test_check_reports_html_findings_by_rule(tmp_path):
    make_project(tmp_path, {"dist/broken.html": BROKEN_PAGE})
    result = run_cli("--project", tmp_path, "check")
    assert result.status == 1
    assert result.out.splitlines() == [
        "dist/broken.html: html-lang: the <html> element has no valid lang attribute",
        "dist/broken.html: html-title: the page has no <title>",
        "dist/broken.html: html-headings: the page must start with exactly one <h1>",
        "dist/broken.html: html-headings: the heading 'Skips three' skips from h2 to h4",
        "dist/broken.html: html-img-alt: the image a.png has no alt attribute",
        "dist/broken.html: html-link-text: the link to x.html has no text",
        "dist/broken.html: html-link-text: warning: the link text 'click here' does not say "
        "where the link goes",
        "dist/broken.html: html-table-headers: a table has no header cells (<th>)",
        "Checked 1 file(s): 7 error(s), 1 warning(s).",
    ]


def test_check_reports_pdf_document_rules(tmp_path):
    pdf = tmp_path / "plain.pdf"
    weasyprint.HTML(string="<h1>No language, no tags</h1>").write_pdf(pdf)
    result = run_cli("--project", tmp_path, "check", "plain.pdf", "--json")
    assert result.status == 1
    report = json.loads(result.out)
    rules = [finding["rule"] for finding in report["findings"]]
    assert rules == ["pdf-tagged", "pdf-lang", "pdf-title", "pdf-title", "pdf-xmp",
                     "pdf-untagged-content"]
    assert report["errors"] == 6


def test_check_browser_runs_axe(tmp_path):
    """On a page as Handouts writes one: its policy first in its head (only such pages are
    opened in the browser)."""
    from handouts.pages.sandbox import POLICY_META

    make_project(tmp_path, {"dist/faint.html": (
        f"<!doctype html><html lang=en><head>{POLICY_META}<title>Faint</title></head><body><main>"
        "<h1>Faint</h1><p style='color:#bbb'>Hard to read</p></main></body></html>")})
    result = run_cli("--project", tmp_path, "check", "--browser")
    assert result.status == 1
    assert "dist/faint.html: axe-color-contrast: Elements must meet minimum color contrast " \
           "ratio thresholds (light scheme: p)" in result.out.splitlines()
    assert result.out.splitlines()[-2:] == [
        "axe-core in Chromium checked 1 page(s), in the light and the dark scheme.",
        "Checked 1 file(s): 2 error(s), 0 warning(s)."]


def test_check_browser_without_chromium_fails_and_says_what_is_missing(tmp_path, monkeypatch):
    from handouts.check import browser

    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    make_project(tmp_path, {"dist/a.html": "<!doctype html><html lang=en><title>A</title>"
                                           "<main><h1>A</h1></main></html>"})
    result = run_cli("--project", tmp_path, "check", "--browser")
    assert result.status == 1
    assert result.out.splitlines() == [
        "check: browser: axe-core was not run: Chromium missing (make test installs them: "
        "Debian's chromium, and npm's axe-core)",
        "axe-core in Chromium checked 0 page(s), in the light and the dark scheme.",
        "Checked 1 file(s): 1 error(s), 0 warning(s)."]


def test_check_of_a_missing_folder_is_a_usage_error(tmp_path):
    result = run_cli("--project", tmp_path, "check")
    assert result.status == 2
    assert result.err == (f"handouts check: error: {tmp_path / 'dist'} does not exist; run "
                          "'handouts build' (in Handouts' own clone: python build.py) first\n")
    # A path the user named that is not there: no advice to build.
    result = run_cli("--project", tmp_path, "check", "nothere.pdf")
    assert result.status == 2
    assert result.err == f"handouts check: error: {tmp_path / 'nothere.pdf'} does not exist\n"


@pytest.mark.parametrize("arguments", [("serve", "--port", "99999"), ("serve", "--port", "-5"),
                                       ("links", "--timeout", "-1"), ("links", "--timeout", "nan"),
                                       ("links", "--jobs", "0")])
def test_an_out_of_range_number_is_a_usage_error_not_a_traceback(tmp_path, arguments):
    result = run_cli("--project", tmp_path, *arguments)
    assert result.status == 2
    assert f"argument {arguments[1]}: must be" in result.err and "Traceback" not in result.err


def test_strict_build_fails_on_pdf_findings(tmp_path):
    """A project stylesheet that prints screen-only parts makes the PDF differ from the HTML."""
    make_project(tmp_path, {
        "content/a.md": "---\ntitle: A\n---\n\nText.\n",
        "styles/print.css": ".screen-only { display: block; }\n",
    })
    assert run_cli("--project", tmp_path).status == 0
    before = (tmp_path / "dist/pdf/a.pdf").read_bytes()
    make_project(tmp_path, {"content/a.md": "---\ntitle: A changed\n---\n\nText.\n"})
    result = run_cli("--project", tmp_path, "build", "--strict")
    assert result.status == 1
    assert "content/a.md: PDF check: pdf-structure: P: the HTML has 0 (nothing), the PDF has" \
        in result.err
    assert (tmp_path / "dist/pdf/a.pdf").read_bytes() == before




def test_review_lays_out_what_a_person_must_judge(tmp_path):
    from testing_utils import handout, parse_html, text_of

    body = ("## Part one\n\n!!! content-note\n    Mentions violence.\n\nA [source]"
            "(https://example.org) and ![A red dot](assets/dot.png).\n\n## Part two\n\n"
            "- one\n- two\n")
    make_project(tmp_path, {"content/a.md": handout("Reviewed", body),
                            "content/assets/dot.png": DOT_PNG})
    assert run_cli("--project", tmp_path).status == 0
    result = run_cli("--project", tmp_path, "check", "--review")
    assert result.status == 0
    assert result.err == "Wrote dist/review.html: open it in a browser to review.\n"
    page = parse_html(tmp_path / "dist/review.html")
    rows = [[text_of(cell) for cell in row] for row in page.iter("tr")]
    assert ["assets/dot.png", "A red dot"] in rows
    assert ["source", "https://example.org"] in rows
    outline = [text_of(li) for li in page.find(".//ul[@class='outline']")]
    assert outline == ["h1: Reviewed", "h2: Contents", "h2: Part one", "h3: Content note",
                       "h2: Part two", "h2: Sources", "h2: Printed pages"]
    spoken = [text_of(li) for li in page.find(".//ol[@class='spoken']")]
    assert spoken[:2] == ["P Handouts", "H1 Reviewed"]
    assert "P A source1 and [image: A red dot] ." in spoken  # with its printed source number
    assert spoken.index("LI one") + 1 == spoken.index("LI two")
    assert any("Mentions violence." in text_of(li) for li in page.iter("li"))
    # Readable as every other page in dist/ is (a temporary file would be 0600).
    assert (tmp_path / "dist/review.html").stat().st_mode & 0o777 == \
        (tmp_path / "dist/a.html").stat().st_mode & 0o777


def test_the_checker_reads_the_mcid_of_the_marked_content_itself(tmp_path):
    """A property list may hold another dictionary with an /MCID: the sequence's own counts."""
    import pikepdf

    from handouts.check.pdf_reader import read_tagged_pdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    page.obj.Contents = pdf.make_stream(
        b"/P << /A << /MCID 9 >> /MCID 5 >> BDC BT /F1 12 Tf <4869> Tj ET EMC")
    pdf.save(tmp_path / "marked.pdf")
    assert read_tagged_pdf(tmp_path / "marked.pdf").pages[0].marked == {5: "Hi"}


def test_pages_shows_every_page_of_every_pdf(tmp_path):
    """check --pages: a thumbnail per page, in order, for a person to review the layout."""
    import pikepdf
    from testing_utils import handout, parse_html

    long_body = "".join(f"## Part {n}\n\n" + "A sentence of the report. " * 120 + "\n\n"
                        for n in range(1, 4))
    make_project(tmp_path, {"content/a.md": handout("A", long_body)})
    assert run_cli("--project", tmp_path).status == 0
    result = run_cli("--project", tmp_path, "check", "--pages")
    assert result.status == 0, result.out
    assert "Wrote dist/pages.html: every page of every PDF" in result.err
    page = parse_html(tmp_path / "dist/pages.html")
    pdfs = sorted((tmp_path / "dist").rglob("*.pdf"))
    headings = [" ".join("".join(h.itertext()).split()) for h in page.iter("h2")]
    assert len(headings) == len(pdfs) == 2  # standard and large print
    for pdf, section in zip(pdfs, page.iter("section")):
        with pikepdf.open(pdf) as document:
            count = len(document.pages)
        name = pdf.relative_to(tmp_path / "dist").as_posix()
        images = list(section.iter("img"))
        assert [image.get("alt") for image in images] == [
            f"Page {n} of {count}" for n in range(1, count + 1)]
        assert [link.get("href") for link in section.iter("a")] == [
            f"{name}#page={n}" for n in range(1, count + 1)]
        for image in images:
            assert (tmp_path / "dist" / image.get("src")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert count > 1  # the large print runs over pages
    mode = (tmp_path / "dist/pages.html").stat().st_mode & 0o777
    assert mode == (tmp_path / "dist/a.html").stat().st_mode & 0o777


def test_pages_without_pdftoppm_says_what_to_install(tmp_path, monkeypatch):
    from handouts.check import pages

    monkeypatch.setattr(pages.shutil, "which", lambda name: None)
    make_project(tmp_path, {"dist/pdf/a.pdf": b"%PDF-1.7\n"})
    result = run_cli("--project", tmp_path, "check", "--pages", "dist/pdf/a.pdf")
    assert result.status == 1
    assert result.err == ("dist: check --pages needs pdftoppm (Debian's poppler-utils, which "
                          "make test installs) to draw the pages\n")


def test_pages_of_a_pdf_that_is_not_one_is_a_message_not_a_traceback(tmp_path):
    make_project(tmp_path, {"dist/pdf/a.pdf": b"%PDF-1.7\nnot really\n"})
    result = run_cli("--project", tmp_path, "check", "--pages", "dist/pdf/a.pdf")
    assert result.status == 1
    assert result.err.startswith("dist/pdf/a.pdf: the PDF cannot be read: ")
    assert "Traceback" not in result.err

