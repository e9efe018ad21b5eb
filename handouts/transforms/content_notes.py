"""Content notes: each '!!! content-note' warns, at the start of its section, before what it warns about."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from ..html_classes import class_names, has_class
from ..prepare.parse import Handout, text_content
from . import Context, Transform, ids_in, labels_of
from .headings import TEMPLATE_IDS, unique_id

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NOTE_MARKER = "!!! content-note"


def _is_note(element: Element) -> bool:
    classes = class_names(element)
    return element.tag == "div" and "admonition" in classes and "content-note" in classes


class ContentNotePlacement(Transform):
    """A note must stand right after its section's heading, and say something."""

    name = "content_note_placement"

    def apply(self, handout: Handout, context: Context) -> None:
        body = handout.body
        children = list(body)
        for position, element in enumerate(children):
            if not _is_note(element):
                self._warn_if_misspelt(handout, element, context)
                continue
            line = handout.line(element)
            title = element.find("p")
            if title is not None and has_class(title, "admonition-title"):
                element.remove(title)
            if not " ".join(text_content(element).split()):
                context.diagnostics.error(
                    handout.source.path, line, "the content note is empty: write what the "
                    "section contains on the next lines, indented by four spaces")
            previous = children[position - 1] if position else None
            if previous is None or previous.tag not in HEADINGS:
                context.diagnostics.error(
                    handout.source.path, line,
                    "a content note must stand right after a section's heading, before the "
                    "section's text; for the whole handout, use content_notes: in the front "
                    "matter")
            element.attrib.clear()
            element.set("class", "content-note")

    @staticmethod
    def _warn_if_misspelt(handout: Handout, element: Element, context: Context) -> None:
        """'!!! content_note' makes a plain box, not a note: no skip link, not in the contents."""
        classes = class_names(element)
        if element.tag != "div" or "admonition" not in classes:
            return
        written = " ".join(name for name in classes if name != "admonition")
        letters = "".join(character for character in written if character.isalpha())
        if letters.removesuffix("s") != "contentnote":
            return  # another kind of box ('!!! note', '!!! context-note'): the author's own
        lint = context.diagnostics.error if context.strict else context.diagnostics.warn
        lint(handout.source.path, handout.line(element),
             f"'!!! {written}' is not a content note, so it is printed as a plain box (no "
             f"skip link, not in the contents): write '{NOTE_MARKER}'")


class SectionContentNotes(Transform):
    """Label each note, offer to skip its section, and tell paper readers where it ends."""

    name = "section_content_notes"

    def apply(self, handout: Handout, context: Context) -> None:
        labels = labels_of(handout)
        order = list(handout.body.iter("section"))
        taken = set(TEMPLATE_IDS) | ids_in(handout.body)
        for section in order:
            note = section[1] if len(section) > 1 else None
            if note is None or note.get("class") != "content-note":
                continue
            heading = section[0]
            section_id = heading.get("id")
            section.set("class", " ".join(filter(None, [section.get("class"), "has-content-note"])))
            for entry in handout.headings:
                if entry.id == section_id:
                    entry.content_note = True
            label_id = unique_id(f"note-{section_id}", taken)
            label = Element(_label_tag(int(heading.tag[1])),
                            {"class": "content-note-label", "id": label_id})
            label.text = labels.content_note
            note.insert(0, label)
            note.set("role", "note")
            note.set("aria-labelledby", label_id)
            following = _next_section(order, section, int(heading.tag[1]))
            target = following[0].get("id") if following is not None else "end-of-handout"
            end_id = unique_id(f"end-{section_id}", taken)
            SubElement(section, "div", {"class": "section-end-marker", "id": end_id})
            skip = SubElement(note, "p", {"class": "skip-section screen-only"})
            link = SubElement(skip, "a", {"href": f"#{target}", "class": "skip"})
            link.text = labels.skip_section
            note.append(_where_it_ends(labels, end_id, following))
            if context.config.collapse_noted_sections:
                _collapse(section, note, labels)


def _label_tag(level: int) -> str:
    """The note's label: a heading one level below its section's, a paragraph below an h6."""
    # Readers find it by moving from heading to heading, as they find sections; no h7 exists.
    return f"h{level + 1}" if level < 6 else "p"


def _next_section(order, section, level):
    """The next section at the same or a higher level, or None at the end of the handout."""
    after = order[order.index(section) + 1:]
    for candidate in after:
        if candidate.find("*") is not None and int(candidate[0].tag[1]) <= level:
            return candidate
    return None


def _where_it_ends(labels, end_id, following) -> Element:
    """'This section ends on page 7; the next section, X, starts on page 8.' for paper."""
    paragraph = Element("p", {"class": "section-end print-only"})
    paragraph.text = f"{labels.section_ends} "
    ends = SubElement(paragraph, "a", {"href": f"#{end_id}", "class": "page-ref"})
    ends.text = labels.on_page
    if following is None:
        ends.tail = "."
        return paragraph
    ends.tail = f"; {labels.next_section} "
    target = f"#{following[0].get('id')}"
    name = SubElement(paragraph, "a", {"href": target, "class": "next-section"})
    name.text = " ".join(text_content(following[0]).split())
    name.tail = ", "
    starts = SubElement(paragraph, "a", {"href": target, "class": "page-ref"})
    starts.text = labels.starts_on_page
    starts.tail = "."
    return paragraph


def _collapse(section: Element, note: Element, labels) -> None:
    """Put what follows the note in a closed <details>: the reader opts in (screen only)."""
    content = list(section)[list(section).index(note) + 1:]
    details = Element("details", {"class": "section-content"})
    summary = SubElement(details, "summary", {"class": "screen-only"})  # print shows all
    summary.text = labels.show_section
    for element in content:
        section.remove(element)
        details.append(element)
    section.append(details)
