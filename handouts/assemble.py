"""A packet's PDF put together from its separately rendered parts, one structure tree for all."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf

NUMBERED, UNNUMBERED, BLANK = "numbered", "unnumbered", "blank"
CONTENTS_ID = "packet-contents-label"  # the front's first page after the cover
FOLIO = pikepdf.Name("/HandoutsFolio")


@dataclass(frozen=True)
class Part:
    """A rendered part of a packet, and the ids it only holds as stubs for other parts."""

    pdf: Path
    stubs: frozenset[str] = frozenset()


def first_pages(front_pages: int, part_pages: list[int]) -> list[int]:
    """The packet page each part starts on: the first odd page after the one before it."""
    starts, used = [], front_pages
    for pages in part_pages:
        used += used % 2
        starts.append(used + 1)
        used += pages
    return starts


def page_kinds(cover_pages: int, front_pages: int, part_pages: list[int]) -> list[str]:
    """What each page of the packet carries at its foot: a number, nothing, or it is blank."""
    kinds = [UNNUMBERED] * cover_pages + [NUMBERED] * (front_pages - cover_pages)
    for pages in part_pages:
        kinds += [BLANK] * (len(kinds) % 2) + [NUMBERED] * pages
    return kinds


def cover_pages(front: Path) -> int:
    """How many pages the front's cover takes: those before the contents."""
    with pikepdf.open(front) as pdf:
        destination = _name_tree(pdf.Root.get("/Names", {}).get("/Dests")).get(CONTENTS_ID)
        if destination is None:
            return 1
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        return pages.get(destination[0].objgen, 1)


