"""What HTML elements mean in a PDF structure tree: shared by the tagger and the check."""

from __future__ import annotations

# HTML element -> standard PDF 1.7 structure type; elements not listed are transparent
# (their content belongs to the nearest listed ancestor).
STRUCTURE_TYPES = {
    "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "p": "P", "pre": "P", "blockquote": "BlockQuote", "q": "Quote",
    "main": "Part", "article": "Art", "section": "Sect", "nav": "Sect", "aside": "Sect",
    "header": "Div", "footer": "Div", "div": "Div", "details": "Div", "summary": "P",
    "ul": "L", "ol": "L", "dl": "L", "li": "LI",
    "table": "Table", "caption": "Caption", "thead": "THead", "tbody": "TBody",
    "tfoot": "TFoot", "tr": "TR", "th": "TH", "td": "TD",
    "figure": "Figure", "figcaption": "Caption", "img": "Figure",
    "a": "Link", "code": "Code", "kbd": "Code", "samp": "Code",
    "strong": "Span", "b": "Span", "em": "Span", "i": "Span", "abbr": "Span",
    "dfn": "Span", "time": "Span", "cite": "Span", "small": "Span", "sub": "Span",
    "sup": "Span", "mark": "Span", "del": "Span", "ins": "Span", "s": "Span", "u": "Span",
    "var": "Span", "bdi": "Span", "bdo": "Span",
}


def parent_map(root) -> dict:
    """Each element's parent: ElementTree keeps no link upwards."""
    return {child: parent for parent in root.iter() for child in parent}


def inherited_lang(element, parent_of, document_lang: str) -> str:
    """The language element is written in: its own lang, its nearest ancestor's, or the document's."""
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = parent_of.get(element)
    return document_lang


def is_footnote_list(element, parent_of) -> bool:
    """The <ol> of Python-Markdown's footnotes: <div class="footnote"><ol><li id="fn:1">."""
    parent = parent_of.get(element) if element is not None else None
    return (element is not None and element.tag == "ol" and parent is not None
            and "footnote" in (parent.get("class") or "").split())


def is_decorative(element) -> bool:
    """Drawn for the eye only: decorative images and anything hidden from assistive technology."""
    classes = (element.get("class") or "").split()
    return (element.get("aria-hidden") == "true" or element.get("role") in ("presentation", "none")
            or "decorative" in classes or (element.tag == "img" and element.get("alt") == ""))


def header_scope(cell, parent_of) -> str:
    """'Column' or 'Row', as HTML decides a header cell's scope (explicit, or automatic)."""
    scope = (cell.get("scope") or "").lower()
    if scope in ("row", "rowgroup"):
        return "Row"
    if scope in ("col", "colgroup"):
        return "Column"
    row = parent_of.get(cell)
    group = parent_of.get(row) if row is not None else None
    if group is not None and group.tag == "thead":
        return "Column"
    # A header cell in a row of data cells heads that row.
    if row is not None and any(sibling.tag == "td" for sibling in row):
        return "Row"
    return "Column"


def figure_holds_image(figure) -> bool:
    return figure.find(".//img") is not None
