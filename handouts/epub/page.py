"""Reads a built HTML page: its article, language, title and the metadata in its head."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

import tinyhtml5

XHTML = "http://www.w3.org/1999/xhtml"
H = f"{{{XHTML}}}"


@dataclass
class Page:
    """What the EPUB takes from one built page."""

    article: Element
    lang: str
    title: str
    authors: tuple[str, ...]
    description: str
    created: str
    conference: str


XMLNS_ATTRIBUTE = "{http://www.w3.org/2000/xmlns/}"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PREFIXES = {"http://www.idpf.org/2007/ops": "epub", "http://purl.org/dc/elements/1.1/": "dc",
            "http://www.w3.org/1999/xlink": "xlink"}


def serialise(root: Element, namespace: str) -> str:
    """XML text with namespace as the default one and the usual prefixes (epub:, dc:);
    the tree's names are rewritten on the way.

    Names are written out here rather than with ElementTree.register_namespace, which would
    change how every other module's ElementTree writes these namespaces."""
    used: set[str] = set()

    def name(qualified: str, default: str) -> str:
        if not qualified.startswith("{"):
            return qualified
        uri, local = qualified[1:].split("}", 1)
        if uri == default:
            return local
        if uri in PREFIXES:
            used.add(uri)
            return f"{PREFIXES[uri]}:{local}"
        return qualified  # xml:lang: ElementTree knows that one

    def rename(element: Element, default: str) -> None:
        uri = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else default
        if uri != default and uri not in PREFIXES:
            # A foreign element (inline SVG) declares its namespace as its own default.
            element.set("xmlns", uri)
            default = uri
        element.tag = name(element.tag, default)
        for key in list(element.keys()):
            if key.startswith(XMLNS_ATTRIBUTE):  # the parser's copy of a declaration
                del element.attrib[key]
                continue
            renamed = name(key, "")
            if renamed != key:
                element.set(renamed, element.attrib.pop(key))
        for child in element:
            rename(child, default)

    rename(root, namespace)
    root.set("xmlns", namespace)
    for uri in sorted(used):
        root.set(f"xmlns:{PREFIXES[uri]}", uri)
    # HTML lets a page hold characters XML refuses (a form feed, a control character an
    # author pasted): a reading system would refuse the whole chapter.
    return NOT_XML.sub("", ElementTree.tostring(root, encoding="unicode"))


def classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


def text_of(element: Element) -> str:
    """The element's words, white space collapsed (what a screen reader says)."""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _meta(head: Element, name: str) -> list[str]:
    return [meta.get("content", "").strip() for meta in head.iter(f"{H}meta")
            if meta.get("name") == name and meta.get("content", "").strip()]


def read_page(page_html: str) -> Page:
    """The page's article and metadata; a page without an <article> is a caller's mistake."""
    document = tinyhtml5.parse(page_html)
    head = document.find(f"{H}head")
    article = next(document.iter(f"{H}article"), None)
    if article is None or head is None:
        raise ValueError("the page has no <article>: is it a page Handouts built?")
    heading = next(article.iter(f"{H}h1"), None)
    title = text_of(heading) if heading is not None else ""
    if not title:
        title_element = head.find(f"{H}title")
        title = text_of(title_element) if title_element is not None else ""
    site_name = next((element for element in document.iter(f"{H}p")
                      if "site-name" in classes(element)), None)
    created = _meta(head, "dcterms.created")
    descriptions = _meta(head, "description")
    return Page(article=article, lang=document.get("lang", "").strip() or "en", title=title,
                authors=tuple(_meta(head, "author")),
                description=descriptions[0] if descriptions else "",
                created=created[0] if created else "",
                conference=text_of(site_name) if site_name is not None else "")
