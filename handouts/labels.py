"""The words the templates write around the author's text: one message catalogue per language."""

from __future__ import annotations

import datetime
import functools
import tomllib
from pathlib import Path

MESSAGES = Path(__file__).resolve().parent / "messages"
FALLBACK = "en"


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """messages/<language>.toml, or {} when there is none."""
    path = MESSAGES / f"{language}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def languages() -> list[str]:
    return sorted(path.stem for path in MESSAGES.glob("*.toml"))


class Labels:
    """Labels for one language; a missing one falls back to English and is remembered."""

    def __init__(self, lang: str):
        self.lang = lang
        self.language = lang.split("-")[0].lower()
        self.own = catalogue(self.language)
        self.english = catalogue(FALLBACK)
        self.missing: set[str] = set()

    def __getitem__(self, key: str) -> str:
        if key in self.own:
            return self.own[key]
        if key not in self.english:
            raise KeyError(key)
        if self.language != FALLBACK:
            self.missing.add(key)
        return self.english[key]

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def format_date(self, date: datetime.date) -> str:
        months = self["months"].split()
        return self["date_format"].format(day=date.day, month=months[date.month - 1],
                                          year=date.year)

    def format_iso(self, value: str) -> str:
        """An ISO date as written in a timeline (1989, 1989-11, 1989-11-20), in words."""
        year, *month_day = value.split("-")
        if len(month_day) >= 2:
            month, day = month_day[:2]
            return self.format_date(datetime.date(int(year), int(month), int(day)))
        if month_day:
            return self["month_format"].format(
                month=self["months"].split()[int(month_day[0]) - 1], year=int(year))
        return year

    def css(self, key: str) -> str:
        """A label as a CSS string, for generated content."""
        return css_string(self[key])

    def page_of(self) -> str:
        """'Page N of M' as the content of a CSS margin box."""
        before, _, rest = self["page_of"].partition("{page}")
        middle, _, after = rest.partition("{pages}")
        return " ".join(part for part in (css_string(before), "counter(page)",
                                          css_string(middle), "counter(pages)",
                                          css_string(after)) if part != '""')


def css_string(text: str) -> str:
    """A CSS string literal that nothing in text can break out of."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,;:!?()'-–·" or ord(ch) > 127
                      else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'
