"""One built page's <article> as an EPUB content document (XHTML with EPUB semantics)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement

from .page import XHTML, H, Page, classes, serialise, text_of

EPUB_NS = "http://www.idpf.org/2007/ops"
SVG_NS = "http://www.w3.org/2000/svg"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Links the EPUB keeps as they are: they leave the book (a reading system opens a browser).
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
# What only the web page needs (its own downloads, its own page list: the navigation
# document carries the EPUB's) or only print shows (page references, QR codes).
DROPPED_CLASSES = {"print-only", "page-list", "downloads", "skip-link"}


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class ContentDocument:
    """One XHTML file of the EPUB and what the navigation document needs from it."""

    name: str
    title: str
    lang: str
    body: Element
    headings: list[Heading] = field(default_factory=list)
    page_breaks: list[tuple[str, str]] = field(default_factory=list)  # (id, page label)
    glossary: Heading | None = None
    sources: Heading | None = None
    images: set[str] = field(default_factory=set)  # the resources it shows
    has_svg: bool = False

    def xhtml(self) -> bytes:
        """The document, serialised; the same tree always gives the same bytes."""
        html = Element(f"{H}html", {"lang": self.lang, XML_LANG: self.lang})
        head = SubElement(html, f"{H}head")
        SubElement(head, f"{H}title").text = self.title
        SubElement(head, f"{H}link", {"rel": "stylesheet", "type": "text/css",
                                      "href": "style.css"})
        html.append(copy.deepcopy(self.body))  # serialising renames: keep the tree
        text = serialise(html, XHTML)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n{text}\n'.encode()


def _parents(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


def _remove(parent: Element, child: Element) -> None:
    """Removes child, keeping the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _unlink(link: Element) -> None:
    """A link to something the EPUB does not hold becomes its plain words."""
    link.tag = f"{H}span"
    for name in ("href", "rel", "target", "hreflang", "download", "type"):
        link.attrib.pop(name, None)


def _drop_web_only(body: Element) -> None:
    parents = _parents(body)
    doomed = [element for element in body.iter()
              if classes(element) & DROPPED_CLASSES
              or element.tag in (f"{H}script", f"{H}noscript", f"{H}template")]
    for element in doomed:
        if element in parents:
            _remove(parents[element], element)


def _page_breaks(body: Element) -> list[tuple[str, str]]:
    """The page markers, as empty pagebreak spans labelled with their page number."""
    found = []
    for marker in body.iter(f"{H}span"):
        if "page-marker" not in classes(marker) and marker.get("role") != "doc-pagebreak":
            continue
        label = text_of(marker) or marker.get("id", "").removeprefix("page-")
        tail, kept_id = marker.tail, marker.get("id") or marker_id(label)
        marker.clear()
        # The number alone, as the DAISY Knowledge Base shows: the role already says
        # "page break", and the page list's entries are the same numbers.
        marker.attrib.update({"id": kept_id, EPUB_TYPE: "pagebreak",
                              "role": "doc-pagebreak", "aria-label": label})
        marker.tail = tail
        found.append((kept_id, label))
    return found


def marker_id(label: str) -> str:
    return "page-" + "".join(char if char.isalnum() else "-" for char in label)


def _semantics(body: Element) -> None:
    """EPUB and DPUB-ARIA semantics for what Handouts marks with classes."""
    for element in list(body.iter()):
        names = classes(element)
        if element.tag == f"{H}section" and "section-glossary" in names:
            element.set(EPUB_TYPE, "glossary")
            element.set("role", "doc-glossary")
        elif element.tag == f"{H}section" and "section-sources" in names:
            element.set(EPUB_TYPE, "bibliography")
            element.set("role", "doc-bibliography")
        elif element.tag == f"{H}dl" and "glossary" in names:
            for item in element:
                kind = {f"{H}dt": "glossterm", f"{H}dd": "glossdef"}.get(item.tag)
                if kind:
                    item.set(EPUB_TYPE, kind)
        elif element.tag == f"{H}a" and "term" in names:
            element.set(EPUB_TYPE, "glossref")
            element.set("role", "doc-glossref")
        elif element.tag == f"{H}span" and "first-use" in names:
            for link in element.iter(f"{H}a"):
                link.set("role", "doc-backlink")
        elif element.tag == f"{H}a" and "footnote-ref" in names:
            element.set(EPUB_TYPE, "noteref")
            element.set("role", "doc-noteref")
        elif element.tag == f"{H}a" and "footnote-backref" in names:
            element.set("role", "doc-backlink")
        elif element.tag == f"{H}nav" and "toc" in names:
            element.set("role", "doc-toc")
        lang = element.get("lang")
        if lang:
            element.set(XML_LANG, lang)
        # Inline styles only carry large print's layout hints.
        element.attrib.pop("style", None)


