"""One link, one stop: an annotation per link and page, with area, quads per line, a description."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from checkers import outloud_errors, page_validation_failures
from testing_utils import EXAMPLE_SLUG, handout, make_project, reader_pdfs, run_cli, word_boxes

from handouts.pdf.links import PAGE_TO_COME, complete_link_descriptions

SMALLEST_SIDE = 1.0  # points: a link narrower or lower than this cannot be clicked
TOLERANCE = 0.01     # points: rounding in the written numbers
LEADER = "."         # what print.css fills a contents line with


@dataclass
class Annotation:
    """A link annotation as a reader finds it on its page."""

    page: int  # from 1
    rect: tuple[float, float, float, float]  # left, bottom, right, top
    quad_points: list[float]
    contents: str
    destination_page: int | None  # an internal link's: the page its named destination is on
    uri: str | None               # an external link's address
    objgen: tuple[int, int]


@dataclass
class LinkElement:
    """A Link structure element: its annotations and the pages its own content is drawn on."""

    annotations: list[Annotation] = field(default_factory=list)
    content_pages: set[int] = field(default_factory=set)


@dataclass
class Word:
    page: int
    left: float
    bottom: float
    right: float
    top: float
    text: str


def read_links(pdf_path: Path) -> tuple[list[LinkElement], list[Annotation]]:
    """The Link elements of the structure tree, and every link annotation of every page."""
    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        names = pdf.Root.get("/Names", {}).get("/Dests")
        destinations = pikepdf.NameTree(names) if names is not None else {}
        annotations = {}
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link":
                    annotations[annotation.objgen] = _annotation(annotation, number, pages,
                                                                 destinations)
        links = []

        def walk(element, page, link):
            if isinstance(element, pikepdf.Array):
                for kid in element:
                    walk(kid, page, link)
                return
            if isinstance(element, int):
                if link is not None:
                    link.content_pages.add(page)
                return
            if not isinstance(element, pikepdf.Dictionary):
                return
            page = pages.get(element.Pg.objgen, page) if "/Pg" in element else page
            kind = element.get("/Type")
            if kind == "/OBJR":
                if link is not None and element.Obj.objgen in annotations:
                    link.annotations.append(annotations[element.Obj.objgen])
            elif kind == "/MCR":
                if link is not None:
                    link.content_pages.add(page)
            elif "/S" in element:
                if element.S == "/Link":
                    link = LinkElement()
                    links.append(link)
                walk(element.get("/K", pikepdf.Array()), page, link)

        walk(pdf.Root.StructTreeRoot.get("/K", pikepdf.Array()), None, None)
        return links, list(annotations.values())


def _annotation(annotation, number, pages, destinations) -> Annotation:
    x1, y1, x2, y2 = (float(value) for value in annotation.Rect)
    destination_page = None
    dest = annotation.get("/Dest")
    if dest is not None:
        target = dest if isinstance(dest, pikepdf.Array) else destinations.get(str(dest))
        if isinstance(target, pikepdf.Dictionary):
            target = target.get("/D")
        if target is not None:
            destination_page = pages.get(target[0].objgen)
    action = annotation.get("/A")
    uri = str(action.URI) if action is not None and "/URI" in action else None
    return Annotation(number, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)),
                      [float(value) for value in annotation.get("/QuadPoints", [])],
                      str(annotation.get("/Contents", "")), destination_page, uri,
                      annotation.objgen)


def read_words(pdf_path: Path) -> dict[int, list[Word]]:
    """Each page's words as poppler finds them, in PDF coordinates (from the bottom)."""
    words: dict[int, list[Word]] = {}
    for page, left, top, right, bottom, _width, height, text in word_boxes(pdf_path):
        words.setdefault(page, []).append(Word(page, left, height - bottom, right, height - top,
                                               text.strip()))
    return words


def quads_of(annotation: Annotation) -> list[tuple[float, float, float, float]]:
    """Each quadrilateral as (left, bottom, right, top)."""
    points = annotation.quad_points
    return [(min(points[i:i + 8:2]), min(points[i + 1:i + 8:2]),
             max(points[i:i + 8:2]), max(points[i + 1:i + 8:2]))
            for i in range(0, len(points) - len(points) % 8, 8)]


def areas_of(annotation: Annotation) -> list[tuple[float, float, float, float]]:
    """Where a pointer activates the link: its quadrilaterals, else (as viewers do) its /Rect."""
    return quads_of(annotation) or [annotation.rect]


