"""Two more readers for the tests, PDFium and Chromium's accessibility tree, and what they say."""

from __future__ import annotations

import ctypes
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

# PDFium


@dataclass
class Marked:
    """The text of one marked-content sequence (its /ActualText where it has one)."""

    page: int  # 0-based
    mcid: int
    text: str


@dataclass
class PdfElement:
    """A structure element as PDFium reads it: standard type, attributes, kids in /K order."""

    type: str
    path: tuple[int, ...]  # the index of each ancestor in its parent's /K: stable across pages
    alt: str | None = None
    actual_text: str | None = None
    expansion: str | None = None
    kids: list[PdfElement | Marked] = field(default_factory=list)

    def iter(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, PdfElement):
                yield from kid.iter()

    def text(self) -> str:
        """The marked content of the element and its descendants, in order."""
        return "".join(kid.text if isinstance(kid, Marked) else kid.text() for kid in self.kids)

    def marked(self, types: tuple = ()):
        """((1-based page, MCID), the types of the elements holding it) for each sequence."""
        for kid in self.kids:
            if isinstance(kid, Marked):
                yield (kid.page + 1, kid.mcid), types
            else:
                yield from kid.marked(types + (kid.type,))


def _utf16(function, *args, units: bool = False) -> str | None:
    """A string PDFium writes as UTF-16LE into a buffer sized by a first call."""
    size = function(*args, None, 0)
    if not size:
        return None
    buffer = (ctypes.c_ushort * size)() if units else ctypes.create_string_buffer(size)
    function(*args, buffer, size)
    return bytes(buffer)[:size * 2 if units else size].decode("utf-16-le").rstrip("\0")


def _text_string(data: bytes) -> str:
    """A PDF text string's bytes as text: UTF-16 or UTF-8 after their mark, else PDFDocEncoding."""
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return data.decode("utf-16")
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8")
    return data.decode("latin-1")  # PDFDocEncoding: the same for the ASCII Handouts writes so


def _marks(pdfium, page_object) -> list[tuple[str, int | None, str | None]]:
    """(name, MCID, /ActualText) of each mark around a page object, outermost first."""
    marks = []
    for index in range(pdfium.FPDFPageObj_CountMarks(page_object)):
        mark = pdfium.FPDFPageObj_GetMark(page_object, index)
        length = ctypes.c_ulong()
        name = (ctypes.c_ushort * 128)()
        pdfium.FPDFPageObjMark_GetName(mark, name, 256, ctypes.byref(length))
        mcid = ctypes.c_int()
        has_mcid = pdfium.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(mcid))
        # The blob, not the string value: PDFium decodes a string parameter's bytes as UTF-8,
        # which mangles the UTF-16 a non-ASCII text string is written in.
        actual = None
        if pdfium.FPDFPageObjMark_GetParamBlobValue(mark, b"ActualText", None, 0,
                                                    ctypes.byref(length)):
            buffer = (ctypes.c_ubyte * length.value)()
            pdfium.FPDFPageObjMark_GetParamBlobValue(mark, b"ActualText", buffer, length.value,
                                                     ctypes.byref(length))
            actual = _text_string(bytes(buffer)[:length.value])
        marks.append((bytes(name).decode("utf-16-le").split("\0")[0],
                      mcid.value if has_mcid else None, actual))
    return marks


def _page_marked_text(pdfium, page, text_page) -> dict[int, str]:
    """MCID -> text on one page, from its page objects (Form XObjects' included)."""
    glyphs: dict[int, str] = {}
    actual: dict[int, str] = {}

    def visit(page_object, outer_marks):
        # A Form XObject's own objects (an SVG's text) carry only the marks inside the form:
        # those around the form's Do apply to them too.
        marks = outer_marks + _marks(pdfium, page_object)
        if any(name == "Artifact" for name, _, _ in marks):
            return  # not read aloud: running headers, page numbers, repeated table headers
        kind = pdfium.FPDFPageObj_GetType(page_object)
        innermost = next(((mcid, text) for _, mcid, text in reversed(marks) if mcid is not None),
                         None)
        if innermost is not None:
            mcid, actual_text = innermost
            glyphs.setdefault(mcid, "")
            if actual_text is not None:
                actual[mcid] = actual_text
            if kind == pdfium.FPDF_PAGEOBJ_TEXT:
                glyphs[mcid] += _utf16(pdfium.FPDFTextObj_GetText, page_object, text_page,
                                       units=True) or ""
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            for index in range(pdfium.FPDFFormObj_CountObjects(page_object)):
                visit(pdfium.FPDFFormObj_GetObject(page_object, index), marks)

    for index in range(pdfium.FPDFPage_CountObjects(page)):
        visit(pdfium.FPDFPage_GetObject(page, index), [])
    return {mcid: actual.get(mcid, text) for mcid, text in glyphs.items()}


