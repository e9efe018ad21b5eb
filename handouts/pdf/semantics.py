"""What HTML elements mean in a PDF structure tree: the one map the tagger and the check share.

The tagger (pdf/tagging.py) writes what these functions decide; the check (check/) expects
the same, by calling them: no decision about an element is made twice.
"""

from __future__ import annotations

import functools
import re

from ..html_classes import class_names, has_class
from .profiles import ALWAYS_HIDDEN

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
    # A figure groups its images (each a Figure with its /Alt) and its caption, side by
    # side: readers speak a Figure's /Alt and skip whatever it holds, a Caption too.
    "figure": "Div", "figcaption": "Caption", "img": "Figure",
    "a": "Link", "code": "Code", "kbd": "Code", "samp": "Code",
    "strong": "Span", "b": "Span", "em": "Span", "i": "Span", "abbr": "Span",
    "dfn": "Span", "time": "Span", "cite": "Span", "small": "Span", "sub": "Span",
    "sup": "Span", "mark": "Span", "del": "Span", "ins": "Span", "s": "Span", "u": "Span",
    "var": "Span", "bdi": "Span", "bdo": "Span",
}
# Elements that are the document itself, or draw nothing to read: their content, if any,
# belongs to the Document element.
NO_STRUCTURE = frozenset({"html", "body", "br", "wbr", "hr", "head"})
# Elements print never shows, whatever the profile (a profile's own: pdf/profiles.py).
NEVER_PRINTED = frozenset({"head", "script", "style", "template"})

# The classes that make an element something other than its tag says. Handouts' transforms
# and Python-Markdown write them; only the functions below read them.
PRINTED_FOOTNOTE = "footnote-print"  # a footnote's copy, printed at the foot of its page
FOOTNOTES = "footnote"               # Python-Markdown's <div class="footnote"> of notes
CONTENTS = "toc"                     # <nav class="toc">, the list of contents
PAGE_REFERENCE = "page-ref"          # a link whose page number print adds after it (CSS)
DECORATIVE = "decorative"            # an image drawn for the eye only

# What an element, or the content CSS generates for it, becomes when it is not text of the
# document: drawn, but no part of any structure element (an /Artifact).
ARTIFACT = object()

# The /T of the Span holding a page number Handouts generated (a page reference's): the
# tagger writes it, the check reads it.
PAGE_NUMBER_TITLE = "page number"


def structure_type(element, parent_of):
    """What element becomes in the PDF: a structure type, ARTIFACT, or None (transparent:
    its content belongs to its parent's structure element)."""
    if is_artifact(element):
        return ARTIFACT
    tag = element.tag
    if tag == "a" and not element.get("href"):
        return None
    if is_printed_footnote(element):
        return "Note"  # a footnote at the foot of the page, tagged where it is called
    if tag == "span":
        return "Span" if element.get("lang") else None
    if is_footnote_list(element, parent_of):
        return None  # its items are Notes, and a Note may not stand in an L
    if tag == "li" and is_footnote_list(parent_of.get(element), parent_of):
        return "Note"
    if is_contents_list(element, parent_of):
        return "TOC"
    if tag == "li" and is_contents_list(parent_of.get(element), parent_of):
        return "TOCI"  # its number is its Lbl, its link in a Reference, a sub-list a TOC
    return STRUCTURE_TYPES.get(tag)


def generated_content_type(element, pseudo: str):
    """What the content CSS generates for element (its ::marker, ::after…) becomes: "Lbl" (a
    list item's marker), PAGE_NUMBER_TITLE (a page reference's number, read in its link),
    else ARTIFACT."""
    if pseudo == "marker" and element.tag == "li":
        return "Lbl"
    if pseudo == "after" and is_page_reference(element):
        return PAGE_NUMBER_TITLE
    return ARTIFACT  # generated content (::before, ::after) is not the author's text


def is_artifact(element) -> bool:
    """Drawn for the eye only: decorative images and anything hidden from assistive technology."""
    classes = class_names(element)
    return (element.get("aria-hidden") == "true" or element.get("role") in ("presentation", "none")
            or DECORATIVE in classes or (element.tag == "img" and element.get("alt") == ""))


