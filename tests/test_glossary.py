"""Glossary and abbreviations: terms linked from their uses, expansions where readers need them."""

from __future__ import annotations

import re

import pytest
from testing_utils import handout, make_project, parse_html, pdf_text, run_cli, text_of

from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise

BODY = """\
## Introduction

A Delegate meets other delegates. Each delegate has a Rapporteur nearby.

## Debate

The delegates speak; a delegate yields. `delegate` in code is not a term.

### [A delegate link](https://example.org)

The Secretariat decides. The Committees meet. A committee sits.

## Key terms {: .glossary }

Rapporteur
:   The member who writes the report.

Delegate
Representative
:   A person who speaks for a country.

Committee
:   A body of delegates.

Unused term
:   Never mentioned.
"""
SHARED = """\
Secretariat
:   The staff who run the conference.

Rapporteur
:   The shared definition, overridden by the handout's.

*[UN]: United Nations
"""


@pytest.fixture(scope="module")
def glossary_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("glossary")
    make_project(root, {"content/a.md": handout("Terms", BODY + "\nThe UN and the UN.\n"),
                        "content/glossary.md": SHARED})
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    return root, result


def term_links(page):
    return [(a.get("href"), text_of(a)) for a in page.iter("a")
            if a.get("class") == "term"]


def test_first_use_in_each_section_links_to_the_entry(glossary_project):
    root, _ = glossary_project
    page = parse_html(root / "dist/a.html")
    assert term_links(page) == [
        ("#term-delegate", "Delegate"), ("#term-rapporteur", "Rapporteur"),
        ("#term-delegate", "delegates"), ("#term-secretariat", "Secretariat"),
        ("#term-committee", "Committees"),
    ]
    assert page.find(".//code").text == "delegate"  # never inside code, headings or links


def test_entries_are_a_sorted_definition_list_with_aliases_and_a_way_back(glossary_project):
    root, _ = glossary_project
    page = parse_html(root / "dist/a.html")
    dl = page.find(".//dl[@class='glossary']")
    # An entry's aliases share its <dt>, each term read apart: "Delegate, Representative".
    assert [text_of(dt) for dt in dl.findall("dt")] == [
        "Committee", "Delegate, Representative", "Rapporteur", "Secretariat", "Unused term"]
    assert [text_of(dfn) for dfn in dl.findall("dt")[1].findall("dfn")] == [
        "Delegate", "Representative"]
    dfn = dl.find("dt/dfn[@id='term-delegate']")
    assert dfn is not None and text_of(dfn) == "Delegate"
    back = dl.find(".//a[@class='screen-only']")
    assert back.get("href") == "#use-term-committee"
    first_use = page.find(".//a[@id='use-term-committee']")
    assert text_of(first_use) == "Committees"


def test_a_handouts_own_definition_wins_over_the_shared_one(glossary_project):
    root, _ = glossary_project
    text = text_of(parse_html(root / "dist/a.html").find(".//dl[@class='glossary']"))
    assert "The member who writes the report." in text
    assert "overridden" not in text
    assert "The staff who run the conference." in text  # a used shared term is included


def test_unused_terms_are_warned_about(glossary_project):
    _, result = glossary_project
    assert "content/a.md:28: warning: the term 'Unused term' is defined but never used" \
        in result.err.splitlines()


def test_print_shows_the_page_of_first_use(glossary_project):
    root, _ = glossary_project
    text = " ".join(pdf_text(root / "dist/pdf/a.pdf").split())
    assert re.search(r"A person who speaks for a country\. \(first used on page 1\)", text)


def test_terms_are_links_in_the_pdf(glossary_project):
    root, _ = glossary_project
    tree = read_tagged_pdf(root / "dist/pdf/a.pdf")
    texts = [normalise(reading_text(link)) for link in tree.elements("Link")]
    assert "Rapporteur" in texts and "Committees" in texts


def test_abbreviations_are_expanded_once_and_listed(glossary_project):
    root, _ = glossary_project
    page = parse_html(root / "dist/a.html")
    paragraph = next(p for p in page.iter("p") if "UN" in text_of(p) and "and the" in text_of(p))
    assert text_of(paragraph) == "The United Nations (UN) and the UN."
    assert [a.get("title") for a in paragraph.iter("abbr")] == ["United Nations"] * 2
    listing = page.find(".//dl[@class='abbreviations']")
    assert [(text_of(dt), text_of(dd)) for dt, dd in zip(listing.findall("dt"),
                                                         listing.findall("dd"))] == [
        ("UN", "United Nations")]
    headings = [text_of(h) for h in page.iter("h2")]
    assert headings.index("Abbreviations") == headings.index("Key terms") + 1