def assemble(front: Part, parts: list[Part], folio: Path, kinds: list[str],
             target: Path) -> int:
    """Write target: the front, then each part from an odd page, then the folio drawn over.

    The parts' structure trees join the front's (their elements under its Part, their
    parent-tree keys moved past the front's), as do their bookmarks (under the packet's
    title), named destinations (a stub's gives way to the part that holds the id) and table
    header ids (made unique where two parts use the same). Returns the number of pages.
    """
    with pikepdf.open(front.pdf) as packet:
        tree = packet.Root.StructTreeRoot
        main = _main_part(tree.K[0])
        nums = list(tree.ParentTree.Nums)
        next_key = int(tree.ParentTreeNextKey)
        destinations = {name: value for name, value in _name_tree(
            packet.Root.Names.Dests).items() if name not in front.stubs}
        ids = _name_tree(tree.get("/IDTree"))
        bookmarks = []
        box = [float(value) for value in packet.pages[0].mediabox]
        for part in parts:
            with pikepdf.open(part.pdf) as source:
                if len(packet.pages) % 2:
                    packet.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
                first = len(packet.pages)
                with warnings.catch_warnings():
                    # pikepdf warns that named destinations are not carried over: they are
                    # joined below, with the structure tree that needs them too.
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    packet.pages.extend(source.pages)
                part_tree = packet.copy_foreign(source.Root.StructTreeRoot)
                for page in packet.pages[first:]:
                    _shift_struct_parents(page, next_key)
                part_nums = list(part_tree.ParentTree.Nums)
                for index in range(0, len(part_nums), 2):
                    nums += [int(part_nums[index]) + next_key, part_nums[index + 1]]
                next_key += int(part_tree.ParentTreeNextKey)
                for kid in list(part_tree.K[0].K):
                    _adopt(main if kid.get("/S") == "/Part" else tree.K[0], kid)
                _join_ids(ids, _name_tree(part_tree.get("/IDTree")), part_tree.K[0])
                for name, value in _name_tree(_copy(packet, source,
                                                    source.Root.Names.Dests)).items():
                    if name not in part.stubs:
                        destinations[name] = value
                bookmarks += _bookmarks(packet, source)
        tree.ParentTree = packet.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        tree.ParentTreeNextKey = next_key
        if ids:
            tree.IDTree = pikepdf.Dictionary(Names=_flat(ids))
        packet.Root.Names.Dests = pikepdf.Dictionary(Names=_flat(destinations))
        with packet.open_outline() as outline:
            (outline.root[0].children if outline.root else outline.root).extend(bookmarks)
        with pikepdf.open(folio) as numbers:
            for page, folio_page, kind in zip(packet.pages, numbers.pages, kinds):
                if kind == NUMBERED:
                    _draw_over(packet, page, pikepdf.Page(folio_page))
        packet.save(target, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(packet.pages)


def _copy(packet: pikepdf.Pdf, source: pikepdf.Pdf, value):
    """value, from source, in packet; pages it names are those already copied."""
    return packet.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _main_part(document: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The front's <main>: the parts' handouts join it after the cover and contents."""
    parts = [kid for kid in document.K if isinstance(kid, pikepdf.Dictionary)
             and kid.get("/S") == "/Part"]
    return parts[-1] if parts else document


def _adopt(parent: pikepdf.Dictionary, element) -> None:
    """element's children (a Part's) or element itself (anything else) under parent."""
    children = list(element.K) if element.get("/S") == "/Part" else [element]
    for child in children:
        if isinstance(child, pikepdf.Dictionary) and child.get("/Type") != "/MCR":
            child.P = parent
        parent.K.append(child)


def _shift_struct_parents(page: pikepdf.Page, offset: int) -> None:
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _name_tree(node) -> dict[str, object]:
    """A name tree's entries (flat or with /Kids), by name."""
    entries: dict[str, object] = {}
    if node is None:
        return entries
    names = list(node.get("/Names", []))
    for index in range(0, len(names), 2):
        entries[str(names[index])] = names[index + 1]
    for kid in node.get("/Kids", []):
        entries.update(_name_tree(kid))
    return entries


def _flat(entries: dict[str, object]) -> pikepdf.Array:
    """A name tree's /Names array: sorted by name, as readers look names up."""
    flat = pikepdf.Array()
    for name in sorted(entries, key=lambda text: text.encode("utf-8")):
        flat.append(pikepdf.String(name))
        flat.append(entries[name])
    return flat


def _join_ids(ids: dict, part_ids: dict, document: pikepdf.Dictionary) -> None:
    """The part's element ids added to ids; one already taken is renamed, with the table
    cells' /Headers that name it."""
    renamed = {}
    for name, element in part_ids.items():
        new, count = name, 1
        while new in ids:
            count += 1
            new = f"{name}-{count}"
        if new != name:
            renamed[name] = new
            element.ID = pikepdf.String(new)
        ids[new] = element
    if renamed:
        for element in _elements(document):
            for attributes in _attribute_dicts(element):
                if "/Headers" in attributes:
                    attributes.Headers = pikepdf.Array(
                        [pikepdf.String(renamed.get(str(h), str(h))) for h in attributes.Headers])


def _elements(element: pikepdf.Dictionary):
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Dictionary):
            kids = [kids]
        for kid in kids if isinstance(kids, pikepdf.Array) or isinstance(kids, list) else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                stack.append(kid)


def _attribute_dicts(element: pikepdf.Dictionary):
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
            destination = _copy(packet, source, destination)
        new = pikepdf.OutlineItem(item.title, destination)
        new.is_closed = item.is_closed
        new.children.extend(copy(child) for child in item.children)
        return new

    with source.open_outline() as outline:
        return [copy(item) for item in outline.root]


def _draw_over(packet: pikepdf.Pdf, page: pikepdf.Page, folio: pikepdf.Page) -> None:
    """The folio page drawn over page, as an artifact: a page number is not the text."""
    form = packet.copy_foreign(folio.as_form_xobject())  # indirect: one copy per folio page
    # WeasyPrint's pages share one resource dictionary: this page gets its own.
    resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
    xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
    xobjects[FOLIO] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\n/Artifact BMC\nq " + FOLIO.unparse() + b" Do Q\nEMC\n")
