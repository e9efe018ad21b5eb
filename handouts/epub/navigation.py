"""The EPUB navigation document: contents, landmarks and the list of the PDF's pages."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from .page import H
from .xhtml import EPUB_TYPE, ContentDocument

NAV_NAME = "nav.xhtml"


def _list_of_headings(parent: Element, document: ContentDocument) -> None:
    """Nested lists following the heading levels (a skipped level nests one step only)."""
    stack: list[tuple[int, Element]] = [(min(heading.level for heading in document.headings),
                                          SubElement(parent, f"{H}ol"))]
    last_item: Element | None = None
    for heading in document.headings:
        while len(stack) > 1 and heading.level < stack[-1][0]:
            stack.pop()
        if heading.level > stack[-1][0] and last_item is not None:
            stack.append((heading.level, SubElement(last_item, f"{H}ol")))
        last_item = SubElement(stack[-1][1], f"{H}li")
        link = SubElement(last_item, f"{H}a", {"href": f"{document.name}#{heading.id}"})
        link.text = heading.text


def _nav(body: Element, kind: str, label: str, hidden: bool) -> Element:
    nav = SubElement(body, f"{H}nav", {EPUB_TYPE: kind, "id": kind})
    if kind == "toc":
        nav.set("role", "doc-toc")
    elif kind == "page-list":
        nav.set("role", "doc-pagelist")
    if hidden:
        nav.set("hidden", "hidden")
        if label:
            nav.set("aria-label", label)
    else:
        nav.set("aria-labelledby", f"{kind}-label")
        SubElement(nav, f"{H}h2", {"id": f"{kind}-label"}).text = label
    return nav


def navigation_document(documents: list[ContentDocument], labels: dict[str, str],
                        cover: ContentDocument | None) -> ContentDocument:
    """nav.xhtml for the documents in reading order; labels: contents, pages."""
    first = documents[0]
    body = Element(f"{H}body")
    toc = _nav(body, "toc", labels["contents"], hidden=False)
    toc_list = SubElement(toc, f"{H}ol")
    for document in ([cover] if cover else []) + documents:
        item = SubElement(toc_list, f"{H}li")
        SubElement(item, f"{H}a", {"href": document.name}).text = document.title
        inner = ContentDocument(document.name, document.title, document.lang, document.body,
                                [heading for heading in document.headings if heading.level > 1])
        if inner.headings:
            _list_of_headings(item, inner)
    landmarks = _nav(body, "landmarks", "", hidden=True)
    marks = SubElement(landmarks, f"{H}ol")
    entries = []
    if cover:
        entries.append(("cover", cover.name, cover.title))
    entries.append(("toc", f"{NAV_NAME}#toc", labels["contents"]))
    entries.append(("bodymatter", first.name, first.title))
    for document in documents:
        if document.glossary:
            entries.append(("glossary", f"{document.name}#{document.glossary.id}",
                            document.glossary.text))
        if document.sources:
            entries.append(("bibliography", f"{document.name}#{document.sources.id}",
                            document.sources.text))
    for kind, href, text in entries:
        item = SubElement(marks, f"{H}li")
        SubElement(item, f"{H}a", {EPUB_TYPE: kind, "href": href}).text = text
    breaks = [(document, page) for document in ([cover] if cover else []) + documents
              for page in document.page_breaks]
    if breaks:
        pages = SubElement(_nav(body, "page-list", labels["pages"], hidden=True), f"{H}ol")
        for document, (page_id, label) in breaks:
            item = SubElement(pages, f"{H}li")
            SubElement(item, f"{H}a", {"href": f"{document.name}#{page_id}"}).text = label
    return ContentDocument(NAV_NAME, labels["contents"], first.lang, body)
