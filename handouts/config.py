"""Load and validate handouts.toml, the conference settings; every problem in one round."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, InFileOrder
from .load import LANG_TAG
from .suggest import did_you_mean
from .toml_places import line_of_key, read_toml

PAPER_SIZES = ("A4", "Letter")
CONFERENCE_KEYS = {"name": str, "short_name": str, "lang": str, "paper": str, "logo": str,
                   "logo_alt": str, "contact": str}
PACKET_KEYS = {"slug": str, "title": str, "handouts": list, "booklet": bool,
               "date": datetime.date}
CONTENT_NOTES_KEYS = {"collapse": bool}
GLOSSARY_KEYS = {"sort": bool, "link": str}
SOURCES_KEYS = {"qr": bool}
BUILD_KEYS = {"profiles": list}
GLOSSARY_LINK_MODES = ("first", "all", "none")
TABLES = ("conference", "packet", "content_notes", "glossary", "sources", "build")
KIND_NAMES = {datetime.date: "date such as 2027-03-14"}


MAX_CONTACT = 200  # characters: one line on the back cover, in large print too

@dataclass
class Packet:
    slug: str
    title: str
    handouts: list[str]
    booklet: bool = False
    date: datetime.date | None = None
    line: int | None = None
    handout_lines: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Config:
    """The conference settings; every field has a default so the file is optional."""

    path: Path | None = None
    name: str = "Handouts"
    short_name: str = ""
    lang: str = "en"
    paper: str = "A4"
    logo: str | None = None  # relative to content/, like a handout's images
    logo_alt: str = ""
    logo_line: int | None = None
    contact: str = ""  # one line on a booklet's back cover: how to reach the organisers
    packets: list[Packet] = field(default_factory=list)
    collapse_noted_sections: bool = False
    glossary_sort: bool = True
    glossary_link: str = "first"
    source_qr_codes: bool = False
    profiles: list[str] | None = None  # None: every available print profile
    profiles_line: int | None = None


class _Settings:
    """One reading of handouts.toml: its text, and the problems found in it so far."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text
        self.problems: list[ContentError] = InFileOrder()

    def line(self, key: str | None, table: str | None = None, number: int = 0) -> int | None:
        return line_of_key(self.text, key, table, number)

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(ContentError(self.path, line, message))

    def table(self, name: str, table: dict, schema: dict, number: int = 0,
              shown: str | None = None, fallback: int | None = None) -> dict:
        """The keys of table that schema knows, with a value of the right type; each other
        key is a problem, at its line in this table (number counts [[name]]s)."""
        shown = shown or f"[{name}]"
        good = {}
        for key, value in table.items():
            # An inline table (conference = {…}) has no header: its keys are at its line.
            line = self.line(key, name, number) or fallback or self.line(name)
            if key not in schema:
                self.problem(line, f"unknown key '{key}' in {shown}"
                             f"{did_you_mean(key, list(schema))}; known keys: "
                             f"{', '.join(schema)}")
            elif not isinstance(value, schema[key]) or (
                    schema[key] is datetime.date and isinstance(value, datetime.datetime)):
                kind = KIND_NAMES.get(schema[key], schema[key].__name__)
                self.problem(line, f"'{key}' in {shown} must be a {kind}, "
                             f"not {type(value).__name__}")
            else:
                good[key] = value
        return good


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
    settings = _Settings(path, text)
    config = _read(settings, read_toml(path, text))
    if settings.problems and problems is None:
        raise settings.problems[0]
    if problems is not None:
        problems += settings.problems
    return config


