"""Content that once went wrong: each case a reviewer found, built and checked."""

from __future__ import annotations

from testing_utils import (
    DOT_PNG,
    handout,
    make_project,
    parse_html,
    pdf_text,
    run_cli,
    text_of,
    word_boxes,
)

from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise


def build(tmp_path, body, *extra_args, toml="", lang="en", **files):
    make_project(tmp_path, {"content/a.md": handout("Edge", body, lang=lang),
                            "handouts.toml": toml, **files})
    return run_cli("--project", tmp_path, *extra_args)


def clean_build(tmp_path, body, *extra_args, **options):
    result = build(tmp_path, body, *extra_args, **options)
    assert result.status == 0, result.err
    assert "PDF check" not in result.err, result.err
    assert run_cli("--project", tmp_path, "check").status == 0
    return parse_html(tmp_path / "dist/a.html")


def ids_of(page):
    return [e.get("id") for e in page.iter() if e.get("id")]


def test_a_note_in_the_last_section_skips_to_the_end(tmp_path):
    page = clean_build(tmp_path, "## First\n\nA.\n\n## Last\n\n!!! content-note\n    Hard.\n\nB.\n")
    skip = page.find(".//p[@class='skip-section screen-only']/a")
    assert skip.get("href") == "#end-of-handout"
    assert "end-of-handout" in ids_of(page)


def test_several_notes_pass_a_strict_build(tmp_path):
    body = "".join(f"## Part {n}\n\n!!! content-note\n    Hard {n}.\n\nText {n}.\n\n"
                   for n in range(3))
    clean_build(tmp_path, body, "build", "--strict")


def test_generated_ids_never_collide_with_headings(tmp_path):
    body = ("## Results\n\n!!! content-note\n    Hard.\n\nSee [a source](https://example.org).\n\n"
            "## End results\n\nB.\n\n## Note results\n\nC.\n\n## Source 1\n\nD.\n")
    page = clean_build(tmp_path, body)
    ids = ids_of(page)
    assert len(ids) == len(set(ids))
    reference = page.find(".//sup[@class='source-ref print-only']/a").get("href")[1:]
    assert page.find(f".//*[@id='{reference}']").tag == "li"


def test_the_check_reports_duplicate_ids(tmp_path):
    make_project(tmp_path, {"dist/x.html": "<!doctype html><html lang=en><title>X</title>"
                            "<main><h1 id=a>A</h1><p id=a>B</p></main></html>"})
    result = run_cli("--project", tmp_path, "check")
    assert "dist/x.html: html-duplicate-id: the id 'a' is used twice: links to it go astray" \
        in result.out.splitlines()


def test_a_footnote_called_twice_is_printed_once_with_a_unique_id(tmp_path):
    clean_build(tmp_path, "One.[^a] Two.[^a]\n\n[^a]: The note.\n")
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    assert [note.attributes["ID"] for note in tree.elements("Note")] == ["fn:a"]
    assert pdf_text(tmp_path / "dist/pdf/a.pdf").count("The note.") == 1


def test_a_footnote_of_several_blocks_reads_as_one_note(tmp_path):
    body = "Claim.[^a]\n\n[^a]: First paragraph.\n\n    Second paragraph.\n\n    - a list item\n"
    clean_build(tmp_path, body)
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    assert normalise(reading_text(tree.elements("Note")[0])) == (
        "First paragraph. Second paragraph. a list item")


def test_terms_in_footnotes_are_not_linked_and_leave_no_broken_page_reference(tmp_path):
    body = ("Text.[^a]\n\n[^a]: A quorum is needed.\n\n"
            "## Terms {: .glossary }\n\nQuorum\n:   The members needed to vote.\n")
    result = build(tmp_path, body)
    assert result.status == 0 and "No anchor" not in result.err and "PDF check" not in result.err


def test_a_decorative_image_with_a_title_stays_decorative(tmp_path):
    page = clean_build(tmp_path, '![](assets/dot.png "A title"){: .decorative }\n',
                       **{"content/assets/dot.png": DOT_PNG})
    assert page.find(".//figure") is None
    assert read_tagged_pdf(tmp_path / "dist/pdf/a.pdf").elements("Figure") == []


def test_acronym_terms_match_only_in_capitals(tmp_path):
    body = ("## Texte\n\nUn délégué de l'UN parle. Un autre écoute.\n\n"
            "## Termes {: .glossary }\n\nUN\n:   Les Nations unies.\n")
    page = clean_build(tmp_path, body, lang="fr")
    assert [text_of(a) for a in page.iter("a") if a.get("class") == "term"] == ["UN"]


def test_footnotes_stay_out_of_the_last_section(tmp_path):
    body = "## One\n\nText.[^a]\n\n## Terms {: .glossary }\n\nQuorum\n:   Members.\n\n[^a]: Note.\n"
    page = clean_build(tmp_path, body)
    notes = page.find(".//div[@class='footnote endnotes']")
    body_div = page.find(".//div[@class='handout-body']")
    assert notes in list(body_div)


