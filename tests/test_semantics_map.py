"""One semantics map: the structure type the tagger writes into a PDF is the one the check
expects, because both ask handouts/pdf/semantics.py; a decision changed there changes both."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from testing_utils import parse_html

from handouts.check.expected_structure import (
    CHECKED_TYPES,
    expected_structure,
    without_classes,
)
from handouts.check.files import check_pdf
from handouts.check.pdf_reader import read_tagged_pdf
from handouts.check.pdf_text import actual_structure
from handouts.pdf import semantics
from handouts.pdf.profiles import STANDARD_HIDDEN
from handouts.pdf.render import render_pdf

HANDOUTS = Path(__file__).resolve().parent.parent / "handouts"

# One of each element whose type is decided by more than its tag: printed and listed
# footnotes, contents, page references, decorative images, links without a target, a
# passage in another language, a definition list, a table, a figure.
BODY = """
<nav class="toc" aria-label="Contents"><ol>
  <li><a href="#one">One</a><ol><li><a href="#two">Two</a></li></ol></li></ol></nav>
<h2 id="one">One</h2>
<p>A claim<span class="footnote-print" data-note="fn:1">1. The printed note.</span> stands.</p>
<p>See <a class="page-ref" href="#two">the next part on page</a>, and
  <a>an anchor without a target</a>, and <span lang="fr">en français</span>.</p>
<blockquote><p>A quoted sentence.</p></blockquote>
<p class="aside-note">A paragraph a changed map may call a note.</p>
<ul><li>First item</li><li>Second item</li></ul>
<dl><dt>Term</dt><dd>Its definition.</dd></dl>
<img class="decorative" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Drawn only">
<h2 id="two">Two</h2>
<table><tr><th scope="col">Year</th><th scope="col">Count</th></tr>
  <tr><td>2023</td><td>12</td></tr></table>
<div class="footnote"><hr><ol><li id="fn:1"><p>The listed note.</p></li></ol></div>
"""


def render(tmp_path: Path) -> tuple[Path, Path]:
    page = tmp_path / "page.html"
    page.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>T</title></head>'
                    f'<body><main><h1>T</h1>{BODY}</main></body></html>', encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    render_pdf(page, pdf, tmp_path, "A4", "T")
    return pdf, page


def tagged_types(pdf: Path) -> Counter:
    """How many structure elements of each checked type the PDF holds."""
    tree = read_tagged_pdf(pdf)
    return Counter(element.type for element in tree.root.iter()
                   if element.type in CHECKED_TYPES)


def expected_types(page: Path) -> Counter:
    """How many the check expects, from the HTML, by the semantics map."""
    html = without_classes(parse_html(page), STANDARD_HIDDEN)
    expected = expected_structure(html, semantics.parent_map(html))
    return Counter({kind: len(texts) for kind, texts in expected.items()})


def structure_findings(pdf: Path, page: Path) -> list[str]:
    return [f"{finding.rule}: {finding.detail}" for finding in check_pdf(pdf, page)
            if finding.rule.startswith("pdf-")]


def test_the_tagger_writes_what_the_check_expects(tmp_path):
    pdf, page = render(tmp_path)
    written = tagged_types(pdf)
    assert written == expected_types(page)
    # The elements a class decides: both footnotes are Notes, the contents a TOC of TOCI;
    # the decorative image is no Figure, the anchor without a target no Link.
    assert written["Note"] == 2
    assert (written["TOC"], written["TOCI"]) == (2, 2)
    assert written["Figure"] == 0
    assert written["Link"] == 3
    html = without_classes(parse_html(page), STANDARD_HIDDEN)
    texts = expected_structure(html, semantics.parent_map(html))
    assert texts == actual_structure(read_tagged_pdf(pdf))
    assert structure_findings(pdf, page) == []


# Each a change to the map alone, and how the PDF's elements of each type change (their
# texts, or how many more): the tagger follows it, and the check, asking the same map,
# expects it (a private decision on either side would not follow, and the check would
# report the difference).
MAP_CHANGES = {
    "a printed footnote's class": (
        lambda monkeypatch: monkeypatch.setattr(semantics, "PRINTED_FOOTNOTE", "aside-note"),
        {"Note": ["A paragraph a changed map may call a note.", "The listed note."],
         "P": -1}),  # the printed footnote's span, now plain, reads in its P as before
    "the contents' class": (
        lambda monkeypatch: monkeypatch.setattr(semantics, "CONTENTS", "not-contents"),
        {"TOC": [], "TOCI": [], "L": +2, "LI": +2}),
    "a blockquote's type": (
        lambda monkeypatch: monkeypatch.setitem(semantics.STRUCTURE_TYPES, "blockquote", "Div"),
        {"BlockQuote": []}),
}


@pytest.mark.parametrize("change", list(MAP_CHANGES))
def test_a_change_to_the_map_changes_the_tagger_and_the_check_alike(tmp_path, monkeypatch,
                                                                     change):
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before = actual_structure(read_tagged_pdf(render(tmp_path / "before")[0]))
    patch, wanted = MAP_CHANGES[change]
    patch(monkeypatch)
    pdf, page = render(tmp_path / "after")
    after = actual_structure(read_tagged_pdf(pdf))
    changed = {kind: after.get(kind, []) for kind in set(before) | set(after)
               if after.get(kind, []) != before.get(kind, [])}
    assert set(changed) == set(wanted)
    for kind, texts in wanted.items():
        if isinstance(texts, list):
            assert changed[kind] == texts
        else:
            assert len(changed[kind]) - len(before.get(kind, [])) == texts
    assert tagged_types(pdf) == expected_types(page)
    assert structure_findings(pdf, page) == []


# The classes whose meaning in print the map decides: no other module of the tagger or the
# check may name them (a test of its own would be a second decision).
MAP_CLASSES = {semantics.PRINTED_FOOTNOTE, semantics.FOOTNOTES, semantics.CONTENTS,
               semantics.PAGE_REFERENCE, semantics.DECORATIVE}
TAGGER_AND_CHECK = ["pdf/tagging.py", "pdf/line_ends.py", "pdf/links.py", "pdf/tables.py",
                    *(f"check/{path.name}" for path in sorted((HANDOUTS / "check").glob("*.py")))]


def test_no_decision_of_the_map_is_made_again_elsewhere():
    private = []
    for name in TAGGER_AND_CHECK:
        tree = ast.parse((HANDOUTS / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in MAP_CLASSES:
                private.append(f"{name}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.Name) and node.id == "STRUCTURE_TYPES" \
                    and name != "check/expected_structure.py":
                private.append(f"{name}:{node.lineno}: STRUCTURE_TYPES")
    assert private == []
