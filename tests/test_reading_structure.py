"""What a screen reader finds in the tagged PDF, and says: captions, contents, content notes,
expansions, glossary aliases, list numbering (issue 14); each rule also shown to catch its defect."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from checkers import vnu_messages
from testing_utils import (
    DOT_PNG,
    EXAMPLE_SLUG,
    handout,
    make_project,
    parse_html,
    pdf_text,
    reader_pdfs,
    run_cli,
)

from handouts.check.expected_structure import html_text, readable_elements, without_classes
from handouts.check.files import check_pdf, html_source_for
from handouts.check.pdf_reader import _page_content, read_tagged_pdf
from handouts.check.pdf_text import LIST_MARKER, reading_text
from handouts.check.text import normalise
from handouts.pdf.profiles import STANDARD_HIDDEN, for_pdf
from handouts.pdf.render import render_pdf

HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
READING_RULES = {"pdf-figures", "pdf-captions", "pdf-contents", "pdf-abbreviations",
                 "pdf-list-numbering"}
TOCI_KIDS = {"Lbl", "Reference", "NonStruct", "P", "TOC"}
# The PDF blocks that hold a sentence: where an abbreviation's neighbours are read.
TEXT_BLOCKS = set(HEADINGS) | {"P", "Lbl", "LBody", "TD", "TH", "Caption", "TOCI", "Note",
                                "BlockQuote"}
MARKER_NUMBERING = {"•": "Disc", "◦": "Circle", "▪": "Square"}
QUOTES = str.maketrans("", "", "\"'‘’“”«»")


def printed_html(pdf: Path):
    """The HTML the PDF is made from, without what its profile hides in print."""
    page = html_source_for(pdf)
    return without_classes(parse_html(page), for_pdf(pdf, page) or STANDARD_HIDDEN)


def walk(element, ancestors=()):
    """Each structure element with its ancestors, outermost first."""
    yield element, ancestors
    for kid in element.children():
        yield from walk(kid, ancestors + (element,))


def spoken(text: str) -> str:
    return normalise(text.translate(QUOTES)).casefold()


# What each requirement asks, as a list of what is wrong (empty when all is well)

def hidden_captions(tree) -> list[str]:
    """Captions under an element with /Alt, and tables with /Alt: readers never hear them."""
    return [f"{element.type}: {normalise(reading_text(element))[:40]}"
            for element, ancestors in walk(tree.root)
            if (element.type == "Caption" and any("Alt" in a.attributes for a in ancestors))
            or (element.type == "Table" and "Alt" in element.attributes)]


def unread_captions(tree, html) -> list[str]:
    """The HTML's captions that no reachable Caption reads."""
    reachable = [normalise(reading_text(element)) for element, ancestors in walk(tree.root)
                 if element.type == "Caption"
                 and not any("Alt" in a.attributes for a in ancestors)]
    return [text for text in (normalise(html_text(caption)) for caption in readable_elements(html)
                              if caption.tag in ("caption", "figcaption"))
            if text not in reachable]


def contents_problems(tree, html) -> list[str]:
    """The contents are a TOC after a heading, of TOCI each holding its Link in a Reference."""
    entries = [item for nav in readable_elements(html) if nav.tag == "nav"
               and "toc" in (nav.get("class") or "").split()
               for item in readable_elements(nav) if item.tag == "li"]
    problems = []
    items = tree.elements("TOCI")
    if len(items) != len(entries):
        problems.append(f"{len(entries)} entries in the HTML's contents, {len(items)} TOCI")
    for element, ancestors in walk(tree.root):
        if element.type == "TOC" and ancestors[-1].type != "TOCI":
            siblings = ancestors[-1].children()
            if not any(kid.type in HEADINGS for kid in siblings[:siblings.index(element)]):
                problems.append("a TOC without a heading before it")
        if element.type == "TOC" and any(kid.type not in ("TOCI", "TOC")
                                          for kid in element.children()):
            problems.append("a TOC holds something else than TOCI")
        if element.type == "TOCI":
            text = normalise(reading_text(element))[:40]
            if any(kid.type not in TOCI_KIDS for kid in element.children()):
                problems.append(f"the TOCI '{text}' holds {[k.type for k in element.children()]}")
            if not any(kid.type == "Reference" and any(k.type == "Link" for k in kid.children())
                       for kid in element.children()):
                problems.append(f"the TOCI '{text}' holds no Reference with its Link")
    return problems


