"""The PDF structure tree says what the HTML says, element by element, whatever the page breaks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from checkers import outloud_errors, page_validation_failures
from testing_utils import (
    DOT_PNG,
    handout,
    header_scopes,
    make_project,
    parse_html,
    pdf_structure,
    pdf_text,
    run_cli,
    tag_html,
    text_of,
)

from handouts.check.files import check_pdf
from handouts.check.pdf_reader import MarkedContent, read_tagged_pdf
from handouts.check.pdf_text import reading_text
from handouts.check.text import normalise
from handouts.project import PACKAGE_ROOT

LONG_PARAGRAPH = " ".join(f"Sentence number {n} of a paragraph long enough to cross a page."
                          for n in range(1, 40))
LONG_LINK_TEXT = "a link whose words wrap over more than one line of the small test page"
BODY = f"""\
## A paragraph across pages

{LONG_PARAGRAPH}

## A list across pages

{chr(10).join(f"- List item number {n}" for n in range(1, 31))}

## A glossary {{: .glossary }}

Paedophilia
Paedophile
:   A psychiatric disorder in adults or late adolescents.

Child pornography
:   Any means of depicting or promoting sexual abuse of a child.

## A table across pages

Table: Severity levels

| Level | Name | Description |
|---|---|---|
{chr(10).join(f"| {n} | Name {n} | Description of level {n} |" for n in range(1, 31))}

## Row headers

<table>
<thead><tr><th scope="col">Country</th><th scope="col">Members</th><th scope="col">Joined</th></tr></thead>
<tbody>
<tr><th scope="row">France</th><td>1</td><td>1923</td></tr>
<tr><th scope="row">Spain</th><td>2</td><td>1956</td></tr>
<tr><th scope="row">Italy</th><td>3</td><td>1923</td></tr>
<tr><th scope="row">Chile</th><td>4</td><td>1948</td></tr>
</tbody>
</table>

## Links, images, languages

Here is {LONG_LINK_TEXT.join(["[", "](https://example.org/a-long-address)"])} in a sentence.

![](assets/dot.png){{: .decorative }}

<figure><img src="assets/dot.png" alt="A red dot on a white page"><figcaption>The dot, enlarged</figcaption></figure>

An inline ![A blue square](assets/dot.png) image.

The French say <span lang="fr">la vie en rose</span> here.

C'est la vie, en français.
{{: lang=fr }}

The EU and the EU again.[^source]

[^source]: The source of the claim.

*[EU]: European Union
"""
SMALL_PAGES = "@page { size: 105mm 120mm; margin: 10mm; }\nhtml { font-size: 9pt; }\n"


@pytest.fixture(scope="module")
def torture(tmp_path_factory):
    """A handout built to break every rule of the structure tree."""
    root = tmp_path_factory.mktemp("torture")
    make_project(root, {"content/t.md": handout("Structure torture test", BODY),
                        "content/assets/dot.png": DOT_PNG})
    # The project's own print stylesheet, smaller pages: every block crosses a page break.
    from handouts.project import PACKAGE_ROOT
    print_css = (PACKAGE_ROOT / "styles/print.css").read_text() + SMALL_PAGES
    make_project(root, {"styles/print.css": print_css})
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    assert "PDF check" not in result.err
    return root


@pytest.fixture(scope="module")
def tree(torture):
    return read_tagged_pdf(torture / "dist/pdf/t.pdf")


@pytest.fixture(scope="module")
def html(torture):
    return parse_html(torture / "dist/t.html")


def pages_of(element):
    """The pages an element's content is drawn on (through its marked-content references)."""
    return {kid.page for e in element.iter() for kid in e.kids
            if isinstance(kid, MarkedContent) and kid.text.strip()}


def test_every_block_really_crosses_a_page(tree):
    assert len(tree.pages) >= 8
    paragraph = next(p for p in tree.elements("P") if "Sentence number 1 " in reading_text(p))
    assert len(pages_of(paragraph)) >= 2


def test_a_paragraph_across_pages_is_one_p_with_its_words_apart(tree):
    paragraphs = [p for p in tree.elements("P") if "Sentence number" in reading_text(p)]
    assert len(paragraphs) == 1
    assert normalise(reading_text(paragraphs[0])) == LONG_PARAGRAPH


def test_a_list_across_pages_is_one_l(tree):
    lists = [element for element in tree.elements("L") if "List item number" in reading_text(element)]
    assert len(lists) == 1
    items = lists[0].children()
    assert [item.type for item in items] == ["LI"] * 30
    assert all([kid.type for kid in item.children()] == ["Lbl", "LBody"] for item in items)
    assert len(pages_of(lists[0])) >= 2


