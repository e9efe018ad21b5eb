"""A packet's cover fills its page; a booklet ends on a back cover, its blank pages before it."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pikepdf
import pytest
from checkers import outloud_errors, page_validation_failures
from test_packets import empty_page, page_texts
from testing_utils import (
    REPO,
    handout,
    make_project,
    pdf_structure,
    run_cli,
    word_boxes,
)

from handouts.check.files import check_pdf
from handouts.pdf.booklet import sheet_order

PROFILE_FOLDERS = ("pdf", "pdf/large-print")
FOLIO = re.compile(r"\bPage \d+ of \d+")
DATE = re.compile(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                  r"October|November|December) \d{4}")


def packets(root: Path) -> list[dict]:
    return tomllib.loads((root / "handouts.toml").read_text(encoding="utf-8"))["packet"]


def conference_name(root: Path) -> str:
    return tomllib.loads((root / "handouts.toml").read_text(encoding="utf-8"))[
        "conference"]["name"]


def packet_pdfs(root: Path, booklets_only: bool = False) -> list[tuple[dict, Path]]:
    """Every packet's PDF for readers, in each profile."""
    found = [(packet, root / "dist" / folder / f"{packet['slug']}.pdf")
             for packet in packets(root) for folder in PROFILE_FOLDERS
             if packet.get("booklet") or not booklets_only]
    assert found and all(path.is_file() for _, path in found)
    return found


def find_words(words: list, text: str) -> list:
    """The boxes poppler finds (a word, or a whole line of them) that make up text, where
    they first follow each other on the page."""
    wanted, words = text.split(), [word for word in words if word[7].strip()]
    for start in range(len(words)):
        found: list[str] = []
        for end in range(start, len(words)):
            found += words[end][7].split()
            if found == wanted:
                return words[start:end + 1]
            if found != wanted[:len(found)]:
                break
    raise AssertionError(f"{text!r} is not on the page: {' '.join(w[7] for w in words)}")


def top(boxes: list) -> float:
    return min(box[2] for box in boxes)


def size(boxes: list) -> float:
    """The height poppler gives the words' boxes: it grows with the font size."""
    return max(box[4] - box[2] for box in boxes)


def cover_words(pdf: Path) -> list:
    return [word for word in word_boxes(pdf) if word[0] == 1]


def test_every_packet_cover_fills_its_page(project):
    """The defect: a stack at the top left, the bottom half of the page empty."""
    for _, pdf in packet_pdfs(project):
        words = cover_words(pdf)
        height = words[0][6]
        first, last = top(words), max(word[4] for word in words)
        assert (last - first) / height > 0.65, (pdf, first, last, height)
        assert last / height > 0.8, (pdf, last, height)  # what it holds, at the foot
        # One page: the contents start on the next.
        assert page_texts(pdf)[1].split(" · ")[-1].startswith("Contents"), pdf


def test_the_cover_reads_from_the_conference_down_to_what_it_holds_largest_first(project):
    for packet, pdf in packet_pdfs(project):
        words = cover_words(pdf)
        text = " ".join(word[7] for word in words)
        conference = find_words(words, conference_name(project))
        title = find_words(words, packet["title"])
        date = find_words(words, DATE.search(text)[0])
        holds = find_words(words, "This packet holds:")
        # Top to bottom in the order they are read.
        assert top(conference) < top(title) < top(date) < top(holds), pdf
        # The title largest, then the conference; the date no smaller than the list.
        assert size(title) > size(conference) > size(holds), pdf
        assert round(size(date), 1) >= round(size(holds), 1), pdf
        assert not FOLIO.search(text), pdf


def test_the_cover_lists_the_handouts_and_says_which_carry_content_notes(example):
    words = cover_words(example / "dist/pdf/interpol-delegates.pdf")
    holds = find_words(words, "This packet holds:")
    entries = [find_words(words, title) for title in (
        "Welcome to EXMUN 2027", "Rules of Procedure", "Cyber Child Pornography")]
    assert top(holds) < top(entries[0]) < top(entries[1]) < top(entries[2])
    notes = find_words(words, "Content notes: listed in the contents")
    assert top(notes) > top(entries[2])  # under the one handout that has them
    committees = find_words(words, "Secretariat · Interpol")
    assert top(find_words(words, "Interpol: delegate packet")) < top(committees)


def test_a_booklet_ends_on_its_back_cover_with_its_blank_pages_before_it(project):
    name = conference_name(project)
    for _, pdf in packet_pdfs(project, booklets_only=True):
        texts = page_texts(pdf)
        assert len(texts) % 4 == 0, pdf
        assert texts[-1] == name, (pdf, texts[-1])  # no handout text, no folio
        last_folio = max(number for number, text in enumerate(texts) if FOLIO.search(text))
        padding = list(range(last_folio + 1, len(texts) - 1))
        assert len(padding) == -(last_folio + 2) % 4, pdf  # no more than the fold needs
        with pikepdf.open(pdf) as document:
            assert all(empty_page(document.pages[number]) for number in padding), pdf
            assert not empty_page(document.pages[-1])
            # Labelled as the pages around it count it, as a viewer counts it.
            assert [page.label for page in document.pages] == [
                str(number) for number in range(1, len(texts) + 1)]
        assert not any(FOLIO.search(texts[number]) for number in [0, *padding, -1])


def test_the_back_cover_is_tagged_as_the_packet_s_last_section(project):
    name = conference_name(project)
    for _, pdf in packet_pdfs(project, booklets_only=True):
        document = pdf_structure(pdf).children[0]
        sections = [node for node in document.children[-1].children if node.type == "Sect"]
        # Spaces left out: a line break between two words is read aloud as a space
        # (/ActualText, pdf/line_ends.py), which poppler's text of the tree leaves out.
        assert "".join(sections[-1].text().split()) == "".join(name.split()), pdf
        assert [node.type for node in sections[-1].children] == ["P"]  # the logo: decorative