def _read(settings: _Settings, data: dict) -> Config:
    for name in data:
        if name not in TABLES:
            settings.problem(settings.line(name),
                             f"unknown section [{name}]{did_you_mean(name, list(TABLES))}; "
                             "known sections: [conference], [[packet]], [content_notes], "
                             "[glossary], [sources], [build]")
    conference = data.get("conference", {})
    if not isinstance(conference, dict):
        settings.problem(settings.line("conference"),
                         "conference must be a section: write [conference] on its own line, "
                         "then its keys")
        conference = {}
    written, conference = conference, settings.table("conference", conference, CONFERENCE_KEYS)
    if "logo" in conference and "logo_alt" not in written:  # not a wrong logo_alt, told apart
        settings.problem(settings.line("logo", "conference"),
                         "a logo needs its text alternative: add logo_alt = \"…\" under it "
                         "(what the logo says, e.g. the conference's name), or "
                         "logo_alt = \"\" when the name is printed beside it")
    lang = conference.get("lang", "en")
    if not LANG_TAG.match(lang):
        settings.problem(settings.line("lang", "conference"),
                         f"lang must be a language tag such as en, fr or es-MX, not {lang!r}")
        lang = "en"
    paper = conference.get("paper", "A4")
    if paper not in PAPER_SIZES:
        settings.problem(settings.line("paper", "conference"),
                         f"paper must be \"A4\" or \"Letter\", not {paper!r}")
        paper = "A4"
    contact = conference.get("contact", "").strip()
    # Line and paragraph separators, tabs and control characters print as boxes or not at all.
    if any(unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
           for character in contact) or len(contact) > MAX_CONTACT:
        settings.problem(settings.line("contact", "conference"),
                         f"contact is one line of at most {MAX_CONTACT} characters on a "
                         "booklet's back cover: write it without line breaks, tabs or control "
                         'characters, e.g. contact = "secretariat@example.org · example.org"')
        contact = ""
    packets = []
    raw_packets = data.get("packet", [])
    if not isinstance(raw_packets, list) or not all(isinstance(p, dict) for p in raw_packets):
        settings.problem(settings.line("packet"),
                         "each packet is a [[packet]] section (two brackets), with slug, "
                         "title and handouts")
        raw_packets = []
    for number, packet in enumerate(raw_packets):
        loaded = _load_packet(settings, packet, number, packets)
        if loaded is not None:  # a broken packet is left out: its checks would mislead
            packets.append(loaded)
    sections = {}
    for name, schema in (("content_notes", CONTENT_NOTES_KEYS), ("glossary", GLOSSARY_KEYS),
                         ("sources", SOURCES_KEYS), ("build", BUILD_KEYS)):
        sections[name] = data.get(name, {})
        if not isinstance(sections[name], dict):
            settings.problem(settings.line(name),
                             f"{name} must be a section: write [{name}] on its own line")
            sections[name] = {}
        sections[name] = settings.table(name, sections[name], schema)
    link = sections["glossary"].get("link", "first")
    if link not in GLOSSARY_LINK_MODES:
        settings.problem(settings.line("link", "glossary"),
                         f'link in [glossary] must be "first", "all" or "none", not {link!r}')
        link = "first"
    profiles = sections["build"].get("profiles")
    profiles_line = settings.line("profiles", "build")
    if profiles is not None and (not profiles
                                 or not all(isinstance(name, str) for name in profiles)):
        settings.problem(profiles_line,
                         'profiles in [build] must list profile names, such as '
                         '["standard", "large-print"]')
        profiles = None
    return Config(path=settings.path, name=conference.get("name", "Handouts"),
                  short_name=conference.get("short_name", ""),
                  logo=conference.get("logo"), logo_alt=conference.get("logo_alt", ""),
                  logo_line=settings.line("logo", "conference"), contact=contact,
                  lang=lang, paper=paper, packets=packets,
                  collapse_noted_sections=sections["content_notes"].get("collapse", False),
                  glossary_sort=sections["glossary"].get("sort", True), glossary_link=link,
                  source_qr_codes=sections["sources"].get("qr", False),
                  profiles=profiles, profiles_line=profiles_line)


def _string_lines(text: str, start: int | None, value: str) -> list[int]:
    """The lines, from ``start`` on, where the TOML string ``value`` is written."""
    offset = sum(len(line) + 1 for line in text.split("\n")[:max((start or 1) - 1, 0)])
    pattern = re.compile(rf"([\"']){re.escape(value)}\1")
    return [text.count("\n", 0, match.start()) + 1 for match in pattern.finditer(text, offset)]


def _load_packet(settings: _Settings, packet: dict, number: int,
                 earlier: list[Packet]) -> Packet | None:
    """The number-th [[packet]], or None when it has problems (each one reported)."""
    from .load import SLUG

    found = len(settings.problems)
    line = settings.line(None, "packet", number) or settings.line("packet")
    good = settings.table("packet", packet, PACKET_KEYS, number, "[[packet]]", line)
    missing = [key for key in ("slug", "title", "handouts") if key not in packet]
    if missing:
        settings.problem(line, f"a [[packet]] needs {', '.join(missing)}")
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
    return Packet(slug=slug, title=good["title"], handouts=list(good["handouts"]),
                  booklet=good.get("booklet", False), date=good.get("date"), line=line,
                  handout_lines=handout_lines)


def _handout_lines(settings: _Settings, handouts: list, number: int, slug: str,
                   line: int | None) -> dict[str, int | None]:
    """Where the packet lists each handout; a problem for each entry that is not a slug,
    or is listed twice."""
    from .load import SLUG

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
