"""Link annotations of the tagged PDF: one per link and page, tied to its Link element."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pydyf

from ..html_classes import has_class
from ..labels import Labels
from .page_labels import printed_labels
from .semantics import hidden_in_print, is_page_reference, parent_map

# A piece of a link narrower or lower than this (in points) has no area a pointer could hit:
# an empty <wbr>, a box of line-height 0. No glyph is drawn that small.
MINIMUM_SIDE = 0.1
# Two pieces of one link are on the same line when their heights overlap by more than this
# share of the lower one, and they touch (a leader and a page number after a contents entry).
SAME_LINE_OVERLAP = 0.5
TOUCHING = 1.0  # points between two pieces of one line that still make one quadrilateral
# On a link into another part of a packet: the word for "page", until the assembled packet
# knows the page (complete_link_descriptions); a part alone cannot tell it.
PAGE_TO_COME = "HandoutsPageToCome"


@dataclass
class _Stop:
    """One link on one page: what a keyboard user tabs to, and a pointer clicks."""

    node: pydyf.Dictionary     # the Link structure element
    page_number: int
    element: object            # the HTML <a>
    reference: pydyf.Dictionary  # its OBJR in the Link's /K, where its first piece is read
    annotations: list = field(default_factory=list)  # WeasyPrint's, one per box of the link


class LinkAnnotations:
    """Collects WeasyPrint's link annotations while the tree is built, then ties them to it."""

    def __init__(self, pdf: pydyf.PDF, document: Any) -> None:  # WeasyPrint's Document
        self.pdf = pdf
        self.document = document  # its pages' anchors say where each link leads
        self.stops: dict[tuple[int, int], _Stop] = {}  # (id(Link), page number) -> its stop
        # (page, annotation) of links drawn as artifacts
        self.orphan_annotations: list[tuple[int, Any]] = []
        self._targets = None  # made when first needed: see _LinkTargets

    def add(self, node, annotation, page_number, element):
        """One annotation WeasyPrint made for a box of the link element, drawn on page_number."""
        key = (id(node), page_number)
        stop = self.stops.get(key)
        if stop is None:
            # The OBJR goes where the link's first piece on this page is read; finish() points
            # it at the annotation that is kept.
            reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                          "Pg": self.pdf.page_references[page_number]})
            self.pdf.add_object(reference)
            node["K"].append(reference.reference)
            stop = self.stops[key] = _Stop(node, page_number, element, reference)
        stop.annotations.append(annotation)

    def add_orphan(self, annotation, page_number):
        """An annotation of a link inside an artifact."""
        self.orphan_annotations.append((page_number, annotation))

    def finish(self) -> list:
        """One annotation per link and page, the rest dropped: (Link, annotation) pairs."""
        # page number -> references of annotations to take off the page
        dropped: dict[int, set[bytes]] = {}
        kept = []
        # id(Link) -> (Link, whether any page kept an annotation)
        linked_nodes: dict[int, tuple[pydyf.Dictionary, bool]] = {}
        for stop in self.stops.values():
            annotation = self._merge(stop, dropped)
            has_any = linked_nodes.get(id(stop.node), (stop.node, False))[1]
            linked_nodes[id(stop.node)] = (stop.node, has_any or annotation is not None)
            if annotation is not None:
                kept.append((stop.node, annotation))
        for page_number, annotation in self.orphan_annotations:
            # A link that is not part of the document (inside an artifact) must not be
            # an annotation either: PDF/UA wants every annotation in the tree.
            dropped.setdefault(page_number, set()).add(annotation.reference)
        for page_number, references in dropped.items():
            page = self._object(self.pdf.page_references[page_number])
            remaining = pydyf.Array(
                [ref for ref in page.get("Annots", []) if ref not in references])
            if remaining:
                page["Annots"] = remaining
            else:
                page.pop("Annots", None)
        for node, has_annotation in linked_nodes.values():
            if not has_annotation:
                self._unlink(node)
        return kept

    def _merge(self, stop, dropped):
        """The stop's one annotation: its pieces with an area, one quadrilateral per line."""
        pieces = [(annotation, _rectangle(annotation)) for annotation in stop.annotations]
        with_area = [(annotation, rect) for annotation, rect in pieces if _has_area(rect)]
        keep = with_area[0][0] if with_area else None
        for annotation in stop.annotations:
            if annotation is not keep:
                dropped.setdefault(stop.page_number, set()).add(annotation.reference)
                # Nothing refers to it any more; emptied, it is no annotation for any reader.
                annotation.clear()
        if keep is None:
            stop.node["K"].remove(stop.reference.reference)
            stop.reference.clear()
            return None
        lines = _lines([rect for _, rect in with_area])
        keep["Rect"] = pydyf.Array(_union(lines))
        keep["QuadPoints"] = pydyf.Array(
            [value for line in lines for value in _quadrilateral(line)])
        self._describe(keep, stop.element)
        stop.reference["Obj"] = keep.reference
        return keep

    def _describe(self, annotation, element):
        uri = annotation.get("A", {}).get("URI")
        target = element.get("href") or ""
        if uri is not None and str(uri.string).startswith("file:"):
            # A link to another page of the site: keep it relative to the PDF in pdf/,
            # never the builder's own file path.
            annotation["A"]["URI"] = pydyf.String(f"../{target}")
        annotation["Contents"] = pydyf.String(self.targets.description(element))
        if self.targets.in_another_part(element):
            annotation[PAGE_TO_COME] = pydyf.String(self.targets.page_word)
        annotation["F"] = 4  # print the annotation: links must not vanish on paper

    @property
    def targets(self):
        if self._targets is None:
            self._targets = _LinkTargets(self.document)
        return self._targets

    def _unlink(self, node):
        """A Link no pointer can reach is no link: its content is read as a Span, or it goes."""
        if len(node["K"]):
            node["S"] = "/Span"
            return
        parent = self._object(node["P"])
        parent["K"] = pydyf.Array([kid for kid in parent["K"] if kid != node.reference])
        node.clear()

    def _object(self, reference):
        if isinstance(reference, bytes):  # pydyf's own references are b"12 0 R"
            reference = reference.decode("ascii")
        return self.pdf.objects[int(reference.split()[0])]