def content_note_problems(tree, html) -> list[str]:
    """Each content note stands in the PDF as a group that a heading, its label, opens."""
    notes = [element for element in readable_elements(html)
             if {"content-notes", "content-note"} & set((element.get("class") or "").split())]
    problems = [f"the note '{normalise(html_text(note))[:40]}' has no heading first"
                for note in notes if note[0].tag not in ("h2", "h3", "h4", "h5", "h6")]
    labels = {normalise(html_text(note[0])) for note in notes}
    groups = [normalise(reading_text(ancestors[-1])) for element, ancestors in walk(tree.root)
              if element.type in HEADINGS and normalise(reading_text(element)) in labels
              and ancestors[-1].children()[0] is element]
    wanted = [normalise(html_text(note)) for note in notes]
    if sorted(groups) != sorted(wanted):
        problems.append(f"the HTML's notes {wanted}, the PDF's groups under a heading {groups}")
    return problems


def expansion_problems(tree) -> list[str]:
    """/E where its expansion is read already: in a heading, beside it, as its list entry."""
    problems = []
    for element, ancestors in walk(tree.root):
        if "E" not in element.attributes:
            continue
        short, expansion = spoken(reading_text(element)), spoken(element.attributes["E"])
        block = next((a for a in reversed(ancestors) if a.type in TEXT_BLOCKS), tree.root)
        if any(a.type in HEADINGS for a in ancestors):
            problems.append(f"/E on {short} in a heading")
        elif block.type == "Lbl" and any(
                kid.type == "LBody" and spoken(reading_text(kid)).startswith(expansion)
                for kid in ancestors[-1 - list(reversed(ancestors)).index(block) - 1].children()):
            problems.append(f"/E on {short}, a term defined as its expansion")
        elif f"{expansion} ({short})" in spoken(reading_text(block)) \
                or f"{short} ({expansion})" in spoken(reading_text(block)):
            problems.append(f"/E on {short} beside its own expansion")
    return problems


def alias_problems(tree, html) -> list[str]:
    """A glossary entry's terms read apart: "Paedophilia, Paedophile"."""
    labels = {normalise(reading_text(label)) for label in tree.elements("Lbl")}
    problems = []
    for dl in readable_elements(html):
        if dl.tag != "dl" or "glossary" not in (dl.get("class") or "").split():
            continue
        group, previous = [], None
        for child in list(dl) + [None]:
            if child is not None and child.tag == "dt":
                group = group if previous == "dt" else []
                group += [normalise(html_text(d)) for d in child.iter("dfn")]
            elif group and previous == "dt" and len(group) > 1 \
                    and ", ".join(group) not in labels:
                problems.append(f"no Lbl reads '{', '.join(group)}'")
            previous = child.tag if child is not None else None
    return problems


def numbering_problems(tree) -> list[str]:
    """Every L has its ListNumbering, and it names the markers its labels show."""
    problems = []
    for element in tree.elements("L"):
        numbering = element.attributes.get("ListNumbering")
        labels = {normalise(kid.text()) for item in element.children()
                  for kid in item.children() if kid.type == "Lbl"}
        text = normalise(reading_text(element))[:40]
        if numbering is None:
            problems.append(f"the L '{text}' has no ListNumbering")
        elif labels and all(re.fullmatch(r"\d+\.", label) for label in labels):
            problems += [f"the numbered L '{text}' is {numbering}"] * (numbering != "Decimal")
        elif len(labels) == 1 and labels <= set(MARKER_NUMBERING):
            wanted = MARKER_NUMBERING[labels.pop()]
            problems += [f"the L '{text}' is {numbering}, not {wanted}"] * (numbering != wanted)
        elif labels and not any(LIST_MARKER.match(label) for label in labels):
            problems += [f"the definition list '{text}' is {numbering}"] * (numbering != "None")
    return problems


def first_use_texts(span) -> tuple[str, str]:
    """What the screen shows of a glossary entry's way back, and what paper shows."""
    screen = without_classes(copy.deepcopy(span), frozenset({"print-only"}))
    paper = without_classes(copy.deepcopy(span), frozenset({"screen-only"}))
    return normalise("".join(screen.itertext())), normalise("".join(paper.itertext()))


def first_use_problems(html, printed: str) -> list[str]:
    """Screen "(first use)" and paper "(first used on page N)", brackets balanced."""
    problems = []
    for span in html.iter("span"):
        if "first-use" not in (span.get("class") or "").split():
            continue
        screen, paper = first_use_texts(span)
        for text in (screen, paper):
            if not re.fullmatch(r"\([^()]+\)", text):
                problems.append(f"'{text}' is not one bracketed phrase")
        inner = paper.strip("()").strip()
        if not re.search(rf"\({re.escape(inner)} \d+\)", printed):
            problems.append(f"the PDF never prints '({inner} N)'")
    return problems


