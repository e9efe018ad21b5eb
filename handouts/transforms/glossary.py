"""Glossary: terms defined once (in a handout or content/glossary.md), linked from where they are used."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

from ..html_classes import class_names, has_class
from ..limits import MAX_GLOSSARY_TERMS
from ..prepare.parse import Handout, Heading, text_content
from . import Context, Transform, ids_in, labels_of
from .headings import slugify, unique_id

# Where a term is never linked: headings, links, code, and the glossary itself.
NO_LINKS_INSIDE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd",
                             "samp", "dfn", "script", "style"})


@dataclass
class Term:
    names: list[str]            # the first is the entry's name; the others are aliases
    definition: list[Element]   # the <dd> elements
    source: Path
    line: int | None            # the line of its first name
    shared: bool = False
    name_lines: list[int | None] = field(default_factory=list)  # each name's line
    id: str = ""
    first_use: str | None = None  # the id of the link at its first use
    uses: int = 0

    @property
    def key(self) -> str:
        return self.names[0].casefold()


@dataclass
class GlossaryState:
    terms: list[Term] = field(default_factory=list)
    section: Element | None = None  # the handout's glossary section, if it has one


def read_entries(dl: Element, handout: Handout, shared: bool) -> list[Term]:
    """One Term per group of <dt> followed by its <dd>, each name at its <dt>'s line."""
    entries: list[tuple[list[tuple[str, int | None]], list[Element]]] = []
    names: list[tuple[str, int | None]] = []  # each with its line
    definitions: list[Element] = []
    for child in list(dl):
        if child.tag == "dt":
            if definitions:
                entries.append((names, definitions))
                names, definitions = [], []
            names.append((" ".join(text_content(child).split()), handout.line(child)))
        elif child.tag == "dd":
            definitions.append(child)
    if names:
        entries.append((names, definitions))
    return [Term([name for name, _ in names], definitions, handout.source.path, names[0][1],
                 shared, name_lines=[line for _, line in names])
            for names, definitions in entries if names and definitions]


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: État between Europe and Étude, not after Z."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def plural_forms(name: str) -> list[str]:
    """The simple English plurals of a term: -s, -es, -y to -ies."""
    forms = [name, name + "s", name + "es"]
    if name.endswith("y") and len(name) > 1:
        forms.append(name[:-1] + "ies")
    return forms


class Glossary(Transform):
    name = "glossary"

    def __init__(self) -> None:
        self.shared: list[Term] = []

    def collect(self, handouts: list[Handout], context: Context) -> None:
        shared = context.shared_glossary
        self.shared = []
        if shared is None:
            return
        count = sum(len(dl.findall("dt")) for dl in shared.body.iter("dl"))
        if count > MAX_GLOSSARY_TERMS:
            context.diagnostics.error(shared.source.path, None, _too_many_terms(count))
            return
        for dl in shared.body.iter("dl"):
            self.shared += read_entries(dl, shared, shared=True)
        self._refuse_duplicates(self.shared, context)

    def apply(self, handout: Handout, context: Context) -> None:
        section = next((s for s in handout.body.iter("section")
                        if has_class(s, "section-glossary")), None)
        own = []
        if section is not None:
            lists = section.findall("dl")
            count = sum(len(dl.findall("dt")) for dl in lists) + len(self.shared)
            if count > MAX_GLOSSARY_TERMS:  # each term is looked for in the whole text
                context.diagnostics.error(handout.source.path, None, _too_many_terms(count))
                return
            if not lists:
                context.diagnostics.error(
                    handout.source.path, handout.line(section[0]),
                    "the glossary section has no definition list: write each term on a line, "
                    "then its definition on the next line after ':   '")
            for dl in lists:
                own += read_entries(dl, handout, shared=False)
                section.remove(dl)
        duplicates = self._refuse_duplicates(own, context)
        own_names = {name.casefold() for term in own for name in term.names}
        terms = own + [Term(t.names, t.definition, t.source, t.line, True, name_lines=t.name_lines)
                       for t in self.shared
                       if not own_names & {name.casefold() for name in t.names}]
        taken = ids_in(handout.body)
        for term in terms:
            term.id = unique_id(f"term-{slugify(term.names[0])}", taken)
        if terms:
            _link_uses(handout.body, terms, section, context.config.glossary_link, taken)
        for term in own:
            if not term.uses and all(term is not other for other in duplicates):  # a repeated term is an error already
                context.diagnostics.warn(term.source, term.line,
                                         f"the term '{term.names[0]}' is defined but never used")
        used = [term for term in terms if not term.shared or term.uses]
        if not used:
            return
        if section is None:
            section = new_section(handout, labels_of(handout).glossary, "glossary",
                                   "section-glossary")
        if context.config.glossary_sort:
            used.sort(key=lambda term: sort_key(term.names[0]))
        section.append(_render(used, handout.labels))

    @staticmethod
    def _refuse_duplicates(terms: list[Term], context: Context) -> list[Term]:
        """Each name defined again is an error at the line it is written again; the terms
        that repeat one are returned (their uses are counted for the first definition)."""
        seen: dict[str, tuple[Term, int | None]] = {}
        repeating = []
        for term in terms:
            lines = term.name_lines or [term.line] * len(term.names)
            for name, line in zip(term.names, lines):
                first, first_line = seen.setdefault(name.casefold(), (term, line))
                if first is not term:
                    repeating.append(term)
                    context.diagnostics.error(
                        term.source, line,
                        f"the term '{name}' is defined twice (also at line {first_line}): "
                        "keep one definition, or list it as an alias above that definition")
        return repeating


