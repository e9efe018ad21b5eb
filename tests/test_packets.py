"""Print packets: cover, contents, right-hand starts, blank pages, bookmarks, booklets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from testing_utils import (
    EXAMPLE_SLUG,
    handout,
    make_project,
    parse_html,
    pdf_structure,
    run_cli,
    text_of,
)

from handouts.check.files import check_pdf
from handouts.pdf.booklet import impose, pad_to_multiple_of_four, sheet_order

PACKET = "interpol-delegates"
PACKET_TITLE = "Interpol: delegate packet"


def page_texts(pdf: Path) -> list[str]:
    """The text poppler finds on each page, in page order."""
    output = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in output.split("\f")[:-1]]


def outline(pdf: Path) -> list:
    """The bookmarks as nested (title, page number, children) tuples."""
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}

        def walk(items):
            return [(item.title, pages.get(item.destination[0].objgen)
                     if item.destination is not None else None, walk(item.children))
                    for item in items]

        with document.open_outline() as tree:
            return walk(tree.root)


def link_targets(pdf: Path) -> list[tuple[int, int]]:
    """(page of the link, page it goes to) for every link inside the document."""
    targets = []
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        names = pikepdf.NameTree(document.Root.Names.Dests)
        for number, page in enumerate(document.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                destination = annotation.get("/Dest")
                if destination is None and "/A" in annotation and annotation.A.S == "/GoTo":
                    destination = annotation.A.D
                if isinstance(destination, pikepdf.String):
                    destination = names[str(destination)]
                if destination is not None:
                    targets.append((number, pages[destination[0].objgen]))
    return targets


def empty_page(page: pikepdf.Page) -> bool:
    """Nothing is drawn: no content stream, or one without a single operator that paints."""
    contents = page.obj.get("/Contents")
    if contents is None:
        return True
    painting = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*",
                "sh", "BI"}
    return not any(str(operator) in painting
                   for _, operator in pikepdf.parse_content_stream(page))


@pytest.fixture(scope="module")
def packet_pdf(example) -> Path:
    return example / "dist/pdf" / f"{PACKET}.pdf"


def test_example_packet_order_cover_contents_then_handouts_on_right_hand_pages(
        example, packet_pdf):
    texts = page_texts(packet_pdf)
    cover = texts[0]
    assert cover.startswith("Example Model United Nations 2027")
    assert PACKET_TITLE in cover and "15 January 2027" in cover
    for title in ("Welcome to EXMUN 2027", "Rules of Procedure", "Cyber Child Pornography"):
        assert title in cover
    assert "Page 1" not in cover  # the cover carries no number
    assert texts[1].startswith(f"{PACKET_TITLE} · Contents Contents")
    starts = {title: number for number, text in enumerate(texts, start=1)
              for title in ("Welcome to EXMUN 2027", "Rules of Procedure",
                            "Cyber Child Pornography")
              if text.startswith(f"{PACKET_TITLE} · {title}") and f"Page {number - 1} " not in
              text and (number == 1 or not texts[number - 2].startswith(
                  f"{PACKET_TITLE} · {title}"))}
    assert list(starts) == ["Welcome to EXMUN 2027", "Rules of Procedure",
                            "Cyber Child Pornography"]
    assert all(number % 2 == 1 for number in starts.values()), starts
    with pikepdf.open(packet_pdf) as pdf:
        assert len(pdf.pages) % 4 == 0  # booklet = true in the example


def test_page_numbers_run_through_the_packet_and_the_header_names_the_handout(packet_pdf):
    texts = page_texts(packet_pdf)
    numbered = [text for text in texts if "Page " in text]
    # The cover is page 1 and unnumbered; "of" counts every page, the booklet's padding too.
    for number, text in enumerate(numbered, start=2):
        assert text.endswith(f"Page {number} of {len(texts)}")
    report_page = next(text for text in texts if "The COPINE scale" in text
                       and "Level" in text)
    assert report_page.startswith(f"{PACKET_TITLE} · Cyber Child Pornography")


def test_running_header_and_page_numbers_are_artifacts(packet_pdf):
    tagged = pdf_structure(packet_pdf).text()
    assert "Page 2 of" not in tagged and f"{PACKET_TITLE} · Cyber" not in tagged


def test_structure_one_title_then_each_handout_as_a_level_two_heading(packet_pdf):
    headings = [(node.type, node.text().strip()) for node in pdf_structure(packet_pdf).iter()
                if node.type in ("H1", "H2")]
    assert headings == [("H1", PACKET_TITLE), ("H2", "Contents"),
                        ("H2", "Welcome to EXMUN 2027"), ("H2", "Rules of Procedure"),
                        ("H2", "Cyber Child Pornography")]
    assert check_pdf(packet_pdf) == []  # the PDF says what its HTML says, in order


def test_bookmarks_nest_packet_handout_heading(packet_pdf):
    tree = outline(packet_pdf)
    assert [title for title, _, _ in tree] == [PACKET_TITLE]
    _, cover_page, handouts = tree[0]
    assert cover_page == 1
    assert [title for title, _, _ in handouts] == [
        "Contents", "Welcome to EXMUN 2027", "Rules of Procedure", "Cyber Child Pornography"]
    report = handouts[3]
    sections = [title for title, _, _ in report[2]]
    assert sections[0] == "Introduction" and "Timeline of Key Events" in sections
    main_part = next(children for title, _, children in report[2] if title == "Main Part")
    assert [title for title, _, _ in main_part] == ["The COPINE scale"]
    assert all(page >= report[1] for _, page, _ in report[2])


def test_contents_links_go_to_each_handout_s_first_page(packet_pdf):
    texts = page_texts(packet_pdf)
    contents_links = list(dict.fromkeys(  # a link broken over boxes has one annotation each
        target for page, target in link_targets(packet_pdf) if page == 2))
    assert len(contents_links) == 3
    for target, title in zip(contents_links, ("Welcome to EXMUN 2027", "Rules of Procedure",
                                              "Cyber Child Pornography")):
        assert texts[target - 1].startswith(f"{PACKET_TITLE} · {title}")
        assert f"{title} " in texts[1] and f" {target} " in f" {texts[1]} "


def test_links_inside_the_packet_keep_working(example, packet_pdf):
    document = parse_html(example / "dist/_packets" / f"{PACKET}.html")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "ids must stay unique across handouts"
    fragments = [a.get("href")[1:] for a in document.iter("a")
                 if (a.get("href") or "").startswith("#")]
    assert set(fragments) <= set(ids)
    glossary_links = [f for f in fragments if f.startswith(f"{EXAMPLE_SLUG}--term-")]
    source_links = [f for f in fragments if f.startswith(f"{EXAMPLE_SLUG}--source-")]
    assert glossary_links and source_links
    # Every one of them is a live link in the PDF, to a page of the right handout.
    texts = page_texts(packet_pdf)
    report_pages = [number for number, text in enumerate(texts, start=1)
                    if text.startswith(f"{PACKET_TITLE} · Cyber Child Pornography")]
    in_report = [(page, target) for page, target in link_targets(packet_pdf)
                 if page in report_pages]
    assert len(in_report) >= len(glossary_links) + len(source_links)
    assert all(target in report_pages for _, target in in_report)


def test_contents_say_in_words_which_handouts_carry_content_notes(packet_pdf):
    contents = page_texts(packet_pdf)[1]
    welcome, rules, report = (contents.index(title) for title in (
        "Welcome to EXMUN 2027", "Rules of Procedure", "Cyber Child Pornography"))
    assert "Content notes" not in contents[:report]
    notes = contents[report:]
    assert notes.index("Content notes:") < notes.index("The whole report discusses the sexual")
    assert "Sections with a content note: The COPINE scale" in contents


def test_each_handout_keeps_its_content_notes_at_its_start(packet_pdf):
    texts = page_texts(packet_pdf)
    start = next(number for number, text in enumerate(texts) if text.startswith(
        f"{PACKET_TITLE} · Cyber Child Pornography"))
    first_page = texts[start]
    assert first_page.index("Content note") < first_page.index("Introduction")


def test_packet_page_lists_its_handouts_in_order_with_the_pdfs(example):
    page = parse_html(example / "dist" / f"{PACKET}.html")
    assert text_of(page.find(".//h1")) == PACKET_TITLE
    cards = [text_of(h3) for h3 in page.iter("h3")]
    assert cards == ["Welcome to EXMUN 2027", "Rules of Procedure", "Cyber Child Pornography"]
    hrefs = [a.get("href") for h3 in page.iter("h3") for a in h3.iter("a")]
    assert hrefs == ["welcome.html", "rules-of-procedure.html", f"{EXAMPLE_SLUG}.html"]
    # On screen a handout's content notes are a list (in print, paragraphs: a TOCI holds no L).
    [notes] = [ul for ul in page.iter("ul") if ul.get("class") == "packet-notes"]
    assert text_of(notes.find("li")).startswith("The whole report discusses the sexual")
    downloads = {a.get("href"): text_of(a) for a in page.iter("a")
                 if a.get("href", "").startswith("pdf/")}
    for folder, kind in (("pdf", "PDF"), ("pdf/large-print", "Large print PDF")):
        path = example / "dist" / folder / f"{PACKET}.pdf"
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
        size = round(path.stat().st_size / 1000)
        assert downloads[f"{folder}/{PACKET}.pdf"] == \
            f"{kind}: {PACKET_TITLE}, {pages} pages, {size} kB"
        assert downloads[f"{folder}/{PACKET}-booklet.pdf"].startswith(
            f"{kind}: booklet for the print shop (imposed, not for reading on screen): "
            f"{PACKET_TITLE}, {pages // 2} pages, ")
    index = parse_html(example / "dist/index.html")
    assert f"{PACKET}.html" in [a.get("href") for a in index.iter("a")]


def small_packet(root: Path, handouts: dict[str, str], entries: list[str],
                 booklet: bool = False) -> Path:
    files = {f"content/{slug}.md": text for slug, text in handouts.items()}
    files["handouts.toml"] = (
        '[conference]\nname = "Test MUN"\n\n[[packet]]\nslug = "pack"\ntitle = "Pack"\n'
        f"handouts = {entries!r}\nbooklet = {'true' if booklet else 'false'}\n"
    ).replace("'", '"')
    return make_project(root, files)


def test_blank_left_hand_pages_carry_nothing_and_the_back_cover_comes_last(tmp_path):
    small_packet(tmp_path, {"one": handout("One"), "two": handout("Two", status="draft"),
                            "three": handout("Three")}, ["one", "two", "three"],
                 booklet=True)
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    pdf_path = tmp_path / "dist/pdf/pack.pdf"
    texts = page_texts(pdf_path)
    # cover, contents, One, blank, Two, blank, Three, and the back cover (test_covers.py).
    assert len(texts) == 8
    assert [text.startswith(f"Pack · {title}") for text, title in
            zip(texts[2::2], ("One", "Two", "Three"))] == [True, True, True]
    assert "DRAFT" in texts[4] and "DRAFT" not in texts[2] + texts[6]
    with pikepdf.open(pdf_path) as pdf:
        blank = [number for number, page in enumerate(pdf.pages, start=1) if empty_page(page)]
    assert blank == [4, 6]
    assert texts[3] == texts[5] == "" and texts[7] == "Test MUN"
    assert texts[6].endswith("Page 7 of 8")  # the back cover is counted, as a viewer counts it
    assert check_pdf(pdf_path) == []
    booklet = tmp_path / "dist/pdf/pack-booklet.pdf"
    with pikepdf.open(booklet) as pdf:
        assert len(pdf.pages) == 4


def test_the_booklet_sheet_order_for_4_8_and_12_pages():
    assert sheet_order(4) == [(4, 1), (2, 3)]
    assert sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert sheet_order(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    with pytest.raises(ValueError):
        sheet_order(6)


def numbered_pages(path: Path, count: int) -> Path:
    import weasyprint

    html = "".join(f'<p style="break-after: page; font-size: 40pt">Leaf{n}</p>'
                   for n in range(1, count + 1))
    weasyprint.HTML(string=f"<html lang=en>{html}</html>").write_pdf(path)
    return path


@pytest.mark.parametrize("count", [4, 8, 12])
def test_imposed_sheets_hold_the_right_pages_side_by_side(tmp_path, count):
    source = numbered_pages(tmp_path / "packet.pdf", count)
    booklet = tmp_path / "booklet.pdf"
    assert impose(source, booklet, "Packet") == count // 2
    with pikepdf.open(booklet) as pdf:
        width, height = (float(value) for value in pdf.pages[0].mediabox[2:])
        assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name.DuplexFlipShortEdge
    with pikepdf.open(source) as pdf:
        assert float(pdf.pages[0].mediabox[2]) * 2 == pytest.approx(width)

    def half(sheet: int, x: float) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(sheet), "-l", str(sheet), "-x", str(int(x)), "-y", "0",
             "-W", str(int(width / 2)), "-H", str(int(height)), str(booklet), "-"],
            check=True, capture_output=True, text=True).stdout.split()

    seen = [(half(sheet, 0), half(sheet, width / 2)) for sheet in range(1, count // 2 + 1)]
    assert seen == [([f"Leaf{left}"], [f"Leaf{right}"]) for left, right in sheet_order(count)]
    assert check_pdf(booklet) == []  # for the print shop: the packet PDF is the one checked


@pytest.mark.parametrize("count, padded", [(5, 8), (7, 8), (8, 8)])
def test_padding_adds_blank_pages_at_the_end_only(tmp_path, count, padded):
    path = numbered_pages(tmp_path / "packet.pdf", count)
    assert pad_to_multiple_of_four(path) == padded
    texts = page_texts(path)
    assert texts == [f"Leaf{n}" for n in range(1, count + 1)] + [""] * (padded - count)


def test_the_cover_logo_is_a_figure_with_its_alt(packet_pdf):
    figures = [node for node in pdf_structure(packet_pdf).iter() if node.type == "Figure"]
    assert figures  # the emblem on the cover; its /Alt is checked by check_pdf and outloud
    with pikepdf.open(packet_pdf) as pdf:
        alts = [str(element.get("/Alt")) for element in _struct_elements(pdf)
                if element.get("/S") == "/Figure"]
    assert "The EXMUN emblem: a globe" in alts


def _struct_elements(pdf):
    return _struct_elements_under(pdf.Root.StructTreeRoot)


def test_tables_of_two_handouts_keep_their_own_header_ids(tmp_path):
    """Each handout is rendered alone, numbering its table headers from th-1: in the packet
    every id is unique, and each data cell still names its own table's headers."""
    table = "| Year | Event |\n|---|---|\n| 2001 | Convention |\n| 2011 | Directive |\n"
    small_packet(tmp_path, {"one": handout("One", table), "two": handout("Two", table)},
                 ["one", "two"])
    assert run_cli("--project", tmp_path).status == 0
    with pikepdf.open(tmp_path / "dist/pdf/pack.pdf") as pdf:
        names = list(pdf.Root.StructTreeRoot.IDTree.Names)[::2]
        assert len(names) == len(set(names)) == 4  # two headers in each table
        ids = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
        tables = [element for element in _struct_elements(pdf) if element.get("/S") == "/Table"]
        assert len(tables) == 2
        for table_element in tables:
            inside = {element.objgen for element in _struct_elements_under(table_element)}
            cells = [element for element in _struct_elements_under(table_element)
                     if element.get("/S") == "/TD"]
            assert len(cells) == 4
            for cell in cells:
                headers = [ids[str(name)] for name in cell.A.Headers]
                assert [header.S for header in headers] == ["/TH"]
                assert all(header.objgen in inside for header in headers)
    assert check_pdf(tmp_path / "dist/pdf/pack.pdf") == []


