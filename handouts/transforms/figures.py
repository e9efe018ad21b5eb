"""Figures: an image alone in its paragraph, with a title, is a figure with that caption."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from ..parse import Handout
from . import Context, Transform


class Figures(Transform):
    name = "figures"
    priority = 85

    def apply(self, handout: Handout, context: Context) -> None:
        for parent in list(handout.body.iter()):
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p" or len(paragraph) != 1 or paragraph[0].tag != "img":
                    continue
                image = paragraph[0]
                if ((paragraph.text or "").strip() or (image.tail or "").strip()
                        or not image.get("title")
                        or "decorative" in (image.get("class") or "").split()):
                    continue  # a decorative image has nothing to caption
                figure = Element("figure")
                image.tail = None
                figure.append(image)
                caption = SubElement(figure, "figcaption")
                caption.text = image.attrib.pop("title")
                figure.tail = paragraph.tail
                parent.remove(paragraph)
                parent.insert(index, figure)
