"""The PDF side of the PDF check: a structure element's text as read aloud, by type."""

from __future__ import annotations

import re
from collections import defaultdict

from ..pdf.semantics import PAGE_NUMBER_TITLE
from .expected_structure import CHECKED_TYPES
from .pdf_reader import Element, MarkedContent, TaggedPdf
from .text import normalise

# What CSS list markers look like: bullets, numbers, single letters, roman numerals.
LIST_MARKER = re.compile(
    r"^\s*([•◦▪‣·\-–—*]|\(?([0-9]+|[a-zA-Z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})[.)])\s*$")


def reading_text(element: Element) -> str:
    """An element's text as read aloud, without list bullets and numbers."""
    parts = []
    # A figure is read by its /Alt: text drawn inside it (an SVG chart's labels) is not read.
    drawn_text_is_read = not (element.type == "Figure" and "Alt" in element.attributes)
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            if drawn_text_is_read:
                parts.append(kid.text)
        elif isinstance(kid, Element):
            if kid.type == "Lbl" and LIST_MARKER.match(kid.text()):
                continue
            if kid.attributes.get("T") == PAGE_NUMBER_TITLE:
                continue  # made by CSS at print time, so not in the HTML's text
            text = reading_text(kid) if "ActualText" not in kid.attributes else kid.text()
            parts.append(f" {text} " if kid.type not in ("Span", "Link", "Code", "Quote")
                         else text)
    return "".join(parts)


def actual_structure(pdf: TaggedPdf) -> dict[str, list[str]]:
    """Type -> texts of the PDF's elements of each checked type, in order."""
    actual = defaultdict(list)
    for element in pdf.root.iter() if pdf.root else ():
        if element.type in CHECKED_TYPES:
            actual[element.type].append(normalise(reading_text(element)))
    return actual