def _struct_elements_under(element):
    stack = [element]
    while stack:
        element = stack.pop()
        yield element
        kids = element.get("/K")
        kids = [kids] if isinstance(kids, pikepdf.Dictionary) else kids
        if isinstance(kids, (pikepdf.Array, list)):
            stack.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary)
                         and kid.get("/Type") not in ("/MCR", "/OBJR"))


def test_a_link_to_another_handout_of_the_packet_lands_on_its_page(tmp_path):
    """Each handout is rendered alone: a link into another one is joined to it afterwards."""
    small_packet(tmp_path, {
        "one": handout("One", "Read [the quorum rule](two.html#quorum) first.\n"),
        "two": handout("Two", "Some text.\n\n## Quorum\n\nA third of the members, "
                              "[as One says](one.html).\n")},
        ["one", "two"])
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert "No anchor" not in result.err
    pdf = tmp_path / "dist/pdf/pack.pdf"
    texts = page_texts(pdf)
    two = next(number for number, text in enumerate(texts, start=1)
               if text.startswith("Pack · Two"))
    assert 3 < two and (3, two) in link_targets(pdf)
    assert (two, 3) in link_targets(pdf)  # and back: One's title, not where Two holds its id
    with pikepdf.open(pdf) as document:
        names = pikepdf.NameTree(document.Root.Names.Dests)
        annotations = [annotation for page in document.pages
                       for annotation in page.obj.get("/Annots", [])]
        # No link points to a name the packet does not hold.
        assert all(str(annotation.Dest) in names for annotation in annotations
                   if isinstance(annotation.get("/Dest"), pikepdf.String))


