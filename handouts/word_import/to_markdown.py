"""mammoth's HTML to blocks of Markdown: paragraphs, headings, lists, tables, quotes, notes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from .inline import InlineWriter, escape

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NOTE_ID = re.compile(r"^(footnote|endnote)-")
# Numbering typed by hand at the start of a paragraph: 1. 2) a. (iv) and typed bullets.
TYPED_NUMBER = re.compile(r"^(?:\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]|[•◦▪·–—-])\s")
BLOCK_START = re.compile(r"^(#|>|\+ |- |\* |=+\s*$|-+\s*$|!!!|:\s|\d+\.\s)")


@dataclass
class Block:
    """One block of the new file; review messages hang on its first line."""

    kind: str                 # heading, para, list, table, quote, image
    text: str                 # Markdown, one or more lines
    plain: str = ""           # its words, to recognise it
    level: int = 0            # a heading's level
    style: str = ""           # docx-title, docx-subtitle, docx-author, docx-date, docx-caption
    bold: bool = False        # a paragraph whose every word is bold
    element: ET.Element | None = None
    review: list[str] = field(default_factory=list)
    heading_from_bold: bool = False
    lines: list[str] = field(default_factory=list)  # its words, line by line (Shift+Enter)


@dataclass
class Body:
    blocks: list[Block]
    notes: list[str]          # "[^1]: …" entries, in order
    images: list[dict]        # src, alt, problem
    review: list[str]         # messages with no place in the file


def to_blocks(html: str) -> Body:
    """Blocks of Markdown from mammoth's HTML (well-formed: mammoth writes XHTML-like tags)."""
    html = CONTROL.sub(" ", html)  # a vertical tab from Word, say: not allowed in XML
    root = ET.fromstring(f"<root>{html}</root>")
    notes = [item for listing in root.findall("ol") for item in listing.findall("li")
             if NOTE_ID.match(item.get("id", ""))]
    note_ids = {item.get("id") for item in notes}
    for listing in root.findall("ol"):
        if listing.findall("li") and all(item.get("id") in note_ids
                                         for item in listing.findall("li")):
            root.remove(listing)
    numbers: dict[str, int] = {}
    for link in root.iter("a"):  # notes numbered as a reader meets them
        target = (link.get("href") or "")[1:]
        if target in note_ids and target not in numbers:
            numbers[target] = len(numbers) + 1
    images: list[dict] = []
    writer = InlineWriter(numbers, images)
    blocks = [block for element in root for block in _blocks(element, writer)]
    body = Body(blocks, [], images, [])
    by_id = {item.get("id"): item for item in notes}
    for note_id, number in sorted(numbers.items(), key=lambda pair: pair[1]):
        body.notes.append(_note(by_id[note_id], number, writer))
    unread = [item for item in notes if item.get("id") not in numbers]
    for item in unread:  # a note whose mark was lost: kept, numbered after the others
        number = len(body.notes) + 1
        body.notes.append(_note(item, number, writer))
        body.review.append(f"the note [^{number}] has no mark in the text: put [^{number}] "
                           "where it belongs, or remove the note")
    body.review += writer.review
    return body


def _blocks(element: ET.Element, writer: InlineWriter) -> list[Block]:
    tag = element.tag
    if tag == "a" and element.get("href") is None and not len(element):
        return []  # a bookmark between paragraphs
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        writer.plain_emphasis = True
        text = _one_line(writer.convert(element))
        writer.plain_emphasis = False
        if not text:
            return []
        return [_with_review(Block("heading", text, _plain(element), int(tag[1]),
                                   lines=_plain_lines(element)), writer)]
    if tag == "p":
        text = _one_line_breaks(writer.convert(element))
        if not text:
            return []
        style = element.get("class", "")
        only_image = len(element) == 1 and element[0].tag == "img" and not _plain(element)
        block = Block("image" if only_image else "para", text, _plain(element), style=style,
                      bold=_all_bold(element), element=element, lines=_plain_lines(element))
        return [_with_review(_escape_start(block), writer)]
    if tag in ("ul", "ol"):
        lines = _list(element, writer, 0)
        return [_with_review(Block("list", "\n".join(lines), _plain(element), element=element),
                             writer)] if lines else []
    if tag == "table":
        text = _table(element, writer)
        return [_with_review(Block("table", text, _plain(element), element=element),
                             writer)] if text else []
    if tag == "blockquote":
        inner = [block for child in element for block in _blocks(child, writer)]
        if not inner:
            return []
        quoted = "\n>\n".join("\n".join("> " + line for line in block.text.split("\n"))
                              for block in inner)
        review = [message for block in inner for message in block.review]
        return [Block("quote", quoted, _plain(element), review=review)]
    # Anything else mammoth writes (a div, a stray inline): its blocks, else its words.
    if len(element) and all(child.tag in ("p", "ul", "ol", "table", "h1", "h2", "h3")
                            for child in element):
        return [block for child in element for block in _blocks(child, writer)]
    text = _one_line_breaks(writer.convert(element))
    return [_with_review(Block("para", text, _plain(element)), writer)] if text else []


def _with_review(block: Block, writer: InlineWriter) -> Block:
    block.review += writer.review
    writer.review = []
    return block


def _plain(element: ET.Element) -> str:
    """The element's words; a line break (Shift+Enter in Word) parts words as a space does."""
    return " ".join("".join(_words(element)).split())