def test_a_definition_list_pairs_terms_and_definitions(tree):
    glossary = next(element for element in tree.elements("L") if "Paedophilia" in reading_text(element))
    items = glossary.children()
    assert len(items) == 2
    label, body = items[1].children()  # sorted: Child pornography, then Paedophilia
    assert (label.type, body.type) == ("Lbl", "LBody")
    assert normalise(reading_text(label)) == "Paedophilia, Paedophile"  # each term apart
    assert normalise(reading_text(body)).startswith(
        "A psychiatric disorder in adults or late adolescents.")


def test_a_table_across_pages_is_one_table_with_its_header_once(tree):
    tables = [t for t in tree.elements("Table") if "Severity levels" in reading_text(t)]
    assert len(tables) == 1
    table = tables[0]
    assert len(pages_of(table)) >= 2
    kinds = [kid.type for kid in table.children()]
    assert kinds == ["Caption", "THead", "TBody"]
    headers = [normalise(reading_text(e)) for e in table.iter() if e.type == "TH"]
    assert headers == ["Level", "Name", "Description"]
    rows = [e for e in table.iter() if e.type == "TR"]
    assert len(rows) == 31


def test_table_headers_carry_scope_and_cells_their_headers(tree):
    table = next(t for t in tree.elements("Table") if "Country" in reading_text(t))
    headers = {normalise(reading_text(e)): e.attributes for e in table.iter() if e.type == "TH"}
    assert headers["Country"]["Scope"] == "Column"
    assert headers["France"]["Scope"] == "Row"
    cell = next(e for e in table.iter() if e.type == "TD" and reading_text(e).strip() == "2")
    assert sorted(cell.attributes["Headers"]) == sorted(
        [headers["Spain"]["ID"], headers["Members"]["ID"]])


def test_a_wrapped_link_is_one_link_with_one_annotation(tree):
    """One stop for the keyboard: its lines are the annotation's quadrilaterals (their
    geometry is tests/test_link_stops.py's)."""
    links = [element for element in tree.elements("Link") if "wrap over" in reading_text(element)]
    assert len(links) == 2  # in the text, and again in the list of sources
    link = links[0]
    assert normalise(reading_text(link)) == LONG_LINK_TEXT
    annotations = link.annotations()
    assert len(annotations) == 1
    assert all(a.flags & 4 for a in annotations)  # they print
    assert all(a.contents == f"{LONG_LINK_TEXT}: https://example.org/a-long-address"
               for a in annotations)


def test_images_decorative_are_artifacts_informative_are_figures(tree):
    figures = tree.elements("Figure")
    assert [figure.attributes["Alt"] for figure in figures] == [
        "A red dot on a white page", "A blue square"]
    assert all(figure.children() == [] for figure in figures)
    # The caption stands beside its Figure, not inside it, where the /Alt would hide it.
    group = next(e for e in tree.root.iter() if figures[0] in e.children())
    assert (group.type, [kid.type for kid in group.children()]) == ("Div", ["Figure", "Caption"])
    assert normalise(reading_text(group.children()[1])) == "The dot, enlarged"


def test_language_changes_and_abbreviations(tree):
    french = [(e.type, e.attributes["Lang"], normalise(reading_text(e)))
              for e in tree.root.iter() if "Lang" in e.attributes]
    assert french == [("Span", "fr", "la vie en rose"), ("P", "fr", "C'est la vie, en français.")]
    expansions = [(normalise(reading_text(e)), e.attributes["E"])
                  for e in tree.root.iter() if "E" in e.attributes]
    # Only the second use in the text: the first stands beside its expansion, "The European
    # Union (EU)", and the list of abbreviations gives it as the term's definition.
    assert expansions == [("EU", "European Union")]


def test_footnotes_are_notes_with_an_id_where_they_are_called(tree):
    notes = tree.elements("Note")
    assert len(notes) == 1
    assert notes[0].attributes["ID"] == "fn:source"
    assert normalise(reading_text(notes[0])) == "The source of the claim."
    paragraph = next(p for p in tree.elements("P") if notes[0] in p.children())
    assert normalise(reading_text(paragraph)) == (
        "The European Union (EU) and the EU again. The source of the claim.")


