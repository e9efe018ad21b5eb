"""Timeline: a 'timeline' section's list becomes an ordered list of dated events."""

from __future__ import annotations

import datetime
import re
from xml.etree.ElementTree import Element

from ..html_classes import has_class
from ..labels import catalogue
from ..prepare.parse import Handout
from . import Context, Transform

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _months() -> dict[str, int]:
    """Month names in every catalogue (January, janvier, enero …) -> month number."""
    names = {}
    for language in ("en", "fr", "es"):
        for number, name in enumerate(catalogue(language)["months"].split(), start=1):
            names[name.casefold()] = number
            names[name[:3].casefold()] = number
    return names


MONTHS = _months()
WRITTEN = [
    # 20 November 1989, 20. November 1989, 20 de noviembre de 1989, 1er janvier 2000
    re.compile(r"^(\d{1,2})(?:\.|er)?\s+(?:de\s+)?([^\W\d_]+)\.?\s+(?:de\s+)?(\d{4})$"),
    # November 20, 1989
    re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$"),
    # November 1989
    re.compile(r"^([^\W\d_]+)\s+(?:de\s+)?(\d{4})$"),
]


def iso_date(text: str) -> str | None:
    """The ISO form (1989, 1989-11, 1989-11-20) of a date as written, or None."""
    text = " ".join(text.split())
    match = ISO.match(text)
    if match:
        year, month, day = match.groups()
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None
        return text
    for number, pattern in enumerate(WRITTEN):
        match = pattern.match(text)
        if not match:
            continue
        if number == 0:
            day, month_name, year = match.groups()
        elif number == 1:
            month_name, day, year = match.groups()
        else:
            (month_name, year), day = match.groups(), None
        month = MONTHS.get(month_name.casefold())
        if month is None:
            return None
        try:
            datetime.date(int(year), month, int(day or 1))
        except ValueError:
            return None
        return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return None


class Timeline(Transform):
    name = "timeline"

    def apply(self, handout: Handout, context: Context) -> None:
        for section in handout.body.iter("section"):
            if not has_class(section, "section-timeline"):
                continue
            lists = [child for part in section.iter("section") for child in part
                     if child.tag in ("ul", "ol")]
            for listing in lists:
                listing.tag = "ol"
                listing.set("class", "timeline")
                for item in listing.findall("li"):
                    self._date(item, handout, context)

    @staticmethod
    def _date(item: Element, handout: Handout, context: Context) -> None:
        holder = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() \
            else item
        text = holder.text or ""
        written, colon, rest = text.partition(":")
        value = iso_date(written) if colon else None
        nested = item.find("ol")
        if not text.strip() and nested is not None and len(nested):
            first = " ".join("".join(nested[0].itertext()).split())
            context.diagnostics.error(
                handout.source.path, handout.line(nested[0]),
                f"the timeline item '{first[:40]}' reads as a numbered list: a day followed "
                "by a full stop starts one; write '14 December 1990: …' without the dot")
            return
        if value is None:
            context.diagnostics.error(
                handout.source.path, handout.line(item),
                f"the timeline item '{text.strip()[:40]}' does not begin with a date: write "
                "'- 1989-11-20: …' or '- 20 November 1989: …'")
            return
        time = Element("time", {"datetime": value})
        # A date written the ISO way is printed in words, as the front matter's date is;
        # <time datetime> keeps the ISO form for machines.
        time.text = (handout.labels.format_iso(value) if ISO.match(written.strip())
                     and handout.labels is not None else written.strip())
        time.tail = ":" + rest
        holder.text = None
        holder.insert(0, time)
