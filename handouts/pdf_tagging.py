"""The PDF structure tree, built from the HTML element tree (replaces WeasyPrint 70.0's tagging)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager

import pydyf
import weasyprint
from weasyprint import draw, pdf as weasyprint_pdf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf.stream import Stream

from .pdf_links import LinkAnnotations
from .semantics import (STRUCTURE_TYPES, figure_holds_image, header_scope, inherited_lang,
                        is_decorative, is_footnote_list, parent_map)

TESTED_VERSION = "70.0"
ARTIFACT = object()  # marks content that is drawn but not part of the document's text
PAGE_NUMBER_TITLE = "page number"  # /T of the Span holding a generated page reference

NO_STRUCTURE = frozenset({"html", "body", "br", "wbr", "hr", "head"})


class StructureBuilder:
    """Builds one structure element per meaningful HTML element, whatever the page breaks."""

    def __init__(self, pdf, document, page_streams):
        self.pdf = pdf
        self.document = document
        self.page_streams = page_streams
        root_box = next(child for child in document.pages[0]._page_box.children
                        if child.element_tag == "html")
        self.html = root_box.element
        self.parent_of = parent_map(self.html)
        self.document_lang = self.html.get("lang") or ""
        self.containers = {}      # (id(element), role) -> structure element or ARTIFACT
        self.element_nodes = {}   # id(element) -> the element's own structure element
        self.page_of = {}         # id(structure element) -> page number of its /Pg
        self.parent_tree = defaultdict(dict)  # page number -> {mcid: structure element}
        self.links = LinkAnnotations(pdf, document)
        self.seen_row_groups = {}  # id(thead/tfoot element) -> first page it was drawn on
        self.current_page = 0
        self.note_ids = []        # (id, Note) for the /IDTree
        self.by_id = None         # id -> HTML element, made when first needed
        self.root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
        pdf.add_object(self.root)
        self.document_node = self._new_node("Document", self.root, None)
        self.root["K"] = pydyf.Array([self.document_node.reference])

    # Structure elements

    def _new_node(self, kind, parent, element):
        node = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{kind}",
                                 "P": parent.reference, "K": pydyf.Array()})
        if parent is not self.root:  # the page where its first content is drawn
            node["Pg"] = self.pdf.page_references[self.current_page]
            self.page_of[id(node)] = self.current_page
        self.pdf.add_object(node)
        if parent is not self.root:
            parent["K"].append(node.reference)
        if element is not None:
            self._describe(node, kind, element)
        return node

    def _describe(self, node, kind, element):
        title = self._accessible_label(element)
        if title:
            node["T"] = pydyf.String(title)  # e.g. "Content note" for a labelled region
        lang = element.get("lang")
        if lang and lang != self._inherited_lang(self.parent_of.get(element)):
            node["Lang"] = pydyf.String(lang)
        note_id = element.get("id") or element.get("data-note")
        if kind == "Note" and note_id:
            node["ID"] = pydyf.String(note_id)
            self.note_ids.append((note_id, node))
        if element.tag == "abbr" and element.get("title"):
            node["E"] = pydyf.String(element.get("title"))
        if kind == "Figure":
            image = element if element.tag == "img" else element.find(".//img")
            if image is not None and image.get("alt"):
                node["Alt"] = pydyf.String(image.get("alt"))

    def _accessible_label(self, element):
        if element.get("aria-label"):
            return element.get("aria-label")
        label_id = element.get("aria-labelledby")
        if not label_id:
            return None
        if self.by_id is None:
            self.by_id = {e.get("id"): e for e in self.html.iter() if e.get("id")}
        label = self.by_id.get(label_id)
        return " ".join("".join(label.itertext()).split()) if label is not None else None

    def _inherited_lang(self, element):
        return inherited_lang(element, self.parent_of, self.document_lang)

    def _kind(self, element):
        if is_decorative(element):
            return ARTIFACT
        tag = element.tag
        if tag == "a" and not element.get("href"):
            return None
        if tag == "img" and self._enclosing_figure(element) is not None:
            return None  # the figure is the Figure; its image is its content
        if tag == "figure" and not figure_holds_image(element):
            return "Div"  # a Figure needs an image to describe
        if "footnote-print" in (element.get("class") or "").split():
            return "Note"  # a footnote at the foot of the page, tagged where it is called
        if tag == "span":
            return "Span" if element.get("lang") else None
        if is_footnote_list(element, self.parent_of):
            return None  # its items are Notes, and a Note may not stand in an L
        if tag == "li" and is_footnote_list(self.parent_of.get(element), self.parent_of):
            return "Note"
        return STRUCTURE_TYPES.get(tag)

    def _enclosing_figure(self, element):
        parent = self.parent_of.get(element)
        while parent is not None and parent.tag not in NO_STRUCTURE:
            if parent.tag == "figure":
                return parent
            parent = self.parent_of.get(parent)
        return None

    def container(self, element, role="content"):
        """The structure element that receives element's content (role: content or marker)."""
        key = (id(element), role)
        if key in self.containers:
            return self.containers[key]
        result = self._make_container(element, role)
        self.containers[key] = result
        return result

    def _make_container(self, element, role):
        if element is None or element.tag in NO_STRUCTURE:
            return self.document_node
        kind = self._kind(element)
        if kind is ARTIFACT:
            return ARTIFACT
        if element.tag in ("dt", "dd"):
            return self._definition_list_part(element)
        parent = self.container(self.parent_of.get(element))
        if parent is ARTIFACT:
            return ARTIFACT
        if kind is None:
            return parent
        if element.tag == "li":  # an LI, or a footnote's Note: the marker is its Lbl
            item = self._own(element, kind, parent)
            if role == "marker":
                return self._child_once(item, element, "Lbl", first=True)
            return self._child_once(item, element, "LBody") if kind == "LI" else item
        return self._own(element, kind, parent)

    def _own(self, element, kind, parent):
        node = self.element_nodes.get(id(element))
        if node is None:
            node = self.element_nodes[id(element)] = self._new_node(kind, parent, element)
        return node

    def _child_once(self, node, element, kind, first=False):
        key = (id(element), kind)
        if key not in self.containers:
            child = self._new_node(kind, node, None)
            if first:  # a label goes before the body, whichever is drawn first
                node["K"].remove(child.reference)
                node["K"].insert(0, child.reference)
            self.containers[key] = child
        return self.containers[key]

    def _definition_list_part(self, element):
        """dt and dd: one LI per group of terms and definitions, Lbl for terms, LBody for definitions."""
        dl = self.parent_of.get(element)
        groups, group, previous = {}, None, None
        for child in dl:
            if child.tag == "dt" and previous != "dt":
                group = child
            if child.tag in ("dt", "dd"):
                groups[id(child)] = group if group is not None else child
                previous = child.tag
        group_element = groups[id(element)]
        list_node = self.container(dl)
        if list_node is ARTIFACT:
            return ARTIFACT
        item_key = (id(group_element), "item")
        if item_key not in self.containers:
            self.containers[item_key] = self._new_node("LI", list_node, None)
        item = self.containers[item_key]
        part = (self._child_once(item, group_element, "Lbl", first=True) if element.tag == "dt"
                else self._child_once(item, group_element, "LBody"))
        lang = element.get("lang")
        if lang and lang != self._inherited_lang(dl) and "Lang" not in part:
            part["Lang"] = pydyf.String(lang)
        return part

    # Content

    def add_content(self, node, mcid, page_number):
        if self.page_of.get(id(node)) == page_number:
            node["K"].append(mcid)
        else:
            reference = pydyf.Dictionary({"Type": "/MCR", "MCID": mcid,
                                          "Pg": self.pdf.page_references[page_number]})
            node["K"].append(reference)
        self.parent_tree[page_number][mcid] = node

    def walk(self, box, page_number, tags, artifact=False):
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if isinstance(box, boxes.MarginBox):
            return  # drawn as an artifact, see _draw_stacking_context
        if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
            first_page = self.seen_row_groups.setdefault(id(box.element), page_number)
            artifact = artifact or first_page != page_number  # a repeated header or footer
        lines = [child for child in getattr(box, "children", ())
                 if isinstance(child, boxes.LineBox)]
        for line, next_line in zip(lines, lines[1:] + [None]):
            _keep_line_end_space(line, tags, next_line, box.element)
        if box in tags:
            record = tags.pop(box)
            node = ARTIFACT if artifact else self._content_node(box)
            if node is ARTIFACT:
                _turn_into_artifact(record)
            else:
                if isinstance(box, boxes.TextBox) and box.text and not box.text.strip():
                    # WeasyPrint draws no glyph for a lone space between two elements:
                    # say it, or the words on either side run together.
                    record["properties"]["ActualText"] = pydyf.String(" ")
                elif (isinstance(box, boxes.TextBox) and _has_right_to_left(box.text)
                      and "ActualText" not in record["properties"]):
                    # Pango draws Hebrew and Arabic glyphs in visual order, right to left:
                    # the text in reading (logical) order is the box's own.
                    record["properties"]["ActualText"] = pydyf.String(box.text)
                self.add_content(node, record["mcid"], page_number)
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            # WeasyPrint annotates every box inside a link: all belong to the link's Link.
            link = self._enclosing_link(box.element)
            node = self.element_nodes.get(id(link)) if artifact else (
                self.container(link) if link is not None else ARTIFACT)
            if node is not None and node is not ARTIFACT:
                self.links.add(node, annotation, page_number, link)
            else:
                self.links.add_orphan(annotation, page_number)
        if (not artifact and box.element is not None and not box.element_tag.count("::")
                and isinstance(box, (boxes.TableRowBox, boxes.TableCellBox))):
            self.container(box.element)  # an empty cell still holds its place in the grid
        for child in getattr(box, "children", ()):
            self.walk(child, page_number, tags, artifact)

    def _content_node(self, box):
        element, tag = box.element, box.element_tag or ""
        if element is None:
            return ARTIFACT
        if "::" in tag:
            pseudo = tag.split("::", 1)[1]
            if pseudo == "marker" and element.tag == "li":
                return self.container(element, "marker")
            if pseudo == "after" and "page-ref" in (element.get("class") or "").split():
                return self._page_number(element)
            if pseudo == "footnote-call":
                self.container(element)  # the Note stands where it is called, not at the foot
            return ARTIFACT  # generated content (::before, ::after) is not the author's text
        return self.container(element)

    def _page_number(self, element):
        """A page reference's number, generated by CSS: read as part of its link."""
        link = self.container(element)
        if link is ARTIFACT:
            return ARTIFACT
        key = (id(element), "page number")
        if key not in self.containers:
            span = self._new_node("Span", link, None)
            span["T"] = pydyf.String(PAGE_NUMBER_TITLE)
            self.containers[key] = span
        return self.containers[key]

    def _enclosing_link(self, element):
        while element is not None and not (element.tag == "a" and element.get("href")):
            element = self.parent_of.get(element)
        return element

    # After the walk

    def finish(self):
        self._map_table_headers()
        annotations = self.links.finish()
        nums = pydyf.Array()
        for page_number in range(len(self.document.pages)):
            mapping = self.parent_tree.get(page_number, {})
            size = max(mapping) + 1 if mapping else 0
            nums.append(page_number)
            nums.append(pydyf.Array(
                [mapping[mcid].reference if mcid in mapping else "null"
                 for mcid in range(size)]))
        for number, (node, annotation) in enumerate(annotations,
                                                    start=len(self.document.pages)):
            annotation["StructParent"] = number
            nums.append(number)
            nums.append(node.reference)
        parent_tree = pydyf.Dictionary({"Nums": nums})
        self.pdf.add_object(parent_tree)
        self.root["ParentTree"] = parent_tree.reference
        self.root["ParentTreeNextKey"] = len(self.document.pages) + len(annotations)
        self.pdf.catalog["StructTreeRoot"] = self.root.reference
        self.pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        self.pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        if "Lang" not in self.pdf.catalog:
            self.pdf.catalog["Lang"] = pydyf.String(self.document_lang)

    def _tagged_cells(self, grid, origins, tag):
        """(position, cell, structure element) of each tag cell, once, where it starts."""
        for position, cell in grid.items():
            node = self.element_nodes.get(id(cell))
            if cell.tag == tag and position == origins[id(cell)] and node is not None:
                yield position, cell, node

    def _map_table_headers(self):
        """TH get /Scope and an /ID; TD get /Headers naming their row and column headers."""
        ids = list(self.note_ids)
        for table in self.html.iter("table"):
            grid, origins = _table_grid(table)
            column_headers, row_headers = defaultdict(list), defaultdict(list)
            for (row, column), cell, node in self._tagged_cells(grid, origins, "th"):
                scope = header_scope(cell, self.parent_of)
                identifier = f"th-{len(ids) + 1}"
                node["ID"] = pydyf.String(identifier)
                ids.append((identifier, node))
                attributes = pydyf.Dictionary({"O": "/Table", "Scope": f"/{scope}"})
                _add_spans(attributes, cell)
                node["A"] = attributes
                span = _span(cell)
                for offset in range(span[1] if scope == "Column" else span[0]):
                    target = column_headers if scope == "Column" else row_headers
                    target[column + offset if scope == "Column" else row + offset].append(
                        identifier)
            for (row, column), cell, node in self._tagged_cells(grid, origins, "td"):
                rows, columns = _span(cell)
                headers = [h for r in range(row, row + rows) for h in row_headers[r]]
                headers += [h for c in range(column, column + columns) for h in column_headers[c]]
                attributes = pydyf.Dictionary({"O": "/Table", "Headers": pydyf.Array(
                    [pydyf.String(h) for h in headers])})
                _add_spans(attributes, cell)
                node["A"] = attributes
        if ids:
            names = pydyf.Array()
            for identifier, node in sorted(ids, key=lambda item: item[0]):
                names.extend([pydyf.String(identifier), node.reference])
            self.root["IDTree"] = pydyf.Dictionary({"Names": names})