class _LinkTargets:
    """Where a document's links lead, in words: the page an anchor is printed on, or the address."""

    def __init__(self, document):
        root_box = next(child for child in document.pages[0]._page_box.children
                        if child.element_tag == "html")
        html = root_box.element
        self.page_word = Labels(html.get("lang") or "en")["page"]
        self.by_id = {element.get("id"): element for element in html.iter() if element.get("id")}
        labels = printed_labels(document.pages)
        self.parent_of = parent_map(html)
        self.anchor_pages = {}
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                self.anchor_pages.setdefault(name, labels[index])  # the first, as WeasyPrint
        self.sources = _source_entries(html)

    def description(self, element) -> str:
        """The annotation's /Contents: the link's text and where it leads."""
        text = _link_text(element)
        href = element.get("href") or ""
        if not href.startswith("#"):
            return href if text in ("", href) else f"{text}: {href}"
        name = href[1:]
        page = element.get("data-page") or self._page_of(name)
        if page is None:  # a stub in a packet's part: its page is in another part
            return text
        if is_page_reference(element):
            # The text ends with "on page"; print adds the number after it. Words that go on
            # the sentence before it ("This section ends" on page 5) make it whole.
            text = _balanced(text)
            if text[:1].islower():
                text = f"{self._lead_in(element)} {text}".strip()
            return f"{text} {page}"
        source = self.sources.get(name) or self.sources.get(unquote(name))
        if source is not None:
            heading, address = source
            return f"{heading} {text}: {address}, {self.page_word} {page}"
        return f"{text}, {self.page_word} {page}"

    def _lead_in(self, element) -> str:
        """The printed words before element in its parent, from the last clause's start."""
        parent = self.parent_of.get(element)
        if parent is None:
            return ""
        parts = [parent.text or ""]
        for child in parent:
            if child is element:
                break
            if not hidden_in_print(child):
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        before = " ".join("".join(parts).split())
        lead = re.split(r"[.;:!?]\s", before + " ")[-1].lstrip("( ").rstrip()
        return lead if any(character.isalpha() for character in lead) else ""

    def in_another_part(self, element) -> bool:
        """A link whose target this part holds only as a packet's stub."""
        href = element.get("href") or ""
        return (href.startswith("#") and not element.get("data-page")
                and self._stub(href[1:]))

    def _stub(self, name) -> bool:
        target = self.by_id.get(name) or self.by_id.get(unquote(name))
        return target is not None and has_class(target, "packet-stub")

    def _page_of(self, name):
        if self._stub(name):
            return None  # holds the id in this part only; the real target is elsewhere
        page = self.anchor_pages.get(name)
        return page if page is not None else self.anchor_pages.get(unquote(name))


