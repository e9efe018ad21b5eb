"""The PDF structure tree, built from the HTML element tree (replaces WeasyPrint 70.0's tagging)."""

from __future__ import annotations

from collections import defaultdict

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from .line_ends import keep_line_end_space, repair_spoken_text
from .links import LinkAnnotations
from .semantics import (
    ARTIFACT,
    NO_STRUCTURE,
    PAGE_NUMBER_TITLE,
    definition_group,
    described_image,
    generated_content_type,
    gets_expansion,
    inherited_lang,
    list_numbering,
    parent_map,
    structure_type,
)
from .tables import map_table_headers


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
        self.lists = []           # (HTML list, its L): each gets its ListNumbering at the end
        self.list_styles = {}     # id(HTML list) -> ListNumbering of the markers drawn
        self.toc_items = set()    # id(TOCI): a link in one is held by a Reference
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
        if kind == "L" and element is not None:
            self.lists.append((element, node))
        elif kind == "TOCI":
            self.toc_items.add(id(node))
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
        if element.tag == "abbr" and gets_expansion(element, self.parent_of):
            node["E"] = pydyf.String(element.get("title"))
        if kind == "Figure" and element.get("alt"):
            node["Alt"] = pydyf.String(element.get("alt"))

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
        described = described_image(element, self.parent_of)
        if described is not None:
            return self.container(described)
        kind = structure_type(element, self.parent_of)
        if kind is ARTIFACT:
            return ARTIFACT
        if element.tag in ("dt", "dd"):
            return self._definition_list_part(element)
        parent = self.container(self.parent_of.get(element))
        if parent is ARTIFACT:
            return ARTIFACT
        if kind is None:
            return parent
        if kind == "Link" and id(parent) in self.toc_items:
            # A TOCI holds Lbl, Reference, P, TOC and NonStruct only (ISO 32000-1 Table 333)
            parent = self._child_once(parent, element, "Reference")
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
        group_element = definition_group(element, dl)[0]
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
            keep_line_end_space(line, tags, next_line, box.element)
        if box in tags:
            record = tags.pop(box)
            node = ARTIFACT if artifact else self._content_node(box)
            if node is ARTIFACT:
                turn_into_artifact(record)
            else:
                repair_spoken_text(box, record["properties"])
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
        if box.element is not None and box.element.tag == "li" and "::" not in box.element_tag:
            self._note_list_style(box)
        if (not artifact and box.element is not None and not box.element_tag.count("::")
                and (isinstance(box, (boxes.TableRowBox, boxes.TableCellBox))
                     or box.element.tag in ("tr", "th", "td"))):
            # An empty cell still holds its place in the grid, laid out as a table or, in
            # large print, as a block of its row.
            self.container(box.element)
        for child in getattr(box, "children", ()):
            self.walk(child, page_number, tags, artifact)

    def _note_list_style(self, box):
        """The numbering of the markers drawn for a list's items, from its first item."""
        parent = self.parent_of.get(box.element)
        if parent is not None and id(parent) not in self.list_styles:
            self.list_styles[id(parent)] = list_numbering(
                box.style["list_style_type"], "list-item" in box.style["display"])

    def _content_node(self, box):
        element, tag = box.element, box.element_tag or ""
        if element is None:
            return ARTIFACT
        if "::" in tag:
            pseudo = tag.split("::", 1)[1]
            kind = generated_content_type(element, pseudo)
            if kind == "Lbl":
                return self.container(element, "marker")
            if kind == PAGE_NUMBER_TITLE:
                return self._page_number(element)
            if pseudo == "footnote-call":
                self.container(element)  # the Note stands where it is called, not at the foot
            return ARTIFACT
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
        map_table_headers(self)
        for element, node in self.lists:
            # PDF/UA-2 asks every list for its numbering: a definition list has none.
            numbering = self.list_styles.get(id(element), "None")
            numbering = "None" if element.tag == "dl" else numbering
            node["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": f"/{numbering}"})
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


def turn_into_artifact(record):
    stream, index = record["stream"], record["index"]
    stream.stream[index:index + 3] = ["/Artifact", b"BMC", b""]