def hidden_in_print(element) -> bool:
    """Never printed, by any profile (what a profile hides besides: its hidden_classes)."""
    return bool(set(class_names(element)) & ALWAYS_HIDDEN) or element.get("hidden") is not None \
        or element.tag in NEVER_PRINTED


def is_printed_footnote(element) -> bool:
    """A footnote's copy that print sets at the foot of the page: a Note, read as a block."""
    return has_class(element, PRINTED_FOOTNOTE)


def printed_footnote_links(body) -> set:
    """The links in footnotes' print copies, which repeat the notes' links: checked once."""
    return {link for note in body.iter("span") if is_printed_footnote(note)
            for link in note.iter("a")}


def is_page_reference(element) -> bool:
    """A link whose page number print adds after its text (generated: not in the HTML)."""
    return has_class(element, PAGE_REFERENCE)


def is_contents(element) -> bool:
    """The contents of a page: <nav class="toc">."""
    return element.tag == "nav" and has_class(element, CONTENTS)


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
            and has_class(parent, FOOTNOTES))


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


def is_contents_list(element, parent_of) -> bool:
    """A list of the contents (<nav class="toc">), or nested in one: a TOC in the PDF."""
    if element is None or element.tag not in ("ol", "ul"):
        return False
    parent = parent_of.get(element)
    if parent is not None and is_contents(parent):
        return True
    item = parent if parent is not None and parent.tag == "li" else None
    return item is not None and is_contents_list(parent_of.get(item), parent_of)


# CSS list-style-type -> the PDF 1.7 ListNumbering of its list (Table 347). A marker those
# values cannot name (a string, a Greek or Armenian numbering) is None: "Lbl elements
# contain arbitrary text", which is what the Lbl then reads.
LIST_NUMBERING = {
    "disc": "Disc", "circle": "Circle", "square": "Square", "decimal": "Decimal",
    "decimal-leading-zero": "Decimal", "lower-roman": "LowerRoman",
    "upper-roman": "UpperRoman", "lower-alpha": "LowerAlpha", "lower-latin": "LowerAlpha",
    "upper-alpha": "UpperAlpha", "upper-latin": "UpperAlpha", "none": "None"}
LIST_NUMBERING_VALUES = frozenset(LIST_NUMBERING.values())


def list_numbering(list_style_type, has_markers: bool = True) -> str:
    """The ListNumbering of a list whose items have this computed list-style-type."""
    if not has_markers or not isinstance(list_style_type, str):
        return "None"
    return LIST_NUMBERING.get(list_style_type, "None")


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Where a sentence's text stops: the text around an abbreviation is read inside one of these.
TEXT_BLOCKS = HEADINGS | {
    "p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "pre", "div",
    "section", "article", "aside", "nav", "header", "footer", "main", "summary", "body"}
QUOTES = str.maketrans("", "", "\"'‘’“”«»‹›")


def gets_expansion(abbr, parent_of) -> bool:
    """Whether abbr's expansion must be given (at its first use, and as /E in the PDF)."""
    # A reader that speaks /E would say the expansion twice, and never the short form,
    # where the text reads it anyway; a heading stays as short as it is printed.
    expansion = _spoken(abbr.get("title") or "")
    if not expansion:
        return False
    block = abbr
    while block in parent_of and block.tag not in TEXT_BLOCKS:
        block = parent_of[block]
    if block.tag in HEADINGS or any(a.tag in HEADINGS for a in _ancestors(block, parent_of)):
        return False
    if block.tag == "dt" and block in parent_of \
            and has_class(parent_of[block], "abbreviations"):
        return False  # its definition, read right after it, is the expansion
    # Each time the block (for a term or definition: its whole item) writes the expansion
    # stands for one use in it, the first ones: "The United Nations (UN) and the UN" reads
    # the expansion once, so the second UN still needs it.
    written, uses = _written_and_uses(tuple(_item_parts(block, parent_of)), expansion)
    return uses.get(id(abbr), 0) >= written


