"""Tables: a 'Table: …' paragraph directly above a table becomes its caption; header cells get a scope."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..parse import Handout
from . import Context, Transform

CAPTION_PREFIX = "Table:"


class Tables(Transform):
    name = "tables"
    priority = 90

    def apply(self, handout: Handout, context: Context) -> None:
        for parent in list(handout.body.iter()):
            children = list(parent)
            for paragraph, table in zip(children, children[1:]):
                if (paragraph.tag == "p" and table.tag == "table"
                        and (paragraph.text or "").startswith(CAPTION_PREFIX)):
                    caption = Element("caption")
                    caption.text = paragraph.text[len(CAPTION_PREFIX):].lstrip()
                    caption.extend(list(paragraph))
                    table.insert(0, caption)
                    parent.remove(paragraph)
        for head in handout.body.iter("thead"):
            for header in head.iter("th"):
                header.set("scope", "col")
