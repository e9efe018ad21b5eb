"""The outline: headings levelled, bold lines made headings, key terms and timelines marked."""

from __future__ import annotations

import re

from ..transforms.timeline import iso_date
from .inline import InlineWriter
from .to_markdown import Block, table_rows

GLOSSARY_NAMES = re.compile(
    r"^(definitions? of (the )?key terms|key terms( and definitions)?|glossary|definitions|"
    r"terms and definitions|key words|définitions? des termes( clés)?|termes clés|glossaire|"
    r"lexique|vocabulaire|définitions|definici[oó]n(es)? de (los )?t[eé]rminos( clave)?|"
    r"t[eé]rminos clave|glosario|definiciones|vocabulario)$", re.IGNORECASE)
TIMELINE_NAMES = re.compile(
    r"^(timeline( of (key |major |important )?events)?|chronology|key dates|history in dates|"
    r"chronologie|dates clés|frise chronologique|cronolog[ií]a|l[ií]nea (de )?tiempo|"
    r"fechas clave)$", re.IGNORECASE)
TERM_COLON = re.compile(r"^(?:\*\*(?P<a>[^*:]{1,80}?)\s*:?\s*\*\*\s*:?|(?P<b>[^*:\[\]]{1,60}?)"
                        r"\s*:)\s+(?P<definition>\S.*)$", re.DOTALL)
DATED = re.compile(r"^(?:\*\*)?(?P<date>[^:*–—]{4,30}?)(?:\*\*)?\s*(?:[:–—]|\s-)\s*(?:\*\*)?"
                   r"\s*(?P<rest>\S.*)$", re.DOTALL)
MAX_HEADING_CHARACTERS = 90


def _name(text: str) -> str:
    return " ".join(text.replace("\\", "").split()).rstrip(":").strip()


def level_headings(blocks: list[Block]) -> None:
    """The top level becomes ##; no level is skipped on the way down."""
    previous = 1
    levels = sorted({block.level for block in blocks if block.kind == "heading"})
    rank = {level: 2 + index for index, level in enumerate(levels)}
    for block in blocks:
        if block.kind == "heading":
            block.level = min(rank[block.level], previous + 1, 6)
            previous = block.level
            if re.match(r"^\d+(\.\d+)*\.?\s", block.plain):
                block.review.append("this heading is numbered by hand: Handouts numbers "
                                    "nothing, so the number stays as written; remove it if "
                                    "the other headings have none")


def headings_from_bold_lines(blocks: list[Block]) -> None:
    """A short bold line standing alone becomes a heading, one level under the section's."""
    has_headings = any(block.kind == "heading" for block in blocks)
    current = 1
    in_glossary = False
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            current = block.level
            in_glossary = bool(GLOSSARY_NAMES.match(_name(block.plain)))
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        named = GLOSSARY_NAMES.match(_name(block.plain)) or \
            TIMELINE_NAMES.match(_name(block.plain))
        if not (block.kind == "para" and block.bold and following is not None
                and following.kind != "heading" and 0 < len(block.plain) <=
                MAX_HEADING_CHARACTERS and (named or not block.plain.endswith((".", ",", ";",
                                                                               ":")))):
            continue
        if in_glossary and not named:
            continue  # a bold term over its definition
        block.kind, block.heading_from_bold = "heading", True
        block.text = block.text.replace("**", "")
        block.level = min(current + 1, 6) if has_headings else 2
        if not has_headings:
            current = 2
        in_glossary = bool(GLOSSARY_NAMES.match(_name(block.plain)))
        block.review.append("a bold line was made a heading: check it is one (or make it "
                            "plain text again)")


def section(blocks: list[Block], start: int) -> int:
    """The index after the section whose heading is blocks[start]."""
    level = blocks[start].level
    for index in range(start + 1, len(blocks)):
        if blocks[index].kind == "heading" and blocks[index].level <= level:
            return index
    return len(blocks)


