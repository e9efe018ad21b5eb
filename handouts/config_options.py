"""handouts.toml's options, each declared once with its table, type and check; one reader."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ContentError, InFileOrder
from .prepare.load import LANG_TAG
from .suggest import did_you_mean
from .toml_places import line_of_key

PAPER_SIZES = ("A4", "Letter")
GLOSSARY_LINK_MODES = ("first", "all", "none")
MAX_CONTACT = 200  # characters: one line on the back cover, in large print too
KIND_NAMES: dict[type, str] = {datetime.date: "date such as 2027-03-14"}


class Invalid(Exception):
    """A value an option refuses; the message says what to write instead."""


@dataclass(frozen=True)
class Option:
    """One key of handouts.toml: its table, the TOML type it holds, and what else it must be.

    check turns a value of the right type into the one Handouts uses, or raises Invalid;
    the field then keeps its default. keep_line names a field that records the key's line,
    for messages that later stages write about the value.
    """

    table: str
    key: str
    kind: type
    check: Callable[[Any], Any] | None = None
    required: bool = False
    keep_line: str | None = None

    def holds(self, value: object) -> bool:
        # A datetime is a date to Python, but a date and a time to an author.
        return isinstance(value, self.kind) and not (
            self.kind is datetime.date and isinstance(value, datetime.datetime))

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind.__name__)


def option(table: str, key: str, kind: type, check: Callable[[Any], Any] | None = None,
           required: bool = False, keep_line: str | None = None) -> Mapping[str, Option]:
    """A dataclass field's metadata: the field is read from key in [table]."""
    return {"option": Option(table, key, kind, check, required, keep_line)}


def options_of(*classes: type) -> list[tuple[str, Option]]:
    """(field name, option) for each field the classes declare with option(), in order."""
    return [(item.name, item.metadata["option"]) for cls in classes
            for item in fields(cls) if "option" in item.metadata]


# A table rule looks at a table's keys together: (the key it is about, its message) or None.
Rule = Callable[[Mapping[str, Any], Mapping[str, Any]], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Table:
    """A section of handouts.toml: [name], or [[name]] when there can be many."""

    name: str
    many: bool = False
    not_a_table: str = ""  # the message when the name holds something else
    rules: tuple[Rule, ...] = ()

    @property
    def shown(self) -> str:
        return f"[[{self.name}]]" if self.many else f"[{self.name}]"

    @property
    def misuse(self) -> str:
        return self.not_a_table or (f"{self.name} must be a section: write [{self.name}] "
                                    "on its own line")

    def holds(self, value: object) -> bool:
        if self.many:
            return isinstance(value, list) and all(isinstance(entry, dict) for entry in value)
        return isinstance(value, dict)


class SettingsFile:
    """One reading of handouts.toml: its text, and the problems found in it so far."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text
        self.problems: list[ContentError] = InFileOrder()

    def line(self, key: str | None, table: str | None = None, number: int = 0) -> int | None:
        return line_of_key(self.text, key, table, number)

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(ContentError(self.path, line, message))

    def read_table(self, table: Table, options: list[Option], written: Mapping[str, Any],
                   number: int = 0, line: int | None = None) -> dict[str, Any]:
        """The keys of [table] (its number-th [[table]], at line) that pass their options,
        as Handouts uses them; a problem for each key that does not, at its line.

        In order: each key's name and type, the required keys, the table's rules, then
        each option's check. A [table]'s checks are at their key's own line; a
        [[table]]'s, without one, at the table's line.
        """
        declared = {each.key: each for each in options}
        # An inline table (conference = {…}) has no header: its keys are at its line.
        fallback = line or self.line(table.name)
        good: dict[str, Any] = {}
        for key, value in written.items():
            key_line = self.line(key, table.name, number) or fallback
            known = declared.get(key)
            if known is None:
                self.problem(key_line, f"unknown key '{key}' in {table.shown}"
                             f"{did_you_mean(key, list(declared))}; known keys: "
                             f"{', '.join(declared)}")
            elif not known.holds(value):
                self.problem(key_line, f"'{key}' in {table.shown} must be a "
                             f"{known.kind_name}, not {type(value).__name__}")
            else:
                good[key] = value
        missing = [each.key for each in options if each.required and each.key not in written]
        if missing:
            self.problem(line, f"a {table.shown} needs {', '.join(missing)}")
        for rule in table.rules:
            broken = rule(written, good)
            if broken is not None:
                self.problem(self.line(broken[0], table.name, number) or line, broken[1])
        for each in options:
            if each.check is not None and each.key in good:
                try:
                    good[each.key] = each.check(good[each.key])
                except Invalid as refusal:
                    self.problem(self.line(each.key, table.name, number) or line,
                                 str(refusal))
                    del good[each.key]
        return good


# The checks, one an option; each message says what to write.

def language_tag(lang: str) -> str:
    if not LANG_TAG.match(lang):
        raise Invalid(f"lang must be a language tag such as en, fr or es-MX, not {lang!r}")
    return lang


def paper_size(paper: str) -> str:
    if paper not in PAPER_SIZES:
        raise Invalid(f"paper must be \"A4\" or \"Letter\", not {paper!r}")
    return paper


def one_line(contact: str) -> str:
    contact = contact.strip()
    # Line and paragraph separators, tabs and control characters print as boxes or not at all.
    if any(unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
           for character in contact) or len(contact) > MAX_CONTACT:
        raise Invalid(f"contact is one line of at most {MAX_CONTACT} characters on a "
                      "booklet's back cover: write it without line breaks, tabs or control "
                      'characters, e.g. contact = "secretariat@example.org · example.org"')
    return contact


def link_mode(link: str) -> str:
    if link not in GLOSSARY_LINK_MODES:
        raise Invalid(f'link in [glossary] must be "first", "all" or "none", not {link!r}')
    return link


def profile_names(profiles: list) -> list[str]:
    if not profiles or not all(isinstance(name, str) for name in profiles):
        raise Invalid('profiles in [build] must list profile names, such as '
                      '["standard", "large-print"]')
    return profiles


def logo_has_alt(written: Mapping[str, Any], good: Mapping[str, Any]) -> tuple[str, str] | None:
    """A logo needs its text alternative; a wrong logo_alt is told apart, as a wrong type."""
    if "logo" in good and "logo_alt" not in written:
        return "logo", ("a logo needs its text alternative: add logo_alt = \"…\" under it "
                        "(what the logo says, e.g. the conference's name), or "
                        "logo_alt = \"\" when the name is printed beside it")
    return None
