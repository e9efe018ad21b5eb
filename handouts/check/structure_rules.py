"""The PDF's structure tree compared with its HTML: elements, reading order, links, tables."""

from __future__ import annotations

from collections.abc import Iterator

from ..pdf.semantics import header_scope, inherited_lang, parent_map
from .expected_structure import (
    definition_texts,
    expected_structure,
    html_text,
    readable_elements,
)
from .findings import Finding
from .pdf_reader import TaggedPdf
from .pdf_text import LIST_MARKER, actual_structure, reading_text
from .reading_rules import check_reading_structure
from .sequence_diff import differences
from .text import normalise, shorten


def check_pdf_against_html(pdf: TaggedPdf, html_root) -> Iterator[Finding]:
    """Points 1 to 6: the PDF's structure says exactly what the HTML says."""
    name = str(pdf.path)
    if pdf.root is None:
        return
    parent_of = parent_map(html_root)
    yield from _elements_match(name, expected_structure(html_root, parent_of),
                               actual_structure(pdf))
    yield from _reading_order(name, pdf, html_root)
    yield from _links(name, pdf)
    yield from _definition_lists(name, pdf, html_root)
    yield from _table_headers(name, pdf, html_root, parent_of)
    yield from _languages(name, pdf, html_root, parent_of)
    yield from check_reading_structure(name, pdf, html_root, parent_of)


def _elements_match(name, expected, actual) -> Iterator[Finding]:
    for kind in sorted(set(expected) | set(actual), key=str):
        wanted, found = expected.get(kind, []), actual.get(kind, [])
        if wanted == found:
            continue
        for a0, a1, b0, b1 in differences(wanted, found):
            if a1 - a0 == b1 - b0:  # the same elements, with different text
                for html_text_, pdf_text in zip(wanted[a0:a1], found[b0:b1]):
                    yield Finding(name, "pdf-structure",
                                  f"{kind}: the PDF reads {_difference(html_text_, pdf_text)}")
                continue
            html_side, pdf_side = _listing(wanted[a0:a1]), _listing(found[b0:b1])
            yield Finding(name, "pdf-structure",
                          f"{kind}: the HTML has {a1 - a0} ({html_side}), "
                          f"the PDF has {b1 - b0} ({pdf_side})")


def _listing(texts: list[str], most: int = 10) -> str:
    """Texts for a finding: the first few of them, each shortened."""
    listed = " | ".join(shorten(text, 40) for text in texts[:most]) or "nothing"
    return listed + (f" | … {len(texts) - most} more" if len(texts) > most else "")


def _difference(html: str, pdf: str) -> str:
    """Where two texts part: "'…x…' where the HTML has '…y…'"."""
    start = next((i for i, (a, b) in enumerate(zip(html, pdf)) if a != b), min(len(html), len(pdf)))
    left = max(0, start - 25)
    return f"'…{pdf[left:start + 25]}…' where the HTML has '…{html[left:start + 25]}…'"


def _reading_order(name, pdf, html_root) -> Iterator[Finding]:
    body = html_root.find("body")
    html_words = normalise(html_text(body)).split(" ") if body is not None else []
    pdf_words = normalise(reading_text(pdf.root)).split(" ")
    if pdf_words == html_words:
        return
    found = differences(html_words, pdf_words)
    for a0, a1, b0, b1 in found[:5]:
        yield Finding(name, "pdf-reading-order",
                      f"the PDF reads '{shorten(' '.join(pdf_words[b0:b1]), 50)}' where the HTML "
                      f"has '{shorten(' '.join(html_words[a0:a1]), 50)}' "
                      f"(after '{shorten(' '.join(html_words[max(0, a0 - 4):a0]), 40)}')")
    if len(found) > 5:
        yield Finding(name, "pdf-reading-order",
                      f"{len(found) - 5} more differences in reading order")


