"""Print packets: several handouts in one document, with a cover and contents."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import tinyhtml5
from markupsafe import Markup

from ..config import Config, Packet
from ..errors import ContentError, Diagnostics
from ..labels import Labels
from ..pages.render import STATIC
from ..pdf.profiles import Profile
from ..prepare.load import RESERVED_SLUGS
from ..prepare.parse import Handout
from ..project import PARTS, PRINT_SOURCES
from ..suggest import did_you_mean

FIRST_PAGE = "@@first-page@@"  # in a part's style: the packet page it starts on, once known
ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "headers", "for")
URL_ATTRIBUTES = ("href", "src")
HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
LANDMARKS = ("nav", "section", "aside", "form")


@dataclass
class PacketPart:
    """One handout inside a packet, with what the contents say about it."""

    handout: Handout
    anchor: str  # the id of its title inside the packet
    notes: list[str]  # the whole handout's content notes
    noted_sections: list[str]  # the headings of sections that carry a content note


def settings_file(config: Config) -> Path:
    """handouts.toml, where packets and the logo are set: read, when either is."""
    assert config.path is not None, "packets and the logo come from handouts.toml"
    return config.path


def check_packets(config: Config, handouts: list[Handout], diagnostics: Diagnostics) -> None:
    """Every packet names handouts that exist and a slug no handout's page uses."""
    slugs = [handout.slug for handout in handouts]
    for packet in config.packets:
        if packet.slug in slugs or packet.slug.lower() in RESERVED_SLUGS:
            taken_by = f"content/{packet.slug}.md" if packet.slug in slugs else "Handouts"
            diagnostics.error(settings_file(config), packet.line,
                              f"the packet slug '{packet.slug}' is taken by {taken_by} (both "
                              f"would write dist/{packet.slug}.html): give the packet another "
                              "slug")
        for entry in packet.handouts:
            if entry not in slugs:
                diagnostics.error(settings_file(config), packet.handout_lines.get(entry),
                                  f"the packet '{packet.slug}' lists '{entry}', but there is "
                                  f"no content/{entry}.md{did_you_mean(entry, slugs)}")


def packet_parts(packet: Packet, handouts: list[Handout]) -> list[PacketPart]:
    by_slug = {handout.slug: handout for handout in handouts}
    parts = []
    for slug in packet.handouts:
        handout = by_slug[slug]
        parts.append(PacketPart(
            handout, anchor=f"{slug}--title", notes=list(handout.meta.content_notes or []),
            noted_sections=[heading.text for heading in handout.headings
                            if heading.content_note]))
    return parts


def packet_article(page_html: str, handout: Handout, packet: Packet) -> Markup:
    """The handout's <article> from its page, with ids made unique inside the packet.

    Headings go down one level under the packet's title (the handout's title becomes an
    h2, so bookmarks nest packet > handout > sections). Every id becomes ``<slug>--<id>``;
    links within the handout, and links to other handouts of the same packet, point inside
    the packet; relative URLs are made relative to dist/_packets/. Landmarks add the
    handout's title to their names, which would otherwise repeat from handout to handout.
    """
    document = tinyhtml5.parse(page_html, namespace_html_elements=False)
    article = next((element for element in document.iter("article")
                    if "handout" in element.get("class", "").split()), None)
    if article is None:
        raise ContentError(Path("templates/handout.html"), None, "a packet takes each "
                           "handout's <article class=\"handout\"> from its page, and this "
                           "override of handout.html writes none: keep that element")
    slug, in_packet = handout.slug, set(packet.handouts)
    article.set("id", slug)
    article.set("lang", handout.meta.lang)
    classes = article.get("class", "").split()
    if handout.meta.status == "draft":
        classes.append("draft-handout")
    article.set("class", " ".join(classes))
    for element in article.iter():
        _plain_svg_names(element)
        level = HEADING_LEVELS.get(element.tag)
        if level and level < 6:
            element.tag = f"h{level + 1}"
            if level == 1:
                element.set("class", " ".join([*element.get("class", "").split(),
                                               "handout-title"]))
                element.set("data-running-header", f"{packet.title} · {handout.meta.title}")
        if element.tag in LANDMARKS and element.get("aria-labelledby"):
            element.set("aria-labelledby", f"{element.get('aria-labelledby')} title")
        if element is not article and element.get("id"):
            element.set("id", f"{slug}--{element.get('id')}")
        for name in ID_REFERENCES:
            if element.get(name):
                element.set(name, " ".join(f"{slug}--{ref}" for ref in element.get(name).split()))
        for name in URL_ATTRIBUTES:
            if element.get(name) is None:
                continue
            if name == "href" and PRINTED_PAGE_LINK.search(element.get(name) or ""):
                del element.attrib[name]  # its page 4 is not the packet's: words, not a link
            else:
                element.set(name, _packet_url(element.get(name), slug, in_packet))
    return Markup(ElementTree.tostring(article, encoding="unicode", method="html"))


SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
XMLNS_NAMESPACE = "{http://www.w3.org/2000/xmlns/}"


def _plain_svg_names(element: ElementTree.Element) -> None:
    """Inline SVG (a QR code) as HTML writes it: <svg>, not the parser's namespaced <ns0:svg>."""
    if isinstance(element.tag, str) and element.tag.startswith(SVG_NAMESPACE):
        element.tag = element.tag.removeprefix(SVG_NAMESPACE)
    for name in [name for name in element.attrib if name.startswith(XMLNS_NAMESPACE)]:
        del element.attrib[name]