def _span(cell):
    def number(name):
        try:
            return max(1, int(cell.get(name) or 1))
        except ValueError:
            return 1
    return number("rowspan"), number("colspan")


def _add_spans(attributes, cell):
    rows, columns = _span(cell)
    if rows > 1:
        attributes["RowSpan"] = rows
    if columns > 1:
        attributes["ColSpan"] = columns


def _table_grid(table):
    """{(row, column): cell} over the table's rows, spans filled in; {id(cell): its origin}."""
    grid, origins, row_number = {}, {}, 0
    for group in [table] + [child for child in table if child.tag in ("thead", "tbody", "tfoot")]:
        for row in (child for child in group if child.tag == "tr"):
            column = 0
            for cell in (child for child in row if child.tag in ("th", "td")):
                while (row_number, column) in grid:
                    column += 1
                rows, columns = _span(cell)
                origins[id(cell)] = (row_number, column)
                for r in range(rows):
                    for c in range(columns):
                        grid[(row_number + r, column + c)] = cell
                column += columns
            row_number += 1
    return grid, origins


# A line may break after these without a space: nothing was removed there.
BREAKS_WITHOUT_SPACE = frozenset("/-\u2010\u2011\u2012\u2013\u2014\u200b\u00ad(")


def _keep_line_end_space(line, tags, next_line=None, block_element=None):
    """Give the last text of a line its trailing space back, as /ActualText.

    WeasyPrint drops the space where a line breaks, so words would run together when the
    tree is read. No space was there after a hyphen, a slash or an unspaced dash, nor in
    Chinese or Japanese; an automatic hyphen is not part of the word.
    """
    texts = [box for box in _text_boxes(line) if "::" not in (box.element_tag or "")]
    while texts and not texts[-1].text.strip():
        if texts[-1].text:  # a space survived at the end of the line: nothing is glued
            return
        texts.pop()
    if not texts or texts[-1] not in tags:
        return
    box = texts[-1]
    text = box.text
    hyphen = box.style["hyphenate_character"]
    if hyphen and text.endswith(hyphen) and box.style["hyphens"] == "auto":
        actual = text[:-len(hyphen)]  # the word goes on, on the next line
    elif text[-1].isspace() or (_is_cjk(text[-1]) and not _space_follows(
            text, next_line, block_element)):
        return
    elif text[-1] in BREAKS_WITHOUT_SPACE and not text[:-1].endswith(" "):
        return
    elif _starts_with_generated_text(next_line, tags):
        return  # the space is the generated text's own, given back to it there
    elif _word_goes_on(text, next_line, block_element):
        return  # a long word broken by overflow-wrap: no space was there
    else:
        actual = text + " "
    tags[box]["properties"]["ActualText"] = pydyf.String(actual)


