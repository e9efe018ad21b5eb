"""Sections: each heading and what follows it, up to the next heading of its level or higher."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..html_classes import has_class
from ..prepare.parse import Handout
from . import Context, Transform


def _level(element: Element) -> int | None:
    tag = element.tag
    if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "23456":
        return int(tag[1])
    return None


class Sections(Transform):
    name = "sections"

    def apply(self, handout: Handout, context: Context) -> None:
        body = handout.body
        children = list(body)
        for child in children:
            body.remove(child)
        # (level, section) for every section still open, innermost last.
        open_sections: list[tuple[int, Element]] = [(1, body)]
        for child in children:
            if child.tag == "div" and has_class(child, "footnote"):
                body.append(child)  # the notes of the whole handout belong to no section
                continue
            level = _level(child)
            if level is not None:
                while open_sections[-1][0] >= level:
                    open_sections.pop()
                section = Element("section")
                classes = child.get("class")
                if classes:
                    section.set("class", " ".join(f"section-{c}" for c in classes.split()))
                open_sections[-1][1].append(section)
                open_sections.append((level, section))
            open_sections[-1][1].append(child)