def _footnotes(body: Element) -> None:
    """Each endnote becomes an aside a reading system can pop up from its call."""
    for notes in list(body.iter(f"{H}div")):
        if "footnote" not in classes(notes):
            continue
        for listing in [child for child in notes if child.tag == f"{H}ol"]:
            position = list(notes).index(listing)
            for offset, item in enumerate(child for child in listing if child.tag == f"{H}li"):
                aside = Element(f"{H}aside", {"id": item.get("id", ""), EPUB_TYPE: "footnote",
                                              "role": "doc-footnote"})
                aside.text = item.text
                aside.extend(list(item))
                aside.tail = "\n"
                notes.insert(position + offset, aside)
            notes.remove(listing)


def _links(body: Element, pages: dict[str, str], resources: set[str]) -> set[str]:
    """Points links at the EPUB's own files; unlinks what it does not hold."""
    ids = {element.get("id") for element in body.iter() if element.get("id")}
    for link in list(body.iter(f"{H}a")):
        href = link.get("href")
        if href is None:
            continue
        parts = urlsplit(href)
        if parts.scheme in EXTERNAL_SCHEMES:
            continue
        if not parts.scheme and not parts.netloc and not parts.path:
            if parts.fragment not in ids:
                _unlink(link)
        elif not parts.scheme and not parts.netloc and parts.path in pages:
            link.set("href", pages[parts.path] + (f"#{parts.fragment}" if parts.fragment else ""))
        else:
            _unlink(link)
    shown = set()
    parents = _parents(body)
    for image in list(body.iter(f"{H}img")):
        source = image.get("src", "")
        image.attrib.pop("srcset", None)
        if source in resources:
            shown.add(source)
            continue
        # Not in the book (a remote image): its description stands in its place.
        words = Element(f"{H}span")
        words.text, words.tail = image.get("alt", ""), image.tail
        parent = parents[image]
        parent.insert(list(parent).index(image), words)
        parent.remove(image)
    return shown


def _headings(body: Element) -> list[Heading]:
    """The headings a reader moves between (those of the in-page contents excepted)."""
    parents = _parents(body)
    ids = {element.get("id") for element in body.iter() if element.get("id")}
    found: list[Heading] = []
    for element in body.iter():
        if element.tag not in (f"{H}h1", f"{H}h2", f"{H}h3"):
            continue
        ancestor, in_nav = element, False
        while ancestor in parents:
            ancestor = parents[ancestor]
            in_nav = in_nav or ancestor.tag == f"{H}nav"
        if in_nav:
            continue
        heading_id = element.get("id")
        if not heading_id:
            number = len(found) + 1
            while f"heading-{number}" in ids:
                number += 1
            heading_id = f"heading-{number}"
            element.set("id", heading_id)
            ids.add(heading_id)
        found.append(Heading(int(element.tag[-1]), heading_id, text_of(element)))
    return found


def _section_heading(body: Element, kind: str, headings: list[Heading]) -> Heading | None:
    for section in body.iter(f"{H}section"):
        if section.get(EPUB_TYPE) == kind:
            ids = {element.get("id") for element in section.iter()}
            return next((heading for heading in headings if heading.id in ids), None)
    return None


def content_document(page: Page, name: str, pages: dict[str, str],
                     resources: set[str]) -> ContentDocument:
    """The page's article as one content document named name (pages: page href -> file)."""
    body = Element(f"{H}body")
    article = page.article
    article.tail = "\n"
    body.append(article)
    _drop_web_only(body)
    breaks = _page_breaks(body)
    _semantics(body)
    _footnotes(body)
    shown = _links(body, pages, resources)
    headings = _headings(body)
    return ContentDocument(
        name=name, title=page.title, lang=page.lang, body=body, headings=headings,
        page_breaks=breaks, glossary=_section_heading(body, "glossary", headings),
        sources=_section_heading(body, "bibliography", headings), images=shown,
        has_svg=any(element.tag.startswith(f"{{{SVG_NS}}}") for element in body.iter()))


def resource_name(url: str) -> str | None:
    """Where a resource the page names goes in the EPUB, or None when it cannot go there."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not path:
        return None
    segments = path.split("/")
    if path.startswith("/") or any(segment in ("", ".", "..") for segment in segments):
        return None
    return path