def _words_in(quad, words: list[Word]) -> list[Word]:
    """The words a quadrilateral covers: most of their height, some of their width."""
    left, bottom, right, top = quad
    return [word for word in words
            if min(right, word.right) - max(left, word.left) > TOLERANCE
            and min(top, word.top) - max(bottom, word.bottom) >= 0.5 * (word.top - word.bottom)]


def _same_line(a, b) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _name(link: LinkElement) -> str:
    return link.annotations[0].contents if link.annotations else "(no annotation)"


# The checks: each returns what it finds wrong, as sentences; none is a pass.

def stop_problems(pdf_path: Path) -> list[str]:
    """One annotation per Link and page it is drawn on; each with an area, in the tree."""
    links, annotations = read_links(pdf_path)
    problems = []
    for link in links:
        pages = [annotation.page for annotation in link.annotations]
        for page in sorted(set(pages)):
            if pages.count(page) > 1:
                problems.append(f"the Link '{_name(link)}' has {pages.count(page)} annotations "
                                f"on page {page}: one stop per page")
        if set(pages) != link.content_pages:
            problems.append(f"the Link '{_name(link)}' is drawn on pages "
                            f"{sorted(link.content_pages)} but annotated on {sorted(set(pages))}")
    tied = {annotation.objgen for link in links for annotation in link.annotations}
    for annotation in annotations:
        left, bottom, right, top = annotation.rect
        if right - left < SMALLEST_SIDE or top - bottom < SMALLEST_SIDE:
            problems.append(f"page {annotation.page}: the annotation '{annotation.contents}' "
                            f"has no area ({right - left:.1f} by {top - bottom:.1f} pt)")
        if annotation.objgen not in tied:
            problems.append(f"page {annotation.page}: the annotation '{annotation.contents}' "
                            "belongs to no Link element")
    return problems


def quad_problems(pdf_path: Path) -> list[str]:
    """QuadPoints: counter-clockwise from lower left, /Rect their union, one per piece of a line."""
    _, annotations = read_links(pdf_path)
    words = read_words(pdf_path)
    problems = []
    for annotation in annotations:
        where = f"page {annotation.page}: '{annotation.contents}'"
        points = annotation.quad_points
        if not points or len(points) % 8:
            problems.append(f"{where}: {len(points)} QuadPoints numbers, not 8 per line piece")
            continue
        quads = quads_of(annotation)
        for i in range(0, len(points), 8):
            x1, y1, x2, y2, x3, y3, x4, y4 = points[i:i + 8]
            if not (x1 == x4 < x2 == x3 and y1 == y2 < y3 == y4):
                problems.append(f"{where}: a quadrilateral is not counter-clockwise from its "
                                "lower left corner")
        left, bottom, right, top = annotation.rect
        union = (min(q[0] for q in quads), min(q[1] for q in quads),
                 max(q[2] for q in quads), max(q[3] for q in quads))
        if any(q[0] < left - TOLERANCE or q[1] < bottom - TOLERANCE or q[2] > right + TOLERANCE
               or q[3] > top + TOLERANCE for q in quads):
            problems.append(f"{where}: a quadrilateral lies outside /Rect")
        elif any(abs(a - b) > TOLERANCE for a, b in zip(union, annotation.rect)):
            problems.append(f"{where}: /Rect is not the union of its quadrilaterals")
        for quad in quads:
            covered = _words_in(quad, words.get(annotation.page, []))
            if quad[2] - quad[0] < SMALLEST_SIDE or quad[3] - quad[1] < SMALLEST_SIDE:
                problems.append(f"{where}: a quadrilateral has no area")
            elif not covered:
                problems.append(f"{where}: a quadrilateral covers no text")
            elif max(word.bottom for word in covered) >= min(word.top for word in covered):
                problems.append(f"{where}: a quadrilateral covers more than one line "
                                f"({' '.join(word.text for word in covered)[:60]})")
        for i, a in enumerate(quads):
            for b in quads[i + 1:]:
                if _same_line(a, b) and max(a[0], b[0]) - min(a[2], b[2]) <= SMALLEST_SIDE:
                    problems.append(f"{where}: two quadrilaterals for one piece of a line")
    return problems


def description_problems(pdf_path: Path) -> list[str]:
    """Each /Contents says where the link leads: the page its target is on, or its address."""
    _, annotations = read_links(pdf_path)
    problems = []
    for annotation in annotations:
        where = f"page {annotation.page}: '{annotation.contents}'"
        if annotation.uri is not None:
            if annotation.uri.removeprefix("../") not in annotation.contents:
                problems.append(f"{where} does not name its address {annotation.uri}")
            continue
        number = re.search(r"(\d+)\)?$", annotation.contents)
        if annotation.destination_page is None:
            problems.append(f"{where} leads nowhere in this PDF")
        elif number is None:
            problems.append(f"{where} does not say the page it leads to "
                            f"({annotation.destination_page})")
        elif int(number[1]) != annotation.destination_page:
            problems.append(f"{where} says page {number[1]}, but leads to page "
                            f"{annotation.destination_page}")
        if number is not None and not annotation.contents[:number.start()].strip():
            problems.append(f"{where} is a number, not a description")
    return problems


