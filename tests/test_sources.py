"""Sources: each external link is a numbered source, printed in full for paper readers."""

from __future__ import annotations

import pytest
from testing_utils import handout, make_project, parse_html, pdf_text, run_cli, text_of

from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise

BODY = """\
## Reading

See [the member list](https://www.interpol.int/en/Who-we-are/Member-countries?page=2 "Interpol:
member countries") and [the charter](https://www.un.org/en/about-us/un-charter).

Again [the member list](https://www.interpol.int/en/Who-we-are/Member-countries?page=2), and
[a section](#reading) inside the page.
"""


@pytest.fixture(scope="module")
def sourced(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    make_project(root, {"content/a.md": handout("Sourced", BODY)})
    result = run_cli("--project", root)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    return root


def test_sources_list_each_address_once_in_order_of_first_use(sourced):
    page = parse_html(sourced / "dist/a.html")
    entries = page.find(".//ol[@class='sources']")
    assert [item.get("id") for item in entries] == ["source-1", "source-2"]
    assert text_of(entries[0]) == (
        "the member list. Interpol: member countries. "
        "https://www.interpol.int/en/Who-we-are/Member-countries?page=2")
    assert text_of(entries[1]) == "the charter. https://www.un.org/en/about-us/un-charter"
    # The last of the handout's own (the footer's Printed pages list follows it).
    assert [text_of(h2) for h2 in page.find(".//article").iter("h2")][-1] == "Sources"


def test_long_addresses_break_after_slashes_and_before_queries(sourced):
    address = parse_html(sourced / "dist/a.html").find(".//a[@class='source-url']")
    assert address.get("href") == "https://www.interpol.int/en/Who-we-are/Member-countries?page=2"
    pieces = [address.text] + [wbr.tail for wbr in address.findall("wbr")]
    assert pieces[0] == "https://www."
    assert "?page=2" in pieces and "Member-" in pieces


def test_every_external_link_carries_its_number_in_print_only(sourced):
    page = parse_html(sourced / "dist/a.html")
    references = [(sup.get("class"), text_of(sup), sup.find("a").get("href"))
                  for sup in page.iter("sup")]
    assert references == [("source-ref print-only", "1", "#source-1"),
                          ("source-ref print-only", "2", "#source-2"),
                          ("source-ref print-only", "1", "#source-1")]


def test_paper_readers_get_the_numbers_and_the_full_addresses(sourced):
    printed = " ".join(pdf_text(sourced / "dist/pdf/a.pdf").split())
    assert "See the member list1 and the charter2." in printed
    assert "https://www.un.org/en/about-us/un-charter" in printed.replace(" ", "")
    tree = read_tagged_pdf(sourced / "dist/pdf/a.pdf")
    links = [normalise(reading_text(link)) for link in tree.elements("Link")]
    assert links.count("1") == 2 and links.count("2") == 1


LINT_BODY = """\
## One

Read [here](https://example.org/a) or [https://example.org/b](https://example.org/b).
Also [the report](https://example.org/c) and [the report](https://example.org/d).
En français : [cliquez ici](https://example.org/e).
"""


def test_link_texts_that_say_nothing_are_warnings(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Links", LINT_BODY)})
    result = run_cli("--project", tmp_path)
    assert result.status == 0
    assert [line for line in result.err.splitlines() if "link text" in line] == [
        "content/a.md:6: warning: the link text 'here' does not say where the link goes: "
        "describe the destination, e.g. [Interpol's member countries](…)",
        "content/a.md:6: warning: the link text is a bare address (https://example.org/b): "
        "describe the destination instead; the address is printed in the sources",
        "content/a.md:7: warning: the link text 'the report' is used for two different "
        "addresses: make each text say where its link goes",
        "content/a.md:8: warning: the link text 'cliquez ici' does not say where the link "
        "goes: describe the destination, e.g. [Interpol's member countries](…)",
    ]


def test_link_warnings_are_errors_with_strict(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Links", LINT_BODY)})
    result = run_cli("--project", tmp_path, "build", "--strict")
    assert result.status == 1
    assert result.err.splitlines()[-1] == "Build failed: 4 error(s); dist/ was left as it was."


def test_links_that_go_somewhere_are_fine(tmp_path):
    body = ("## One\n\n[Two](b.html#two), [its PDF](pdf/b.pdf), [the map](assets/map.pdf), "
            "[all handouts](index.html), [this part](#one).\n")
    make_project(tmp_path, {"content/a.md": handout("A", body),
                            "content/b.md": handout("B", "## Two\n\nText.\n"),
                            "content/assets/map.pdf": b"%PDF-1.4 not really"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err


def test_qr_codes_beside_sources_are_at_least_two_centimetres_and_decorative(tmp_path):
    import subprocess

    from PIL import Image

    make_project(tmp_path, {
        "content/a.md": handout("QR", "## One\n\n[The charter](https://www.un.org/en/charter).\n"),
        "handouts.toml": "[sources]\nqr = true\n"})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    page_html = parse_html(tmp_path / "dist/a.html")
    [code] = [element for element in page_html.iter() if element.tag.endswith("svg")]
    assert (code.get("aria-hidden"), code.get("class")) == ("true", "qr-code print-only decorative")
    # Drawn inline: the page holds no data: image (the Nu checker calls any blocked by CSP).
    assert not any((element.get("src") or "").startswith("data:") for element in page_html.iter())
    # Measure it on the printed page, at 72 dots per inch (one dot per point).
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / "dist/pdf/a.pdf"),
                    str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    width, height = page.size
    # Right of the text column (the short address ends well before 60 % of the width).
    right = page.crop((int(width * 0.6), 0, width, height))
    box = right.point(lambda value: 255 if value < 100 else 0).getbbox()
    size_cm = [(box[2] - box[0]) / 72 * 2.54, (box[3] - box[1]) / 72 * 2.54]
    assert all(2.0 <= side <= 2.6 for side in size_cm), size_cm
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    assert tree.elements("Figure") == []  # an artifact: the address is printed beside it
    assert "https://www.un.org/en/charter" in pdf_text(tmp_path / "dist/pdf/a.pdf")
