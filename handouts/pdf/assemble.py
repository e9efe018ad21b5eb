"""A packet's PDF put together from its separately rendered parts, one structure tree for all."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .links import complete_link_descriptions

# BACK: a booklet's back cover, which carries no page number either.
NUMBERED, UNNUMBERED, BLANK, BACK = "numbered", "unnumbered", "blank", "back"
CONTENTS_ID = "packet-contents-label"  # the front's first page after the cover
FOLIO = pikepdf.Name("/HandoutsFolio")


class AssemblyError(Exception):
    """A part is not shaped as the packet's template makes it."""


@dataclass(frozen=True)
class Part:
    """A rendered part of a packet, and the ids it only holds as stubs for other parts."""

    pdf: Path
    stubs: frozenset[str] = frozenset()


def page_kinds(cover_pages: int, front_pages: int, part_pages: list[int]) -> list[str]:
    """What each page of the packet carries at its foot: a number, nothing, or it is blank."""
    kinds = [UNNUMBERED] * cover_pages + [NUMBERED] * (front_pages - cover_pages)
    for pages in part_pages:
        kinds += [BLANK] * (len(kinds) % 2) + [NUMBERED] * pages
    return kinds


def cover_pages(front: Path) -> int:
    """How many pages the front's cover takes: those before the contents."""
    with pikepdf.open(front) as pdf:
        destinations = _name_tree(pdf.Root.get("/Names", pikepdf.Dictionary()).get("/Dests"))
        destination = next((value for name, value in destinations.values()
                            if str(name) == CONTENTS_ID), None)
        if destination is None:
            raise AssemblyError(f"{front.name}: the contents have no id '{CONTENTS_ID}'")
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        return pages[destination[0].objgen]