def contents_entry_problems(pdf_path: Path) -> list[str]:
    """Each contents line (text, leader dots, page number) is one annotation covering all three."""
    _, annotations = read_links(pdf_path)
    words = read_words(pdf_path)
    problems = []
    for page, page_words in sorted(words.items()):
        for line in _lines_of(page_words):
            dots = [i for i, word in enumerate(line) if word.text == LEADER]
            if len(dots) < 5:
                continue  # a full stop, not a leader
            holders = [annotation for annotation in annotations if annotation.page == page
                       and any(_words_in(area, [line[dots[0]]]) for area in areas_of(annotation))]
            number = line[dots[-1] + 1] if dots[-1] + 1 < len(line) else None
            where = f"page {page}: the contents line ending '{number.text if number else ''}'"
            if len(holders) != 1:
                problems.append(f"{where} is {len(holders)} annotations, not one stop")
                continue
            holder = holders[0]
            ends = [line[dots[0] - 1]] if dots[0] > 0 else []
            ends += [number] if number is not None else []
            for word in ends:
                if not any(_words_in(area, [word]) for area in areas_of(holder)):
                    problems.append(f"{where}: '{word.text}' is outside its annotation")
            if number is None or not holder.contents.endswith(number.text):
                problems.append(f"{where}: its annotation says '{holder.contents}'")
    return problems


def _lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped by line, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (-word.top, word.left)):
        line = next((line for line in lines if _same_line(
            (0, line[0].bottom, 0, line[0].top), (0, word.bottom, 0, word.top))), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    return [sorted(line, key=lambda word: word.left) for line in lines]


# Done when: every PDF of every project

def test_every_link_is_one_annotation_per_page_with_an_area(project):
    pdfs = reader_pdfs(project)
    assert len(pdfs) >= 3
    assert {pdf.name: stop_problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_quadrilaterals_lie_in_the_rect_one_per_line_piece(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: quad_problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_every_link_says_its_page_or_address(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: description_problems(pdf) for pdf in pdfs} == {pdf.name: []
                                                                     for pdf in pdfs}


def test_a_contents_entry_is_one_stop(project):
    pdfs = reader_pdfs(project)
    assert {pdf.name: contents_entry_problems(pdf) for pdf in pdfs} == {pdf.name: []
                                                                        for pdf in pdfs}


def test_the_example_links_as_measured(example):
    """Issue 14 measured 221 annotations for 70 Links on the example, 112 without area."""
    links, annotations = read_links(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf")
    assert len(links) == 70
    assert len(annotations) == 70
    contents = [annotation.contents for annotation in annotations]
    assert any(re.fullmatch(r"Introduction, page \d+", text) for text in contents)
    assert "http://en.wikipedia.org/wiki/Mental_disorder" in contents  # the printed address
    assert any(re.fullmatch(r"first used on page \d+", text) for text in contents)
    # A page reference says the whole clause it ends, not just "on page 6".
    assert any(re.fullmatch(r"This section ends on page \d+", text) for text in contents)
    assert any(re.fullmatch(r"the next section, Major Parties Involved, starts on page \d+",
                            text) for text in contents)


def test_a_source_number_is_a_link_with_an_area_naming_its_source(example):
    pdf = example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf"
    _, annotations = read_links(pdf)
    numbers = [annotation for annotation in annotations
               if re.fullmatch(r"Sources \d+: \S+, page \d+", annotation.contents)]
    assert len(numbers) == 10
    first = next(annotation for annotation in numbers
                 if annotation.contents.startswith("Sources 1:"))
    assert re.fullmatch(r"Sources 1: http://en.wikipedia.org/wiki/Mental_disorder, page \d+",
                        first.contents)
    for annotation in numbers:
        left, bottom, right, top = annotation.rect
        # The raised number's own height (9 pt type), not a line of height 0.
        assert top - bottom >= 6 and right - left >= 2, annotation


# Each check finds the defect it guards against

def _broken_copy(source: Path, target: Path, change) -> Path:
    """A copy of source with change(pdf) applied: the defect a check must report."""
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _link_annotations(pdf, contents_start: str):
    """(page, annotation) of the link annotations whose /Contents starts so."""
    return [(page, annotation) for page in pdf.pages for annotation in page.get("/Annots", [])
            if str(annotation.get("/Contents", "")).startswith(contents_start)]


def _objr_holder(pdf, annotation):
    """The Link element and the OBJR that tie annotation to the tree."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/OBJR" and kid.Obj.objgen == annotation.objgen:
                    return element, kid
                if "/S" in kid:
                    stack.append(kid)
    raise LookupError(annotation)


def _split(pdf, contents_start: str, pieces: int) -> None:
    """WeasyPrint's way: the annotation cut into pieces side by side, each tied to the Link."""
    page, annotation = _link_annotations(pdf, contents_start)[0]
    link, _ = _objr_holder(pdf, annotation)
    left, bottom, right, top = (float(value) for value in annotation.Rect)
    width = (right - left) / pieces
    annotation.Rect = [left, bottom, left + width, top]
    annotation.QuadPoints = [left, bottom, left + width, bottom, left + width, top, left, top]
    for number in range(1, pieces):
        copy = pdf.make_indirect(pikepdf.Dictionary(annotation))
        x = left + number * width
        copy.Rect = [x, bottom, x + width, top]
        copy.QuadPoints = [x, bottom, x + width, bottom, x + width, top, x, top]
        page.Annots.append(copy)
        link.K.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.OBJR, Obj=copy, Pg=page.obj)))


def test_stop_check_finds_a_link_split_into_pieces(example, tmp_path):
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "split.pdf",
                       lambda pdf: _split(pdf, "psychiatric disorder", 3))
    problems = stop_problems(pdf)
    assert len(problems) == 1 and re.fullmatch(
        r"the Link 'psychiatric disorder: http://en.wikipedia.org/wiki/Mental_disorder' has 3 "
        r"annotations on page \d+: one stop per page", problems[0]), problems


