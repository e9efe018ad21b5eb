"""The package document (OPF): metadata, accessibility metadata, manifest and spine."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement

from .page import serialise

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
O, D = f"{{{OPF}}}", f"{{{DC}}}"  # noqa: E741 (the namespaces' usual prefixes)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
# Who evaluated it: Handouts' own automated checks, declared by the tool itself. Nobody
# else has certified these files, and the metadata must not say so (docs/epub.md).
CERTIFIED_BY = "Handouts (self-declared: automated checks, no third-party certification)"

MEDIA_TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".svg": "image/svg+xml",
               ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf",
               ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".txt": "text/plain"}


@dataclass
class Item:
    """One file of the publication, named relative to the package document."""

    href: str
    properties: str = ""
    in_spine: bool = False
    linear: bool = True


@dataclass
class Metadata:
    slug: str
    title: str
    lang: str
    authors: tuple[str, ...]
    description: str
    created: str
    publisher: str
    modified: str
    page_source: str
    has_page_breaks: bool
    has_images: bool


def media_type(href: str) -> str:
    suffix = "." + href.rsplit(".", 1)[-1].lower() if "." in href else ""
    if suffix not in MEDIA_TYPES:
        raise ValueError(f"{href}: the EPUB cannot hold this kind of file")
    return MEDIA_TYPES[suffix]


def identifier(metadata: Metadata) -> str:
    """The same handout of the same conference always has the same identifier."""
    name = f"handouts:{metadata.publisher}/{metadata.slug}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _meta(parent: Element, prop: str, value: str, **attributes: str) -> None:
    SubElement(parent, f"{O}meta", {"property": prop, **attributes}).text = value


def accessibility_summary(metadata: Metadata) -> str:
    """In English (marked so): reading systems show it as written."""
    sentences = [(
        "This publication is meant to meet WCAG 2.2 Level AA: it has a table of contents, "
        "headings in order, languages marked, a logical reading order and no fixed "
        "colours or fonts that a reader cannot change.")]
    if metadata.has_images:
        sentences.append("Every image has a text alternative.")
    if metadata.has_page_breaks:
        sentences.append(f"Page numbers follow the PDF edition {metadata.page_source}; the "
                         "page list leads to each page.")
    sentences.append("Handouts, the tool that made it, checks its EPUBs automatically with "
                     "EPUBCheck and Ace by DAISY; no third party has certified it.")
    return " ".join(sentences)


def _accessibility(parent: Element, metadata: Metadata) -> None:
    _meta(parent, "schema:accessMode", "textual")
    if metadata.has_images:
        _meta(parent, "schema:accessMode", "visual")
    _meta(parent, "schema:accessModeSufficient", "textual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if metadata.has_images:
        features.append("alternativeText")
    if metadata.has_page_breaks:
        # Ace: pageNavigation promises a page list, which only page markers give.
        features += ["printPageNumbers", "pageNavigation"]
    for feature in features:
        _meta(parent, "schema:accessibilityFeature", feature)
    _meta(parent, "schema:accessibilityHazard", "none")
    _meta(parent, "schema:accessibilitySummary", accessibility_summary(metadata),
          **{XML_LANG: "en"})
    _meta(parent, "dcterms:conformsTo", CONFORMS_TO)
    _meta(parent, "a11y:certifiedBy", CERTIFIED_BY, **{XML_LANG: "en"})


def package_document(metadata: Metadata, items: list[Item]) -> bytes:
    """package.opf; items in the order the spine reads them, then the others."""
    package = Element(f"{O}package", {"version": "3.0", "unique-identifier": "uid",
                                      XML_LANG: metadata.lang})
    described = SubElement(package, f"{O}metadata")
    SubElement(described, f"{D}identifier", {"id": "uid"}).text = identifier(metadata)
    SubElement(described, f"{D}title").text = metadata.title
    SubElement(described, f"{D}language").text = metadata.lang
    for author in metadata.authors:
        SubElement(described, f"{D}creator").text = author
    if metadata.publisher:
        SubElement(described, f"{D}publisher").text = metadata.publisher
    if metadata.description:
        SubElement(described, f"{D}description").text = metadata.description
    if metadata.created:
        SubElement(described, f"{D}date").text = metadata.created
    if metadata.has_page_breaks:
        # EPUB Accessibility 1.1's pageBreakSource; and EPUB 3.2's way, which reading
        # systems and Ace read from before it: dc:source refined as the source of pagination.
        _meta(described, "pageBreakSource", metadata.page_source)
        SubElement(described, f"{D}source", {"id": "page-source"}).text = metadata.page_source
        _meta(described, "source-of", "pagination", refines="#page-source")
    _meta(described, "dcterms:modified", metadata.modified)
    _accessibility(described, metadata)
    manifest = SubElement(package, f"{O}manifest")
    spine = Element(f"{O}spine")
    for number, item in enumerate(items, start=1):
        attributes = {"id": f"item-{number}", "href": item.href,
                      "media-type": media_type(item.href)}
        if item.properties:
            attributes["properties"] = item.properties
        SubElement(manifest, f"{O}item", attributes)
        if item.in_spine:
            reference = SubElement(spine, f"{O}itemref", {"idref": f"item-{number}"})
            if not item.linear:
                reference.set("linear", "no")
    package.append(spine)
    text = serialise(package, OPF)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()
