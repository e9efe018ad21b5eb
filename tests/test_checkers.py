"""Independent checkers: zero PDF/UA-1 errors, zero HTML errors, zero axe-core violations."""

from __future__ import annotations

import shutil

import pytest
from checkers import (
    axe_violations,
    axe_violations_in,
    outloud_errors,
    page_validation_failures,
    vnu_errors,
    vnu_messages,
)
from testing_utils import EXAMPLE_SLUG, handout, make_project, run_cli

STUDY_GUIDE = "unesco-heritage-in-conflict"
PACKET = "interpol-delegates"


@pytest.mark.parametrize("slug", [EXAMPLE_SLUG, STUDY_GUIDE, PACKET])
def test_example_pdfs_have_no_outloud_errors(example, slug):
    assert outloud_errors(example / "dist/pdf" / f"{slug}.pdf") == []


@pytest.mark.parametrize("slug", [EXAMPLE_SLUG, STUDY_GUIDE, PACKET])
def test_example_pdfs_pass_page_validation_pdf_ua_1(example, slug):
    assert page_validation_failures(example / "dist/pdf" / f"{slug}.pdf") == []


def test_checkers_do_find_errors(tmp_path):
    """The checkers are alive: an untagged PDF without language fails both."""
    import weasyprint

    bad = tmp_path / "bad.pdf"
    weasyprint.HTML(string="<h1>No language</h1>").write_pdf(bad)
    assert outloud_errors(bad)
    assert page_validation_failures(bad)


def test_pages_are_valid_html(example):
    pages = sorted((example / "dist").glob("*.html")) + sorted(
        (example / "dist/_packets").glob("*.html"))
    # The index, 4 handouts, the packet's page and the document its PDF is made from.
    assert len(pages) == 7
    # No error, and no warning either (the Nu checker's "info warnings" included).
    assert [(m["url"], m.get("lastLine"), m["message"])
            for m in vnu_messages(example / "dist", *pages)] == []


def test_vnu_does_find_warnings(tmp_path):
    """A section without a heading, and a stylesheet the page's policy forbids, are reported."""
    (tmp_path / "a.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta http-equiv="
        "Content-Security-Policy content=\"style-src 'none'\"><title>A</title>"
        "<link rel=stylesheet href=a.css></head><body><main><h1>A</h1><section><p>Text</p>"
        "</section></main></body></html>")
    (tmp_path / "a.css").write_text("p { color: black }")
    messages = [m["message"] for m in vnu_messages(tmp_path, tmp_path / "a.html")]
    assert sorted(message.split(":")[0].split(".")[0] for message in messages) == [
        "Resource violates Content Security Policy (meta tag)", "Section lacks heading"]


def test_vnu_does_find_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><html lang=en><title>x</title><p><img src=x.png></p>")
    assert [e["message"] for e in vnu_errors(bad)] == [
        "An “img” element must have an “alt” attribute, except under certain conditions. "
        "For details, consult guidance on providing text alternatives for images."]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("name", [f"{EXAMPLE_SLUG}.html", f"{STUDY_GUIDE}.html", "index.html",
                                  f"{PACKET}.html", f"_packets/{PACKET}.html"])
def test_pages_have_no_axe_violations(axe_page, example, name, scheme, width):
    assert axe_violations_in(axe_page(scheme, width), example / "dist" / name) == []


@pytest.mark.parametrize("name", [f"{EXAMPLE_SLUG}.html", "index.html"])
def test_pages_fit_a_320_pixel_screen(browser, example, name):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto((example / "dist" / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith('"Atkinson Hyperlegible"')
        assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    finally:
        page.close()


def test_pages_need_no_javascript(browser, example):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((example / "dist" / f"{EXAMPLE_SLUG}.html").as_uri())
        assert page.locator("h1").inner_text() == "Cyber Child Pornography"
        assert page.locator("table tbody tr").count() == 10
    finally:
        context.close()


def test_axe_does_find_violations(browser, tmp_path):
    """axe is alive: a page with an image without alt and low contrast fails."""
    make_project(tmp_path, {"bad.html": "<!doctype html><html lang=en><title>x</title>"
                            "<main><img src=x.png><p style='color:#ccc'>faint</p></main>"})
    page = browser.new_page()
    try:
        ids = {v["id"] for v in axe_violations(page, tmp_path / "bad.html")}
    finally:
        page.close()
    assert {"image-alt", "color-contrast"} <= ids


def test_review_page_is_accessible_and_valid(browser, example, tmp_path):
    shutil.copytree(example, tmp_path, dirs_exist_ok=True)  # the example, built: check writes
    assert run_cli("--project", tmp_path, "check", "--review").status == 0
    review = tmp_path / "dist/review.html"
    assert vnu_errors(review) == []
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        try:
            assert axe_violations(page, review) == []
        finally:
            page.close()


def test_a_page_using_every_feature_is_accessible_valid_and_checks_clean(axe_page, tmp_path):
    """Content notes (collapsed), glossary with shared terms, abbreviations, in French."""

    body = ("## Contexte\n\n!!! content-note\n    Cette section parle de violence.\n\n"
            "Le Délégué et l'ONU.\n\n## Débat\n\nUn délégué parle.\n\n"
            "## Termes {: .glossary }\n\nDélégué\n:   Une personne qui représente un pays.\n\n"
            "*[ONU]: Organisation des Nations unies\n")
    make_project(tmp_path, {
        "content/a.md": handout("Tout", body, lang="fr",
                                content_notes='["Le document parle de guerre."]'),
        "content/glossary.md": "Secrétariat\n:   L'équipe de la conférence.\n",
        "handouts.toml": "[content_notes]\ncollapse = true\n"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and result.err == "", result.err
    assert run_cli("--project", tmp_path, "check").status == 0
    page_path = tmp_path / "dist/a.html"
    assert vnu_errors(page_path) == []
    for scheme in ("light", "dark"):
        for width in (320, 1280):
            assert axe_violations_in(axe_page(scheme, width), page_path) == []
    assert outloud_errors(tmp_path / "dist/pdf/a.pdf") == []
    assert page_validation_failures(tmp_path / "dist/pdf/a.pdf") == []


def test_a_draft_is_marked_on_every_page_and_announced_once(browser, tmp_path):
    from testing_utils import handout, parse_html, pdf_text

    from handouts.check.pdf_reader import read_tagged_pdf
    from handouts.check.pdf_text import reading_text

    body = "\n\n".join(f"## Part {n}\n\n" + "A sentence of the draft. " * 80 for n in range(4))
    make_project(tmp_path, {"content/a.md": handout("Draft", body + "\n", status="draft")})
    assert run_cli("--project", tmp_path).status == 0
    page = parse_html(tmp_path / "dist/a.html")
    banners = [e for e in page.iter() if "draft-banner" in (e.get("class") or "")]
    assert len(banners) == 1
    assert "".join(banners[0].itertext()) == (
        "Draft: this handout may still change before the conference.")
    pages = pdf_text(tmp_path / "dist/pdf/a.pdf").split("\f")[:-1]
    assert len(pages) > 2 and all("DRAFT" in text for text in pages)
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    assert "DRAFT" not in reading_text(tree.root)  # an artifact: seen, not read on every page
    assert run_cli("--project", tmp_path, "check").status == 0
    for scheme in ("light", "dark"):
        browser_page = browser.new_page(color_scheme=scheme)
        try:
            assert axe_violations(browser_page, tmp_path / "dist/a.html") == []
        finally:
            browser_page.close()
