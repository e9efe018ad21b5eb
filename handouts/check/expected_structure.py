"""The HTML side of the PDF check: what a reader of the PDF must meet, read from its HTML.

What each element becomes is semantics.structure_type's decision, the one the tagger writes.
"""

from __future__ import annotations

from collections import defaultdict

from ..html_classes import class_names
from ..pdf.semantics import (
    STRUCTURE_TYPES,
    definition_groups,
    described_image,
    hidden_in_print,
    is_artifact,
    is_printed_footnote,
    parent_map,
    structure_type,
)
from .text import normalise

# The types whose elements the check counts, one each whatever the pages. Inline elements
# (Span, Code, Quote) are checked through the text of their blocks; the groups (Part, Art,
# Div, THead, TBody, TFoot) through their contents.
CHECKED_TYPES = frozenset(
    {kind for kind in STRUCTURE_TYPES.values()
     if kind not in ("Span", "Code", "Quote", "Part", "Art", "Div", "THead", "TBody", "TFoot")}
    | {"Note", "TOC", "TOCI"})
HTML_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "br", "img"})


def without_classes(html_root, classes: frozenset[str]):
    """The HTML tree without the elements of these classes (a print profile's hidden ones),
    nor the printed descriptions of images, which the PDF reads as their Figure's /Alt.

    Changes the tree it is given, and returns it; an element's tail text stays in place.
    """
    parent_of = parent_map(html_root)
    for parent in list(html_root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or not (
                    set(class_names(child)) & classes
                    or described_image(child, parent_of) is not None):
                continue
            if child.tail:
                previous = None
                for sibling in parent:
                    if sibling is child:
                        break
                    previous = sibling
                if previous is not None:
                    previous.tail = (previous.tail or "") + child.tail
                else:
                    parent.text = (parent.text or "") + child.tail
            parent.remove(child)
    return html_root


def readable_elements(root):
    """Elements a reader of the PDF meets, in order: none hidden in print, none decorative."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or hidden_in_print(element) or is_artifact(element):
            continue
        yield element
        stack.extend(reversed(list(element)))


def html_text(element) -> str:
    """The text a reader of the PDF meets in element, blocks apart as the PDF reads them."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not hidden_in_print(child) and not is_artifact(child):
            text = html_text(child)
            block = child.tag in HTML_BLOCKS or is_printed_footnote(child)
            parts.append(f" {text} " if block else text)
        parts.append(child.tail or "")
    return "".join(parts)


def definition_texts(dl) -> list[str]:
    """The text of each group of terms and their definitions a reader meets (an LI each)."""
    texts = [[html_text(part) for part in group if not hidden_in_print(part)]
             for group in definition_groups(dl)]
    return [normalise(" ".join(text)) for text in texts if text]


def expected_structure(html_root, parent_of) -> dict[str, list[str]]:
    """Type -> texts of the elements of that type the PDF must have, in order."""
    expected = defaultdict(list)
    for element in readable_elements(html_root):
        kind = structure_type(element, parent_of)  # what the tagger makes of it
        if kind == "Figure":
            expected["Figure"].append("")  # an image is read by its /Alt, it has no text
            continue
        text = normalise(html_text(element))
        if kind in CHECKED_TYPES and (text or element.tag in ("th", "td")
                     or any(image.tag == "img" for image in readable_elements(element))):
            expected[kind].append(text)  # an element with nothing to read is not tagged
        if element.tag == "dl":
            expected["LI"].extend(definition_texts(element))
    return expected