def read_pdf(path: Path) -> PdfElement:
    """The structure tree with its marked content, read by PDFium alone."""
    # PDFium gives one tree a page, of the elements with content there; an element is the same
    # on every page when its path of /K indices from the root is: the trees merge by path.
    import pypdfium2
    import pypdfium2.raw as pdfium

    elements: dict[tuple[int, ...], PdfElement] = {(): PdfElement("StructTreeRoot", ())}
    slots: dict[tuple[int, ...], dict[int, PdfElement | Marked]] = {(): {}}
    document = pypdfium2.PdfDocument(path)
    try:
        for number in range(len(document)):
            page = document[number]
            text_page = page.get_textpage()
            tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
            try:
                marked = _page_marked_text(pdfium, page.raw, text_page.raw)
                for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
                    kid = pdfium.FPDF_StructTree_GetChildAtIndex(tree, index)
                    if kid:
                        _merge(pdfium, kid, (index,), number, marked, elements, slots)
            finally:
                pdfium.FPDF_StructTree_Close(tree)
                text_page.close()
                page.close()
    finally:
        document.close()
    for at, kids in slots.items():
        elements[at].kids = [kids[index] for index in sorted(kids)]
    return elements[()]


def _merge(pdfium, element, at, page, marked, elements, slots) -> None:
    if at not in elements:
        def get(function):
            return _utf16(function, element)

        elements[at] = PdfElement(
            get(pdfium.FPDF_StructElement_GetType) or "", at,
            alt=get(pdfium.FPDF_StructElement_GetAltText),
            actual_text=get(pdfium.FPDF_StructElement_GetActualText),
            expansion=get(pdfium.FPDF_StructElement_GetExpansion))
        slots[at] = {}
        slots[at[:-1]][at[-1]] = elements[at]
    for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
        kid = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
        if kid:
            _merge(pdfium, kid, at + (index,), page, marked, elements, slots)
            continue
        # -1: an annotation (OBJR), or content PDFium leaves to another page's tree.
        mcid = pdfium.FPDF_StructElement_GetChildMarkedContentID(element, index)
        if mcid >= 0:
            slots[at][index] = Marked(page, mcid, marked.get(mcid, ""))


# Chromium's accessibility tree


@dataclass
class AxNode:
    """A node of Chromium's accessibility tree, with what the transcript needs of it."""

    role: str
    name: str
    ignored: bool
    level: int | None
    block: bool  # laid out as a block (display other than inline): its text is set apart
    named_by_author: bool  # aria-label or aria-labelledby
    children: list[AxNode] = field(default_factory=list)


INLINE_DISPLAYS = {"inline", "contents", "none", ""}


def read_ax_tree(page, url: str) -> AxNode:
    """The full accessibility tree of the page at url, through Chromium's DevTools protocol."""
    page.goto(url)
    # A reader opens a closed "Show this section" to read on; print shows it all.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
        snapshot = session.send("DOMSnapshot.captureSnapshot", {"computedStyles": ["display"]})
    finally:
        session.detach()
    strings, display = snapshot["strings"], {}
    for document in snapshot["documents"]:
        backend_ids = document["nodes"]["backendNodeId"]
        layout = document["layout"]
        for node_index, styles in zip(layout["nodeIndex"], layout["styles"]):
            display[backend_ids[node_index]] = strings[styles[0]] if styles else ""
    built = {}
    for node in nodes:
        properties = {item["name"]: item["value"].get("value")
                      for item in node.get("properties", [])}
        sources = node.get("name", {}).get("sources", [])
        built[node["nodeId"]] = AxNode(
            role=node.get("role", {}).get("value", ""),
            name=node.get("name", {}).get("value", "") or "",
            ignored=node.get("ignored", False),
            level=properties.get("level"),
            block=display.get(node.get("backendDOMNodeId"), "") not in INLINE_DISPLAYS,
            named_by_author=any(source.get("attribute") in ("aria-label", "aria-labelledby")
                                and "value" in source for source in sources))
    for node in nodes:
        built[node["nodeId"]].children = [built[child] for child in node.get("childIds", [])
                                          if child in built]
    return built[nodes[0]["nodeId"]]


# Transcripts

BREAK = None  # between blocks: the words on either side never join
WORD = re.compile(r"[^\W_]+")
LIST_MARKER = re.compile(r"\s*([•◦▪‣·\-–—*]|\(?([0-9]+|[a-zA-Z]|[ivxlcdm]{1,6})[.)])\s*",
                         re.IGNORECASE)
PDF_INLINE = {"Span", "Link", "Quote", "Code", "Reference", "BibEntry", "Annot", "Ruby", "RB",
              "RT", "RP", "Warichu", "WT", "WP", "Em", "Strong", "Sub", "NonStruct"}
GROUPS = {"StructTreeRoot", "Document", "Part", "Art", "Sect", "Div", "NonStruct"}
# The roles a reader announces, under one name on both sides; the others are not compared.
PDF_ROLES = {"Link": "link", "L": "list", "LI": "item", "TOC": "list", "TOCI": "item",
             "Table": "table", "TR": "row", "TH": "header", "TD": "cell", "Figure": "figure",
             "Formula": "figure", "BlockQuote": "quote", "Note": "note"}