def test_a_term_that_is_also_an_abbreviation_is_linked(tmp_path):
    body = ("## One\n\nThe UN meets.\n\n## Terms {: .glossary }\n\nUN\n:   The United Nations.\n\n"
            "*[UN]: United Nations\n")
    result = build(tmp_path, body)
    assert result.status == 0 and "never used" not in result.err
    page = parse_html(tmp_path / "dist/a.html")
    assert [text_of(a) for a in page.iter("a") if a.get("class") == "term"] == ["UN"]


def test_link_none_counts_uses_without_linking(tmp_path):
    body = "## One\n\nA quorum.\n\n## Terms {: .glossary }\n\nQuorum\n:   Members.\n"
    result = build(tmp_path, body, toml='[glossary]\nlink = "none"\n')
    assert result.status == 0 and "never used" not in result.err
    page = parse_html(tmp_path / "dist/a.html")
    assert [a for a in page.iter("a") if a.get("class") == "term"] == []


def test_timelines_in_subsections_are_dated(tmp_path):
    body = "## Timeline {: .timeline }\n\n### Before\n\n- 1945: Charter\n\n### After\n\n- 1990: Later\n"
    page = clean_build(tmp_path, body)
    assert [t.get("datetime") for t in page.iter("time")] == ["1945", "1990"]


def test_an_abbreviation_used_only_in_a_heading_is_listed(tmp_path):
    body = "## The UN today\n\nText.\n\n*[UN]: United Nations\n"
    page = clean_build(tmp_path, body)
    listing = page.find(".//dl[@class='abbreviations']")
    assert [text_of(dt) for dt in listing.findall("dt")] == ["UN"]


def test_lists_sort_as_readers_expect(tmp_path):
    body = ("## One\n\nZone, État, Europe.\n\n## Terms {: .glossary }\n\nZone\n:   Z.\n\n"
            "État\n:   E.\n\nEurope\n:   E.\n")
    page = clean_build(tmp_path, body)
    assert [text_of(dt) for dt in page.find(".//dl[@class='glossary']").findall("dt")] == [
        "État", "Europe", "Zone"]


def test_source_entries_do_not_double_their_punctuation(tmp_path):
    body = '[Who are the U.N.?](https://un.org "About the U.N.")\n'
    page = clean_build(tmp_path, body)
    assert text_of(page.find(".//ol[@class='sources']/li")) == (
        "Who are the U.N.? About the U.N. https://un.org")


def test_a_passage_in_another_language_may_hold_a_link(tmp_path):
    page = clean_build(tmp_path, "See [le [site officiel](https://example.org/fr)]{: lang=fr }.\n")
    span = page.find(".//span[@lang='fr']")
    assert text_of(span).startswith("le site officiel")
    assert span.find("a").get("href") == "https://example.org/fr"


def test_footnote_back_links_speak_the_handouts_language(tmp_path):
    page = clean_build(tmp_path, "Texte.[^1]\n\n[^1]: Une note.\n", lang="fr")
    back = page.find(".//a[@class='footnote-backref']")
    assert back.get("title") == "Retour à l'appel de note 1 dans le texte"



def test_hebrew_and_arabic_are_read_in_reading_order(tmp_path):
    # Found by tests/test_properties.py: Hebrew and Arabic letters before a Chinese one, each
    # drawn from its own font, came out of the PDF in visual order.
    make_project(tmp_path, {"content/a.md": handout("אب中", "Text.\n")})
    assert "PDF check" not in run_cli("--project", tmp_path).err
    [title] = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf").elements("H1")
    assert normalise(reading_text(title)) == "אب中"


def test_a_line_that_ends_in_a_chinese_letter_keeps_its_space(tmp_path):
    # Found by tests/test_properties.py: this line breaks after 中, and the words on either
    # side of the break ran together.
    body = "# A\n\nA A AA AA AAA AAAAA – AAA AAAAAAAA A AA AAA AA AA – AAAAAA{% A中 AAAAAAAA\n"
    result = build(tmp_path, body)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    paragraph = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf").elements("P")[-1]
    assert normalise(reading_text(paragraph)).endswith("A中 AAAAAAAA")


def test_a_word_broken_across_a_page_break_reads_as_one_word(tmp_path):
    # Found by tests/test_properties.py: the last line of a page, inside a word too long for
    # a line, was read with a space after it.
    # Every letter, in an order English hyphenation finds no break in: WeasyPrint tries each
    # place it does find, laying out the rest of the word each time (30 s for this word).
    word = "".join("avfmtxjsnyokbwgeilqcuhzdrp"[n % 26] for n in range(6000))
    result = build(tmp_path, f"Before.\n\n{word}\n")
    assert result.status == 0 and "PDF check" not in result.err, result.err
    pdf = tmp_path / "dist/pdf/a.pdf"
    # Pieces of the word on two pages or more: the page break this test is about is there.
    assert len({box[0] for box in word_boxes(pdf) if len(box[7]) > 20 and box[7] in word}) > 1
    assert normalise(reading_text(read_tagged_pdf(pdf).elements("P")[-1])) == word
