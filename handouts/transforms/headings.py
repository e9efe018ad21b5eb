"""Headings: the title is the only h1; author headings shifted so no level is skipped."""

from __future__ import annotations

import re
import unicodedata

from ..html_classes import class_names
from ..page_numbers.markers import PAGE_MARKER_ID
from ..prepare.parse import Handout, Heading, text_content
from . import Context, Transform

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# ids the page templates use; an author's heading must not take one of them.
TEMPLATE_IDS = ("main", "title", "toc-label", "content-notes-label", "end-of-handout",
                "page-list-heading")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


class Headings(Transform):
    name = "headings"

    def apply(self, handout: Handout, context: Context) -> None:
        body = handout.body
        first = body[0] if len(body) else None
        # A first '# Title' repeating the front matter's title would show the title twice.
        if (first is not None and first.tag == "h1" and not (body.text or "").strip()
                and " ".join(text_content(first).split()).casefold()
                == handout.meta.title.casefold()):
            body.remove(first)

        for element in body.iter():
            own = element.get("id") or ""
            if element.tag in HEADING_TAGS or not own:
                continue  # a heading's id is made unique below
            if PAGE_MARKER_ID.fullmatch(own):
                context.diagnostics.error(
                    handout.source.path, handout.line(element),
                    f"the id {own} is kept for the mark where that page of the PDF begins (a "
                    "link to #page-5 leads there): choose another id")
            elif own in TEMPLATE_IDS:
                context.diagnostics.error(
                    handout.source.path, handout.line(element),
                    f"the id {own} is the page's own ({', '.join(TEMPLATE_IDS)} are): "
                    "choose another id")
        headings = [element for element in body.iter() if element.tag in HEADING_TAGS]
        if not headings:
            return
        base = min(int(h.tag[1]) for h in headings)
        taken = set(TEMPLATE_IDS) | {element.get("id") or "" for element in body.iter()
                                     if element.get("id") and element.tag not in HEADING_TAGS}
        previous = 1
        for element in headings:
            level = min(max(int(element.tag[1]) - base + 2, 2), previous + 1, 6)
            element.tag = f"h{level}"
            previous = level
            text = " ".join(text_content(element).split())
            heading_id = unique_id(element.get("id") or slugify(text), taken)
            element.set("id", heading_id)
            classes = class_names(element)
            handout.headings.append(Heading(level, text, heading_id, classes))


def unique_id(candidate: str, taken: set[str]) -> str:
    """candidate, or candidate-2, -3 … : the first not yet taken (and now taken)."""
    result, number = candidate, 2
    while result in taken or PAGE_MARKER_ID.fullmatch(result):
        result, number = f"{candidate}-{number}", number + 1
    taken.add(result)
    return result
