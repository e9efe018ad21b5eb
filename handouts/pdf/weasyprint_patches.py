"""The patches Handouts lays over WeasyPrint 70.0, applied by one explicit install().

The renderer (pdf/render.py) and the PDF workers call install() before WeasyPrint lays out
a page; importing a module of Handouts changes nothing in WeasyPrint.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

import pydyf
import weasyprint
import weasyprint.document
import weasyprint.images
from weasyprint import draw
from weasyprint import pdf as weasyprint_pdf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.stream import Stream

from .tagging import StructureBuilder, turn_into_artifact

TESTED_VERSION = "70.0"


def install() -> None:
    """Apply the patches once; refuse a WeasyPrint version they were not tested with."""
    if weasyprint.__version__ != TESTED_VERSION:
        raise RuntimeError(
            f"Handouts patches WeasyPrint {TESTED_VERSION}'s tagging, but WeasyPrint "
            f"{weasyprint.__version__} is installed: run 'make build' to reinstall")
    if weasyprint_pdf.add_tags is add_tags:
        return
    Stream.marked = _marked
    draw.draw_stacking_context = _draw_stacking_context
    weasyprint_pdf.add_tags = add_tags
    weasyprint.document.original_get_image_from_uri = _stable_image_ids(
        weasyprint.document.original_get_image_from_uri)


def _stable_image_ids(get_image_from_uri):
    """WeasyPrint names a raster image in the PDF by a hash of its URL, which holds the
    staging folder's random name: named by its path inside the output instead, two builds of
    the same content write the same bytes, wherever and whenever they run."""
    def wrapper(*args, **kwargs):
        image = get_image_from_uri(*args, **kwargs)
        url = kwargs["url"] if "url" in kwargs else args[3]
        if isinstance(image, weasyprint.images.RasterImage) and "/.staging-" in url:
            inside = url.split("/.staging-", 1)[1].split("/", 1)[-1]
            image.id = hashlib.md5(inside.encode(), usedforsecurity=False).hexdigest()
        return image
    return wrapper


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
            turn_into_artifact(record)
        tags.clear()
    builder.finish()
