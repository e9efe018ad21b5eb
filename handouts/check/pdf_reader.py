"""Read a tagged PDF's structure tree with the text of each element, as a screen reader would."""

from __future__ import annotations

import re
import struct
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
HEX_STRING = re.compile(rb"<([0-9a-fA-F]*)>")
ARTIFACT = pikepdf.Name("/Artifact")
SIMPLE_MARKED_CONTENT = re.compile(rb"(/[^\s/<>\[\]()]+)(?: << /MCID (\d+) >> BDC| BMC)")
OPERATORS_READ = "BMC BDC EMC Tf Tj TJ ' \""  # all the reader needs from a content stream
BLOCK_TYPES = frozenset({
    "Document", "Part", "Art", "Sect", "Div", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6",
    "BlockQuote", "Caption", "L", "LI", "Lbl", "LBody", "Table", "THead", "TBody", "TFoot",
    "TR", "TH", "TD", "Figure", "TOC", "TOCI", "Note", "Index", "Formula", "Form"})


@dataclass
class MarkedContent:
    """The text drawn by one marked-content sequence, and its page (0-based)."""

    text: str
    page: int


@dataclass
class Element:
    """A structure element: its standard type, attributes, and kids in order."""

    type: str
    attributes: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)  # Element, MarkedContent or Annotation
    page: int | None = None

    def iter(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.iter()

    def children(self) -> list[Element]:
        return [kid for kid in self.kids if isinstance(kid, Element)]

    def text(self) -> str:
        """The element's text in reading order; block elements separated by a space."""
        parts = []
        for kid in self.kids:
            if isinstance(kid, MarkedContent):
                parts.append(kid.text)
            elif isinstance(kid, Element):
                text = kid.text()
                parts.append(f" {text} " if kid.type in BLOCK_TYPES else text)
        if "ActualText" in self.attributes:
            return self.attributes["ActualText"]
        return "".join(parts)

    def annotations(self) -> list[Annotation]:
        return [kid for kid in self.kids if isinstance(kid, Annotation)]


@dataclass
class Annotation:
    subtype: str
    contents: str
    flags: int
    target: str
    page: int | None


@dataclass
class PageContent:
    marked: dict[int, str] = field(default_factory=dict)  # MCID -> text
    artifact_text: list[str] = field(default_factory=list)
    untagged_text: list[str] = field(default_factory=list)


@dataclass
class TaggedPdf:
    path: Path
    root: Element | None
    catalog_lang: str
    title: str
    display_doc_title: bool
    marked: bool
    pdfua_part: str
    unembedded_fonts: list[str]
    pages_without_tab_order: list[int]
    pages: list[PageContent]
    annotations: list[Annotation]
    referenced: set[tuple[int, int]] = field(default_factory=set)  # (page, MCID) in the tree
    _by_type: dict[str, list[Element]] | None = field(default=None, repr=False,
                                                      compare=False)

    def elements(self, type_: str) -> list[Element]:
        if self._by_type is None:  # the rules ask for one type after another: one walk
            self._by_type = {}
            for element in self.root.iter() if self.root else ():
                self._by_type.setdefault(element.type, []).append(element)
        return self._by_type.get(type_, [])


class _Font:
    """Decodes shown strings to Unicode through the font's ToUnicode CMap."""

    def __init__(self, font: pikepdf.Object) -> None:
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.map: dict[int, str] = {}
        if "/ToUnicode" in font:
            self._parse_cmap(font.ToUnicode.read_bytes().decode("latin-1"))

    def _parse_cmap(self, cmap: str) -> None:
        def unicode(hex_string):
            data = bytes.fromhex(hex_string)
            return data.decode("utf-16-be", errors="replace")

        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
            for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
                self.map[int(source, 16)] = unicode(target)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
            for start, end, target in re.findall(
                    r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])", block):
                first, last = int(start, 16), int(end, 16)
                if target.startswith("["):
                    for offset, item in enumerate(re.findall(r"<([0-9a-fA-F]+)>", target)):
                        self.map[first + offset] = unicode(item)
                else:
                    base = bytes.fromhex(target[1:-1])
                    for offset in range(last - first + 1):
                        value = int.from_bytes(base, "big") + offset
                        self.map[first + offset] = unicode(
                            value.to_bytes(len(base), "big").hex())

    def decode(self, data: bytes) -> str:
        codes: tuple[int, ...] | bytes
        if self.two_bytes:
            codes = struct.unpack(f">{len(data) // 2}H", data[:len(data) // 2 * 2])
        else:
            codes = data
        if not self.map:
            return "".join(map(chr, codes))
        get = self.map.get
        return "".join([get(code, "\ufffd") for code in codes])


def _page_content(page, decoders: dict) -> PageContent:
    """The text of each marked-content sequence of the page; ``decoders`` keeps each font's
    (by object), as pages share their fonts.

    The operators are read from the stream as qpdf writes it back, one instruction a line:
    a line is read as text, and only an instruction text cannot settle (a literal string, a
    named property list) is read as pikepdf objects. Taking every operand as an object costs
    more than the rest of the check.
    """
    content = PageContent()
    resources = page.get("/Resources", {})
    fonts = {}
    for name, font in resources.get("/Font", {}).items():
        if font.objgen == (0, 0) or font.objgen not in decoders:
            decoders[font.objgen] = _Font(font)
        fonts[name] = decoders[font.objgen]
    instructions = list(pikepdf.parse_content_stream(page, OPERATORS_READ))
    lines = pikepdf.unparse_content_stream(instructions).split(b"\n")
    if len(lines) != len(instructions):
        lines = [b""] * len(instructions)  # not one a line: every instruction as objects
    font = None
    # One entry per open marked-content sequence: its MCID (or None) and whether its
    # text is given by /ActualText; artifacts are counted apart.
    stack: list[tuple[int | None, bool, bool]] = []
    artifact_depth = 0
    for line, instruction in zip(lines, instructions):
        name = line[line.rfind(b" ") + 1:] if line else instruction.operator.unparse()
        if name in TEXT_OPERATORS:
            if font is None:
                continue
            text = font.decode(_shown_bytes(line, instruction, name))
            if artifact_depth:
                content.artifact_text.append(text)
                continue
            mcid = next((m for m, _, _ in reversed(stack) if m is not None), None)
            if mcid is None:
                if text.strip():
                    content.untagged_text.append(text)
            elif not any(m == mcid and has_actual_text for m, has_actual_text, _ in stack):
                content.marked[mcid] = content.marked.get(mcid, "") + text
        elif name in (b"BMC", b"BDC"):
            mcid, actual_text, is_artifact = _marked_content(line, instruction, resources)
            artifact_depth += is_artifact
            stack.append((mcid, actual_text is not None, is_artifact))
            if mcid is not None and actual_text is not None and not artifact_depth:
                content.marked[mcid] = actual_text
        elif name == b"EMC":
            if stack:
                artifact_depth -= stack.pop()[2]
        elif name == b"Tf":
            font = fonts.get(str(instruction.operands[0]))
    return content


def _shown_bytes(line: bytes, instruction, name: bytes) -> bytes:
    """The bytes a text operator shows: read from the line when its strings are all hex
    (as WeasyPrint writes them), else from the operands."""
    if line and b"(" not in line:
        return bytes.fromhex(b"".join(HEX_STRING.findall(line)).decode("ascii"))
    operand = instruction.operands[0 if name == b"TJ" else -1]
    if isinstance(operand, pikepdf.Array):
        return b"".join(bytes(item) for item in operand if isinstance(item, pikepdf.String))
    return bytes(operand)


def _marked_content(line: bytes, instruction, resources) -> tuple[int | None, str | None, bool]:
    """A BMC or BDC's MCID, /ActualText and whether it opens an artifact."""
    simple = SIMPLE_MARKED_CONTENT.fullmatch(line) if line else None
    if simple:  # "/Span << /MCID 3 >> BDC" or "/Artifact BMC", as qpdf writes them back
        return (int(simple[2]) if simple[2] else None), None, simple[1] == b"/Artifact"
    operands = instruction.operands
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, pikepdf.Name):  # a named property list in /Properties
        properties = resources.get("/Properties", {}).get(properties)
    mcid: int | None = None
    actual_text: str | None = None
    if isinstance(properties, pikepdf.Dictionary):
        written_mcid = properties.get("/MCID")
        mcid = None if written_mcid is None else int(written_mcid)
        written_text = properties.get("/ActualText")
        actual_text = None if written_text is None else str(written_text)
    return mcid, actual_text, operands[0] == ARTIFACT


def read_tagged_pdf(path: Path, opened: pikepdf.Pdf | None = None) -> TaggedPdf:
    """Everything the checks need from a PDF, read with pikepdf (``opened``: it is open)."""
    with (nullcontext(opened) if opened is not None else pikepdf.open(path)) as pdf:
        page_numbers = {page.objgen: index for index, page in enumerate(pdf.pages)}
        decoders: dict = {}
        pages = [_page_content(page, decoders) for page in pdf.pages]
        role_map = {}
        root = None
        referenced: set[tuple[int, int]] = set()
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            role_map = {str(k)[1:]: str(v)[1:] for k, v in tree.get("/RoleMap", {}).items()}
            root = _read_element(tree, pages, page_numbers, role_map, None, set(), referenced)
        annotations = []
        for index, page in enumerate(pdf.pages):
            for annotation in page.get("/Annots", []):
                annotations.append(_read_annotation(annotation, index))
        metadata = pdf.open_metadata()
        fonts_without_file = sorted({
            str(font.get("/BaseFont", "?")) for page in pdf.pages
            for font in page.get("/Resources", pikepdf.Dictionary()).get(
                "/Font", pikepdf.Dictionary()).values()
            if not _font_is_embedded(font)})
        return TaggedPdf(
            path=path, root=root,
            catalog_lang=str(pdf.Root.get("/Lang", "")),
            title=str(metadata.get("dc:title", "") or ""),
            display_doc_title=bool(pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary()).get(
                "/DisplayDocTitle", False)),
            marked=bool(pdf.Root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)),
            pdfua_part=str(metadata.get("pdfuaid:part", "") or ""),
            unembedded_fonts=fonts_without_file,
            pages_without_tab_order=[
                index + 1 for index, page in enumerate(pdf.pages)
                if page.get("/Annots") and str(page.get("/Tabs", "")) != "/S"],
            pages=pages, annotations=annotations, referenced=referenced)


