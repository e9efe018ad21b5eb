"""PDF/UA-1's document-level rules: tagged, language, title, metadata, fonts, tab order."""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding
from .pdf_reader import TaggedPdf
from .text import normalise, shorten


def check_pdf_document(pdf: TaggedPdf, html_lang: str | None = None) -> Iterator[Finding]:
    """The document-level requirements of PDF/UA-1."""
    name = str(pdf.path)
    if not pdf.marked or pdf.root is None:
        yield Finding(name, "pdf-tagged", "the PDF is not tagged (no MarkInfo or structure tree)")
    if not pdf.catalog_lang:
        yield Finding(name, "pdf-lang", "the PDF has no document language (/Lang)")
    elif html_lang and pdf.catalog_lang.lower() != html_lang.lower():
        yield Finding(name, "pdf-lang",
                      f"the PDF's language is {pdf.catalog_lang}, its HTML's is {html_lang}")
    if not pdf.title.strip():
        yield Finding(name, "pdf-title", "the PDF has no title in its XMP metadata")
    if not pdf.display_doc_title:
        yield Finding(name, "pdf-title", "the viewer is not told to show the title "
                      "(ViewerPreferences /DisplayDocTitle)")
    if pdf.pdfua_part != "1":
        yield Finding(name, "pdf-xmp", "the XMP metadata does not declare PDF/UA-1 "
                      "(pdfuaid:part)")
    for font in pdf.unembedded_fonts:
        yield Finding(name, "pdf-fonts", f"the font {font} is not embedded")
    for unordered in pdf.pages_without_tab_order:
        yield Finding(name, "pdf-tab-order",
                      f"page {unordered} has annotations but no structure tab order (/Tabs /S)")
    for number, page in enumerate(pdf.pages, start=1):
        orphans = [mcid for mcid, text in page.marked.items()
                   if text.strip() and (number - 1, mcid) not in pdf.referenced]
        if pdf.root is not None and orphans:
            yield Finding(name, "pdf-untagged-content",
                          f"page {number}: {len(orphans)} marked-content sequence(s) belong to no "
                          f"structure element: '{shorten(normalise(page.marked[orphans[0]]))}'")
        if page.untagged_text:
            yield Finding(name, "pdf-untagged-content",
                          f"page {number}: text neither tagged nor an artifact: "
                          f"'{shorten(normalise(' '.join(page.untagged_text)))}'")