# Every PDF of every project

def test_every_pdf_reads_as_its_pages_say(project):
    problems = {}
    for pdf in reader_pdfs(project):
        tree, html = read_tagged_pdf(pdf), printed_html(pdf)
        found = (hidden_captions(tree) + unread_captions(tree, html)
                 + contents_problems(tree, html) + content_note_problems(tree, html)
                 + expansion_problems(tree) + alias_problems(tree, html)
                 + numbering_problems(tree)
                 + [f.format() for f in check_pdf(pdf) if f.rule in READING_RULES])
        if found:
            problems[str(pdf.relative_to(project))] = found
    assert problems == {}


def test_every_pdf_has_contents_content_notes_and_expansions_to_check(example):
    """The example holds what the rules are about, so that they are not met by default."""
    pdf = example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf"
    tree = read_tagged_pdf(pdf)
    assert len(tree.elements("TOCI")) >= 8 and tree.elements("TOC")
    headings = [normalise(reading_text(e)) for e in tree.root.iter() if e.type in HEADINGS]
    assert headings.count("Content note") == 2  # the handout's, and the COPINE scale's
    assert ("H2", "Content note") in [(e.type, normalise(reading_text(e)))
                                      for e in tree.root.iter()]
    expanded = {normalise(reading_text(e)) for e in tree.root.iter() if "E" in e.attributes}
    assert {"ICSE DB", "NGOs"} <= expanded  # later uses
    assert "PC" not in expanded  # "Personal Computers (also known as PC’s)": read already
    labels = {normalise(reading_text(label)) for label in tree.elements("Lbl")}
    assert "Paedophilia, Paedophile" in labels
    unesco = read_tagged_pdf(example / "dist" / "pdf" / "unesco-heritage-in-conflict.pdf")
    group = next(e for e in unesco.root.iter()
                 if [kid.type for kid in e.children()] == ["Figure", "Caption"])
    assert group.type == "Div"
    assert normalise(reading_text(group.children()[1])) == "World Heritage sites by region, 2024"


def test_glossary_way_back_reads_once_on_screen_and_on_paper(project):
    problems = {}
    for pdf in reader_pdfs(project):
        page = html_source_for(pdf)
        found = first_use_problems(parse_html(page), normalise(pdf_text(pdf)))
        if found:
            problems[str(pdf.relative_to(project))] = found
    assert problems == {}


def test_no_section_lacks_a_heading(project):
    pages = sorted((project / "dist").glob("*.html")) + sorted(
        (project / "dist" / "_packets").glob("*.html"))
    assert [(m["url"], m["message"]) for m in vnu_messages(project / "dist", *pages)
            if "lacks heading" in m["message"]] == []


# Each rule catches the defect it guards

@pytest.fixture()
def broken(example, tmp_path):
    """Copies of the example's PDFs to break by hand, each beside the name of its HTML."""
    def copy_of(slug: str) -> tuple[Path, Path]:
        pdf = tmp_path / "pdf" / f"{slug}.pdf"
        pdf.parent.mkdir(exist_ok=True)
        shutil.copy(example / "dist" / "pdf" / f"{slug}.pdf", pdf)
        return pdf, example / "dist" / f"{slug}.html"
    return copy_of


def struct_elements(pdf: pikepdf.Pdf, kind: str) -> list:
    """The structure elements of a type, in the tree's order."""
    def visit(node):
        kids = node.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                if kid.get("/S") == f"/{kind}":
                    yield kid
                yield from visit(kid)
    return list(visit(pdf.Root.StructTreeRoot))


def rules_reported(pdf: Path, html: Path) -> dict[str, list[str]]:
    findings = {}
    for finding in check_pdf(pdf, html):
        findings.setdefault(finding.rule, []).append(finding.detail)
    return findings


def test_a_caption_inside_a_figure_with_alt_is_reported(broken):
    pdf, html = broken("unesco-heritage-in-conflict")
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        caption = next(c for c in struct_elements(document, "Caption")
                       if c.P.get("/S") == "/Div")
        group, figure = caption.P, next(k for k in caption.P.K if k.get("/S") == "/Figure")
        group.K = pikepdf.Array([k for k in group.K if k.objgen != caption.objgen])
        figure.K = pikepdf.Array([*figure.K, caption])  # as WeasyPrint and Handouts once did
        caption.P = figure
        document.save(pdf)
    tree = read_tagged_pdf(pdf)
    assert hidden_captions(tree) == ["Caption: World Heritage sites by region, 2024"]
    assert unread_captions(tree, parse_html(html)) == ["World Heritage sites by region, 2024"]
    assert any("inside a Figure with /Alt" in detail
               for detail in rules_reported(pdf, html)["pdf-captions"])