def test_footnotes_print_at_the_foot_of_the_page_that_calls_them(torture):
    pages = pdf_text(torture / "dist/pdf/t.pdf").split("\f")
    calling = next(n for n, text in enumerate(pages) if "the EU again." in text)
    assert "1. The source of the claim." in pages[calling]
    page = parse_html(torture / "dist/t.html")
    endnotes = page.find(".//div[@class='footnote endnotes']")
    assert [li.get("id") for li in endnotes.iter("li")] == ["fn:source"]
    assert endnotes.find(".//a[@class='footnote-backref']").get("href") == "#fnref:source"


def test_page_furniture_is_artifact_and_nothing_is_untagged(tree):
    artifacts = " ".join(text for page in tree.pages for text in page.artifact_text)
    assert "Page 3 of" in artifacts
    assert not any(page.untagged_text for page in tree.pages)
    assert "Page 3 of" not in reading_text(tree.root)


def test_the_tree_reads_as_the_html_reads(tree, html):
    headings = [(e.type, normalise(reading_text(e))) for e in tree.root.iter()
                if e.type in ("H1", "H2", "H3")]
    assert headings == [(e.tag.upper(), text_of(e)) for e in html.find(".//main").iter()
                        if e.tag in ("h1", "h2", "h3")]


def test_poppler_reads_the_same_tree(torture):
    """An independent reader (poppler) sees one P, one glossary list, one Link."""
    root = pdf_structure(torture / "dist/pdf/t.pdf")
    texts = [node.text() for node in root.iter() if node.type == "P"]
    assert sum("Sentence number" in text for text in texts) == 1
    assert sum(node.type == "Link" and "wrap over" in node.text() for node in root.iter()) == 2
    assert [n.type for n in root.iter()].count("THead") == 2


def test_check_finds_nothing_to_report(torture):
    assert check_pdf(torture / "dist/pdf/t.pdf") == []
    result = run_cli("--project", torture, "check")
    assert result.status == 0
    # The page, the index, and the PDF in each of the two profiles.
    assert result.out.splitlines()[-1] == "Checked 4 file(s): 0 error(s), 0 warning(s)."


def test_independent_checkers_find_no_errors(torture):
    assert outloud_errors(torture / "dist/pdf/t.pdf") == []
    assert page_validation_failures(torture / "dist/pdf/t.pdf") == []


def test_check_finds_what_weasyprints_own_tagging_gets_wrong(torture, tmp_path):
    """The same HTML through WeasyPrint without Handouts' tagging: check must see the defects."""
    stock = tmp_path / "stock.pdf"
    subprocess.run([str(Path(sys.executable).parent / "weasyprint"), "--pdf-variant",
                    "pdf/ua-1", str(torture / "dist/t.html"), str(stock)],
                   check=True, capture_output=True)
    findings = check_pdf(stock, torture / "dist/t.html")
    rules = {finding.rule for finding in findings}
    assert {"pdf-structure", "pdf-reading-order", "pdf-links", "pdf-definition-list",
            "pdf-table-headers"} <= rules
    details = " ".join(finding.detail for finding in findings)
    # One paragraph (and the link's) in the HTML, three or more pieces in the PDF.
    assert re.search(r"P: the HTML has 2 \(Sentence number 1 [^)]*\), the PDF has [3-9] "
                     r"\(Sentence number 1 ", details)
    assert re.search(r"Table: the HTML has \d \(Severity levels[^)]*\), the PDF has \d+ "
                     r"\(Severity levels[^)]*\| Level Name Description", details)  # cut in pieces
    assert "does not print" in details


TRICKY = """\
## Spaces and links

Two *emphasised* *words* and `code` `spans` stay apart.

A [link with *emphasis* inside](https://example.org/emphasis) and an
[![A red dot](assets/dot.png)](https://example.org/image) image link.

## Tables

<table>
<tr><th></th><th>Mon</th><th>Tue</th></tr>
<tr><th>Week 1</th><td>Rules</td><td></td></tr>
<tr><th>Week 2</th><td>Debate</td><td>Vote</td></tr>
</table>

## Other blocks

<figure><blockquote><p>A quotation in a figure.</p></blockquote><figcaption>Who said it</figcaption></figure>

```
code in a block
```

## Terms {: .glossary }

etc.
:   And the rest.

Tapas
:   <span lang="es">Pequeñas raciones.</span>

The etc. term, and Tapas.
"""


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    make_project(root, {"content/t.md": handout("Tricky", TRICKY),
                        "content/assets/dot.png": DOT_PNG})
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    assert "PDF check" not in result.err, result.err
    return read_tagged_pdf(root / "dist/pdf/t.pdf"), root