def test_expansions_are_in_the_pdf(glossary_project):
    root, _ = glossary_project
    tree = read_tagged_pdf(root / "dist/pdf/a.pdf")
    # The second use only: the first stands beside its expansion, "The United Nations (UN)",
    # and the list of abbreviations gives it as the term's definition.
    assert [(normalise(reading_text(e)), e.attributes["E"]) for e in tree.root.iter()
            if "E" in e.attributes] == [("UN", "United Nations")]


def test_an_expansion_the_author_wrote_is_not_repeated(tmp_path):
    body = "The Federal Bureau of Investigation (FBI) and the FBI.\n\n*[FBI]: Federal Bureau of Investigation\n"
    make_project(tmp_path, {"content/a.md": handout("A", body)})
    assert run_cli("--project", tmp_path).status == 0
    paragraph = parse_html(tmp_path / "dist/a.html").find(".//div[@class='handout-body']/p")
    assert text_of(paragraph) == "The Federal Bureau of Investigation (FBI) and the FBI."


def test_link_all_and_none(tmp_path):
    body = "## A\n\nDelegate, delegate.\n\n## Terms {: .glossary }\n\nDelegate\n:   A person.\n"
    for mode, expected in (("all", 2), ("none", 0)):
        make_project(tmp_path, {"content/a.md": handout("A", body),
                                "handouts.toml": f'[glossary]\nlink = "{mode}"\nsort = false\n'})
        assert run_cli("--project", tmp_path).status == 0
        assert len(term_links(parse_html(tmp_path / "dist/a.html"))) == expected


def prepared(root, files: dict[str, str]):
    """Every handout of a project made of files, loaded, parsed and transformed: no pages."""
    from handouts.errors import Diagnostics
    from handouts.prepare.stage import prepare
    from handouts.project import Project

    make_project(root, files)
    return {item.slug: item for item in prepare(Project.open(root), Diagnostics())}


def expansions(item) -> list[tuple[str, str]]:
    return [(text_of(abbr), abbr.get("title")) for abbr in item.body.iter("abbr")]


SHARED_ABBREVIATIONS = "*[UN]: United Nations\n*[EU]: European Union\n"


def test_shared_abbreviations_reach_every_handout_and_a_handouts_own_win(tmp_path):
    handouts = prepared(tmp_path, {
        "content/glossary.md": SHARED_ABBREVIATIONS,
        "content/a.md": handout("A", "The UN and the EU.\n\n*[EU]: Union européenne\n"),
        "content/b.md": handout("B", "The UN and the EU.\n")})
    assert expansions(handouts["a"])[:2] == [("UN", "United Nations"),
                                             ("EU", "Union européenne")]
    assert expansions(handouts["b"])[:2] == [("UN", "United Nations"),
                                             ("EU", "European Union")]


def test_the_shared_abbreviations_never_show_as_text_after_an_open_html_block(tmp_path):
    """They were added to the end of each handout's Markdown: a handout ending in an HTML block
    never closed printed '*[UN]: United Nations' as a line of its text."""
    text = handout("B", "The UN met.\n\n<div>\nA block never closed\n")
    handouts = prepared(tmp_path, {"content/glossary.md": SHARED_ABBREVIATIONS,
                                   "content/b.md": text})
    assert "*[" not in text_of(handouts["b"].body)
    assert expansions(handouts["b"])[0] == ("UN", "United Nations")


def test_preparing_never_edits_the_loaded_source(tmp_path):
    import dataclasses

    text = handout("B", "The UN met.\n")
    handouts = prepared(tmp_path, {"content/glossary.md": SHARED_ABBREVIATIONS,
                                   "content/b.md": text})
    source = handouts["b"].source
    assert source.body == text.split("---\n", 2)[2]  # as written, nothing added
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.body = ""  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.meta.title = ""  # type: ignore[misc]
    assert isinstance(source.meta.authors, tuple) and isinstance(source.meta.content_notes, tuple)


def test_too_many_abbreviations_with_the_shared_ones_are_refused_at_the_handouts_own(tmp_path):
    """The shared glossary's count first: the one over the limit is the handout's own line
    (it was a line past the file's end, where the shared ones had been added)."""
    make_project(tmp_path, {
        "content/glossary.md": "".join(f"*[S{number}]: Shared {number}\n"
                                       for number in range(499)),
        "content/a.md": handout("A", "S1 and O1.\n\n*[O1]: Own one\n*[O2]: Own two\n"
                                "*[S3]: Its own S3, counted once\n")})
    result = run_cli("--project", tmp_path, "build")
    assert result.status == 1 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == (
        "content/a.md:8: this is abbreviation number 501 of 501 (with the shared "
        "glossary's); a handout may have at most 500: keep the ones readers meet")
