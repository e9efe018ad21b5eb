"""The second project (tests/second_project/): every checker passes on a conference of our own.

Issues 14 and 15 ask each rule to hold on the example and on a second project: a different
conference (Letter paper, two packets, one a booklet) whose handouts use what the example
uses little or not at all. The project is built once per session (the `second` fixture in
conftest.py); these tests read its dist/ and never write into it.
"""

from __future__ import annotations

import tomllib

import pytest
from checkers import axe_violations_in, outloud_errors, page_validation_failures, vnu_messages
from conftest import SECOND_PROJECT
from testing_utils import run_cli

HANDOUTS = sorted(path.stem for path in (SECOND_PROJECT / "content").glob("*.md")
                  if path.stem != "glossary")
SETTINGS = tomllib.loads((SECOND_PROJECT / "handouts.toml").read_text(encoding="utf-8"))
PACKETS = [packet["slug"] for packet in SETTINGS["packet"]]
BOOKLETS = [packet["slug"] for packet in SETTINGS["packet"] if packet.get("booklet")]
PROFILE_FOLDERS = ["pdf", "pdf/large-print"]
# The PDFs readers get: every handout and packet in each profile; the imposed booklets are
# the print shop's (check skips them too).
READER_PDFS = [f"{folder}/{slug}.pdf" for folder in PROFILE_FOLDERS
               for slug in HANDOUTS + PACKETS]
PAGES = (["index.html"] + [f"{slug}.html" for slug in HANDOUTS + PACKETS]
         + [f"_packets/{slug}.html" for slug in PACKETS])
LETTER = (612, 792)  # points

def test_the_project_is_what_the_tests_expect():
    """The lists the tests are parametrised with, read from the project itself."""
    assert HANDOUTS == ["rules-of-procedure", "schedule",
                        "security-council-children-armed-conflict",
                        "unhcr-disaster-displacement", "welcome"]
    assert PACKETS == ["security-council-packet", "advisers-packet"]
    assert BOOKLETS == ["security-council-packet"]
    assert SETTINGS["conference"]["paper"] == "Letter"


def test_the_build_writes_every_page_and_pdf(second):
    import pikepdf

    dist = second / "dist"
    for page in PAGES:
        assert (dist / page).is_file(), page
    written = sorted(str(path.relative_to(dist)) for folder in PROFILE_FOLDERS
                     for path in (dist / folder).glob("*.pdf"))
    booklets = [f"{folder}/{slug}-booklet.pdf" for folder in PROFILE_FOLDERS
                for slug in BOOKLETS]
    assert written == sorted(READER_PDFS + booklets)
    for name in READER_PDFS:
        with pikepdf.open(dist / name) as pdf:
            assert {tuple(round(float(v)) for v in page.mediabox[2:])
                    for page in pdf.pages} == {LETTER}, name
    for name in booklets:  # two Letter pages on each side of a sheet: a booklet's fold
        with pikepdf.open(dist / name.replace("-booklet", "")) as packet, \
                pikepdf.open(dist / name) as booklet:
            assert len(packet.pages) % 4 == 0, name
            assert len(booklet.pages) * 2 == len(packet.pages), name


@pytest.mark.parametrize("name", READER_PDFS)
def test_pdfs_have_no_outloud_errors(second, name):
    assert outloud_errors(second / "dist" / name) == []


@pytest.mark.parametrize("name", READER_PDFS)
def test_pdfs_pass_page_validation_pdf_ua_1(second, name):
    assert page_validation_failures(second / "dist" / name) == []


def test_check_finds_nothing(second):
    result = run_cli("--project", second, "check")
    assert result.status == 0, result.out + result.err
    assert result.out.splitlines()[-1].endswith(": 0 error(s), 0 warning(s)."), result.out


@pytest.fixture(scope="module")
def vnu_report(second):
    """The Nu HTML Checker's errors and warnings on every page, in one run."""
    return vnu_messages(second / "dist", *[second / "dist" / page for page in PAGES])


def test_pages_are_valid_html_without_a_warning(vnu_report):
    assert [(m["url"], m.get("lastLine"), m["type"], m["message"]) for m in vnu_report] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_pages_have_no_axe_violations(axe_page, second, name, scheme, width):
    assert axe_violations_in(axe_page(scheme, width), second / "dist" / name) == []