def test_spaces_between_inline_elements_are_kept(tricky):
    tree, _ = tricky
    paragraph = next(p for p in tree.elements("P") if "emphasised" in reading_text(p))
    assert normalise(reading_text(paragraph)) == (
        "Two emphasised words and code spans stay apart.")


def test_every_annotation_inside_a_link_belongs_to_that_link(tricky):
    tree, _ = tricky
    links = {normalise(reading_text(link)): link for link in tree.elements("Link")}
    emphasis = links["link with emphasis inside"]
    assert emphasis.annotations() and all(
        a.target == "https://example.org/emphasis" for a in emphasis.annotations())
    image_link = next(link for link in tree.elements("Link")
                      if any(kid.type == "Figure" for kid in link.children()))
    assert all(a.target == "https://example.org/image" for a in image_link.annotations())
    tagged = sum(len(link.annotations()) for link in tree.elements("Link"))
    assert tagged == len([a for a in tree.annotations if a.subtype == "/Link"])


def test_empty_cells_keep_the_grid_and_headers_get_their_automatic_scope(tricky):
    tree, _ = tricky
    table = next(t for t in tree.elements("Table"))
    rows = [[cell.type for cell in row.children()] for row in table.iter() if row.type == "TR"]
    assert rows == [["TH", "TH", "TH"], ["TH", "TD", "TD"], ["TH", "TD", "TD"]]
    scopes = header_scopes(table)
    assert scopes == [("", "Column"), ("Mon", "Column"), ("Tue", "Column"),
                      ("Week 1", "Row"), ("Week 2", "Row")]


def test_a_figure_of_text_is_not_a_figure_and_code_blocks_pass(tricky):
    tree, _ = tricky
    assert [f.attributes.get("Alt") for f in tree.elements("Figure")] == ["A red dot"]
    assert any(normalise(reading_text(p)) == "code in a block" for p in tree.elements("P"))


def test_terms_that_look_like_markers_and_languages_in_definitions(tricky):
    tree, root = tricky
    glossary = next(element for element in tree.elements("L") if "Tapas" in reading_text(element))
    labels = [normalise(item.children()[0].text()) for item in glossary.children()]
    assert labels == ["etc.", "Tapas"]
    spanish = [e for e in tree.root.iter() if e.attributes.get("Lang") == "es"]
    assert [normalise(reading_text(e)) for e in spanish] == ["Pequeñas raciones."]
    assert run_cli("--project", root, "check").status == 0


def test_words_broken_across_lines_and_spaced_dashes_read_right(tmp_path):
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    body = (f"The word {long_word} ends here.\n\n"
            + " ".join(f"From 19{n:02d} – 20{n:02d} then" for n in range(40)) + "\n")
    make_project(tmp_path, {
        "content/a.md": handout("Words", body),
        "styles/print.css": (PACKAGE_ROOT / "styles/print.css").read_text()
        + "@page { size: 90mm 200mm; margin: 10mm; }\n",
    })
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    texts = [normalise(reading_text(p)) for p in tree.elements("P")]
    assert f"The word {long_word} ends here." in texts
    assert any(text.startswith("From 1900 – 2000 then From 1901 – 2001") for text in texts)


def test_opacity_in_a_project_stylesheet_keeps_content_in_the_tree(tmp_path):
    make_project(tmp_path, {
        "content/a.md": handout("Faded", "> A faded quotation.\n\nAfter it.\n"),
        "styles/print.css": (PACKAGE_ROOT / "styles/print.css").read_text()
        + "blockquote { opacity: 0.6; }\n",
    })
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and "PDF check" not in result.err, result.err
    tree = read_tagged_pdf(tmp_path / "dist/pdf/a.pdf")
    quote = tree.elements("BlockQuote")[0]
    assert normalise(reading_text(quote)) == "A faded quotation."


def test_tag_html_tags_a_fragment_as_the_build_does():
    """The test helper that stops short of a build: WeasyPrint, patched, on a bit of HTML."""
    pdf = tag_html("<h1>Title</h1><blockquote><p>Quoted words.</p></blockquote>"
                   "<ul><li>One</li><li>Two</li></ul>")
    assert [normalise(reading_text(element)) for element in pdf.elements("H1")] == ["Title"]
    assert normalise(reading_text(pdf.elements("BlockQuote")[0])) == "Quoted words."
    assert [normalise(reading_text(item)) for item in pdf.elements("LI")] == ["One", "Two"]