def assemble(front: Part, parts: list[Part], folio: Path, kinds: list[str],
             target: Path, back: Part | None = None) -> int:
    """Write target: the front, each part from an odd page, blank pages to the length of
    kinds, then back, the back cover, on the last pages; the folio drawn over.

    Returns the number of pages. The parts' structure trees, bookmarks (under the packet's
    title) and named destinations join the front's (a stub's destination gives way to the
    part that holds the id); their fonts get subset names of their own.
    """
    with pikepdf.open(front.pdf) as packet:
        tree = _Tree(packet)
        destinations = _destinations(packet, front)
        bookmarks = []
        box = [float(value) for value in packet.pages[0].mediabox]

        def join(part: Part, source: pikepdf.Pdf) -> None:
            first = len(packet.pages)
            with warnings.catch_warnings():
                # pikepdf warns that named destinations are not carried over: they are
                # joined below, with the structure tree that needs them too.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                packet.pages.extend(source.pages)
            tree.join(source, packet.pages[first:], part.pdf.name)
            destinations.update(_destinations(packet, part, source))
            bookmarks.extend(_bookmarks(packet, source))

        def pad_to(pages: int) -> None:
            while len(packet.pages) < pages:  # nothing on it
                packet.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))

        for part in parts:
            with pikepdf.open(part.pdf) as source:
                pad_to(len(packet.pages) + len(packet.pages) % 2)
                join(part, source)
        if back is None:
            pad_to(len(kinds))
        else:
            with pikepdf.open(back.pdf) as source:
                pad_to(len(kinds) - len(source.pages))
                join(back, source)
        tree.write()
        packet.Root.Names.Dests = pikepdf.Dictionary(Names=_flat(destinations))
        # A part rendered alone could not know the pages of the others: now they are known.
        complete_link_descriptions(packet)
        with packet.open_outline() as outline:
            (outline.root[0].children if outline.root else outline.root).extend(bookmarks)
        with pikepdf.open(folio) as numbers:
            if not len(numbers.pages) == len(kinds) == len(packet.pages):
                raise AssemblyError(f"{target.name}: {len(packet.pages)} pages, but "
                                    f"{len(kinds)} planned and {len(numbers.pages)} numbered")
            for page, folio_page, kind in zip(packet.pages, numbers.pages, kinds):
                if kind == NUMBERED:
                    _draw_over(packet, page, pikepdf.Page(folio_page))
        _name_subsets_apart(packet)
        packet.save(target, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(packet.pages)


class _Tree:
    """The front's structure tree, which each part's joins in turn."""

    def __init__(self, packet: pikepdf.Pdf):
        self.packet = packet
        self.root = packet.Root.StructTreeRoot
        self.document = self.root.K[0]
        parts = [kid for kid in self.document.K if isinstance(kid, pikepdf.Dictionary)
                 and kid.get("/S") == "/Part"]
        # The front's <main>: the parts' handouts join it after the cover and contents.
        self.main = parts[-1] if parts else self.document
        self.nums: list[int | pikepdf.Object] = list(self.root.ParentTree.Nums)
        self.next_key = int(self.root.ParentTreeNextKey)
        self.ids = _name_tree(self.root.get("/IDTree"))

    def join(self, source: pikepdf.Pdf, pages: list[pikepdf.Page], name: str) -> None:
        """The part's elements under the front's, their parent-tree keys after the front's."""
        # Copied after its pages: the elements' /Pg are the packet's copies of them.
        part = self.packet.copy_foreign(source.Root.StructTreeRoot)
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + self.next_key
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + self.next_key
        nums = list(part.ParentTree.Nums)
        for index in range(0, len(nums), 2):
            self.nums += [int(nums[index]) + self.next_key, nums[index + 1]]
        self.next_key += int(part.ParentTreeNextKey)
        for kid in list(part.K[0].K):
            if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") == "/MCR":
                raise AssemblyError(f"{name}: content directly under its Document element")
            if kid.get("/S") == "/Part":
                self._adopt(self.main, list(kid.K), name)
            else:
                self._adopt(self.document, [kid], name)
        self._join_ids(_name_tree(part.get("/IDTree")), part.K[0])

    @staticmethod
    def _adopt(parent: pikepdf.Object, children: list[pikepdf.Object], name: str) -> None:
        for child in children:
            if not isinstance(child, pikepdf.Dictionary) or child.get("/Type") == "/MCR":
                raise AssemblyError(f"{name}: content directly under its Part element")
            child.P = parent
            parent.K.append(child)

    def _join_ids(self, part_ids: dict[bytes, tuple[pikepdf.String, pikepdf.Object]],
                  document: pikepdf.Object) -> None:
        """The part's element ids added; one already taken (th-1 in two handouts) renamed,
        with the table cells' /Headers that name it."""
        taken = {str(name) for name, _ in self.ids.values()}
        renamed = {}
        for name, element in part_ids.values():
            new, count = str(name), 1
            while new in taken:
                count += 1
                new = f"{name}-{count}"
            if new != str(name):
                renamed[str(name)] = new
                name = element.ID = pikepdf.String(new)
            taken.add(new)
            self.ids[bytes(name)] = (name, element)
        if renamed:
            for element in _elements(document):
                for attributes in _attribute_dicts(element):
                    if "/Headers" in attributes:
                        attributes.Headers = pikepdf.Array(
                            [pikepdf.String(renamed[str(header)]) if str(header) in renamed
                             else header for header in attributes.Headers])

    def write(self) -> None:
        self.root.ParentTree = self.packet.make_indirect(
            pikepdf.Dictionary(Nums=pikepdf.Array(self.nums)))
        self.root.ParentTreeNextKey = self.next_key
        if self.ids:
            self.root.IDTree = pikepdf.Dictionary(Names=_flat(self.ids))


def _destinations(packet: pikepdf.Pdf, part: Part, source: pikepdf.Pdf | None = None) -> dict:
    """The part's named destinations in packet, less its stubs'."""
    names = (source or packet).Root.get("/Names", pikepdf.Dictionary()).get("/Dests")
    if names is None:
        return {}
    if source is not None:
        names = packet.copy_foreign(names if names.is_indirect else source.make_indirect(names))
    return {key: (name, value) for key, (name, value) in _name_tree(names).items()
            if str(name) not in part.stubs}


def _name_tree(node: pikepdf.Object | None) -> dict[bytes, tuple[pikepdf.String, pikepdf.Object]]:
    """A name tree's entries (flat or with /Kids), by the bytes of their names.

    Names are kept as they were written (UTF-16 for an id that is not ASCII), as the links
    and elements that use them hold the same bytes.
    """
    entries: dict = {}
    if node is None:
        return entries
    names = list(node.get("/Names", []))
    for index in range(0, len(names), 2):
        entries[bytes(names[index])] = (names[index], names[index + 1])
    for kid in node.get("/Kids", []):
        entries.update(_name_tree(kid))
    return entries


def _flat(entries: dict[bytes, tuple]) -> pikepdf.Array:
    """A name tree's /Names array, sorted by the bytes of the names, as readers search it."""
    flat = pikepdf.Array()
    for key in sorted(entries):
        flat.extend(entries[key])
    return flat


def _elements(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
        elif isinstance(kids, pikepdf.Array):
            stack += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)
                      and kid.get("/Type") not in ("/MCR", "/OBJR")]


