"""Page geometry (issue 15): the text block centred on a handout's pages, mirrored on a
packet's, with the running header and the page number lined up with it."""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from testing_utils import reader_pdfs, word_boxes

MM = 72 / 25.4
# The page's top and bottom margins (print.css, large-print.css): the running header
# stands above the text, the page number below it.
MARGINS_MM = {"standard": (22, 22), "large-print": (42, 38)}
# A list's number or bullet stands in the gutter before its item, not in the text's line.
LIST_MARKER = re.compile(r"(\d+|[ivxlcdm]+|[a-z])[.)]|[•◦▪‣–-]", re.IGNORECASE)


@dataclass
class Page:
    number: int
    width: float
    body: list[tuple[float, float, str]] = field(default_factory=list)  # x0, x1, text
    header: list[tuple[float, float, str]] = field(default_factory=list)
    folio: list[tuple[float, float, str]] = field(default_factory=list)


def numbered_pages(pdf: Path) -> list[Page]:
    """The portrait pages that carry a page number: not a cover, a blank page or a
    landscape figure's page, whose text block is its own."""
    top, bottom = MARGINS_MM["large-print" if "large-print" in pdf.parts else "standard"]
    pages: dict[int, Page] = {}
    for number, x0, y0, x1, y1, width, height, text in word_boxes(pdf):
        if width > height:
            continue
        page = pages.setdefault(number, Page(number, width))
        where = (page.header if y1 < top * MM else page.folio if y0 > height - bottom * MM
                 else page.body)
        where.append((x0, x1, text))
    return [page for _, page in sorted(pages.items()) if page.folio and page.body]


def body_words(page: Page) -> list[tuple[float, float, str]]:
    return [word for word in page.body if not LIST_MARKER.fullmatch(word[2])]


def side(page: Page, is_packet: bool) -> int:
    """1: a right-hand (odd) page of a packet, printed on both sides; 0: a left-hand one.
    A handout's pages are all alike (1)."""
    return page.number % 2 if is_packet else 1


def text_blocks(pages: list[Page], is_packet: bool) -> dict[int, tuple[float, float]]:
    """Side -> the text block's left and right edges: where most of its pages' text starts
    (a page of a list or a table starts further in), and where the longest of its lines
    ends (lines are ragged on the right)."""
    starts: dict[int, Counter] = defaultdict(Counter)
    ends: dict[int, float] = defaultdict(float)
    for page in pages:
        words, on = body_words(page), side(page, is_packet)
        starts[on][round(min(x0 for x0, _, _ in words), 1)] += 1
        ends[on] = max(ends[on], *(x1 for _, x1, _ in words))
    return {on: (starts[on].most_common(1)[0][0], ends[on]) for on in starts}


def packet_slugs(project: Path) -> set[str]:
    config = tomllib.loads((project / "handouts.toml").read_text(encoding="utf-8"))
    return {packet["slug"] for packet in config.get("packet", [])}


def geometry(project: Path) -> list[tuple[Path, bool, list[Page], dict]]:
    """Each reader's PDF: whether it is a packet, its numbered pages, its text blocks."""
    packets = packet_slugs(project)
    found = []
    for pdf in reader_pdfs(project):
        pages, is_packet = numbered_pages(pdf), pdf.stem in packets
        found.append((pdf, is_packet, pages, text_blocks(pages, is_packet)))
    return found


@pytest.fixture(scope="module")
def measured(example, second):
    return {"example": geometry(example), "second": geometry(second)}


@pytest.mark.parametrize("name", ["example", "second"])
def test_a_handouts_text_block_is_centred_on_the_paper(measured, name):
    """Single-sided: as much paper left of the text as right of it (within 2 mm), on every
    handout, A4 (the example) and Letter (the second project), standard and large print."""
    off_centre = []
    for pdf, is_packet, pages, blocks in measured[name]:
        if is_packet:
            continue
        width, (left, right) = pages[0].width, blocks[1]
        if abs(left - (width - right)) > 2 * MM:
            off_centre.append((pdf.name, round(left / MM, 1), round((width - right) / MM, 1)))
    assert off_centre == []


@pytest.mark.parametrize("name", ["example", "second"])
def test_a_packets_facing_pages_are_mirrored(measured, name):
    """Printed on both sides: the inner margin (left of a right-hand page, right of a
    left-hand one) wider than the outer, the same two margins on both sides of the leaf."""
    seen = 0
    for pdf, is_packet, pages, blocks in measured[name]:
        if not is_packet:
            continue
        seen += 1
        width = pages[0].width
        (odd_left, odd_right), (even_left, even_right) = blocks[1], blocks[0]
        inner, outer = odd_left, width - odd_right  # a right-hand page: bound on its left
        assert inner - outer > 3 * MM, (pdf.name, inner / MM, outer / MM)
        assert abs((width - even_right) - inner) < 1 * MM, (pdf.name, "inner", even_right / MM)
        assert abs(even_left - outer) < 1 * MM, (pdf.name, "outer", even_left / MM)
    assert seen >= 2  # each project's packet, in both profiles


@pytest.mark.parametrize("name", ["example", "second"])
def test_text_header_and_page_number_line_up_on_every_page(measured, name):
    """On every numbered page: no word of the body left of its side's text block, the
    running header starting where the text does (within 1 mm), the page number centred on
    the text (within 1 mm)."""
    faults = []
    for pdf, is_packet, pages, blocks in measured[name]:
        for page in pages:
            left, right = blocks[side(page, is_packet)]
            outside = [text for x0, _, text in body_words(page) if x0 < left - 0.5 * MM]
            if outside:
                faults.append((pdf.name, page.number, "left of the text block", outside[:3]))
            if page.header and abs(min(x0 for x0, _, _ in page.header) - left) > 1 * MM:
                faults.append((pdf.name, page.number, "header starts at",
                               round(min(x0 for x0, _, _ in page.header) / MM, 1),
                               "text at", round(left / MM, 1)))
            folio_centre = (min(x0 for x0, _, _ in page.folio)
                            + max(x1 for _, x1, _ in page.folio)) / 2
            if abs(folio_centre - (left + right) / 2) > 1 * MM:
                faults.append((pdf.name, page.number, "folio centred at",
                               round(folio_centre / MM, 1), "text at",
                               round((left + right) / 2 / MM, 1)))
    assert faults == []


def test_a_long_running_header_never_prints_over_the_text(tmp_path):
    """A conference name of three lines at 18 pt is cut after its second line in large
    print: the band between that line and the text area is blank paper."""
    import subprocess

    from PIL import Image
    from testing_utils import handout, make_project, run_cli

    name = ("The Very Long International Model United Nations Conference of the Associated "
            "Universities and Territories 2027")
    body = "".join(f"## Part {n}\n\n" + "A sentence long enough to fill a line. " * 12 + "\n\n"
                   for n in range(1, 7))
    make_project(tmp_path, {"handouts.toml": f'[conference]\nname = "{name}"\n',
                            "content/a.md": handout("Long", body, committee="Secretariat")})
    assert run_cli("--project", tmp_path).status == 0
    pdf = tmp_path / "dist/pdf/large-print/a.pdf"
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-f", "2", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    # Two header lines of 1.3 x 18 pt from 20 mm down end at 103.5 pt; the text starts at
    # 42 mm (119 pt). Nothing may be drawn in between.
    band = page.crop((0, 105, page.width, int(42 * MM) - 1))
    assert band.getextrema()[0] > 200
    header = page.crop((0, int(20 * MM), page.width, 103))
    assert header.getextrema()[0] < 100  # the header itself is there
