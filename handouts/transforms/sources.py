"""Sources: every external link is also a numbered source, printed in full for paper readers."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, SubElement

import segno

from ..pdf.semantics import parent_map
from ..prepare.parse import Handout, text_content
from . import Context, Transform, ids_in, labels_of
from .glossary import new_section
from .headings import TEMPLATE_IDS, unique_id

EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)
# Where a long address may break: after these, or before '?', '#' and '&'.
BREAK_AFTER = "/-_."
BREAK_BEFORE = "?#&"


@dataclass
class Source:
    number: int
    url: str
    text: str
    description: str
    id: str


class Sources(Transform):
    name = "sources"

    def apply(self, handout: Handout, context: Context) -> None:
        sources: dict[str, Source] = {}
        taken = set(TEMPLATE_IDS) | ids_in(handout.body)
        parent_of = parent_map(handout.body)
        references: dict[Element, dict[Element, Element]] = {}  # parent -> link -> its <sup>
        for link in list(handout.body.iter("a")):
            url = link.get("href") or ""
            if not EXTERNAL.match(url):
                continue
            source = sources.get(url)
            if source is None:
                source = sources[url] = Source(
                    len(sources) + 1, url, _link_text(link), link.get("title") or "",
                    unique_id(f"source-{len(sources) + 1}", taken))
            references.setdefault(parent_of[link], {})[link] = _reference(link, source)
        for parent, after in references.items():  # each parent's children laid out once
            parent[:] = [element for child in parent
                         for element in ((child, after[child]) if child in after else (child,))]
        if sources:
            section = new_section(handout, labels_of(handout).sources, "sources", "section-sources")
            section.append(_render(list(sources.values()), context.config.source_qr_codes))


def _link_text(link: Element) -> str:
    """What the link says: its text, or the alternative text of its image."""
    text = " ".join(text_content(link).split())
    if not text:
        text = " ".join(image.get("alt") or "" for image in link.iter("img")).strip()
    return text


def _reference(link: Element, source: Source) -> Element:
    """A superscript number to go after the link, printed only: paper readers find the
    address. It takes over the link's tail."""
    reference = Element("sup", {"class": "source-ref print-only"})
    anchor = SubElement(reference, "a", {"href": f"#{source.id}"})
    anchor.text = str(source.number)
    reference.tail, link.tail = link.tail, None
    return reference


def _render(sources: list[Source], qr_codes: bool) -> Element:
    listing = Element("ol", {"class": "sources"})
    for source in sources:
        item = SubElement(listing, "li", {"id": source.id})
        if qr_codes:
            item.append(qr_code(source.url))
        link = SubElement(item, "a", {"href": source.url})
        link.text = source.text or source.url
        link.tail = _sentence(link.text) + (
            f" {source.description}{_sentence(source.description)} " if source.description
            else " ")
        # The printed address is a link too: in the PDF it can be followed as well as read.
        address = SubElement(item, "a", {"href": source.url, "class": "source-url"})
        _write_breakable(address, source.url)
    return listing


def _sentence(text: str) -> str:
    """The full stop that ends a piece of text, unless it has its own punctuation."""
    return "" if text.rstrip()[-1:] in ".?!…" else "."


def qr_code(url: str) -> Element:
    """A printed QR code of url: decorative, since the address is printed beside it."""
    # Drawn inline, not as a data: image: nothing of Handouts' own needs data: URLs.
    size, path = _qr_path(url)
    code = Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {size} {size}",
                           "class": "qr-code print-only decorative", "aria-hidden": "true",
                           "focusable": "false"})
    SubElement(code, "path", {"stroke": "#000", "d": path})
    return code


@functools.lru_cache(maxsize=4096)
def _qr_path(url: str) -> tuple[int, str]:
    """The code's size in modules and its drawing; handouts often cite the same addresses."""
    drawing = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(drawing, kind="svg", scale=1, border=2, xmldecl=False, svgns=False)
    svg = ElementTree.fromstring(drawing.getvalue())
    width, _ = qr.symbol_size(scale=1, border=2)  # modules: an int at scale 1
    path = svg.find("path")
    assert path is not None and path.get("d") is not None, "segno draws one path"
    return int(width), path.get("d", "")


def _write_breakable(element: Element, url: str) -> None:
    """The address as text, with <wbr> where a line may break without breaking a word."""
    scheme, _, rest = url.partition("://")
    pieces = re.split(r"(?<=[" + re.escape(BREAK_AFTER) + r"])|(?=[" + re.escape(BREAK_BEFORE)
                      + r"])", rest)
    pieces = [piece for piece in pieces if piece]
    pieces[0] = f"{scheme}://{pieces[0]}"  # never break inside 'https://'
    element.text = pieces[0]
    for piece in pieces[1:]:
        SubElement(element, "wbr").tail = piece
