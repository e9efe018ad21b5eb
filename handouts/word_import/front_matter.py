"""The front matter: title, subtitle, authors, date, language, committee and topic."""

from __future__ import annotations

import datetime
import re

from ..prepare.load import LANG_TAG
from ..transforms.timeline import iso_date
from .to_markdown import Block

# Opening lines such as "Committee: Interpol", in English, French and Spanish.
LABELS = {
    "committee": r"committee|comité|comite|comisión|comision|council|conseil|consejo|organ",
    "topic": r"topic|agenda item|agenda|sujet|thème|theme|question|tema|tópico|topico|asunto",
    "authors": r"authors?|chairs?|written by|prepared by|auteure?s?|rédigé par|redige par|"
               r"présidente?s?|presidente?s?|autor(?:es|as|a)?|redactado por|elaborado por",
    "date": r"date|fecha",
}
LABEL_LINE = re.compile(r"^(" + "|".join(LABELS.values()) + r")\s*:\s*(.+)$", re.IGNORECASE)
# Names Word and other programs write into a document's properties, not a person's.
NOT_A_PERSON = {"python-docx", "microsoft office user", "user", "author", "unknown", "admin",
                "administrator", "windows user", "owner", "apache poi", ""}
OPENING_BLOCKS = 12  # how far the opening lines may run before the first heading


def take_front_matter(blocks: list[Block], properties: dict[str, str], default_lang: str,
                      stem: str) -> tuple[dict, dict[str, str], list[Block]]:
    """The front matter, a review message per key, and the blocks left for the body."""
    meta: dict = {}
    review: dict[str, str] = {}
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        opening = index < OPENING_BLOCKS and not any(b.kind == "heading" for b in blocks[:index])
        if opening and _take(block, meta):
            continue
        kept.append(block)
    if "title" not in meta:
        if properties.get("title"):
            meta["title"] = properties["title"]
            if kept and (kept[0].kind == "heading" or kept[0].bold) and \
                    kept[0].plain.casefold() == meta["title"].casefold():
                kept.pop(0)  # the title typed again as the first line
            review["title"] = "the title comes from the document's properties (File > Info): " \
                "check it"
        elif kept and (kept[0].kind == "heading" or kept[0].bold) and len(kept[0].plain) < 150:
            meta["title"] = kept.pop(0).plain
            review["title"] = "the title is the document's first line: check it"
        else:
            meta["title"] = stem.replace("-", " ").replace("_", " ").strip().capitalize()
            review["title"] = "the document has no title: this one is made from the file name"
    if "authors" not in meta:
        creator = properties.get("creator", "")
        if creator.casefold() not in NOT_A_PERSON:
            meta["authors"] = _names(creator)
            review["authors"] = "the authors come from the document's properties, which name " \
                "whoever made the file: check them"
    if "date" not in meta and properties.get("created", "")[:10]:
        created = _date(properties["created"][:10])
        if created:
            meta["date"] = created
            review["date"] = "the date is when the file was created: change it to the " \
                "report's date"
    lang = properties.get("language") or default_lang
    if lang and LANG_TAG.match(lang):
        meta["lang"] = lang
    meta["status"] = "draft"
    review["status"] = "imported as a draft (a DRAFT mark on every page): once this list is " \
        "worked through, set status: final"
    return _ordered(meta), review, kept


def _take(block: Block, meta: dict) -> bool:
    """Whether the opening block was front matter (then it leaves the body)."""
    if block.kind not in ("para", "heading"):
        return False
    if block.style == "docx-title" and "title" not in meta:
        meta["title"] = block.plain
        return True
    if block.style == "docx-subtitle" and "subtitle" not in meta:
        meta["subtitle"] = block.plain
        return True
    # One name a line (Shift+Enter between them) is a list of names, as commas make one.
    names = "; ".join(block.lines) or block.plain
    if block.style == "docx-author":
        meta.setdefault("authors", []).extend(_names(names))
        return True
    if block.style == "docx-date" and _date(block.plain):
        meta["date"] = _date(block.plain)
        return True
    match = LABEL_LINE.match(block.plain)
    if not match:
        return False
    label, value = match[1].casefold(), match[2].strip()
    key = next(key for key, pattern in LABELS.items()
               if re.fullmatch(pattern, label, re.IGNORECASE))
    if key == "date":
        if not _date(value) or "date" in meta:
            return False  # a date written otherwise stays in the text, as written
        meta["date"] = _date(value)
    elif key == "authors":
        meta.setdefault("authors", []).extend(_names((LABEL_LINE.match(names) or match)[2]))
    elif key in meta:
        return False
    else:
        meta[key] = value
    return True


def _names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:;|,|&|\band\b|\bet\b|\by\b)\s*", text)
    return [part.strip() for part in parts if part.strip()]


def _date(text: str) -> datetime.date | None:
    value = iso_date(text.strip().rstrip("."))
    if value and len(value) == 10:
        return datetime.date.fromisoformat(value)
    return None


def _ordered(meta: dict) -> dict:
    order = ("title", "subtitle", "committee", "topic", "authors", "date", "lang", "status")
    return {key: meta[key] for key in order if key in meta}