def _source_entries(html) -> dict[str, tuple[str, str]]:
    """Each entry of a Sources list, by id: the list's heading and the entry's address."""
    entries = {}
    for section in html.iter("section"):
        lists = [child for child in section
                 if child.tag == "ol" and has_class(child, "sources")]
        if not lists:
            continue
        heading = next((" ".join("".join(child.itertext()).split()) for child in section
                        if child.tag in ("h2", "h3", "h4", "h5", "h6")), "")
        for item in (item for listing in lists for item in listing if item.get("id")):
            links = [link for link in item.iter("a") if link.get("href")]
            printed = [link for link in links
                       if has_class(link, "source-url")]
            if printed or links:
                entries[item.get("id")] = (heading, (printed or links)[0].get("href"))
    return entries


def _link_text(element) -> str:
    """What the link says: its text, or the alternative text of its images."""
    text = " ".join("".join(element.itertext()).split())
    if not text:
        text = " ".join(image.get("alt") or "" for image in element.iter("img")).strip()
    return text


def _balanced(text: str) -> str:
    """The text without an opening bracket its closing one (outside the link) would end."""
    if text.count("(") > text.count(")"):
        return text.replace("(", "", 1).strip()
    return text


def _rectangle(annotation) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of an annotation's /Rect, whichever corners it names."""
    x1, y1, x2, y2 = (float(value) for value in annotation["Rect"])
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _has_area(rect) -> bool:
    left, bottom, right, top = rect
    return right - left >= MINIMUM_SIDE and top - bottom >= MINIMUM_SIDE


def _same_line(a, b) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    lower = min(a[3] - a[1], b[3] - b[1])
    gap = max(a[0], b[0]) - min(a[2], b[2])
    return overlap > SAME_LINE_OVERLAP * lower and gap <= TOUCHING


def _lines(rects) -> list[tuple[float, float, float, float]]:
    """The pieces joined into one rectangle per line (or per separate piece of one), in order."""
    lines: list[list] = []  # [index of its first piece, rectangle]
    for index, rect in enumerate(rects):
        first, merged = index, list(rect)
        while True:  # a piece can bridge two that did not touch: all three become one
            touching = [line for line in lines if _same_line(line[1], merged)]
            if not touching:
                break
            lines = [line for line in lines if not any(line is t for t in touching)]
            first = min([first] + [line[0] for line in touching])
            merged = _union([merged] + [line[1] for line in touching])
        lines.append([first, merged])
    return [rect for _, rect in sorted(lines, key=lambda line: line[0])]


def _union(rects) -> list[float]:
    return [min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects)]


def _quadrilateral(rect) -> list[float]:
    """Its corners counter-clockwise from the lower left, as ISO 32000-1 12.5.6.5 says."""
    # Chrome's viewer (PDFium) reads the fourth and second points as the upper left and lower
    # right corners, which only this order gives; pdf.js takes each quadrilateral's bounding
    # box, whatever the order. (Highlights that Acrobat makes list the upper corners first:
    # for a link, that order would leave Chrome an area of no width.)
    left, bottom, right, top = rect
    return [left, bottom, right, bottom, right, top, left, top]


def complete_link_descriptions(packet) -> None:
    """In an assembled packet (pikepdf): links into another part get their target's page."""
    import pikepdf

    pages = {page.objgen: number for number, page in enumerate(packet.pages, start=1)}
    names = packet.Root.get("/Names", {}).get("/Dests")
    destinations = pikepdf.NameTree(names) if names is not None else {}
    for page in packet.pages:
        for annotation in page.get("/Annots", []):
            word = annotation.get(f"/{PAGE_TO_COME}")
            if word is None:
                continue
            del annotation[f"/{PAGE_TO_COME}"]
            name = annotation.get("/Dest")
            destination = destinations.get(str(name)) if name is not None else None
            if isinstance(destination, pikepdf.Dictionary):
                destination = destination.get("/D")
            if destination is not None and destination[0].objgen in pages:
                annotation.Contents = pikepdf.String(
                    f"{annotation.Contents}, {word} {pages[destination[0].objgen]}")