def _font_is_embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _read_annotation(annotation, page_index) -> Annotation:
    action = annotation.get("/A", {})
    target = str(action.get("/URI", "")) if action else str(annotation.get("/Dest", ""))
    return Annotation(subtype=str(annotation.get("/Subtype", "")),
                      contents=str(annotation.get("/Contents", "")),
                      flags=int(annotation.get("/F", 0)), target=target, page=page_index)


def _attributes(node: pikepdf.Object) -> dict[str, str | int | list[str]]:
    attributes: dict[str, str | int | list[str]] = {}
    for key in ("/Lang", "/Alt", "/E", "/ActualText", "/ID", "/T"):
        if key in node:
            attributes[key[1:]] = str(node[key])
    owners = node.get("/A")
    for owner in ([owners] if isinstance(owners, pikepdf.Dictionary) else list(owners or [])):
        if not isinstance(owner, pikepdf.Dictionary):
            continue
        for key, value in owner.items():
            if key == "/Headers":
                attributes["Headers"] = [str(item) for item in value]
            elif key != "/O":
                attributes[key[1:]] = str(value)[1:] if isinstance(value, pikepdf.Name) \
                    else value if isinstance(value, int) else str(value)
    return attributes


def _read_element(node, pages, page_numbers, role_map, inherited_page, seen,
                  referenced) -> Element:
    if node.objgen != (0, 0):
        if node.objgen in seen:
            return Element("Cycle")
        seen.add(node.objgen)
    if node.get("/Type") == "/StructTreeRoot":
        kind = "StructTreeRoot"
    else:
        kind = str(node.get("/S", "/NonStruct"))[1:]
        for _ in range(10):  # follow a chain of role mappings to a standard type
            if kind not in role_map or role_map[kind] == kind:
                break
            kind = role_map[kind]
    page = page_numbers.get(node.Pg.objgen) if "/Pg" in node else inherited_page
    element = Element(kind, _attributes(node), page=page)
    kids = node.get("/K")
    if kids is None:
        return element
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int):
            if page is not None:
                element.kids.append(MarkedContent(pages[page].marked.get(kid, ""), page))
                referenced.add((page, kid))
        elif isinstance(kid, pikepdf.Dictionary):
            kid_type = kid.get("/Type")
            if kid_type == "/MCR":
                kid_page = page_numbers.get(kid.Pg.objgen) if "/Pg" in kid else page
                if kid_page is not None:
                    element.kids.append(
                        MarkedContent(pages[kid_page].marked.get(int(kid.MCID), ""), kid_page))
                    referenced.add((kid_page, int(kid.MCID)))
            elif kid_type == "/OBJR":
                kid_page = page_numbers.get(kid.Pg.objgen) if "/Pg" in kid else page
                element.kids.append(_read_annotation(kid.Obj, kid_page))
            else:
                element.kids.append(_read_element(kid, pages, page_numbers, role_map, page,
                                                  seen, referenced))
    return element
