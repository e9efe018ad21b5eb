"""An EPUB 3 book made from built pages: plain data in, the same bytes out every time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fontpkg_atkinson_hyperlegible import ROOT as FONT_ROOT

from ..labels import Labels
from .container import ocf_zip
from .navigation import NAV_NAME, navigation_document
from .package import Item, Metadata, package_document
from .page import read_page
from .xhtml import content_document, resource_name

STYLE = Path(__file__).resolve().parent / "style.css"
FONT_FILES = sorted((Path(FONT_ROOT) / "files").glob("*.ttf"))
FONT_LICENCE = Path(FONT_ROOT) / "LICENSE"
MODIFIED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class EpubSource:
    """One built page and what the EPUB needs besides it (the lead's build passes these)."""

    slug: str
    page_html: str  # the final staged HTML page (dist/<slug>.html), page markers included
    resources: Mapping[str, bytes]  # each local file the <article> shows, by its URL as written
    page_source: str  # the PDF edition the page markers follow, e.g. "welcome.pdf"
    modified: str  # "2026-01-01T00:00:00Z", from the front matter's date
    is_packet: bool = False  # a packet: its page becomes the cover, its parts follow
    conference: str = ""
    parts: tuple[EpubSource, ...] = ()  # a packet's handouts, in order (markers: the packet's)


def _modified(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        value += "T00:00:00Z"
    if not MODIFIED.fullmatch(value):
        raise ValueError(f"modified must look like 2026-01-01T00:00:00Z, not {value!r}")
    return value


def _labels(lang: str) -> dict[str, str]:
    """The navigation document's words, from the message catalogue of the page's language."""
    labels = Labels(lang)
    try:
        pages = labels["page_list"]  # the HTML page's own name for its list of pages
    except KeyError:
        pages = labels["pages"][:1].upper() + labels["pages"][1:]
    return {"contents": labels["contents"], "pages": pages}


def _document_name(slug: str, taken: set[str]) -> str:
    """<slug>.xhtml, unless another file of the book has that name (a handout called nav)."""
    name, number = f"{slug}.xhtml", 1
    while name in taken:
        number += 1
        name = f"{slug}-{number}.xhtml"
    taken.add(name)
    return name


def epub_bytes(source: EpubSource) -> bytes:
    """The EPUB 3 file of one handout or packet; byte-identical for the same source."""
    modified = _modified(source.modified)
    sources = list(source.parts) if source.is_packet else [source]
    taken = {"package.opf", NAV_NAME, "style.css", "fonts/OFL.txt"}
    taken |= {f"fonts/{font.name}" for font in FONT_FILES}
    own_names = {f"{part.slug}.html": _document_name(part.slug, taken) for part in sources}
    # Which mapping holds each URL; only the files the book shows are read (the caller may
    # read lazily and follow what was read).
    resources: dict[str, Mapping[str, bytes]] = {}
    for part in [source, *sources]:
        for url in part.resources:
            if resource_name(url) not in taken | {None}:
                resources.setdefault(url, part.resources)
    page = read_page(source.page_html)
    cover = None
    if source.is_packet:
        cover = content_document(page, _document_name(source.slug, taken), own_names,
                                 set(resources))
    # A handout's page is parsed once (parsing is most of the time an EPUB takes).
    documents = [content_document(page if part is source else read_page(part.page_html),
                                  own_names[f"{part.slug}.html"], own_names, set(resources))
                 for part in sources]
    if not documents and cover is not None:  # a packet of no handouts: its cover alone
        documents, cover = [cover], None
    navigation = navigation_document(documents, _labels(page.lang), cover)
    reading = ([cover] if cover else []) + documents
    shown = sorted(set().union(*(document.images for document in reading)))
    metadata = Metadata(
        slug=source.slug, title=page.title, lang=page.lang, authors=page.authors,
        description=page.description, created=page.created,
        publisher=source.conference or page.conference, modified=modified,
        page_source=source.page_source,
        has_page_breaks=any(document.page_breaks for document in reading),
        has_images=bool(shown))
    items = [Item(document.name, "svg" if document.has_svg else "", in_spine=True)
             for document in reading]
    # In the spine, out of the reading order: the landmarks' "toc" may then point at it.
    items.append(Item(NAV_NAME, "nav", in_spine=True, linear=False))
    items += [Item("style.css")] + [Item(f"fonts/{font.name}") for font in FONT_FILES]
    items += [Item("fonts/OFL.txt")] + [Item(url) for url in shown]
    files = [("package.opf", package_document(metadata, items)),
             (NAV_NAME, navigation.xhtml())]
    files += [(document.name, document.xhtml()) for document in reading]
    files.append(("style.css", STYLE.read_bytes()))
    files += [(f"fonts/{font.name}", font.read_bytes()) for font in FONT_FILES]
    files.append(("fonts/OFL.txt", FONT_LICENCE.read_bytes()))
    for url in shown:  # each one of resources, which holds only what has a name
        name = resource_name(url)
        assert name is not None, "resources holds only what can go in the book"
        files.append((name, resources[url][url]))
    return ocf_zip(files, modified)