def test_stop_check_finds_an_annotation_without_area(example, tmp_path):
    def flatten(pdf):
        _, annotation = _link_annotations(pdf, "Sources 7:")[0]
        left, bottom, right, _ = (float(value) for value in annotation.Rect)
        annotation.Rect = [left, bottom, right, bottom]  # line-height 0, as before
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "flat.pdf",
                       flatten)
    problems = stop_problems(pdf)
    assert len(problems) == 1 and "has no area" in problems[0], problems


def test_stop_check_finds_an_annotation_outside_the_tree(example, tmp_path):
    def orphan(pdf):
        _, annotation = _link_annotations(pdf, "Introduction, page")[0]
        link, objr = _objr_holder(pdf, annotation)
        link.K = pikepdf.Array([kid for kid in link.K if not (
            isinstance(kid, pikepdf.Dictionary) and kid.objgen == objr.objgen)])
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "orphan.pdf",
                       orphan)
    problems = stop_problems(pdf)
    assert any("belongs to no Link element" in problem for problem in problems), problems
    assert any("annotated on []" in problem for problem in problems), problems


def test_quad_check_finds_a_wrapped_link_with_one_quad(example, tmp_path):
    def one_quad(pdf):
        _, annotation = _link_annotations(pdf, "late adolescents")[0]
        left, bottom, right, top = (float(value) for value in annotation.Rect)
        annotation.QuadPoints = [left, bottom, right, bottom, right, top, left, top]
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "quad.pdf",
                       one_quad)
    problems = quad_problems(pdf)
    assert len(problems) == 1 and "more than one line" in problems[0], problems


@pytest.mark.parametrize("defect, expected", [
    ("outside", "lies outside /Rect"),
    ("clockwise", "not counter-clockwise"),
    ("union", "not the union"),
    ("missing", "not 8 per line piece"),
    ("doubled", "two quadrilaterals for one piece of a line"),
])
def test_quad_check_finds_each_defect(example, tmp_path, defect, expected):
    def damage(pdf):
        _, annotation = _link_annotations(pdf, "psychiatric disorder")[0]
        left, bottom, right, top = (float(value) for value in annotation.Rect)
        middle = (left + right) / 2
        annotation.QuadPoints = {
            "outside": [left, bottom, right + 5, bottom, right + 5, top, left, top],
            "clockwise": [left, bottom, left, top, right, top, right, bottom],
            "union": [left, bottom, middle, bottom, middle, top, left, top],
            "missing": [],
            "doubled": [left, bottom, middle, bottom, middle, top, left, top,
                        middle, bottom, right, bottom, right, top, middle, top],
        }[defect]
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "q.pdf", damage)
    problems = quad_problems(pdf)
    assert problems and all(expected in problem for problem in problems), problems