def _links(name, pdf) -> Iterator[Finding]:
    for link in pdf.elements("Link"):
        annotations = link.annotations()
        text = shorten(normalise(reading_text(link)), 40)
        if not annotations:
            yield Finding(name, "pdf-links", f"the Link '{text}' has no annotation (OBJR)")
        for annotation in annotations:
            if not annotation.contents.strip():
                yield Finding(name, "pdf-links",
                              f"the annotation of the Link '{text}' has no /Contents")
            if not annotation.flags & 4:
                yield Finding(name, "pdf-links",
                              f"the annotation of the Link '{text}' does not print")
    tagged = sum(len(link.annotations()) for link in pdf.elements("Link"))
    links = [a for a in pdf.annotations if a.subtype == "/Link"]
    if len(links) != tagged:
        yield Finding(name, "pdf-links", f"{len(links)} link annotations, but {tagged} of them "
                      "belong to a Link element")


def _definition_lists(name, pdf, html_root) -> Iterator[Finding]:
    wanted = [len(definition_texts(dl)) for dl in readable_elements(html_root)
              if dl.tag == "dl"]
    lists = [element for element in pdf.elements("L")
             if any(len(item.children()) == 2 and item.children()[0].type == "Lbl"
                    and not LIST_MARKER.match(item.children()[0].text())
                    for item in element.children())]
    for element in lists:
        for item in element.children():
            kinds = [kid.type for kid in item.children()]
            if kinds != ["Lbl", "LBody"]:
                yield Finding(name, "pdf-definition-list",
                              f"a definition list item holds {kinds}, not [Lbl, LBody]")
    if len(lists) < len(wanted):
        yield Finding(name, "pdf-definition-list",
                      f"the HTML has {len(wanted)} definition lists, the PDF "
                      f"{len(lists)} lists of Lbl and LBody pairs")


def _table_headers(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    html_headers = [(header_scope(th, parent_of), normalise(html_text(th)))
                    for th in readable_elements(html_root) if th.tag == "th"]
    pdf_headers = pdf.elements("TH")
    if len(html_headers) != len(pdf_headers):
        yield Finding(name, "pdf-table-headers", f"the HTML has {len(html_headers)} header "
                      f"cells, the PDF {len(pdf_headers)} TH")
        return
    for (scope, text), header in zip(html_headers, pdf_headers):
        if header.attributes.get("Scope") != scope:
            yield Finding(name, "pdf-table-headers",
                          f"the TH '{shorten(text, 40)}' has /Scope "
                          f"{header.attributes.get('Scope', 'missing')}, the HTML says {scope}")
        if not header.attributes.get("ID"):
            yield Finding(name, "pdf-table-headers", f"the TH '{shorten(text, 40)}' has no /ID")
    ids = {header.attributes.get("ID") for header in pdf_headers}
    for table in pdf.elements("Table"):
        has_headers = any(e.type == "TH" for e in table.iter())
        for cell in (e for e in table.iter() if e.type == "TD"):
            headers = cell.attributes.get("Headers", [])
            if has_headers and not headers:
                yield Finding(name, "pdf-table-headers",
                              f"the TD '{shorten(normalise(reading_text(cell)), 40)}' has no "
                              "/Headers")
            for header in headers:
                if header not in ids:
                    yield Finding(name, "pdf-table-headers",
                                  f"a TD names the header {header}, which no TH has")


def _languages(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    document_lang = html_root.get("lang") or ""
    wanted = [(element.get("lang"), normalise(html_text(element)))
              for element in readable_elements(html_root)
              if element.get("lang") and element is not html_root
              and element.get("lang") != inherited_lang(parent_of.get(element), parent_of,
                                                        document_lang)]
    found = {(element.attributes["Lang"], normalise(reading_text(element)))
             for element in pdf.root.iter() if "Lang" in element.attributes}
    for lang, text in wanted:
        if (lang, text) not in found:
            yield Finding(name, "pdf-lang-parts",
                          f"the passage '{shorten(text, 40)}' in {lang} has no element with "
                          f"/Lang {lang}")
