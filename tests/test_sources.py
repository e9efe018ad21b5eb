"""Sources: each external link is a numbered source, printed in full for paper readers."""

from __future__ import annotations

import pytest

from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_rules import normalise, reading_text
from testing_utils import handout, make_project, parse_html, pdf_text, run_cli, text_of

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
    assert [h for h in (text_of(h2) for h2 in page.iter("h2"))][-1] == "Sources"


def test_long_addresses_break_after_slashes_and_before_queries(sourced):
    address = parse_html(sourced / "dist/a.html").find(".//span[@class='source-url']")
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