def _plain_lines(element: ET.Element) -> list[str]:
    lines = "".join(_words(element, "\n")).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _words(element: ET.Element, line_break: str = " ") -> Iterator[str]:
    yield line_break if element.tag == "br" else element.text or ""
    for child in element:
        yield from _words(child, line_break)
        yield child.tail or ""


def _one_line(markdown: str) -> str:
    return " ".join(markdown.split())


def _one_line_breaks(markdown: str) -> str:
    """A paragraph: spaces collapsed, its line breaks kept, no line indented (a code block)."""
    lines = [" ".join(line.split()) for line in markdown.split("  \n")]
    return "  \n".join(line for line in lines if line).strip()


def _all_bold(element: ET.Element) -> bool:
    """Every word of the paragraph is in bold (Word's look for a heading typed by hand)."""
    if (element.text or "").strip() or not len(element):
        return False
    for child in element:
        if (child.tail or "").strip():
            return False
        if child.tag in ("strong", "b"):
            continue
        if child.tag == "a" and child.get("href") is None and not (child.text or "").strip():
            continue
        return False
    return True


def _escape_start(block: Block) -> Block:
    """A paragraph that would read as a list, heading or quote is escaped, numbering noted."""
    if TYPED_NUMBER.match(block.plain):
        block.review.append("numbering or a bullet typed by hand: if this is a list item or "
                            "a heading, make it one (- item, 1. item, ## Heading)")
    match = BLOCK_START.match(block.text)
    if match:
        start = match[0]
        escaped = re.sub(r"^(\d+)\.", r"\1\\.", start) if start[0].isdigit() else "\\" + start
        block.text = escaped + block.text[len(start):]
    return block


def _list(element: ET.Element, writer: InlineWriter, depth: int) -> list[str]:
    lines = []
    indent = "    " * depth
    for number, item in enumerate(element.findall("li"), start=1):
        marker = "-" if element.tag == "ul" else f"{number}."
        nested = [child for child in item if child.tag in ("ul", "ol")]
        for child in nested:
            item.remove(child)
        paragraphs = [child for child in item if child.tag == "p"]
        if paragraphs and not (item.text or "").strip():
            texts = [_one_line(writer.convert(child)) for child in paragraphs]
        else:
            texts = [_one_line(writer.convert(item))]
        texts = [text for text in texts if text] or [""]
        lines.append(f"{indent}{marker} {texts[0]}".rstrip())
        for more in texts[1:]:  # a second paragraph of one item, indented under it
            lines += ["", f"{indent}    {more}"]
        for child in nested:
            lines += _list(child, writer, depth + 1)
            item.append(child)  # put back: sections read the list again
    return lines


def _table(element: ET.Element, writer: InlineWriter) -> str:
    """A pipe table; its first row is the header, noted when Word did not mark it so."""
    rows = table_rows(element, writer)
    if not rows:
        return ""
    header, *body = rows
    head_marked = element.find("thead") is not None or all(
        cell.tag == "th" for cell in _row_cells(_rows(element)[0]))
    if not head_marked:
        bold = all(_all_bold_cell(cell) for cell in _row_cells(_rows(element)[0]))
        if bold:
            header = [cell.replace("**", "") for cell in header]
        else:
            writer.review.append("the table's first row was taken as its header row (Word "
                                 "did not mark one): check it names the columns")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def table_rows(element: ET.Element, writer: InlineWriter) -> list[list[str]]:
    """Each row's cells as Markdown, merged cells spread and noted, rows made even."""
    writer.in_table = True
    rows, merged = [], False
    for row in _rows(element):
        cells = []
        for cell in _row_cells(row):
            text = _one_line(writer.convert(cell)).replace("|", "\\|")
            cells.append(text)
            span = int(cell.get("colspan", "1") or 1)
            if span > 1 or int(cell.get("rowspan", "1") or 1) > 1:
                merged = True
            cells += [""] * (span - 1)
        rows.append(cells)
    writer.in_table = False
    if merged:
        writer.review.append("merged cells of this table were split: Markdown tables cannot "
                             "merge cells; check each row still reads right")
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _rows(element: ET.Element) -> list[ET.Element]:
    """The table's own rows, not those of a table inside one of its cells."""
    rows = []
    for child in element:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += _rows(child)
    return rows


def _row_cells(row: ET.Element) -> list[ET.Element]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _all_bold_cell(cell: ET.Element) -> bool:
    paragraphs = [child for child in cell if child.tag == "p"] or [cell]
    return any(_plain(p) for p in paragraphs) and \
        all(_all_bold(p) for p in paragraphs if _plain(p))


def _note(item: ET.Element, number: int, writer: InlineWriter) -> str:
    for link in list(item.iter("a")):  # mammoth's link back to the mark: the build makes its own
        if (link.get("href") or "").startswith(("#footnote-ref-", "#endnote-ref-")):
            for parent in item.iter():
                if link in list(parent):
                    _remove_keeping_tail(parent, link)
                    break
    paragraphs = [child for child in item if child.tag == "p"] or [item]
    texts = [_one_line(writer.convert(paragraph)) for paragraph in paragraphs]
    texts = [text for text in texts if text] or [escape("(empty note)")]
    return f"[^{number}]: " + "\n\n    ".join(texts)


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    tail = child.tail or ""
    index = list(parent).index(child)
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(child)
