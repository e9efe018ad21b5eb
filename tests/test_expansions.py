"""One rule for an abbreviation's expansion: written at its first use in the HTML, /E in the PDF."""

from __future__ import annotations

import pytest
from testing_utils import DOT_PNG, handout, make_project, parse_html, run_cli, text_of

from handouts.check.files import check_pdf
from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise

FBI = "*[FBI]: Federal Bureau of Investigation\n"
# slug: (the handout's text, its paragraphs as built, the PDF's (abbreviation, /E) in order)
CASES = {
    "written-before": (
        "The Federal Bureau of Investigation, known as the FBI, investigates.\n\n" + FBI,
        ["The Federal Bureau of Investigation, known as the FBI, investigates."], []),
    "written-in-the-plural": (
        "Non-governmental organisations (NGOs) help.\n\n"
        "*[NGOs]: Non-governmental organisation\n",
        ["Non-governmental organisations (NGOs) help."], []),
    "written-after-with-an-article": (
        "The FBI (the Federal Bureau of Investigation) investigates.\n\n" + FBI,
        ["The FBI (the Federal Bureau of Investigation) investigates."], []),
    "inserted-then-a-later-use": (
        "The FBI investigates.\n\nLater the FBI closed the case.\n\n" + FBI,
        ["The Federal Bureau of Investigation (FBI) investigates.",
         "Later the FBI closed the case."], [("FBI", "Federal Bureau of Investigation")]),
    "a-later-use-in-the-same-paragraph": (
        "The UN and the UN.\n\n*[UN]: United Nations\n",
        ["The United Nations (UN) and the UN."], [("UN", "United Nations")]),
    "in-a-heading-first": (
        "## The FBI\n\nThe FBI investigates.\n\n" + FBI,
        ["The Federal Bureau of Investigation (FBI) investigates."], []),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("expansions")
    make_project(root, {f"content/{slug}.md": handout(slug, text)
                        for slug, (text, _, _) in CASES.items()})
    result = run_cli("--project", root, "build", "--strict")
    assert result.status == 0, result.err
    return root


@pytest.mark.parametrize("slug", CASES)
def test_the_expansion_is_given_once(built, slug):
    _, paragraphs, expansions = CASES[slug]
    page = parse_html(built / f"dist/{slug}.html")
    assert [text_of(p) for p in page.findall(".//div[@class='handout-body']//p")] == paragraphs
    assert "The FBI" in [text_of(h) for h in page.iter("h2")] or "heading" not in slug
    pdf = built / f"dist/pdf/{slug}.pdf"
    tree = read_tagged_pdf(pdf)
    assert [(normalise(reading_text(e)), e.attributes["E"]) for e in tree.root.iter()
            if "E" in e.attributes] == expansions
    # The Abbreviations list gives each term, without /E: its definition is the expansion.
    short = {"written-in-the-plural": "NGOs", "a-later-use-in-the-same-paragraph": "UN"}
    terms = [e for e in tree.elements("Lbl")
             if normalise(reading_text(e)) == short.get(slug, "FBI")]
    assert len(terms) == 1 and not any("E" in e.attributes for e in terms[0].iter())
    assert [f.format() for f in check_pdf(pdf)] == []


def test_a_linked_image_keeps_its_caption_readable(tmp_path):
    body = ('<figure><a href="https://example.org"><img src="assets/a.png" alt="A dot"></a>'
            "<figcaption>Caption</figcaption></figure>\n")
    make_project(tmp_path, {"content/a.md": handout("A", body), "content/assets/a.png": DOT_PNG})
    result = run_cli("--project", tmp_path, "build", "--strict")
    assert result.status == 0, result.err + result.out
    pdf = tmp_path / "dist/pdf/a.pdf"
    group = next(e for e in read_tagged_pdf(pdf).root.iter()
                 if "Caption" in [kid.type for kid in e.children()])
    kinds = [kid.type for kid in group.children()]  # a Span may hold the source's number
    assert (kinds[0], kinds[-1]) == ("Link", "Caption")
    assert [kid.type for kid in group.children()[0].children()] == ["Figure"]
    assert [f.format() for f in check_pdf(pdf)] == []