AX_ROLES = {"link": "link", "list": "list", "DescriptionList": "list", "listitem": "item",
            "table": "table", "row": "row", "columnheader": "header", "rowheader": "header",
            "cell": "cell", "figure": "figure", "blockquote": "quote"}
# Roles whose author-given name is read instead of their content; a landmark's or a note's
# name only labels content that is still read.
NAME_REPLACES_CONTENT = {"link", "button", "heading", "cell", "columnheader", "rowheader",
                         "image", "listitem", "menuitem", "tab", "option"}


@dataclass
class Transcript:
    """What a screen reader speaks, in order: «role» markers, and text with a note of its kind."""

    # BREAK, or ("role" or "text", name or text, note): a note is a tuple of strings saying
    # what the text is (an abbreviation and its expansion, an /Alt, a footnote) for ALLOWED.
    pieces: list = field(default_factory=list)

    def role(self, name: str, note: tuple = ()) -> None:
        self.pieces.append(("role", name, note))

    def text(self, text: str, note: tuple = ()) -> None:
        self.pieces.append(("text", text, note))

    def gap(self) -> None:
        self.pieces.append(BREAK)

    @functools.cached_property
    def words(self) -> tuple[list[str], list[tuple]]:
        """The words (letters and digits, lower-cased) and «role» markers, and each one's note."""
        words, notes, run, run_note = [], [], [], ()
        for piece in self.pieces + [BREAK]:
            # Text pieces in a row with one note join: a word can be split between two.
            if piece is not BREAK and piece[0] == "text" and (not run or piece[2] == run_note):
                run.append(piece[1])
                run_note = piece[2]
                continue
            found = WORD.findall("".join(run).lower())
            words += found
            notes += [run_note] * len(found)
            run = []
            if piece is not BREAK and piece[0] == "role":
                words.append(f"«{piece[1]}»")
                notes.append(piece[2])
            elif piece is not BREAK:
                run, run_note = [piece[1]], piece[2]
        return words, notes


def pdf_transcript(root: PdfElement) -> Transcript:
    """Walk the structure tree in order: roles, text; /ActualText, /Alt and /E replace content."""
    said = Transcript()

    def walk(element: PdfElement, parent: str, note: tuple) -> None:
        block = element.type not in PDF_INLINE
        if block:
            said.gap()
        heading = re.fullmatch(r"H([1-6])", element.type)
        role = f"heading {heading[1]}" if heading else PDF_ROLES.get(element.type)
        if element.type == "Note":  # in a paragraph, it is read where it is called
            note += ("note" if parent in GROUPS else "footnote",)
        if role:
            said.role(role, note)
        if element.actual_text is not None:
            said.text(element.actual_text, note)
        elif element.alt is not None:
            said.text(element.alt, note + ("alt",))
        elif element.expansion is not None:
            said.text(element.expansion, note + (f"expansion of:{element.text()}",))
        elif element.type == "Lbl" and LIST_MARKER.fullmatch(element.text()):
            pass  # a bullet or number: its list item is announced instead
        else:
            for kid in element.kids:
                if isinstance(kid, Marked):
                    said.text(kid.text, note)
                else:
                    walk(kid, element.type, note)
        if block:
            said.gap()

    walk(root, "", ())
    return said


def html_transcript(root: AxNode) -> Transcript:
    """Walk the accessibility tree in order: roles and text; ignored nodes are not spoken."""
    said = Transcript()

    def walk(node: AxNode, role: str | None, in_figure: bool, note: tuple) -> None:
        if node.role == "StaticText":
            said.text(node.name, note)
            return
        if node.role == "doc-pagebreak":  # a page marker: said by its name, "Page 5"
            said.role("page break")
            said.text(f"{node.name} ", note)  # a word of its own, before the page's first
            return
        if node.block:
            said.gap()
        if role:
            said.role(role)
        if node.role == "image" or (node.named_by_author and node.role in NAME_REPLACES_CONTENT):
            said.text(node.name, note)
        else:
            note += (f"abbreviation of:{node.name}",) if node.role == "Abbr" else ()
            in_figure = in_figure or node.role == "figure"
            previous = None
            for child in _spoken_children(node):
                walk(child, _ax_role(child, node.role, previous, in_figure), in_figure, note)
                previous = child.role
        if node.block:
            said.gap()

    walk(root, None, False, ())
    return said


def _spoken_children(node: AxNode):
    """The children a reader reaches, through ignored ones (html, body, a pseudo-element)."""
    # An ignored node's text may still be read; list markers are left to their item.
    for child in node.children:
        if child.role in ("InlineTextBox", "ListMarker"):
            continue
        if child.ignored:
            yield from _spoken_children(child)
        else:
            yield child


def _ax_role(node: AxNode, parent: str, previous: str | None, in_figure: bool) -> str | None:
    """The role announced for a node: a dt/dd group is one item, announced at its first term."""
    if node.role == "heading":
        return f"heading {node.level}"
    if node.role == "term":
        return "item" if parent == "DescriptionList" and previous != "term" else None
    if node.role == "image":
        return None if in_figure else "figure"
    return AX_ROLES.get(node.role)
