"""Tables: a 'Table: …' paragraph above a table is its caption; header cells get their scope."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from ..html_classes import class_names
from ..prepare.parse import Handout
from . import Context, Transform

CAPTION_PREFIX = "Table:"
WIDE = 6  # columns from which a table may need to break words to fit the page
ROW_HEADERS = re.compile(r"\s*\{:\s*\.row-headers\s*\}\s*$")
# A pipe table's rows, and the row of dashes under its header: lines Python-Markdown leaves
# as a paragraph when the header row above the dashes is missing.
PIPE_ROW = re.compile(r"\s*\|.*\|\s*")
DASH_ROW = re.compile(r"\s*\|(\s*:?-+:?\s*\|)+\s*")


class Tables(Transform):
    name = "tables"

    def apply(self, handout: Handout, context: Context) -> None:
        for parent in list(handout.body.iter()):
            children = list(parent)
            for paragraph, table in zip(children, children[1:]):
                if (paragraph.tag == "p" and table.tag == "table"
                        and (paragraph.text or "").startswith(CAPTION_PREFIX)):
                    _caption(paragraph, table)
                    parent.remove(paragraph)
        for paragraph in handout.body.iter("p"):
            lines = "".join(paragraph.itertext()).strip().split("\n")
            if len(lines) > 1 and all(PIPE_ROW.fullmatch(line) for line in lines) \
                    and any(DASH_ROW.fullmatch(line) for line in lines):
                lint = context.diagnostics.error if context.strict else context.diagnostics.warn
                lint(handout.source.path, handout.line(paragraph),
                     "these lines look like a table but are not read as one, so they are "
                     "printed as text: a table's first row names its columns, the next is a "
                     "row of |---| with one cell for each column, then the rows")
        for table in handout.body.iter("table"):
            if table.find("thead") is None and not table.findall(".//th"):
                context.diagnostics.error(
                    handout.source.path, handout.line(table),
                    "a table needs a header row: write the column names in its first row, "
                    "then a row of |---|")
            for head in table.iter("thead"):
                for header in head.iter("th"):
                    header.set("scope", "col")
            first_row = table.find(".//tr")
            if first_row is not None:
                # Print profiles choose a layout by the number of columns (large print lays
                # tables of four or more out one block per row).
                table.set("data-columns", str(len(first_row)))
                _label_cells(table)
            if first_row is not None and len(first_row) >= WIDE:
                table.set("class", " ".join(filter(None, [table.get("class"), "wide"])))


def _label_cells(table: Element) -> None:
    """Each body cell's data-label names its column: large print lays a table of many
    columns out one block per row, and prints the label before each cell (generated text,
    an artifact)."""
    head = table.find("thead/tr")
    if head is None:
        return
    names = [" ".join("".join(cell.itertext()).split()) for cell in head]
    for body in table.iter("tbody"):
        for row in body.iter("tr"):
            for cell, name in zip(row, names):
                if cell.tag == "td" and name:
                    cell.set("data-label", name)


def _caption(paragraph: Element, table: Element) -> None:
    """Move the paragraph's text into a <caption>; '{: .row-headers }' heads each row."""
    classes = class_names(paragraph)
    caption = Element("caption")
    caption.text = (paragraph.text or "")[len(CAPTION_PREFIX):].lstrip()  # it starts so
    caption.extend(list(paragraph))
    last = caption[-1] if len(caption) else None
    holder, attribute = (last, "tail") if last is not None else (caption, "text")
    text = getattr(holder, attribute) or ""
    if ROW_HEADERS.search(text):
        setattr(holder, attribute, ROW_HEADERS.sub("", text))
        classes.append("row-headers")
    table.insert(0, caption)
    if "row-headers" in classes:
        for body in table.iter("tbody"):
            for row in body.iter("tr"):
                first = row[0] if len(row) else None
                if first is not None and first.tag == "td":
                    first.tag = "th"
                    first.set("scope", "row")