def test_a_table_with_alt_is_reported(broken):
    pdf, html = broken("unesco-heritage-in-conflict")
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        struct_elements(document, "Table")[0].Alt = pikepdf.String("A table")
        document.save(pdf)
    assert len(hidden_captions(read_tagged_pdf(pdf))) == 2  # the Table, and its Caption
    assert any("hides its caption and cells" in detail
               for detail in rules_reported(pdf, html)["pdf-captions"])


def test_contents_as_a_plain_list_are_reported(broken):
    pdf, html = broken("unesco-heritage-in-conflict")
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        for old, new in (("TOC", "L"), ("TOCI", "LI"), ("Reference", "LBody")):
            for element in struct_elements(document, old):
                element.S = pikepdf.Name(f"/{new}")
        document.save(pdf)
    tree = read_tagged_pdf(pdf)
    assert contents_problems(tree, parse_html(html)) == [
        "8 entries in the HTML's contents, 0 TOCI"]
    assert rules_reported(pdf, html)["pdf-contents"] == [
        "the HTML has 1 contents, the PDF 0 TOC: readers cannot tell the contents from any "
        "other list"]


def test_a_contents_entry_without_its_link_is_reported(broken):
    pdf, html = broken("unesco-heritage-in-conflict")
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        struct_elements(document, "Reference")[0].S = pikepdf.Name("/Span")
        document.save(pdf)
    assert "the TOCI 'Introduction' holds Span, which a TOCI may not hold" \
        in rules_reported(pdf, html)["pdf-contents"]
    assert "the TOCI 'Introduction' holds no Reference with its Link" \
        in contents_problems(read_tagged_pdf(pdf), parse_html(html))


def test_expansions_read_twice_are_reported(broken):
    pdf, html = broken(EXAMPLE_SLUG)
    expansion = "Combating Paedophile Information Network in Europe"
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        copine = [s for s in struct_elements(document, "Span") if "/E" not in s
                  and str(s.P.get("/S")) in ("/P", "/Lbl", "/H3")
                  and _text(document, s) == "COPINE"]
        assert sorted(str(s.P.S) for s in copine) == ["/H3", "/Lbl", "/P"]
        for span in copine:  # beside its expansion, in the list, in a heading
            span.E = pikepdf.String(expansion)
        document.save(pdf)
    assert sorted(expansion_problems(read_tagged_pdf(pdf))) == [
        "/E on copine beside its own expansion", "/E on copine in a heading",
        "/E on copine, a term defined as its expansion"]
    details = rules_reported(pdf, html)["pdf-abbreviations"]
    assert details == ["3 /E where the expansion is read already (written beside the "
                       "abbreviation, in a heading or as its entry in the Abbreviations list), "
                       "so a reader hears it twice: COPINE, COPINE, COPINE"]


def test_an_abbreviation_without_its_expansion_is_reported(broken):
    pdf, html = broken(EXAMPLE_SLUG)
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        for span in struct_elements(document, "Span"):
            if "/E" in span and _text(document, span) == "ICSE DB":
                del span["/E"]
        document.save(pdf)
    assert rules_reported(pdf, html)["pdf-abbreviations"] == [
        "1 abbreviation(s) without /E: ICSE DB"]


def test_a_list_without_its_numbering_is_reported(broken):
    pdf, html = broken(EXAMPLE_SLUG)
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        lists = struct_elements(document, "L")
        del lists[0]["/A"]
        lists[1].A.ListNumbering = pikepdf.Name("/Ordered")  # PDF 2.0's, not PDF 1.7's
        document.save(pdf)
    tree = read_tagged_pdf(pdf)
    assert len([p for p in numbering_problems(tree) if "has no ListNumbering" in p]) == 1
    details = rules_reported(pdf, html)["pdf-list-numbering"]
    assert len(details) == 2 and "has no ListNumbering" in " ".join(details)
    assert "which PDF 1.7 does not define" in " ".join(details)


def _text(document: pikepdf.Pdf, span) -> str:
    """A structure element's text, read through the checker's reader (by its MCIDs)."""
    page = next(p for p in document.pages if p.objgen == span.Pg.objgen)
    marked = _page_content(page, {}).marked
    kids = span.K if isinstance(span.K, pikepdf.Array) else [span.K]
    return "".join(marked.get(int(k), "") for k in kids if isinstance(k, int)).strip()