def test_a_draft_handout_with_a_link_to_another_gets_no_extra_page(tmp_path):
    small_packet(tmp_path, {"one": handout("One", "See [Two](two.html).\n", status="draft"),
                            "two": handout("Two")}, ["one", "two"])
    assert run_cli("--project", tmp_path).status == 0
    texts = page_texts(tmp_path / "dist/pdf/pack.pdf")
    # cover, contents, One, the blank back of One's page, Two
    assert len(texts) == 5 and texts[3] == "" and texts[4].startswith("Pack · Two")


def test_footnotes_are_numbered_in_each_handout_as_in_its_own_pdf(tmp_path):
    small_packet(tmp_path, {
        "one": handout("One", "A claim.[^a]\n\n[^a]: The first source.\n"),
        "two": handout("Two", "Another claim.[^b]\n\n[^b]: The second source.\n")},
        ["one", "two"])
    assert run_cli("--project", tmp_path).status == 0
    texts = page_texts(tmp_path / "dist/pdf/pack.pdf")
    assert "1. The first source." in texts[2] and "1. The second source." in texts[4]


def test_an_id_that_is_not_ascii_still_links_in_the_packet(tmp_path):
    small_packet(tmp_path, {"one": handout("One"), "two": handout(
        "Two", "[The café rule](#café)\n\n## Café {#café}\n\nNo coffee in committee.\n")},
        ["one", "two"])
    assert run_cli("--project", tmp_path).status == 0
    with pikepdf.open(tmp_path / "dist/pdf/pack.pdf") as pdf:
        names = list(pdf.Root.Names.Dests.Names)[::2]
        assert [bytes(name) for name in names] == sorted(bytes(name) for name in names)
        cafe = [name for name in names if str(name) == "two--café"]
        assert len(cafe) == 1
        links = [annotation.Dest for page in pdf.pages
                 for annotation in page.obj.get("/Annots", [])
                 if str(annotation.get("/Dest", "")) == "two--café"]
        assert links and all(bytes(link) == bytes(cafe[0]) for link in links)


def test_no_two_font_subsets_share_a_name(packet_pdf):
    """Each part embeds its own subset of a font: each gets a name of its own."""
    with pikepdf.open(packet_pdf) as pdf:
        programs = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                programs.setdefault(str(font.BaseFont), set()).add(
                    descriptor.FontFile2.read_raw_bytes())
        assert len(programs) > 3  # the front's and each handout's subsets
        assert all(len(subsets) == 1 for subsets in programs.values())


def test_check_reads_a_large_print_packet_with_its_profile(tmp_path):
    """Large print gives notes as endnotes: check finds the profile of a packet's PDF too,
    whose page is in dist/_packets/, and expects them."""
    small_packet(tmp_path, {"one": handout("One", "A claim.[^a]\n\n[^a]: The first source.\n"),
                            "two": handout("Two")}, ["one", "two"])
    assert run_cli("--project", tmp_path).status == 0
    result = run_cli("--project", tmp_path, "check", tmp_path / "dist/pdf/large-print")
    assert (result.status, result.out) == (0, "Checked 3 file(s): 0 error(s), 0 warning(s).\n")