@functools.lru_cache(maxsize=256)
def _written_and_uses(parts: tuple, expansion: str) -> tuple[int, dict[int, int]]:
    """How often the block writes the expansion, and each use's place among its uses."""
    # Read once a block and expansion, not once an abbreviation: a paragraph of many uses
    # would otherwise be read again for each (the parts, held here, keep their ids unique).
    abbrs = [element for part in parts for element in _own_elements(part)
             if element.tag == "abbr"]
    text = " ".join(_spoken(_own_text(part)) for part in parts)
    for other in {_spoken(element.get("title") or "") for element in abbrs}:
        if len(other) > len(expansion):  # "Model United Nations (MUN)" does not spell out UN
            text = _expansion_pattern(other).sub(" | ", text)
    written = len(_expansion_pattern(expansion).findall(text))
    uses = [element for element in abbrs if _spoken(element.get("title") or "") == expansion]
    return written, {id(use): index for index, use in enumerate(uses)}


ARTICLES = frozenset({"the", "a", "an"})


@functools.lru_cache(maxsize=256)
def _expansion_pattern(expansion: str) -> re.Pattern:
    """The expansion as written in text: whole words, any article before, a plural 's' or not."""
    words = expansion.split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    stems = [re.escape(word[:-1] if word.endswith("s") and len(word) > 2 else word)
             + ("s?" if len(word) > 2 and word[-1].isalpha() else "") for word in words]
    return re.compile(r"(?<!\w)" + " ".join(stems) + r"(?!\w)")


def _spoken(text: str) -> str:
    """Text as compared by ear: any case, quotes dropped, spaces single."""
    return " ".join(text.translate(QUOTES).replace("\u00a0", " ").casefold().split())


def _ancestors(element, parent_of):
    while element in parent_of:
        element = parent_of[element]
        yield element


def _item_parts(block, parent_of) -> list:
    """The elements read as block's item: for a dt or dd, its group of terms and definitions."""
    dl = parent_of.get(block)
    if block.tag not in ("dt", "dd") or dl is None:
        return [block]
    return definition_group(block, dl)


def definition_groups(dl) -> list[list]:
    """The items of a definition list, in order: each group of terms and the definitions
    after them (the tagger makes one LI of each, its terms the Lbl, its definitions the LBody)."""
    groups: list[list] = []
    previous = None
    for child in dl:
        if child.tag not in ("dt", "dd"):
            continue
        if not groups or (child.tag == "dt" and previous != "dt"):
            groups.append([])
        groups[-1].append(child)
        previous = child.tag
    return groups


def definition_group(part, dl) -> list:
    """The group of terms and definitions that part (a dt or dd of dl) belongs to."""
    return next(group for group in definition_groups(dl) if any(item is part for item in group))


def _own_elements(block):
    """block's elements in order, leaving out blocks nested in it (read as their own)."""
    for child in block:
        if child.tag not in TEXT_BLOCKS:
            yield child
            yield from _own_elements(child)


def _own_text(block) -> str:
    """block's text, leaving out the blocks nested in it (read as their own)."""
    parts = [block.text or ""]
    for child in block:
        if isinstance(child.tag, str) and child.tag not in TEXT_BLOCKS:
            parts.append(_own_text(child))
        parts.append(" " if child.tag in TEXT_BLOCKS else "")
        parts.append(child.tail or "")
    return "".join(parts)


def described_image(element, parent_of):
    """The image a printed figure description (large print) repeats in words, or None.

    The description stands right after its image; its words belong to the image's Figure,
    which a reader speaks by its /Alt, the same words, once.
    """
    if not has_class(element, "figure-description"):
        return None
    parent = parent_of.get(element)
    siblings = list(parent) if parent is not None else []
    index = next((number for number, sibling in enumerate(siblings) if sibling is element), 0)
    previous = siblings[index - 1] if index else None
    return previous if previous is not None and previous.tag == "img" else None