# Small pages: what the old structure did, caught; what each list is numbered

def render(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text(f'<!doctype html><html lang="en"><head><title>T</title></head>'
                    f'<body><main><h1>T</h1>{body}</main></body></html>', encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    render_pdf(page, pdf, tmp_path, "A4", "T")
    return pdf


def test_aliases_in_two_terms_would_read_as_one_label(tmp_path):
    old = ('<dl class="glossary"><dt><dfn id="term-p">Paedophilia</dfn></dt>'
           '<dt><dfn>Paedophile</dfn></dt><dd>A disorder.</dd></dl>')
    new = ('<dl class="glossary"><dt><dfn id="term-p">Paedophilia</dfn>, '
           '<dfn>Paedophile</dfn></dt><dd>A disorder.</dd></dl>')
    for body, problems in ((old, ["no Lbl reads 'Paedophilia, Paedophile'"]), (new, [])):
        pdf = render(tmp_path, body)
        html = parse_html(tmp_path / "page.html")
        assert alias_problems(read_tagged_pdf(pdf), html) == problems


def test_the_old_way_back_shows_a_stray_bracket_on_screen():
    old = parse_html_string(
        '<span class="first-use"> <a class="screen-only" href="#u">(first use)</a>'
        '<a class="page-ref print-only" href="#u">(first used on page </a>)</span>')
    assert first_use_texts(old) == ("(first use))", "(first used on page )")
    assert first_use_problems(old, "(first used on page 3)") == [
        "'(first use))' is not one bracketed phrase"]


def test_vnu_warns_about_the_old_content_notes_region(tmp_path):
    page = tmp_path / "old.html"
    page.write_text('<!doctype html><html lang="en"><head><title>T</title></head><body><main>'
                    '<h1>T</h1><section class="content-notes" aria-labelledby="l">'
                    '<p id="l">Content note</p><ul><li>War.</li></ul></section></main></body>'
                    '</html>', encoding="utf-8")
    assert any("lacks heading" in m["message"] for m in vnu_messages(tmp_path, page))


def test_each_list_says_how_its_items_are_numbered(tmp_path):
    pdf = render(tmp_path, """
        <ol><li>one</li></ol>
        <ol style="list-style-type: lower-roman"><li>one</li></ol>
        <ul><li>bullet<ul><li>nested</li></ul></li></ul>
        <ul style="list-style: none"><li>plain</li></ul>
        <ul style='list-style-type: "– "'><li>dash</li></ul>
        <dl><dt>Term</dt><dd>Definition</dd></dl>""")
    tree = read_tagged_pdf(pdf)
    assert [(normalise(reading_text(element)).split()[0], element.attributes.get("ListNumbering"))
            for element in tree.elements("L")] == [
        ("one", "Decimal"), ("one", "LowerRoman"), ("bullet", "Disc"), ("nested", "Circle"),
        ("plain", "None"), ("dash", "None"), ("Term", "None")]
    assert numbering_problems(tree) == []


def test_what_an_author_can_write_builds_and_reads(tmp_path):
    """A note under an h6 section, a raw figure of two images, a caption with an abbreviation."""
    body = """\
## One

Text.

### Two

#### Three

##### Four

###### Deep

!!! content-note
    Mentions war.

More text about the NATO.

<figure><img src="assets/dot.png" alt="A dot"><img src="assets/dot.png" alt="Another dot">
<figcaption>Two dots, by <abbr title="North Atlantic Treaty Organization">NATO</abbr></figcaption>
</figure>

## Two

Text.

## Three

Text.

*[NATO]: North Atlantic Treaty Organization
"""
    make_project(tmp_path, {"content/a.md": handout("A", body), "content/assets/dot.png": DOT_PNG})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    pdf = tmp_path / "dist" / "pdf" / "a.pdf"
    tree = read_tagged_pdf(pdf)
    group = next(e for e in tree.root.iter() if "Caption" in [k.type for k in e.children()]
                 and "Figure" in [k.type for k in e.children()])
    assert [k.type for k in group.children()] == ["Figure", "Figure", "Caption"]
    assert hidden_captions(tree) == [] and expansion_problems(tree) == []
    page = parse_html(tmp_path / "dist" / "a.html")
    note = next(e for e in page.iter("div") if e.get("class") == "content-note")
    assert note[0].tag == "p"  # no h7: the label of a note under an h6 stays a paragraph
    assert [f.format() for f in check_pdf(pdf)] == []


def parse_html_string(text: str):
    import tinyhtml5

    return tinyhtml5.parse(text, namespace_html_elements=False).find(".//span")
