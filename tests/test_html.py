"""The HTML pages: language, title, landmarks, headings, contents, links."""

from __future__ import annotations

import pikepdf
from testing_utils import (
    EXAMPLE_SLUG,
    handout,
    make_project,
    parse_html,
    render_page,
    run_cli,
    text_of,
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def headings_of(document):
    return [(int(e.tag[1]), text_of(e)) for e in document.iter() if e.tag in HEADINGS]


def test_page_has_language_title_and_description(example_html):
    document = parse_html(example_html)
    assert document.get("lang") == "en"
    assert text_of(document.find("head/title")) == (
        "Cyber Child Pornography – Example Model United Nations 2027")
    description = document.find("head/meta[@name='description']").get("content")
    assert description.startswith("A research report for the Interpol committee")


def test_page_has_landmarks_and_a_working_skip_link(example_html):
    document = parse_html(example_html)
    body = document.find("body")
    assert [child.tag for child in body] == ["a", "header", "main", "footer"]
    skip_link = body[0]
    assert skip_link.get("href") == "#main" and text_of(skip_link) == "Skip to content"
    assert body.find("main").get("id") == "main"
    assert body.find("header/nav") is not None


def test_headings_start_at_one_h1_and_never_skip_a_level(example_html):
    levels = [level for level, _ in headings_of(parse_html(example_html))]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_example_sections_in_the_authors_order(example_html):
    h2 = [text for level, text in headings_of(parse_html(example_html)) if level == 2]
    # The handout's content notes and its contents first, each named by a heading.
    assert h2 == ["Content note", "Contents", "Introduction", "Definition of Key Terms", "Abbreviations", "Main Part",
                  "Major Parties Involved", "Timeline of Key Events",
                  "Previous Attempts to Solve the Issue", "Appendix", "Sources",
                  # In the footer: the PDF's pages (issue 18).
                  "Printed pages"]


def test_author_headings_are_shifted_below_the_title():
    body = "# A handout\n\nIntro.\n\n# Part one\n\n### Deep\n\n# Part two\n\n## Sub\n"
    assert headings_of(render_page(body)) == [
        (1, "A handout"), (2, "Part one"), (3, "Deep"), (2, "Part two"), (3, "Sub")]


def test_a_first_heading_that_is_not_the_title_is_kept():
    body = "# Introduction\n\nText.\n\n# Main part\n\nMore.\n"
    assert headings_of(render_page(body)) == [
        (1, "A handout"), (2, "Introduction"), (2, "Main part")]


def test_heading_ids_never_collide_with_the_page_s_own():
    body = "## Title\n\nA.\n\n## Main\n\nB.\n\n## Main\n\nC.\n"
    ids = [e.get("id") for e in render_page(body).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert {"title-2", "main-2", "main-3"} <= set(ids)


def test_contents_lists_sections_when_there_are_three_or_more(example_html):
    toc = parse_html(example_html).find(".//nav[@class='toc']")
    links = [(a.get("href"), text_of(a)) for a in toc.iter("a")]
    assert links[0] == ("#introduction", "Introduction")
    assert ("#the-copine-scale", "The COPINE scale (content note)") in links
    assert render_page("## One\n\nA.\n\n## Two\n\nB.\n").find(".//nav[@class='toc']") is None


def test_every_in_page_link_has_a_target(example_html):
    document = parse_html(example_html)
    ids = {element.get("id") for element in document.iter() if element.get("id")}
    targets = [a.get("href")[1:] for a in document.iter("a")
               if (a.get("href") or "").startswith("#")]
    assert targets and all(target in ids for target in targets)


def test_example_links_are_attached_to_words(example_html):
    links = {a.get("href"): text_of(a) for a in parse_html(example_html).iter("a")
             if a.get("href", "").startswith("http") and not a.get("class")}
    assert links["http://en.wikipedia.org/wiki/Mental_disorder"] == "psychiatric disorder"
    assert len(links) == 10
    assert not any(text.startswith("http") for text in links.values())


def test_example_blocks(example_html):
    document = parse_html(example_html)
    glossary = document.find(".//section[@class='section-glossary']")
    assert [text_of(dt) for dt in glossary.iter("dt")] == [  # sorted, aliases kept
        "Child pornography", "Children’s rights", "Paedophilia, Paedophile"]
    table = document.find(".//table")
    assert text_of(table.find("caption")).startswith("The COPINE scale of severity")
    assert [th.get("scope") for th in table.iter("th")] == ["col"] * 3
    assert len(table.findall("tbody/tr")) == 10
    timeline = document.find(".//section[@class='section-timeline']/ol[@class='timeline']")
    assert len(timeline) == 5


def test_handout_content_notes_come_first(example_html):
    article = parse_html(example_html).find(".//article")
    notes = article.find("section[@class='content-notes']")
    assert list(article).index(notes) == 1  # right after the title's header
    assert text_of(notes).startswith("Content note The whole report discusses")


def test_index_links_every_handout_and_its_pdf(example):
    document = parse_html(example / "dist/index.html")
    hrefs = [a.get("href") for a in document.iter("a")]
    assert f"{EXAMPLE_SLUG}.html" in hrefs and f"pdf/{EXAMPLE_SLUG}.pdf" in hrefs
    pdf_link = next(a for a in document.iter("a") if a.get("href") == f"pdf/{EXAMPLE_SLUG}.pdf")
    with pikepdf.open(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf") as pdf:
        pages = len(pdf.pages)
    size = round((example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf").stat().st_size / 1000)
    assert text_of(pdf_link) == f"PDF: Cyber Child Pornography, {pages} pages, {size} kB"


def test_index_lists_handouts_in_packet_order_then_by_title_with_nested_headings(example):
    """The example's packet holds the welcome letter, the rules and the Interpol report, in that
    order; the UNESCO report is in no packet and comes after them. Handouts and packets are
    each a list under its own heading, one level below the page's."""
    document = parse_html(example / "dist/index.html")
    main = document.find(".//main")
    outline = [(element.tag, text_of(element)) for element in main.iter()
               if element.tag in ("h1", "h2", "h3")]
    assert outline == [
        ("h1", "Example Model United Nations 2027: Handouts"),
        ("h2", "All handouts"),
        ("h3", "Welcome to EXMUN 2027"), ("h3", "Rules of Procedure"),
        ("h3", "Cyber Child Pornography"),
        ("h3", "Protecting Cultural Heritage in Armed Conflict"),
        ("h2", "Packets"), ("h3", "Interpol: delegate packet")]


def test_index_without_packets_lists_handouts_by_title(tmp_path):
    make_project(tmp_path, {
        "handouts.toml": '[conference]\nname = "X"\n\n[build]\nprofiles = ["standard"]\n',
        "content/a-zebra.md": handout("Zebra crossings"),
        "content/b-apple.md": handout("apples"),
        "content/c-mango.md": handout("Mangoes")})
    assert run_cli("--project", tmp_path).status == 0
    main = parse_html(tmp_path / "dist/index.html").find(".//main")
    assert [(element.tag, text_of(element)) for element in main.iter()
            if element.tag in ("h1", "h2", "h3")] == [
        ("h1", "X: Handouts"), ("h2", "apples"), ("h2", "Mangoes"), ("h2", "Zebra crossings")]


CSP_META = ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
            "script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'none'\">")


def test_every_page_carries_the_content_security_policy_right_after_its_charset(example,
                                                                                 tmp_path):
    """No script may run in a page. Its own <style> and tables' style= may ('unsafe-inline'
    for styles only), and the sources' QR codes, data: images, load. The policy comes before
    anything it governs. serve gives each page the same policy, with a nonce for its reload
    script (tests/test_serve.py)."""
    from handouts.serve import CSP

    assert CSP_META == f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    make_project(tmp_path, {"content/a.md": handout("Reviewed", "Text.\n")})
    assert run_cli("--project", tmp_path).status == 0
    assert run_cli("--project", tmp_path, "check", "--review").status == 0
    pages = sorted((example / "dist").rglob("*.html")) + [tmp_path / "dist/review.html"]
    names = {str(page.relative_to(page.parents[1] if page.parent.name == "_packets"
                                  else page.parent)) for page in pages}
    assert {"index.html", f"{EXAMPLE_SLUG}.html", "review.html"} <= names
    assert any(name.startswith("_packets/") for name in names)  # a packet's print document
    assert any((example / "dist" / name).is_file() and "packet-page" in
               (example / "dist" / name).read_text() for name in names)  # a packet's page
    for page in pages:
        lines = page.read_text(encoding="utf-8").splitlines()
        head = lines[lines.index("<head>") + 1:]
        assert head[:2] == ['<meta charset="utf-8">', CSP_META], page
        assert sum(CSP_META in line for line in lines) == 1, page
