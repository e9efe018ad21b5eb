"""Load handouts.toml, the conference settings: each option declared once, as a field of
Config or Packet; every problem in one round."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config_options import (
    Option,
    SettingsFile,
    Table,
    language_tag,
    link_mode,
    logo_has_alt,
    one_line,
    option,
    options_of,
    paper_size,
    profile_names,
)
from .errors import ContentError
from .suggest import did_you_mean
from .toml_places import read_toml

# The sections in the order they are read; the options of each are Config's and Packet's
# fields declared with option(). A new setting is one such field, and its line in the
# example of docs/settings.md (tests/test_config_options.py holds the two to the same keys).
TABLES = (
    Table("conference", rules=(logo_has_alt,),
          not_a_table="conference must be a section: write [conference] on its own line, "
                      "then its keys"),
    Table("packet", many=True,
          not_a_table="each packet is a [[packet]] section (two brackets), with slug, "
                      "title and handouts"),
    Table("content_notes"),
    Table("glossary"),
    Table("sources"),
    Table("build"),
)


@dataclass
class Packet:
    """One [[packet]]: several handouts printed as one PDF."""

    slug: str = field(metadata=option("packet", "slug", str, required=True))
    title: str = field(metadata=option("packet", "title", str, required=True))
    handouts: list[str] = field(metadata=option("packet", "handouts", list, required=True))
    booklet: bool = field(default=False, metadata=option("packet", "booklet", bool))
    date: datetime.date | None = field(default=None,
                                       metadata=option("packet", "date", datetime.date))
    line: int | None = None
    handout_lines: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Config:
    """The conference settings; every field has a default so the file is optional."""

    path: Path | None = None
    name: str = field(default="Handouts", metadata=option("conference", "name", str))
    short_name: str = field(default="", metadata=option("conference", "short_name", str))
    lang: str = field(default="en", metadata=option("conference", "lang", str, language_tag))
    paper: str = field(default="A4", metadata=option("conference", "paper", str, paper_size))
    # relative to content/, like a handout's images
    logo: str | None = field(default=None, metadata=option("conference", "logo", str,
                                                           keep_line="logo_line"))
    logo_alt: str = field(default="", metadata=option("conference", "logo_alt", str))
    logo_line: int | None = None
    # one line on a booklet's back cover: how to reach the organisers
    contact: str = field(default="", metadata=option("conference", "contact", str, one_line))
    packets: list[Packet] = field(default_factory=list)
    collapse_noted_sections: bool = field(default=False,
                                          metadata=option("content_notes", "collapse", bool))
    glossary_sort: bool = field(default=True, metadata=option("glossary", "sort", bool))
    glossary_link: str = field(default="first",
                               metadata=option("glossary", "link", str, link_mode))
    source_qr_codes: bool = field(default=False, metadata=option("sources", "qr", bool))
    # None: every available print profile
    profiles: list[str] | None = field(default=None, metadata=option(
        "build", "profiles", list, profile_names, keep_line="profiles_line"))
    profiles_line: int | None = None


OPTIONS = options_of(Config, Packet)


def options_in(table: str) -> list[Option]:
    """The options of one table, in the order their fields are declared."""
    return [each for _, each in OPTIONS if each.table == table]


def _fill(cls: type, table_values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """cls's fields that handouts.toml set: {field name: value}, by each field's option."""
    return {name: table_values[each.table][each.key] for name, each in options_of(cls)
            if each.key in table_values.get(each.table, {})}


def load_config(root: Path, problems: list[ContentError] | None = None) -> Config:
    """Read ``root/handouts.toml``; without it, the defaults apply.

    Every problem in the file is found in one reading. Given a list, they are added to it
    and each bad value is left at its default (a broken packet is left out), so that the
    build can go on to find the handouts' own errors; without one, the first is raised. A
    file that cannot be read as TOML at all is one error, always raised.
    """
    path = root / "handouts.toml"
    if not path.is_file():
        return Config()
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    settings = SettingsFile(path, text)
    config = _read(settings, read_toml(path, text))
    if settings.problems and problems is None:
        raise settings.problems[0]
    if problems is not None:
        problems += settings.problems
    return config


def _read(settings: SettingsFile, data: dict) -> Config:
    names = [table.name for table in TABLES]
    for name in data:
        if name not in names:
            settings.problem(settings.line(name),
                             f"unknown section [{name}]{did_you_mean(name, names)}; "
                             "known sections: "
                             f"{', '.join(table.shown for table in TABLES)}")
    values: dict[str, dict[str, Any]] = {}
    packets: list[Packet] = []
    for table in TABLES:
        written = data.get(table.name, [] if table.many else {})
        if not table.holds(written):
            settings.problem(settings.line(table.name), table.misuse)
            written = [] if table.many else {}
        if table.many:  # [[packet]]: each one whole, or left out
            for number, packet in enumerate(written):
                loaded = _load_packet(settings, table, packet, number, packets)
                if loaded is not None:  # a broken packet is left out: its checks would mislead
                    packets.append(loaded)
        else:
            values[table.name] = settings.read_table(table, options_in(table.name), written)
    lines: dict[str, Any] = {each.keep_line: settings.line(each.key, each.table) for _, each in OPTIONS
             if each.keep_line}
    return Config(path=settings.path, packets=packets, **_fill(Config, values), **lines)


def _string_lines(text: str, start: int | None, value: str) -> list[int]:
    """The lines, from ``start`` on, where the TOML string ``value`` is written."""
    offset = sum(len(line) + 1 for line in text.split("\n")[:max((start or 1) - 1, 0)])
    pattern = re.compile(rf"([\"']){re.escape(value)}\1")
    return [text.count("\n", 0, match.start()) + 1 for match in pattern.finditer(text, offset)]


def _load_packet(settings: SettingsFile, table: Table, packet: dict, number: int,
                 earlier: list[Packet]) -> Packet | None:
    """The number-th [[packet]], or None when it has problems (each one reported)."""
    from .prepare.load import SLUG

    found = len(settings.problems)
    line = settings.line(None, table.name, number) or settings.line(table.name)
    good = settings.read_table(table, options_in(table.name), packet, number, line)
    slug = good.get("slug")
    if slug is not None:
        slug_line = settings.line("slug", "packet", number) or line
        if not SLUG.match(slug):
            example = re.sub(r"[^A-Za-z0-9_-]+", "-", slug).strip("-_").lower() or "packet"
            settings.problem(slug_line, f"the packet slug {slug!r} can hold only letters, "
                             "digits, '-' and '_' (it names dist/<slug>.pdf), e.g. "
                             f"{example!r}")
        elif any(other.slug == slug for other in earlier):
            settings.problem(slug_line, f"two packets have the slug '{slug}': give each "
                             "packet its own slug")
    handout_lines: dict[str, int | None] = {}
    if "handouts" in good and slug is not None:  # the messages name the packet by its slug
        handout_lines = _handout_lines(settings, good["handouts"], number, slug, line)
    if len(settings.problems) > found:
        return None
    return Packet(**_fill(Packet, {table.name: good}), line=line, handout_lines=handout_lines)


def _handout_lines(settings: SettingsFile, handouts: list, number: int, slug: str,
                   line: int | None) -> dict[str, int | None]:
    """Where the packet lists each handout; a problem for each entry that is not a slug,
    or is listed twice."""
    from .prepare.load import SLUG

    handouts_line = settings.line("handouts", "packet", number) or line
    if not handouts:
        settings.problem(handouts_line, f"the packet '{slug}' has no handouts: list "
                         'their slugs, e.g. handouts = ["welcome", "rules-of-procedure"]')
    handout_lines: dict[str, int | None] = {}
    seen: dict[str, int] = {}
    for entry in handouts:
        entry_line = handouts_line
        if isinstance(entry, str):
            written = _string_lines(settings.text, handouts_line, entry)
            entry_line = written[min(seen.get(entry, 0), len(written) - 1)] if written \
                else handouts_line
            seen[entry] = seen.get(entry, 0) + 1
        if not isinstance(entry, str) or not SLUG.match(entry):
            settings.problem(entry_line, f"the packet '{slug}' lists {entry!r}, which is not "
                             "a handout's slug: write the name of a file in content/ without "
                             "'.md', e.g. \"welcome\" for content/welcome.md")
        elif entry in handout_lines:
            settings.problem(entry_line, f"the packet '{slug}' lists '{entry}' twice: a "
                             "handout is printed once per packet")
        else:
            handout_lines[entry] = entry_line
    return handout_lines