@pytest.mark.parametrize("old, expected", [
    ("Introduction: link within this document", "does not say the page it leads to"),
    ("(first used on page: link within this document", "does not say the page it leads to"),
    ("Introduction, page 99", "says page 99, but leads to page"),
    ("psychiatric disorder: link", "does not name its address"),
])
def test_description_check_finds_descriptions_without_page_or_address(example, tmp_path, old,
                                                                       expected):
    start = old.split(":")[0].split(",")[0]
    start = {"(first used on page": "first used on page"}.get(start, start)

    def describe(pdf):
        _, annotation = _link_annotations(pdf, start)[0]
        annotation.Contents = pikepdf.String(old)
    pdf = _broken_copy(example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf", tmp_path / "d.pdf",
                       describe)
    problems = description_problems(pdf)
    assert problems and all(expected in problem for problem in problems), problems


def _as_weasyprint_made_it(pdf, contents_start: str, text_end: float) -> None:
    """A contents entry as three annotations: the entry, its ::after, its leader."""
    page, annotation = _link_annotations(pdf, contents_start)[0]
    link, _ = _objr_holder(pdf, annotation)
    left, bottom, right, top = (float(value) for value in annotation.Rect)
    for piece_left, piece_right in ((text_end, right), (text_end, right - 10)):
        piece = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[piece_left, bottom,
                                                                     piece_right, top],
            Contents=annotation.Contents, Dest=annotation.Dest, F=4))
        page.Annots.append(piece)
        link.K.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.OBJR, Obj=piece, Pg=page.obj)))


@pytest.mark.parametrize("defect, expected", [
    ("split", "is 3 annotations, not one stop"),
    ("short", "is outside its annotation"),
])
def test_contents_entry_check_finds_text_leader_and_number_apart(example, tmp_path, defect,
                                                                 expected):
    source = example / "dist/pdf" / f"{EXAMPLE_SLUG}.pdf"
    line = next(line for line in _lines_of(read_words(source)[1])
                if any(word.text == "Introduction" for word in line))
    entry = next(word for word in line if word.text == "Introduction")

    def damage(pdf):
        if defect == "split":
            _as_weasyprint_made_it(pdf, "Introduction, page", entry.right)
        else:  # the text and the leader, the page number left out
            _, annotation = _link_annotations(pdf, "Introduction, page")[0]
            left, bottom, _, top = (float(value) for value in annotation.Rect)
            right = line[-1].left - 1
            annotation.Rect = [left, bottom, right, top]
            annotation.QuadPoints = [left, bottom, right, bottom, right, top, left, top]
    pdf = _broken_copy(source, tmp_path / "toc.pdf", damage)
    number = line[-1].text
    assert contents_entry_problems(pdf) == [
        f"page 1: the contents line ending '{number}' {expected}" if defect == "split"
        else f"page 1: the contents line ending '{number}': '{number}' {expected}"]


def test_a_packet_link_into_another_part_gets_its_page_when_assembled():
    packet = pikepdf.new()
    for _ in range(3):
        packet.add_blank_page()
    target = packet.pages[2].obj
    packet.Root.Names = pikepdf.Dictionary(Dests=packet.make_indirect(pikepdf.Dictionary(
        Names=[pikepdf.String("welcome"), [target, pikepdf.Name.XYZ, 0, 0, 0]])))
    link = packet.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[10, 10, 60, 22],
        Dest=pikepdf.String("welcome"), Contents=pikepdf.String("welcome letter"),
        **{PAGE_TO_COME: pikepdf.String("page")}))
    packet.pages[0].obj.Annots = pikepdf.Array([link])
    complete_link_descriptions(packet)
    assert str(link.Contents) == "welcome letter, page 3"
    assert f"/{PAGE_TO_COME}" not in link


# What an author can write

def test_a_link_no_pointer_can_reach_is_read_as_text(tmp_path):
    """A profile that squeezes a link to no height: no annotation without area, and valid PDF/UA."""
    root = make_project(tmp_path, {
        "content/edge.md": handout("Edge links", """
            ## Introduction

            A [flat link](#introduction){: .flat } and a [real one](#more).

            ## More

            More text.
            """),
        "styles/profiles/flat.css": "a.flat { line-height: 0; }\n",
        "handouts.toml": '[build]\nprofiles = ["flat"]\n',
    })
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    pdf = root / "dist/pdf/flat/edge.pdf"
    assert stop_problems(pdf) == []
    assert description_problems(pdf) == []
    links, annotations = read_links(pdf)
    assert "flat link, page 1" not in [annotation.contents for annotation in annotations]
    assert "real one, page 1" in [annotation.contents for annotation in annotations]
    assert outloud_errors(pdf) == []
    assert page_validation_failures(pdf) == []
