"""Footnotes: numbered notes with back-links at the end of the page; at the foot of the page in print."""

from __future__ import annotations

import copy
import re
from xml.etree.ElementTree import Element

from ..html_classes import has_class
from ..pdf.semantics import parent_map
from ..prepare.parse import Handout
from . import Context, Transform

BLOCKS = frozenset({"p", "ul", "ol", "li", "blockquote", "div", "dl", "dt", "dd", "pre"})


class Footnotes(Transform):
    name = "footnotes"

    def apply(self, handout: Handout, context: Context) -> None:
        notes = handout.body.find(".//div[@class='footnote']")
        if notes is None:
            return
        # The end-of-page notes and their calls are for the screen and for print profiles
        # with endnotes (large print); print.css hides them and puts each note at the foot
        # of its page (CSS float: footnote), where the call stands.
        notes.set("class", "footnote endnotes")
        texts = {item.get("id"): item for item in notes.iter("li")}
        parent_of = parent_map(handout.body)
        printed = set()
        for call in list(handout.body.iter("sup")):
            link = call.find("a")
            if link is None or not has_class(link, "footnote-ref"):
                continue
            item = texts.get((link.get("href") or "").lstrip("#"))
            if item is None:
                continue
            call.set("class", "footnote-call endnote-call")
            if item.get("id") in printed:
                continue  # a note called again is printed once, at its first call
            printed.add(item.get("id"))
            parent = parent_of[call]
            parent.insert(list(parent).index(call) + 1,
                          _printed_note(item, call.tail, handout.lines))
            call.tail = None


def _one_line(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text) if text else text


def _printed_note(item: Element, tail: str | None, lines: dict[Element, int]) -> Element:
    # A note is found by its id (texts): it has one.
    note = Element("span", {"class": "footnote-print print-only", "data-note": item.get("id", "")})
    content = copy.deepcopy(item)
    for original, printed in zip(item.iter(), content.iter()):  # messages name its line too
        if original in lines:
            lines[printed] = lines[original]
    for backlink in content.findall(".//a[@class='footnote-backref']"):
        for parent in content.iter():
            if backlink in list(parent):
                parent.remove(backlink)
    for element in content.iter():
        element.attrib.pop("id", None)  # ids stay unique: the screen's copy keeps them
    # A footnote is one run of text at the foot of the page: its blocks become inline.
    for element in content.iter():
        if element.tag in BLOCKS:
            element.tag = "span"
            element.tail = " " + (element.tail or "")
    for element in content.iter():  # one line of text: WeasyPrint's footnotes want no newlines
        element.text = _one_line(element.text)
        element.tail = _one_line(element.tail)
    note.text = content.text
    note.extend(list(content))
    note.tail = tail
    return note
