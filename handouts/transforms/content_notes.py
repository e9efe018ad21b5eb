"""Content notes: '!!! content-note' blocks become labelled notes placed before what they warn about."""

from __future__ import annotations

from ..parse import Handout
from . import Context, Transform


class ContentNotes(Transform):
    name = "content_notes"
    priority = 80

    def apply(self, handout: Handout, context: Context) -> None:
        for element in handout.body.iter("div"):
            classes = (element.get("class") or "").split()
            if "admonition" not in classes or "content-note" not in classes:
                continue
            element.set("class", "content-note")
            element.set("role", "note")
            title = element.find("p")
            if title is not None and "admonition-title" in (title.get("class") or ""):
                title.set("class", "content-note-label")
                title.text = "Content note"
