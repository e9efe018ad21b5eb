"""Tables, figures, timelines and languages: each block a report uses, in HTML and in the PDF."""

from __future__ import annotations

import re

import pytest
from testing_utils import (
    DOT_PNG,
    handout,
    header_scopes,
    make_project,
    parse_html,
    run_cli,
    text_of,
)

from handouts.builder import prepare
from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise
from handouts.errors import Diagnostics
from handouts.project import Project
from handouts.transforms.timeline import iso_date

BODY = """\
## Members

Table: Members by region
{: .row-headers }

| Region | Members | Joined |
|---|---|---|
| Europe | 52 | 1923 |
| Africa | 54 | 1956 |

![A map of member countries](assets/map.png "Member countries in 2027")

## Timeline {: .timeline }

- 1923: Founded in Vienna
- 1956-06: Renamed
- 20 November 1989: Convention on the Rights of the Child
- 14 December 1990: Riyadh Guidelines
- 25 de mayo de 2000: Protocolo facultativo

## Languages

The motto is [la vie en rose]{: lang=fr } in French.

Un paragraphe entier.
{: lang=fr }
"""


@pytest.fixture(scope="module")
def blocks(tmp_path_factory):
    root = tmp_path_factory.mktemp("blocks")
    make_project(root, {"content/a.md": handout("Blocks", BODY),
                        "content/assets/map.png": DOT_PNG})
    result = run_cli("--project", root)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    return parse_html(root / "dist/a.html"), read_tagged_pdf(root / "dist/pdf/a.pdf")


def test_row_headers_and_caption(blocks):
    page, tree = blocks
    table = page.find(".//table")
    assert text_of(table.find("caption")) == "Members by region"
    assert [(cell.tag, cell.get("scope")) for cell in table.find("tbody/tr")] == [
        ("th", "row"), ("td", None), ("td", None)]
    pdf_table = tree.elements("Table")[0]
    scopes = header_scopes(pdf_table)
    assert scopes == [("Region", "Column"), ("Members", "Column"), ("Joined", "Column"),
                      ("Europe", "Row"), ("Africa", "Row")]


def test_an_image_alone_with_a_title_is_a_figure(blocks):
    page, tree = blocks
    figure = page.find(".//figure")
    assert figure.find("img").get("alt") == "A map of member countries"
    assert text_of(figure.find("figcaption")) == "Member countries in 2027"
    pdf_figure = tree.elements("Figure")[0]
    assert pdf_figure.attributes["Alt"] == "A map of member countries"
    # The caption beside the Figure, in one group: inside it, the /Alt would hide it.
    group = next(e for e in tree.root.iter() if pdf_figure in e.children())
    assert [(k.type, normalise(reading_text(k))) for k in group.children()] == [
        ("Figure", ""), ("Caption", "Member countries in 2027")]


def test_a_timeline_is_an_ordered_list_of_dated_events(blocks):
    page, tree = blocks
    timeline = page.find(".//ol[@class='timeline']")
    assert [(t.get("datetime"), text_of(t)) for t in timeline.iter("time")] == [
        ("1923", "1923"), ("1956-06", "June 1956"), ("1989-11-20", "20 November 1989"),
        ("1990-12-14", "14 December 1990"), ("2000-05-25", "25 de mayo de 2000")]
    pdf_list = next(element for element in tree.elements("L") if "Founded" in reading_text(element))
    assert len(pdf_list.children()) == 5


@pytest.mark.parametrize("lang, printed", [
    ("en", ["26 June 1945", "June 1956", "1923", "20 November 1989"]),
    ("fr", ["26 juin 1945", "juin 1956", "1923", "20 November 1989"]),
    ("es", ["26 de junio de 1945", "junio de 1956", "1923", "20 November 1989"]),
])
def test_iso_dates_in_a_timeline_print_in_words_of_the_handouts_language(tmp_path, lang,
                                                                          printed):
    """As the front matter's date does; a date the author wrote in words stays as written."""
    timeline = ("## Timeline {: .timeline }\n\n- 1945-06-26: Charter\n- 1956-06: Renamed\n"
                "- 1923: Founded\n- 20 November 1989: Convention\n")
    make_project(tmp_path, {"content/a.md": handout("Dates", timeline, lang=lang)})
    [dated] = prepare(Project.open(tmp_path), Diagnostics())
    assert [(text_of(time)) for time in dated.body.iter("time")] == printed
    assert [time.get("datetime") for time in dated.body.iter("time")] == [
        "1945-06-26", "1956-06", "1923", "1989-11-20"]


@pytest.mark.parametrize("written, value", [
    ("1989", "1989"), ("1989-11", "1989-11"), ("1989-11-20", "1989-11-20"),
    ("20 November 1989", "1989-11-20"), ("November 20, 1989", "1989-11-20"),
    ("1er janvier 2000", "2000-01-01"), ("November 1989", "1989-11"),
    ("30 February 1989", None), ("yesterday", None), ("1989-13", None),
])
def test_dates_as_written(written, value):
    assert iso_date(written) == value


def test_passages_in_another_language(blocks):
    page, tree = blocks
    assert [(e.tag, e.get("lang"), text_of(e)) for e in page.iter() if e.get("lang")
            and e.tag != "html"] == [("span", "fr", "la vie en rose"),
                                     ("p", "fr", "Un paragraphe entier.")]
    assert [(e.type, e.attributes["Lang"], normalise(reading_text(e))) for e in tree.root.iter()
            if "Lang" in e.attributes] == [("Span", "fr", "la vie en rose"),
                                          ("P", "fr", "Un paragraphe entier.")]


def test_jpeg_png_and_svg_images_all_render(tmp_path):
    import io

    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(jpeg, "JPEG")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
           '<rect width="40" height="20" fill="#0a4f8f"/></svg>')
    body = ("![A red band](assets/band.jpg)\n\n![A dot](assets/dot.png)\n\n"
            "![A blue band](assets/band.svg)\n")
    make_project(tmp_path, {"content/a.md": handout("Images", body),
                            "content/assets/band.jpg": jpeg.getvalue(),
                            "content/assets/dot.png": DOT_PNG,
                            "content/assets/band.svg": svg})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and result.err == "", result.err
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    assert [f.attributes["Alt"] for f in tree.elements("Figure")] == [
        "A red band", "A dot", "A blue band"]


def test_a_wide_table_wraps_inside_the_margins(tmp_path):
    import subprocess

    header = "| " + " | ".join(f"Column {n}" for n in range(1, 11)) + " |"
    rule = "|" + "---|" * 10
    row = "| " + " | ".join("Considerably lengthy cell text" for _ in range(10)) + " |"
    make_project(tmp_path, {"content/a.md": handout("Wide", f"{header}\n{rule}\n{row}\n")})
    assert run_cli("--project", tmp_path).status == 0
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "dist/pdf/a.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    right_edges = [float(edge) for edge in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert max(right_edges) <= 595.3 - 20 / 25.4 * 72 + 1  # A4 less its 20 mm margin