def _starts_with_generated_text(next_line, tags) -> bool:
    """The next line starts with generated text, as a page reference's number " 5".

    Its leading space was dropped at the break; it is said there (/ActualText), so that the
    words of the HTML, which has no such number, read without a space before what follows.
    """
    first = next((box for box in _text_boxes(next_line) if box.text.strip()), None) \
        if next_line is not None else None
    if first is None or "::" not in (first.element_tag or ""):
        return False
    if first in tags and not first.text[0].isspace():
        tags[first]["properties"]["ActualText"] = pydyf.String(" " + first.text)
    return True


def _word_goes_on(text, next_line, block_element) -> bool:
    """The next line starts inside the same word, as the HTML text shows."""
    if next_line is None and block_element is not None and text.strip() \
            and not text[-1].isspace():
        # The last line before a page break: the word goes on on the next page when the
        # HTML never has it followed by a space or the end of the text.
        last = text.split()[-1]
        source = " ".join("".join(block_element.itertext()).split())
        return last in source and not re.search(re.escape(last) + r"(\s|$)", source)
    joined, spaced = _across_the_break(text, next_line, block_element)
    return joined and not spaced


def _space_follows(text, next_line, block_element) -> bool:
    """The HTML text has a space where the line breaks (after 中 in '中 and', not in '中文')."""
    joined, spaced = _across_the_break(text, next_line, block_element)
    return spaced and not joined


