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


# What Python-Markdown's footnotes extension reads as a call ([^1], [^note]); one whose note
# is never written is left in the text as it was typed.
FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
VERBATIM = frozenset({"code", "pre", "kbd", "samp"})


class FootnoteCalls(Transform):
    """A footnote call without its note is printed as typed ("[^2]"): a warning (with
    --strict, an error) at its line. Run first, on the author's text as parsed, where every
    element has its line and nothing from another file (a shared glossary) is in it yet."""

    name = "footnote_calls"

    def apply(self, handout: Handout, context: Context) -> None:
        _warn_of_undefined_calls(handout, context)


def _warn_of_undefined_calls(handout: Handout, context: Context) -> None:
    lint = context.diagnostics.error if context.strict else context.diagnostics.warn

    def look(element: Element, line: int | None) -> None:
        if element.tag in VERBATIM:
            return
        line = handout.line(element) or line
        for text, start in _runs(element, line) if line is not None else ():
            for call in FOOTNOTE_CALL.finditer(text):
                lint(handout.source.path, start + text.count("\n", 0, call.start()),
                     f"the footnote call {call[0]} has no note, so it is printed as typed: "
                     f"write the note on a line of its own, '{call[0]}: the note's text', "
                     "remove the call, or, to show it as typed, put it in `code`")
        for child in element:
            look(child, line)

    def _runs(element: Element, line: int) -> list[tuple[str, int]]:
        """The element's runs of text, each with the line it starts on: a child the parser
        met has a line of its own; one without (an inline element) holds the author's words,
        line ends and all, so the count goes on through it."""
        runs = [(element.text or "", line)]
        here = line + (element.text or "").count("\n")
        for child in element:
            here = (handout.line(child) or here) + "".join(child.itertext()).count("\n")
            runs.append((child.tail or "", here))
            here += (child.tail or "").count("\n")
        return runs

    look(handout.body, None)


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