def mark_sections(blocks: list[Block]) -> list[Block]:
    """Key-terms sections as definition lists, timeline sections as dated lists."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading":
            end = section(blocks, index)
            body = blocks[index + 1:end]
            for names, make, mark, doubt in SPECIAL_SECTIONS:
                if not body or not names.match(_name(block.plain)):
                    continue
                made = make(body)
                if made is None:
                    block.review.append(doubt)
                else:
                    block.text += f" {{: .{mark} }}"
                    blocks[index + 1:end] = made
                break
        index += 1
    return blocks


def glossary(body: list[Block]) -> list[Block] | None:
    """The section as one definition list, or None if a part of it is not an entry."""
    entries: list[tuple[list[str], list[str]]] = []  # (terms, paragraphs of definition)
    pending: list[str] = []  # bold terms waiting for their definition
    for block in body:
        if block.kind == "para" and (block.bold or block.style == "docx-term") and \
                len(block.plain) <= 80:
            pending.append(block.text.replace("**", "").strip().rstrip(":").strip())
            continue
        if block.kind == "para" and pending:
            entries.append((pending, [block.text]))
            pending = []
            continue
        if block.kind == "para" and not pending:
            match = TERM_COLON.match(block.text)
            if match and len((match["a"] or match["b"]).split()) <= 8:
                term = (match["a"] or match["b"]).strip()
                entries.append(([term], [match["definition"].strip()]))
            elif entries:
                entries[-1][1].append(block.text)  # a second paragraph of the definition
            else:
                return None
            continue
        if block.kind == "list" and not pending:
            for line in block.text.split("\n"):
                match = TERM_COLON.match(re.sub(r"^\s*(?:-|\d+\.)\s+", "", line))
                if not match or line.startswith(" "):
                    return None
                entries.append(([(match["a"] or match["b"]).strip()],
                                [match["definition"].strip()]))
            continue
        if block.kind == "table" and not pending and block.element is not None:
            writer = InlineWriter({}, [])
            rows = table_rows(block.element, writer)
            if not rows or len(rows[0]) != 2:
                return None
            first = [cell.replace("**", "").strip().casefold() for cell in rows[0]]
            if block.element.find("thead") is not None or first[0] in (
                    "term", "terms", "terme", "termes", "término", "términos", "termino",
                    "key term", "word") or all(cell.startswith("**") for cell in rows[0]):
                rows = rows[1:]
            for term, definition in rows:
                if term.strip() and definition.strip():
                    entries.append(([term.replace("**", "").strip()], [definition]))
            continue
        return None
    if pending or not entries:
        return None
    made = []
    seen: set[str] = set()
    for terms, paragraphs in entries:
        fresh = [term for term in terms if term.casefold() not in seen]
        seen.update(term.casefold() for term in terms)
        lines = "\n".join(fresh or terms) + "\n:   " + "\n\n    ".join(paragraphs)
        entry = Block("para", lines, " ".join(terms))
        if not fresh:
            entry.review.append(f"the term '{terms[0]}' is defined twice: keep one definition")
        made.append(entry)
    return made


def timeline(body: list[Block]) -> list[Block] | None:
    """The section's dated items as one '- date: event' list, or None if one has no date.

    Paragraphs may open and close the section; every list in it must be dated, since the
    build reads each list of a timeline section as events."""
    items: list[str] = []
    opening: list[Block] = []
    closing: list[Block] = []
    for block in body:
        if block.kind == "list":
            if closing:
                return None
            for line in block.text.split("\n"):
                if line.startswith(" ") or not line.strip():
                    return None  # a nested list: the timeline's items are flat
                item = _dated(re.sub(r"^(?:-|\d+\.)\s+", "", line))
                if item is None:
                    return None
                items.append(item)
        elif block.kind == "para" and not closing and (dated := _dated(block.text)):
            items.append(dated)
        elif not items:
            opening.append(block)
        else:
            closing.append(block)
    if not items:
        return None
    return opening + [Block("list", "\n".join(f"- {item}" for item in items), "")] + closing


def _dated(markdown: str) -> str | None:
    match = DATED.match(markdown.replace("\\.", "."))
    if not match:
        return None
    written = match["date"].strip()
    if not iso_date(written):
        return None
    return f"{written}: {match['rest'].strip()}"


# A section named as one of these becomes that block of the authoring format, or, when its
# parts do not read so, stays as written with a note on the review list.
SPECIAL_SECTIONS = (
    (GLOSSARY_NAMES, glossary, "glossary",
     "this looks like a key-terms section, but not every part of it reads as a term and its "
     "definition: it was kept as written; see docs/authoring.md, Glossary"),
    (TIMELINE_NAMES, timeline, "timeline",
     "this looks like a timeline, but not every item begins with a date and a colon: it was "
     "kept as written; see docs/authoring.md, Timeline"),
)
