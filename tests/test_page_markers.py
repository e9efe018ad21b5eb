"""Print page numbers in the HTML page: "turn to page 4" works for a screen-reader user too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tinyhtml5
from testing_utils import handout, make_project, parse_html, run_cli, text_of

from handouts.check.page_markers import check_page_markers

MARKER = re.compile(r'<span class="page-marker" role="doc-pagebreak" id="page-(\d+)" '
                    r'title="([^"]+)" data-page="(\d+)"></span>')


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])


def handout_pages(root: Path) -> list[Path]:
    """Every handout's page (packets' pages list handouts; they hold no text of their own)."""
    return sorted(path for path in (root / "dist").glob("*.html")
                  if path.stem != "index" and (root / "content" / f"{path.stem}.md").is_file())


def findings(page: Path) -> list[str]:
    document = tinyhtml5.parse(page.read_bytes(), namespace_html_elements=False)
    return [finding.detail for finding in check_page_markers(page, document)]


def test_each_page_of_the_pdf_has_one_marker_before_the_words_that_begin_it(project):
    pages = handout_pages(project)
    assert len(pages) >= 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        numbers = [int(match[1]) for match in MARKER.finditer(text)]
        pdf = project / "dist" / "pdf" / f"{page.stem}.pdf"
        assert numbers == list(range(1, pdf_pages(pdf) + 1)), page.name
        assert findings(page) == [], page.name


def test_a_marker_says_its_page_and_the_printed_pages_list_links_to_every_one(example):
    page = example / "dist" / "interpol-cyber-child-abuse-material.html"
    text = page.read_text(encoding="utf-8")
    for match in MARKER.finditer(text):
        assert match[2] == f"Page {match[1]}" and match[3] == match[1]
    document = parse_html(page)
    page_list = document.find(".//nav[@class='page-list']")
    assert page_list.get("data-pages-of") == "pdf/interpol-cyber-child-abuse-material.pdf"
    assert text_of(page_list.find("h2")) == "Printed pages"
    # In the footer, a landmark of its own: "Printed pages, navigation".
    assert page_list in list(document.find(".//footer").iter())
    links = page_list.findall(".//a")
    assert [link.get("href") for link in links] == [f"#page-{n}" for n in range(1, 11)]
    assert [link.get("aria-label") for link in links] == [f"Page {n}" for n in range(1, 11)]
    assert "handouts:page-list" not in text


def test_a_page_that_begins_mid_paragraph_has_its_marker_at_that_word(tmp_path):
    words = " ".join(f"word{number}" for number in range(1, 1400))
    root = make_project(tmp_path, {"content/long.md": handout(
        "Long", body=f"## One\n\n{words}\n", date="2026-03-01")})
    assert run_cli("--project", root).status == 0
    page = root / "dist" / "long.html"
    paragraph = next(element for element in parse_html(page).iter("p")
                     if "word1 " in (element.text or ""))
    markers = [child for child in paragraph if child.get("class") == "page-marker"]
    assert len(markers) >= 2  # the paragraph runs over at least three pages
    assert paragraph.text.split()[0] == "word1"  # inside it, after its first words
    assert findings(page) == []
    # The word after each marker is the first word poppler reads on that page.
    pdf = root / "dist" / "pdf" / "long.pdf"
    for marker in markers:
        number = int(marker.get("id").removeprefix("page-"))
        page_text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                                    str(pdf), "-"], capture_output=True, text=True).stdout
        first = next(word for word in page_text.split() if word.startswith("word"))
        assert marker.tail.split()[0] == first


def test_a_marker_never_becomes_part_of_a_link_or_a_heading(project):
    for page in handout_pages(project):
        for element in parse_html(page).iter():
            if element.tag in ("a", "h1", "h2", "h3", "h4", "summary", "caption", "code",
                               "pre", "dfn", "abbr"):
                assert element.find(".//span[@class='page-marker']") is None, page.name


def test_the_check_finds_a_marker_out_of_place(example, tmp_path):
    dist = shutil.copytree(example / "dist", tmp_path / "dist")  # the fixture's is shared
    page = dist / "interpol-cyber-child-abuse-material.html"
    text = page.read_text(encoding="utf-8")
    marker = next(match for match in MARKER.finditer(text) if match[1] == "7")
    moved = text[:marker.start()] + text[marker.end():]
    at = moved.index("The Optional Protocol")
    moved = moved[:at] + marker[0] + moved[at:]
    page.write_text(moved, encoding="utf-8")
    found = findings(page)
    assert any("the marker of page 7 is not just before the words that begin page 7" in detail
               for detail in found)
    assert any("markers for pages 1, 2, 3, 4, 5, 6, 8, 7" in detail for detail in found)


def test_markers_are_in_the_handouts_language(tmp_path):
    root = make_project(tmp_path, {"content/guia.md": handout(
        "Guía", body="## Uno\n\nTexto.\n", lang="es")})
    assert run_cli("--project", root).status == 0
    text = (root / "dist" / "guia.html").read_text(encoding="utf-8")
    assert 'title="Página 1"' in text and ">Páginas impresas</h2>" in text


def test_a_rebuild_that_keeps_the_pdf_keeps_the_markers(tmp_path):
    root = make_project(tmp_path, {"content/a.md": handout(
        "A", body="## One\n\n" + "Some words here. " * 700 + "\n")})
    assert run_cli("--project", root).status == 0
    first = (root / "dist" / "a.html").read_bytes()
    again = run_cli("--project", root, "--verbose")
    assert again.status == 0 and "a: PDF kept" in again.out + again.err  # from the cache
    assert (root / "dist" / "a.html").read_bytes() == first
    assert len(MARKER.findall(first.decode())) >= 2


def test_markers_are_not_printed(example):
    """print.css hides them: a page printed from the browser has no stray numbers."""
    css = (example / "dist" / "_static" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"\.page-marker[^{]*\{\s*display:\s*none", css)


@pytest.mark.parametrize("width", [390, 1280])
def test_markers_are_small_numbers_beside_or_in_the_text(example, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((example / "dist" / "interpol-cyber-child-abuse-material.html").as_uri())
    marker = page.locator("#page-7")
    box, text = marker.bounding_box(), page.locator("main").bounding_box()
    column = page.locator(".handout-body p").first.bounding_box()
    if width == 1280:
        assert box["x"] + box["width"] <= column["x"]  # in the margin, left of the column
    else:
        assert column["x"] - 1 <= box["x"] < text["x"] + text["width"]  # in the text
    # Level with the line that holds the page's first words ("Developed by Interpol").
    line = page.locator("p:has(> #page-7)").bounding_box()
    assert abs(box["y"] - line["y"]) < 12
    page.close()


def test_a_packets_page_lists_its_pages_each_leading_to_where_it_begins(project):
    checked = 0
    for packet_page in sorted((project / "dist").glob("*.html")):
        document = parse_html(packet_page)
        listing = document.find(".//nav[@class='page-list packet-page-list']")
        if listing is None:
            continue
        checked += 1
        pdf = project / "dist" / listing.get("data-pages-of")
        links = listing.findall(".//a")
        numbers = [int(link.text) for link in links]
        assert numbers == sorted(numbers) and numbers[0] == 1
        # Every page but a blank one (a handout starts on a right-hand page).
        blank = [number for number in range(1, pdf_pages(pdf) + 1) if number not in numbers]
        for number in blank:
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                                   str(pdf), "-"], capture_output=True, text=True).stdout
            assert len(text.split()) <= 6, (number, text)  # a folio at most
        for link in links:
            target, _, anchor = link.get("href").partition("#")
            if target:
                assert f'id="{anchor}"' in (project / "dist" / target).read_text(
                    encoding="utf-8")
        assert findings(packet_page) == []
    assert checked >= 1


def test_the_check_finds_a_packet_page_link_that_leads_astray(example, tmp_path):
    dist = shutil.copytree(example / "dist", tmp_path / "dist")  # the fixture's is shared
    page = dist / "interpol-cyber-child-abuse-material.html"
    text = page.read_text(encoding="utf-8")
    anchor = re.search(r'<span class="packet-page-anchor" id="interpol-delegates--page-(\d+)">'
                       r'</span>', text)
    moved = text[:anchor.start()] + text[anchor.end():]
    at = moved.index("The Optional Protocol")
    moved = moved[:at] + anchor[0] + moved[at:]
    page.write_text(moved, encoding="utf-8")
    found = findings(dist / "interpol-delegates.html")
    assert found == [f"page {anchor[1]}'s link does not lead to just before the words that "
                     f"begin page {anchor[1]} of the PDF"]


def test_a_heading_called_page_5_does_not_take_a_markers_id(tmp_path):
    root = make_project(tmp_path, {"content/a.md": handout(
        "A", body="## Page 1\n\nText.\n\n## Page 2\n\nMore.\n")})
    assert run_cli("--project", root).status == 0
    document = parse_html(root / "dist" / "a.html")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert [heading.get("id") for heading in document.iter("h2")][:2] == ["page-1-2", "page-2-2"]


def long_text(words: int, joiner: str = " ") -> str:
    return joiner.join(f"word{number}" for number in range(1, words))


@pytest.mark.parametrize("case", ["line separators", "dashes", "chinese"])
def test_markers_land_at_the_page_start_whatever_the_text_holds(tmp_path, case):
    """Characters splitlines() counts as line ends, words joined by dashes (lines cut after
    the dash), and Chinese (lines cut between any two characters)."""
    if case == "line separators":
        body = f"A first line\u2028with a line separator, UNHCR.\r\n\r\n{long_text(1400)}\n"
        files = {"content/glossary.md": "*[UNHCR]: United Nations\u2028High Commissioner\n"}
        front = {}
    elif case == "dashes":
        body = long_text(1600, joiner="\u2014") + " end.\n"
        files, front = {}, {}
    else:
        body = "\n\n".join("联合国难民署" * 300 for _ in range(6)) + "\n"
        files, front = {}, {"lang": "zh"}
    root = make_project(tmp_path, {"content/a.md": handout("A", body=f"## One\n\n{body}",
                                                           **front), **files})
    built = run_cli("--project", root)
    assert built.status == 0, built.err
    page = root / "dist" / "a.html"
    assert "left out" not in built.err
    markers = [element for element in parse_html(page).iter("span")
               if element.get("class") == "page-marker"]
    assert len(markers) == pdf_pages(root / "dist" / "pdf" / "a.pdf") >= 3
    assert findings(page) == []


def test_an_authors_id_that_a_marker_needs_is_an_error_at_its_line(tmp_path):
    root = make_project(tmp_path, {"content/a.md": handout(
        "A", body='Text.\n\n<p id="page-3">Mine.</p>\n\n<p id="main">Also mine.</p>\n')})
    built = run_cli("--project", root)
    assert built.status == 1
    assert "content/a.md:6: the id page-3 is kept for the mark where that page" in built.err
    assert "content/a.md:8: the id main is the page's own" in built.err


def test_a_link_to_a_printed_page_leads_there_on_screen_and_in_the_pdf(tmp_path):
    import pikepdf

    root = make_project(tmp_path, {"content/a.md": handout(
        "A", body=f"See [the second page](#page-2).\n\n{long_text(900)}\n"),
        "content/b.md": handout("B", body="See [A's first page](a.html#page-1).\n")})
    built = run_cli("--project", root)
    assert built.status == 0, built.err
    assert built.err == ""  # no "No anchor #page-2" from WeasyPrint, no PDF finding
    assert findings(root / "dist" / "a.html") == []
    assert run_cli("--project", root, "check").status == 0
    # check knows a page the PDF does not have (in a page the build did not write).
    edited = root / "dist" / "edited.html"
    edited.write_text((root / "dist" / "a.html").read_text(encoding="utf-8").replace(
        "</main>", '<a href="#page-99">page 99</a></main>'), encoding="utf-8")
    assert findings(edited) == ["a link leads to #page-99, but the PDF has no such page"]
    for pdf in (root / "dist/pdf/a.pdf", root / "dist/pdf/large-print/a.pdf"):
        with pikepdf.open(pdf) as document:
            [link] = [annotation for annotation in document.pages[0].Annots
                      if annotation.Subtype == "/Link"]
            destination = link.get("/Dest") or link.A.D
            if not isinstance(destination, pikepdf.Array):  # a named destination
                names = document.Root.Names.Dests.Names
                destination = next(names[index + 1] for index in range(0, len(names), 2)
                                   if names[index] == destination)
            # The top of the PDF's second page.
            assert destination[0].objgen == document.pages[1].objgen, pdf


def test_a_link_to_a_page_the_pdf_does_not_have_is_a_warning_at_its_line(tmp_path):
    root = make_project(tmp_path, {"content/a.md": handout(
        "A", body="Some text.\n\nSee [page 99](#page-99).\n"),  # one page
        "content/b.md": handout("B", body="See [A's ninth page](a.html#page-9).\n")})
    expected = [
        "content/a.md:6: {}the link to #page-99 leads to page 99 of this handout's PDF, which "
        "has 1 page(s): link to a page it has, or to a heading's id",
        "content/b.md:4: {}the link to #page-9 leads to page 9 of a's PDF, which has 1 page(s): "
        "link to a page it has, or to a heading's id"]
    built = run_cli("--project", root)
    assert built.status == 0
    found = [line for line in built.err.splitlines() if re.match(r"content/\w\.md:\d+: ", line)]
    assert found == [line.format("warning: ") for line in expected], built.err
    strict = run_cli("--project", root, "build", "--strict", "--force")
    assert strict.status == 1
    found = [line for line in strict.err.splitlines() if re.match(r"content/\w\.md:\d+: ", line)]
    assert found == [line.format("") for line in expected], strict.err


def test_a_page_of_a_picture_alone_has_its_marker_before_the_picture(tmp_path):
    tall = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="860" viewBox="0 0 '
            '100 140"><rect width="100" height="140" fill="#357"/></svg>')
    root = make_project(tmp_path, {
        "content/a.md": handout("A", body=f"{long_text(400)}\n\n![A tall blue block](assets/"
                                          f"tall.svg)\n\n![Another](assets/tall.svg)\n\n"
                                          f"{long_text(50)}\n"),
        "content/assets/tall.svg": tall})
    built = run_cli("--project", root)
    assert built.status == 0, built.err
    pdf = root / "dist" / "pdf" / "a.pdf"
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                            capture_output=True, text=True).stdout.split()
             for n in range(1, pdf_pages(pdf) + 1)]
    pictured = [number for number, words in enumerate(pages, 1)
                if not any(word.startswith("word") for word in words)]
    assert pictured, "the test needs a page holding the picture alone"
    page = root / "dist" / "a.html"
    numbers = [int(match[1]) for match in MARKER.finditer(page.read_text(encoding="utf-8"))]
    assert numbers == list(range(1, len(pages) + 1))
    image = parse_html(page).find(".//img")
    marker = parse_html(page).find(f".//span[@id='page-{pictured[0]}']")
    assert marker is not None and image is not None
    assert findings(page) == []


def test_a_page_that_begins_with_a_figure_has_its_marker_before_the_picture(tmp_path):
    """Not in the caption after it: a screen-reader user who follows the page's link would
    start after the chart the page begins with."""
    wide = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="500" viewBox="0 0 '
            '120 100"><rect width="120" height="100" fill="#357"/></svg>')
    root = make_project(tmp_path, {
        "content/a.md": handout("A", body=f"{long_text(200)}\n\n"
                                          '![A blue block](assets/wide.svg "The caption")\n\n'
                                          f"{long_text(50)}\n"),
        "content/assets/wide.svg": wide})
    built = run_cli("--project", root)
    assert built.status == 0, built.err
    pdf = root / "dist" / "pdf" / "a.pdf"
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"],
                            capture_output=True, text=True).stdout.split()
    # (After the running header's words.) No word of the text before the caption.
    assert "caption" in second and not any(word.startswith("word") for word in
                                           second[:second.index("caption")]), \
        "the test needs page 2 to begin with the figure"
    document = parse_html(root / "dist" / "a.html")
    order = [element for element in document.iter()
             if element.tag == "img" or element.get("id") == "page-2"]
    assert [element.tag for element in order] == ["span", "img"]
    assert findings(root / "dist" / "a.html") == []


def test_a_template_that_leaves_an_element_open_loses_its_numbers_with_a_warning(tmp_path):
    """The browser closes a <p> at the <article> a project's own template puts in it; the
    markers' walk cannot follow that: the page is published without numbers, and said."""
    from handouts.defaults import TEMPLATES

    template = (TEMPLATES / "handout.html").read_text(encoding="utf-8")
    assert '<article class="handout">' in template
    make_project(tmp_path, {
        "content/a.md": handout("A", "Some text.\n"),
        "templates/handout.html": template.replace('<article class="handout">',
                                                   '<p class="open"><article class="handout">')})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert "content/a.md: warning: the page numbers were left out of a.html" in result.err
    page = (tmp_path / "dist/a.html").read_text(encoding="utf-8")
    assert not MARKER.search(page) and "handouts:page-list" not in page
    assert (tmp_path / "dist/pdf/a.pdf").is_file()