def _link_uses(body: Element, terms: list[Term], glossary: Element | None, mode: str,
               taken: set[str]) -> None:
    """Link uses of each term: the first in each section, or all of them."""
    by_form: dict[str, Term] = {}
    for term in terms:
        for name in term.names:
            for form in plural_forms(name):
                # An acronym (UN, AU) matches only in capitals: 'un' and 'au' are words.
                key = form if _is_acronym(name) else form.casefold()
                by_form.setdefault(key, term)
    # Whole words: no letter or digit on either side (a term may end in a full stop).
    alternatives = "|".join(
        re.escape(form) if form in by_form and any(
            _is_acronym(name) for name in by_form[form].names) and form.isupper()
        else "(?i:" + re.escape(form) + ")"
        for form in sorted(by_form, key=len, reverse=True))
    pattern = re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)")
    linked_in_section: set[tuple[int, str]] = set()

    def visit(element: Element, section: Element | None):
        if element is glossary or element.tag in NO_LINKS_INSIDE:
            return
        if element.tag == "section":
            section = element
        classes = class_names(element)
        if "content-note" in classes or "footnote" in classes:
            return  # notes are read apart from the text: they stay plain text
        element.text = _link_text(element, None, element.text, section)
        for child in list(element):
            visit(child, section)
            child.tail = _link_text(element, child, child.tail, section)

    def _link_text(parent, after, text, section):
        if not text:
            return text
        pieces, position, remainder = [], 0, text
        for match in pattern.finditer(text):
            term = by_form.get(match[1]) or by_form[match[1].casefold()]
            key = (id(section), term.key)
            if mode == "first" and key in linked_in_section:
                continue
            linked_in_section.add(key)
            term.uses += 1
            if mode == "none":
                continue  # counted as used, not linked
            link = Element("a", {"href": f"#{term.id}", "class": "term"})
            if term.first_use is None:
                term.first_use = unique_id(f"use-{term.id}", taken)
                link.set("id", term.first_use)
            link.text = match[0]
            pieces.append((text[position:match.start()], link))
            position = match.end()
        if not pieces:
            return text
        remainder = text[position:]
        first_text = pieces[0][0]
        index = list(parent).index(after) + 1 if after is not None else 0
        for offset, (_, link) in enumerate(pieces):
            following = pieces[offset + 1][0] if offset + 1 < len(pieces) else remainder
            link.tail = following
            parent.insert(index + offset, link)
        return first_text

    visit(body, None)


def _is_acronym(name: str) -> bool:
    return name.isupper() and len(name) <= 6


def new_section(handout: Handout, title: str, slug: str, css_class: str) -> Element:
    """A level-2 section at the end of the handout, listed in its contents."""
    taken = ids_in(handout.body)
    heading_id = unique_id(slug, taken)
    section = SubElement(handout.body, "section", {"class": css_class})
    heading = SubElement(section, "h2", {"id": heading_id})
    heading.text = title
    handout.headings.append(Heading(2, title, heading_id))
    return section


def _too_many_terms(count: int) -> str:
    return (f"the glossary defines {count:,} terms (with the shared glossary's), more than "
            f"the {MAX_GLOSSARY_TERMS:,} a handout may have: keep the ones readers meet")


def _render(terms: list[Term], labels) -> Element:
    dl = Element("dl", {"class": "glossary"})
    for term in terms:
        # One term with its aliases, "Paedophilia, Paedophile": each read apart, in the PDF's
        # Lbl as in the HTML (two <dt> would read as one label, "Paedophilia Paedophile").
        dt = SubElement(dl, "dt")
        for index, name in enumerate(term.names):
            dfn = SubElement(dt, "dfn", {"id": term.id} if index == 0 else {})
            dfn.text = name
            dfn.tail = ", " if index < len(term.names) - 1 else None
        for number, definition in enumerate(term.definition):
            dd = SubElement(dl, "dd")
            dd.text = definition.text
            dd.extend(list(definition))
            if number == len(term.definition) - 1 and term.first_use:
                back = SubElement(dd, "span", {"class": "first-use"})
                back.text = " "
                screen = SubElement(back, "a", {"href": f"#{term.first_use}",
                                                "class": "screen-only"})
                screen.text = f"({labels.first_use})"
                # Both brackets inside the print-only text: the page number comes after the
                # link's text (a.page-ref::after), before the closing bracket.
                paper = SubElement(back, "span", {"class": "print-only"})
                paper.text = "("
                page_ref = SubElement(paper, "a", {"href": f"#{term.first_use}",
                                                   "class": "page-ref"})
                page_ref.text = labels.first_used.rstrip()
                page_ref.tail = ")"
    return dl