def _across_the_break(text, next_line, block_element) -> tuple[bool, bool]:
    """Whether the HTML text holds the words either side of a line break joined, and spaced."""
    if next_line is None or block_element is None:
        return False, False
    following = next((box.text for box in _text_boxes(next_line) if box.text.strip()), "")
    if not following.strip() or not text.strip() or following[0].isspace():
        return False, False
    # The next line may itself end in a hyphen that hyphenation added: not in the HTML.
    first = following.split()[0].rstrip("\u2010\u00ad-")
    if not first:
        return False, False
    last = text.split()[-1]
    source = " ".join("".join(block_element.itertext()).split())
    return last + first in source, f"{last} {first}" in source


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(character) in ("R", "AL") for character in text)


def _is_cjk(character: str) -> bool:
    """Scripts written without spaces between words (Korean uses spaces)."""
    code = ord(character)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child)


def _turn_into_artifact(record):
    stream, index = record["stream"], record["index"]
    stream.stream[index:index + 3] = ["/Artifact", b"BMC", b""]


# Patches of WeasyPrint 70.0

@contextmanager
def _marked(self, box, tag):
    """Stream.marked, remembering where the marked content starts so it can become an artifact."""
    if self._tags is not None:
        mcid = len(self._tags)
        assert box not in self._tags
        properties = pydyf.Dictionary({"MCID": mcid})
        self._tags[box] = {"tag": tag, "mcid": mcid, "stream": self,
                           "index": len(self.stream), "properties": properties}
        self.begin_marked_content(tag, properties)
    try:
        yield
    finally:
        if self._tags is not None:
            self.end_marked_content()