# A link to a page of a handout's own PDF ([page 4](#page-4)), which a packet numbers anew.
PRINTED_PAGE_LINK = re.compile(r"#page-\d+$")


def _packet_url(url: str, slug: str, in_packet: set[str]) -> str:
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return url
    if url.startswith("#"):
        return f"#{slug}--{url[1:]}" if len(url) > 1 else f"#{slug}"
    page = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_-]*)\.html", parts.path)
    if page and page[1] in in_packet:
        return f"#{page[1]}--{parts.fragment}" if parts.fragment else f"#{page[1]}"
    return f"../{url}"


def page_style(packet: Packet, labels: Labels) -> Markup:
    """Page numbers in the packet's language, and the DRAFT mark on draft handouts' pages.

    (The running header comes from the headings' data-running-header, in print.css.)
    """
    return Markup(
        "@media print { @page { @bottom-center { content: " + labels.page_of()
        + "; } }\n  @page draft { @top-right { content: " + labels.css("draft_mark")
        + "; color: #a30000; font-weight: 700; font-size: 14pt; } } }")


def part_style(starts_a_handout: bool) -> Markup:
    """A part's pages carry no page number: the folio draws them over the assembled packet.

    A handout's part numbers its pages from the packet page it starts on (FIRST_PAGE, set
    when the parts before it are rendered), and its first page has the running header that
    a document's first page otherwise has not.
    """
    style = "\n@media print { @page { @bottom-center { content: none; } }"
    if starts_a_handout:
        style += (f"\n  @page :first {{ counter-set: page {FIRST_PAGE}; "
                  "@top-left { content: string(running-header); } }")
    return Markup(style + " }")


def page_marker(anchor: str) -> str:
    """In the front's contents: the page a handout starts on, once known."""
    return f"@@page:{anchor}@@"


def ids_in(document: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', document))


def stubs(part: str, packet_ids: set[str]) -> frozenset[str]:
    """The ids a part links to that the packet's other parts hold. (A link to an id that
    no part holds gets no stub: WeasyPrint drops it and says so, as for a handout.)"""
    return (frozenset(re.findall(r'\shref="#([^"]+)"', part)) & packet_ids) - ids_in(part)


# Every margin box but the page number's: the parts draw them (running header, DRAFT).
OTHER_MARGIN_BOXES = " ".join(f"@{box} {{ content: none; }}" for box in (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "bottom-left-corner", "bottom-left", "bottom-right", "bottom-right-corner", "left-top",
    "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom"))


# One page per folio-page, which prints its number, or nothing on a folio-none page (the
# cover, a blank page, a booklet's padding). Here, not in print.css: its page count is the
# packet's, counter(pages) in every folio and the labels read from it (pdf/page_labels.py), and
# a project's own print.css must not change it.
FOLIO_PAGES = ("@page folio-none { @bottom-center { content: none; } }\n"
               ".packet-folio .folio-page { display: block !important; "
               "break-before: page !important; }\n"
               ".packet-folio .folio-none { page: folio-none !important; }")


def folio_document(lang: str, page_style: str, numbered: list[bool]) -> str:
    """Pages that hold only their page number, or nothing: drawn over the assembled packet."""
    pages = "".join(f'<div class="folio-page{"" if number else " folio-none"}"></div>'
                    for number in numbered)
    return (f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n'
            '<meta charset="utf-8">\n<title>Page numbers</title>\n'
            f'<link rel="stylesheet" href="../{STATIC}/base.css">\n'
            f'<link rel="stylesheet" href="../{STATIC}/print.css" media="print">\n'
            f'<style>{page_style}\n@media print {{ @page {{ {OTHER_MARGIN_BOXES} }}\n'
            f'{FOLIO_PAGES} }}</style>\n</head>\n'
            f'<body class="packet packet-folio">{pages}</body>\n</html>\n')


def check_logo(config: Config, content_dir: Path, diagnostics: Diagnostics) -> None:
    """The cover's logo is an image inside content/, like a handout's images."""
    if not config.logo:
        return
    line = config.logo_line
    if "\0" in config.logo:
        diagnostics.error(settings_file(config), line, f"the logo {config.logo!r} cannot be a file: a "
                          "file name cannot hold a NUL character")
        return
    target = (content_dir / config.logo).resolve()
    if not target.is_relative_to(content_dir.resolve()):
        diagnostics.error(settings_file(config), line, f"the logo {config.logo!r} is outside content/: "
                          "put it in content/assets/ and write logo = \"assets/<file>\"")
    elif not target.is_file():
        diagnostics.error(settings_file(config), line, f"the logo {config.logo!r} does not exist: "
                          f"there is no content/{config.logo}")
    elif target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
        diagnostics.error(settings_file(config), line, f"the logo {config.logo!r} must be a PNG, JPEG "
                          "or SVG image")


def booklet_pdf_name(packet: Packet, profile: Profile) -> str:
    """dist/pdf/<slug>-booklet.pdf, or dist/pdf/<profile>/<slug>-booklet.pdf."""
    return profile.pdf_path(f"{packet.slug}-booklet")


def print_source_name(packet: Packet) -> str:
    return f"{PRINT_SOURCES}/{packet.slug}.html"


def parts_folder(packet: Packet, profile: Profile) -> str:
    return f"{PARTS}/{packet.slug}/{profile.name}"