def test_non_booklet_packets_have_no_back_cover(second):
    advisers = second / "dist/pdf/advisers-packet.pdf"
    assert page_texts(advisers)[-1] != conference_name(second)
    sections = pdf_structure(advisers).children[0].children[-1].children
    assert "Back cover" not in [node.text() for node in sections]


def plain_text(pdf: Path, page: int, *crop: str) -> str:
    return " ".join(subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), *crop, str(pdf), "-"],
        check=True, capture_output=True, text=True).stdout.split())


def half_texts(booklet: Path, sheet: int) -> tuple[str, str]:
    """The text on the left and right halves of one side of an imposed sheet."""
    with pikepdf.open(booklet) as pdf:
        width, height = (float(value) for value in pdf.pages[sheet - 1].mediabox[2:])
    return tuple(plain_text(booklet, sheet, "-x", str(int(x)), "-y", "0", "-W",
                            str(int(width / 2)), "-H", str(int(height))) for x in (0, width / 2))


def test_the_booklet_s_outer_sheet_carries_back_and_front_cover(project):
    for packet, pdf in packet_pdfs(project, booklets_only=True):
        booklet = pdf.with_name(f"{packet['slug']}-booklet.pdf")
        pages = len(page_texts(pdf))
        assert half_texts(booklet, 1)[0] == conference_name(project)
        # The sheets as today: every side holds the packet pages sheet_order names.
        for sheet, (left, right) in enumerate(sheet_order(pages), start=1):
            assert half_texts(booklet, sheet) == (plain_text(pdf, left), plain_text(pdf, right))


def booklet_project(root: Path, contact: str | None = None, **files: str) -> Path:
    settings = '[conference]\nname = "Test MUN"\n'
    if contact is not None:
        settings += f"contact = {contact}\n"
    return make_project(root, {
        "content/one.md": handout("One"), "content/two.md": handout("Two"),
        "handouts.toml": settings + '\n[[packet]]\nslug = "pack"\ntitle = "Pack"\n'
                                   'handouts = ["one", "two"]\nbooklet = true\n', **files})


def test_a_contact_line_prints_on_the_back_cover_after_the_padding(tmp_path):
    booklet_project(tmp_path, '"secretariat@test-mun.org · test-mun.org"')
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    pdf = tmp_path / "dist/pdf/pack.pdf"
    texts = page_texts(pdf)
    # cover, contents, One, blank, Two: 5 pages, 2 blank ones, the back cover on page 8.
    assert texts[4].endswith("Page 5 of 8")
    assert texts[5:] == ["", "", "Test MUN secretariat@test-mun.org · test-mun.org"]
    words = [word for word in word_boxes(pdf) if word[0] == 8]
    name = find_words(words, "Test MUN")
    contact = find_words(words, "secretariat@test-mun.org · test-mun.org")
    assert top(name) < top(contact) and size(name) > size(contact)
    width, height = words[0][5:7]
    assert 0.3 < top(name) / height < 0.7  # in the middle of the page
    middle = (name[0][1] + name[-1][3]) / 2
    assert abs(middle - width / 2) < 0.05 * width, (middle, width)
    assert check_pdf(pdf) == []
    assert outloud_errors(pdf) == [] and page_validation_failures(pdf) == []


@pytest.mark.parametrize("contact, message", [
    ('"""one\ntwo"""', "contact is one line of at most 200 characters"),
    ('"a\u2028b"', "contact is one line of at most 200 characters"),
    (r'"a\tb\u0007"', "contact is one line of at most 200 characters"),
    ('"' + "x" * 201 + '"', "contact is one line of at most 200 characters"),
    ("12", "'contact' in [conference] must be a str"),
])
def test_a_contact_that_is_not_one_line_of_text_is_a_message(tmp_path, contact, message):
    booklet_project(tmp_path, contact)
    result = run_cli("--project", tmp_path)
    assert result.status != 0
    assert "handouts.toml:3: " in result.err and message in result.err, result.err
    assert "Traceback" not in result.err


def test_an_override_written_before_back_covers_leaves_the_last_page_blank(tmp_path):
    template = (REPO / "templates/packet-print.html").read_text(encoding="utf-8")
    older = re.sub(r"\{#- A booklet's back cover.*?</section>\n\{%- endif %\}", "", template,
                   flags=re.DOTALL)
    assert "packet-back-cover" not in older
    booklet_project(tmp_path, **{"templates/packet-print.html": older})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    pdf = tmp_path / "dist/pdf/pack.pdf"
    texts = page_texts(pdf)
    assert len(texts) == 8 and texts[5:] == ["", "", ""]
    assert check_pdf(pdf) == []


def test_a_cover_too_long_for_its_page_goes_on_over_the_next(tmp_path):
    """Twelve handouts of long titles in large print: the list runs on, not cut off."""
    slugs = [f"h{number:02d}" for number in range(12)]
    title = "Handout {} with a title long enough to take two or three lines in large print"
    make_project(tmp_path, {
        **{f"content/{slug}.md": handout(title.format(slug)) for slug in slugs},
        "handouts.toml": '[conference]\nname = "Test MUN"\n\n[[packet]]\nslug = "pack"\n'
                         f'title = "Pack"\nhandouts = {slugs!r}\n'.replace("'", '"')})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    texts = page_texts(tmp_path / "dist/pdf/large-print/pack.pdf")
    cover = " ".join(texts[:next(number for number, text in enumerate(texts)
                                 if "Contents" in text)])
    assert all(title.format(slug) in cover for slug in slugs)