_original_draw_stacking_context = draw.draw_stacking_context


def _draw_stacking_context(stream, stacking_context):
    """Draw running headers and page numbers as artifacts, outside the structure tree."""
    if not isinstance(stacking_context.box, boxes.MarginBox) or stream._tags is None:
        return _original_draw_stacking_context(stream, stacking_context)
    with stream.artifact():
        marked_content, stream._tags = stream._tags, None
        try:
            return _original_draw_stacking_context(stream, stacking_context)
        finally:
            stream._tags = marked_content


def add_tags(pdf, document, pdf_version, page_streams):
    """Replacement for weasyprint.pdf.tags.add_tags."""
    builder = StructureBuilder(pdf, document, page_streams)
    for page_number, (page, stream) in enumerate(zip(document.pages, page_streams)):
        tags = stream._tags
        builder.current_page = page_number
        builder.walk(page._page_box, page_number, tags)
        for record in tags.values():  # drawn, but belonging to no element: not text
            _turn_into_artifact(record)
        tags.clear()
    builder.finish()


def install() -> None:
    """Apply the patches; refuse a WeasyPrint version they were not tested with."""
    if weasyprint.__version__ != TESTED_VERSION:
        raise RuntimeError(
            f"Handouts patches WeasyPrint {TESTED_VERSION}'s tagging, but WeasyPrint "
            f"{weasyprint.__version__} is installed: run 'make build' to reinstall")
    Stream.marked = _marked
    draw.draw_stacking_context = _draw_stacking_context
    weasyprint_pdf.add_tags = add_tags