def _attribute_dicts(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    attributes = element.get("/A")
    if isinstance(attributes, pikepdf.Dictionary):
        yield attributes
    elif isinstance(attributes, pikepdf.Array):
        yield from (item for item in attributes if isinstance(item, pikepdf.Dictionary))


def _bookmarks(packet: pikepdf.Pdf, source: pikepdf.Pdf) -> list[pikepdf.OutlineItem]:
    """The part's bookmarks, pointing at its pages in the packet."""
    def copy(item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
        destination = item.destination
        if isinstance(destination, pikepdf.Array):
            copied = packet.copy_foreign(source.make_indirect(destination))
            assert isinstance(copied, pikepdf.Array), "a copy of an array"
            destination = copied
        new = pikepdf.OutlineItem(item.title, destination)
        new.is_closed = item.is_closed
        new.children.extend(copy(child) for child in item.children)
        return new

    with source.open_outline() as outline:
        return [copy(item) for item in outline.root]


def _draw_over(packet: pikepdf.Pdf, page: pikepdf.Page, folio: pikepdf.Page) -> None:
    """The folio page drawn over page, as an artifact: a page number is not the text."""
    form = packet.copy_foreign(folio.as_form_xobject())
    # WeasyPrint's pages share one resource dictionary: this page gets its own.
    # pikepdf types Dictionary(d) as taking a Mapping; a pikepdf Dictionary, which is not
    # one to a type checker, is copied so too.
    resources = pikepdf.Dictionary(
        page.obj.get("/Resources", pikepdf.Dictionary()))  # type: ignore[arg-type]
    xobjects = pikepdf.Dictionary(
        resources.get("/XObject", pikepdf.Dictionary()))  # type: ignore[arg-type]
    xobjects[FOLIO] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\n/Artifact BMC\nq " + FOLIO.unparse() + b" Do Q\nEMC\n")


def _name_subsets_apart(packet: pikepdf.Pdf) -> None:
    """Each part embedded its own subset of a font under the same name ("WJKLAQ+Atkinson-
    Hyperlegible"), which PDF reserves for one subset: each is named from its own glyphs."""
    for font in _fonts(packet):
        descendants = list(font.get("/DescendantFonts", []))
        descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
        program = next((descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile")
                        if descriptor is not None and key in descriptor), None)
        base = str(font.get("/BaseFont", ""))
        if program is None or len(base) < 8 or base[7] != "+":
            continue  # not a subset
        digest = hashlib.sha256(program.read_raw_bytes()).digest()
        name = pikepdf.Name("/" + "".join(chr(65 + byte % 26) for byte in digest[:6])
                            + base[7:])
        font.BaseFont = name
        for descendant in descendants:
            descendant.BaseFont = name
        descriptor.FontName = name


def _fonts(packet: pikepdf.Pdf):
    """Every font the pages use, directly or in the forms they draw, once each."""
    seen, pending = set(), [page.obj.get("/Resources") for page in packet.pages]
    while pending:
        resources = pending.pop()
        if resources is None:
            continue
        for font in resources.get("/Font", {}).values():
            if font.objgen not in seen or font.objgen == (0, 0):
                seen.add(font.objgen)
                yield font
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                pending.append(xobject.get("/Resources"))
