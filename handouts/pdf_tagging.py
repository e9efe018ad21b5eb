"""Patches to WeasyPrint 70.0's PDF tagging: page margin boxes become artifacts."""

from __future__ import annotations

import weasyprint
from weasyprint import draw
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

TESTED_VERSION = "70.0"
_original_draw_stacking_context = draw.draw_stacking_context
_original_build_box_tree = tags._build_box_tree


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


def _build_box_tree(box, *args, **kwargs):
    # Margin boxes were drawn as artifacts: they own no marked content to map.
    if isinstance(box, boxes.MarginBox):
        return iter(())
    return _original_build_box_tree(box, *args, **kwargs)


def install() -> None:
    """Apply the patches once; refuse a WeasyPrint version they were not tested with."""
    if weasyprint.__version__ != TESTED_VERSION:
        raise RuntimeError(
            f"Handouts patches WeasyPrint {TESTED_VERSION}'s tagging, but WeasyPrint "
            f"{weasyprint.__version__} is installed: run 'make build' to reinstall")
    draw.draw_stacking_context = _draw_stacking_context
    tags._build_box_tree = _build_box_tree
