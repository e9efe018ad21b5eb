"""Content notes: announced before what they warn about, skippable, and placed for paper readers."""

from __future__ import annotations

import re

import pytest
from testing_utils import (
    EXAMPLE_SLUG,
    handout,
    make_project,
    parse_html,
    pdf_text,
    prepare_messages,
    run_cli,
    text_of,
)

from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise

FILLER = " ".join(f"Sentence {n} of a long section that runs over a page." for n in range(60))
BODY = f"""\
## Before

Calm text.

## Difficult

!!! content-note
    This section describes violence.

{FILLER}

### Inside

Still difficult.

## After

Calm again.
"""


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    root = tmp_path_factory.mktemp("noted")
    make_project(root, {"content/a.md": handout(
        "Notes", BODY, content_notes='["The whole handout mentions war."]')})
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    assert result.err == ""
    return root


def test_handout_notes_come_first_in_a_named_region(noted):
    article = parse_html(noted / "dist/a.html").find(".//article")
    region = article[1]
    assert region.tag == "section" and region.get("aria-labelledby") == "content-notes-label"
    assert text_of(region) == "Content note The whole handout mentions war."
    assert article[2].get("class") == "toc"  # the notes stand before the contents


def test_handout_notes_come_first_in_the_pdf(noted):
    tree = read_tagged_pdf(noted / "dist/pdf/a.pdf")
    article = next(e for e in tree.root.iter() if e.type == "Art")
    kinds = [(kid.type, kid.attributes.get("T")) for kid in article.children()]
    assert kinds[:2] == [("Div", None), ("Sect", "Content note")]
    assert normalise(reading_text(article.children()[1])) == (
        "Content note The whole handout mentions war.")


def test_a_section_note_offers_to_skip_to_the_next_section(noted):
    page = parse_html(noted / "dist/a.html")
    note = page.find(".//section[@class='has-content-note']/div[@class='content-note']")
    assert note.get("role") == "note"
    label = note.find("*[@id='note-difficult']")  # a heading one level below its section's
    assert (label.tag, text_of(label)) == ("h3", "Content note")
    skip = note.find("p[@class='skip-section screen-only']/a")
    assert (skip.get("href"), text_of(skip)) == ("#after", "Skip this section")


def test_the_contents_mark_sections_with_a_note_in_words(noted):
    toc = parse_html(noted / "dist/a.html").find(".//nav[@class='toc']")
    assert [text_of(a) for a in toc.iter("a")] == [
        "Before", "Difficult (content note)", "Inside", "After"]


def test_paper_readers_learn_where_the_section_ends(noted):
    pages = pdf_text(noted / "dist/pdf/a.pdf").split("\f")
    sentence = re.search(r"This section ends on page (\d+); the next section, After, starts "
                         r"on page (\d+)\.", " ".join(" ".join(pages).split()))
    assert sentence, pages[0]
    ends, starts = int(sentence[1]), int(sentence[2])
    last_words_page = next(n for n, text in enumerate(pages, 1) if "Still difficult." in text)
    after_page = next(n for n, text in enumerate(pages, 1) if "Calm again." in text)
    assert (ends, starts) == (last_words_page, after_page)
    assert ends > 1  # the section really runs over a page


def test_page_numbers_of_the_note_are_links_and_are_read(noted):
    tree = read_tagged_pdf(noted / "dist/pdf/a.pdf")
    links = [link for link in tree.elements("Link") if "page" in reading_text(link)]
    ends = re.search(r"ends on page (\d+)", pdf_text(noted / "dist/pdf/a.pdf"))[1]
    assert normalise(links[0].text()) == f"on page {ends}"
    assert len(links) == 2 and all(link.annotations() for link in links)


def test_notes_can_collapse_their_section_on_screen_but_never_in_print(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Notes", BODY),
                            "handouts.toml": "[content_notes]\ncollapse = true\n"})
    assert run_cli("--project", tmp_path).status == 0
    section = parse_html(tmp_path / "dist/a.html").find(".//section[@class='has-content-note']")
    details = section.find("details")
    assert details is not None and details.get("open") is None
    assert text_of(details.find("summary")) == "Show this section"
    assert "Sentence 1 of a long section" in text_of(details)
    printed = pdf_text(tmp_path / "dist/pdf/a.pdf")
    assert "Sentence 59 of a long section" in printed and "Show this section" not in printed


def test_notes_speak_the_handouts_language(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Notes", BODY, lang="fr")})
    assert run_cli("--project", tmp_path).status == 0
    page = parse_html(tmp_path / "dist/a.html")
    assert text_of(page.find(".//h3[@id='note-difficult']")) == "Avertissement sur le contenu"
    assert text_of(page.find(".//p[@class='skip-section screen-only']")) == "Passer cette section"
    assert re.search(r"Cette section se termine à la page \d+ ; la section suivante|"
                     r"Cette section se termine à la page \d+; la section suivante",
                     " ".join(pdf_text(tmp_path / "dist/pdf/a.pdf").split()))


def test_the_example_warns_before_the_copine_scale(example):
    page = parse_html(example / "dist" / f"{EXAMPLE_SLUG}.html")
    section = next(s for s in page.iter("section") if s.find("h3") is not None
                   and text_of(s.find("h3")) == "The COPINE scale")
    # (a page marker, and the packet's page anchor, may stand between: where page 5 begins)
    content = [child for child in section
               if child.get("class") not in ("page-marker", "packet-page-anchor")]
    assert [child.tag for child in content][:3] == ["h3", "div", "table"]
    assert section[1].get("class") == "content-note"


def test_a_section_note_comes_before_the_content_it_warns_about_in_the_pdf(noted):
    tree = read_tagged_pdf(noted / "dist/pdf/a.pdf")
    section = next(s for s in tree.elements("Sect")
                   if s.children() and normalise(reading_text(s.children()[0])) == "Difficult")
    kinds = [(kid.type, kid.attributes.get("T")) for kid in section.children()]
    assert kinds[:3] == [("H2", None), ("Div", "Content note"), ("P", None)]
    assert normalise(reading_text(section.children()[1])).startswith(
        "Content note This section describes violence. This section ends on page")
    assert normalise(reading_text(section.children()[2])).startswith("Sentence 0 of a long")


def test_a_misspelt_content_note_is_a_warning_at_its_line():
    """'!!! content_note' is a plain box (no skip link, not in the contents): the author
    meant a note. Other boxes ('!!! note', '!!! warning') are the author's own."""
    def box(kind: str) -> str:
        return handout("A", f"## One\n\n!!! {kind}\n    What this section holds.\n\nText.\n")

    files = {f"content/{name}.md": box(kind) for name, kind in [
        ("a", "content_note"), ("b", "Content-Notes"), ("c", "content note"),
        ("d", "note"), ("e", "warning"), ("f", "content-note"), ("g", "context-note"),
        ("h", "comment-note")]}
    assert prepare_messages(files) == [
        f"content/{name}.md:6: warning: '!!! {written}' is not a content note, so it is "
        "printed as a plain box (no skip link, not in the contents): write '!!! content-note'"
        for name, written in [("a", "content_note"), ("b", "content-notes"),
                              ("c", "content note")]]
