"""Abbreviations: expanded at their first use, listed after the glossary, /E in the PDF."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from ..html_classes import has_class
from ..pdf.semantics import gets_expansion, parent_map
from ..prepare.parse import Handout, text_content
from . import Context, Transform, labels_of
from .glossary import new_section, sort_key

SKIP = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dfn", "caption"})


class Abbreviations(Transform):
    name = "abbreviations"

    def apply(self, handout: Handout, context: Context) -> None:
        expansions: dict[str, str] = {}  # every abbreviation used, for the list
        expanded: set[str] = set()
        parent_of = parent_map(handout.body)
        for abbr in list(handout.body.iter("abbr")):
            name = " ".join(text_content(abbr).split())
            title = abbr.get("title") or ""
            if not title:
                continue
            expansions.setdefault(name, title)
            if name in expanded or any(ancestor.tag in SKIP
                                       for ancestor in _ancestors(abbr, parent_of)):
                continue  # a heading stays short: the first use in the text is expanded
            expanded.add(name)
            if gets_expansion(abbr, parent_of):  # the rule that also decides /E in the PDF
                _expand(abbr, title, parent_of[abbr])
        if expansions:
            _list_after_glossary(handout, expansions)


def _ancestors(element, parent_of):
    while element in parent_of:
        element = parent_of[element]
        yield element


def _expand(abbr: Element, title: str, parent: Element) -> None:
    """'Expansion (ABBR)': read in full the first time, in print and by screen readers."""
    index = list(parent).index(abbr)
    if index == 0:
        parent.text = (parent.text or "") + f"{title} ("
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + f"{title} ("
    abbr.tail = ")" + (abbr.tail or "")


def _list_after_glossary(handout: Handout, expansions: dict[str, str]) -> None:
    body = handout.body
    section = new_section(handout, labels_of(handout).abbreviations, "abbreviations",
                           "section-abbreviations")
    glossary = next((s for s in body if has_class(s, "section-glossary")),
                    None)
    if glossary is not None:  # move it right after the glossary, in the text and contents
        body.remove(section)
        body.insert(list(body).index(glossary) + 1, section)
        entry = handout.headings.pop()
        position = next(i for i, h in enumerate(handout.headings) if h.id == glossary[0].get("id"))
        following = next((i for i, h in enumerate(handout.headings[position + 1:], position + 1)
                          if h.level <= 2), len(handout.headings))
        handout.headings.insert(following, entry)
    dl = SubElement(section, "dl", {"class": "abbreviations"})
    for name in sorted(expansions, key=sort_key):
        SubElement(SubElement(dl, "dt"), "abbr", {"title": expansions[name]}).text = name
        SubElement(dl, "dd").text = expansions[name]
