"""PDF rules on what a reader hears and finds: captions, contents, expansions, list numbering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..pdf.semantics import LIST_NUMBERING_VALUES, gets_expansion, is_contents
from .expected_structure import html_text, readable_elements
from .findings import Finding
from .pdf_reader import Element
from .pdf_text import reading_text
from .text import normalise, shorten

# What a TOC and a TOCI may hold (ISO 32000-1, Table 333).
TOC_KIDS = frozenset({"TOCI", "TOC"})
TOCI_KIDS = frozenset({"Lbl", "Reference", "NonStruct", "P", "TOC"})


def check_reading_structure(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    """Findings on the figures, captions, contents, expansions and lists of the PDF."""
    yield from _figures(name, pdf, html_root, parent_of)
    yield from _hidden_by_alt(name, pdf.root)
    yield from _contents(name, pdf, html_root)
    yield from _abbreviations(name, pdf, html_root, parent_of)
    yield from _list_numbering(name, pdf)


def _text(element: Element, width: int = 40) -> str:
    return shorten(normalise(reading_text(element)), width)


def _figures(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    wanted = [image.get("alt") for image in readable_elements(html_root) if image.tag == "img"]
    found = [figure.attributes.get("Alt") for figure in pdf.elements("Figure")]
    if wanted != found:
        yield Finding(name, "pdf-figures", f"the HTML's image alternatives are {wanted}, "
                      f"the PDF's Figure /Alt are {found}")
    captioned = sum(1 for caption in readable_elements(html_root)
                    if caption.tag == "figcaption" and parent_of[caption].tag == "figure"
                    and any(image.tag == "img"
                            for image in readable_elements(parent_of[caption])))
    beside = sum(1 for parent in _parents_of_read_captions(pdf.root)
                 if any(element.type == "Figure" for element in parent.iter()))
    if captioned != beside:
        yield Finding(name, "pdf-figures", f"{captioned} figures have a caption in the HTML, "
                      f"{beside} Captions stand beside their Figure in the PDF")


def _parents_of_read_captions(element: Element, hidden: bool = False) -> Iterator[Element]:
    """The parent of each figure's Caption with no /Alt above it (a reader skips that one)."""
    for kid in element.children():
        if kid.type == "Caption" and not hidden and element.type != "Table":
            yield element  # its Figure may sit deeper than beside it: Link > Figure
        yield from _parents_of_read_captions(kid, hidden or "Alt" in kid.attributes)


def _hidden_by_alt(name, element: Element, hider: Element | None = None) -> Iterator[Finding]:
    """Captions and tables under an element with /Alt: readers speak the /Alt, skip the rest."""
    if hider is not None and element.type == "Caption":
        yield Finding(name, "pdf-captions",
                      f"the Caption '{_text(element)}' is inside a {hider.type} with /Alt: "
                      "readers speak the /Alt and never the caption")
    if element.type == "Table" and "Alt" in element.attributes:
        yield Finding(name, "pdf-captions",
                      f"the Table '{_text(element)}' has /Alt, which hides its caption and "
                      "cells from readers")
    if hider is None and "Alt" in element.attributes:
        hider = element
    for kid in element.children():
        yield from _hidden_by_alt(name, kid, hider)


def _contents(name, pdf, html_root) -> Iterator[Finding]:
    """The contents are a TOC of TOCI, each holding its Link."""
    wanted = [nav for nav in readable_elements(html_root)
              if is_contents(nav) and nav.find(".//li") is not None]
    tocs = pdf.elements("TOC")
    nested = {id(kid) for toc in tocs for item in toc.children() for kid in item.children()
              if kid.type == "TOC"}
    outermost = [toc for toc in tocs if id(toc) not in nested]
    if len(outermost) < len(wanted):
        yield Finding(name, "pdf-contents",
                      f"the HTML has {len(wanted)} contents, the PDF {len(outermost)} TOC: "
                      "readers cannot tell the contents from any other list")
    for toc in tocs:
        for kid in toc.children():
            if kid.type not in TOC_KIDS:
                yield Finding(name, "pdf-contents", f"a TOC holds a {kid.type} "
                              f"('{_text(kid)}'), not a TOCI")
    for item in pdf.elements("TOCI"):
        strays = [kid.type for kid in item.children() if kid.type not in TOCI_KIDS]
        if strays:
            yield Finding(name, "pdf-contents", f"the TOCI '{_text(item)}' holds "
                          f"{', '.join(strays)}, which a TOCI may not hold")
        if not any(element.type == "Link" for element in item.iter()):
            yield Finding(name, "pdf-contents", f"the TOCI '{_text(item)}' holds no Link")


def _abbreviations(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    """/E on each abbreviation whose expansion is not read already, and only there."""
    wanted = Counter((abbr.get("title"), normalise(html_text(abbr)))
                     for abbr in readable_elements(html_root)
                     if abbr.tag == "abbr" and gets_expansion(abbr, parent_of))
    found = Counter((element.attributes["E"], normalise(reading_text(element)))
                    for element in pdf.root.iter() if "E" in element.attributes)
    missing = sorted((wanted - found).elements())
    extra = sorted((found - wanted).elements())
    if missing:
        yield Finding(name, "pdf-abbreviations",
                      f"{len(missing)} abbreviation(s) without /E: "
                      f"{', '.join(text for _, text in missing[:5])}")
    if extra:
        yield Finding(name, "pdf-abbreviations",
                      f"{len(extra)} /E where the expansion is read already (written beside "
                      "the abbreviation, in a heading or as its entry in the Abbreviations "
                      f"list), so a reader hears it twice: {', '.join(t for _, t in extra[:5])}")


def _list_numbering(name, pdf) -> Iterator[Finding]:
    """Every L says how its items are numbered (ListNumbering, as PDF/UA-2 requires)."""
    for element in pdf.elements("L"):
        numbering = element.attributes.get("ListNumbering")
        if numbering is None:
            yield Finding(name, "pdf-list-numbering",
                          f"the list '{_text(element)}' has no ListNumbering")
        elif numbering not in LIST_NUMBERING_VALUES:
            yield Finding(name, "pdf-list-numbering", f"the list '{_text(element)}' has "
                          f"ListNumbering {numbering}, which PDF 1.7 does not define")
