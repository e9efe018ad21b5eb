"""Load and validate handouts.toml, the conference settings."""

from __future__ import annotations

import datetime
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .limits import MAX_NESTING
from .load import LANG_TAG
from .suggest import did_you_mean
from .toml_places import TOML_TOKEN, key_lines

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


def _line_of_key(text: str, key: str, table: str | None = None) -> int | None:
    """The line of key in [table] (its first [[table]]), or of a top-level key or [key]."""
    lines = key_lines(text)
    if table is None:
        return lines.get(("", 0, key)) or lines.get((key, 0, None))
    return lines.get((table, 0, key))


def _check_table(path, text, table_name, table, schema) -> None:
    for key, value in table.items():
        line = _line_of_key(text, key, table_name)
        if key not in schema:
            raise ContentError(
                path, line,
                f"unknown key '{key}' in [{table_name}]{did_you_mean(key, list(schema))}; "
                f"known keys: {', '.join(schema)}")
        if not isinstance(value, schema[key]):
            raise ContentError(
                path, line,
                f"'{key}' in [{table_name}] must be a {schema[key].__name__}, "
                f"not {type(value).__name__}")


@dataclass
class _Place:
    """A key of handouts.toml as the scan found it: its line, name and section."""

    line: int
    key: str
    section: str
    digits: int = 0

    def name(self) -> str:
        key = self.key if len(self.key) <= 40 else self.key[:39] + "…"
        return f"'{key}' in {self.section}" if self.section else f"'{key}'"


def _scan(text: str) -> tuple[_Place | None, _Place | None]:
    """(where arrays and inline tables first nest deeper than MAX_NESTING, the first decimal
    integer too long for Python to read), each None when there is none.

    tomllib reads nested arrays by recursion, and 3,000 of them exhaust Python's stack:
    the brackets are counted here, without recursion, before tomllib reads the file.
    """
    too_deep = too_long = None
    limit = sys.get_int_max_str_digits()
    line, depth, section, key, key_line = 1, 0, "", [], 1
    in_value = in_header = False
    for match in TOML_TOKEN.finditer(text):
        token, kind = match[0], match.lastgroup
        if kind == "newline":
            line += 1
            if depth == 0:
                in_value = in_header = False
                key = []
            continue
        if kind == "comment" or kind is None and not token.strip():
            continue
        line += token.count("\n")  # a multi-line string
        if in_header:
            section += token
            continue
        if not in_value:
            if token == "[" and not key:  # [section] or [[section]]
                in_header, section = True, token
            elif token == "=":
                in_value, key_line = True, line
            else:
                key.append(token)
            continue
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING and too_deep is None:
                too_deep = _Place(key_line, "".join(key).strip("\"'"), section)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
        elif kind == "word" and too_long is None and limit:
            number = token.lstrip("+-")
            if re.fullmatch(r"[0-9_]+", number) and not (len(number) > 1 and number[0] == "0"):
                digits = sum(character.isdigit() for character in number)
                if digits > limit:
                    too_long = _Place(key_line, "".join(key).strip("\"'"), section, digits)
    return too_deep, too_long


def _depth(value) -> int:
    """How deep arrays and tables nest in a value that tomllib read (1 for [1, 2])."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, (dict, list)):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in
                         (current.values() if isinstance(current, dict) else current))
    return deepest


def _parse(path: Path, text: str) -> dict:
    """tomllib's reading of the text; whatever it cannot read, a message naming the file."""
    too_deep, too_long = _scan(text)
    if too_deep is not None:
        raise ContentError(path, too_deep.line, f"{too_deep.name()} holds arrays or tables "
                           f"nested more than {MAX_NESTING} deep, the most Handouts reads: "
                           "flatten them")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ContentError(path, int(match[1]) if match else None,
                           f"not valid TOML: {error}") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        if too_long is not None:
            raise ContentError(path, too_long.line, f"{too_long.name()} holds a number too "
                               f"long to read ({too_long.digits:,} digits): put the text in "
                               "quotes") from None
        raise ContentError(path, None, f"not valid TOML: {error}") from None
    except RecursionError:
        raise ContentError(path, None, "arrays or tables are nested too deeply to read (more "
                           f"than {MAX_NESTING} deep): flatten them") from None
    except MemoryError:
        raise ContentError(path, None, "the file is too large to read: shorten it") from None
    # Dotted keys and [a.b.c] headers nest tables too, without brackets.
    for name, section in data.items():
        if isinstance(section, list) and section and all(isinstance(t, dict) for t in section):
            entries = [(f"[[{name}]]", key, value) for table in section
                       for key, value in table.items()]
        elif isinstance(section, dict):
            entries = [(f"[{name}]", key, value) for key, value in section.items()]
        else:
            entries = [("", name, section)]
        for section_name, key, value in entries:
            if _depth(value) > MAX_NESTING:
                where = _Place(_line_of_key(text, key, section_name.strip("[]") or None), key,
                               section_name)
                raise ContentError(path, where.line, f"{where.name()} holds arrays or tables "
                                   f"nested more than {MAX_NESTING} deep, the most Handouts "
                                   "reads: flatten them")
    return data


def load_config(root: Path) -> Config:
    """Read ``root/handouts.toml``; without it, the defaults apply."""
    path = root / "handouts.toml"
    if not path.is_file():
        return Config()
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    data = _parse(path, text)
    for name in data:
        if name not in TABLES:
            raise ContentError(path, _line_of_key(text, name),
                               f"unknown section [{name}]{did_you_mean(name, list(TABLES))}; "
                               "known sections: [conference], [[packet]], [content_notes], "
                               "[glossary], [sources], [build]")
    conference = data.get("conference", {})
    if not isinstance(conference, dict):
        raise ContentError(path, _line_of_key(text, "conference"),
                           "conference must be a section: write [conference] on its own line, "
                           "then its keys")
    _check_table(path, text, "conference", conference, CONFERENCE_KEYS)
    if "logo" in conference and "logo_alt" not in conference:
        raise ContentError(path, _line_of_key(text, "logo", "conference"),
                           "a logo needs its text alternative: add logo_alt = \"…\" under it "
                           "(what the logo says, e.g. the conference's name), or "
                           "logo_alt = \"\" when the name is printed beside it")
    lang = conference.get("lang", "en")
    if not LANG_TAG.match(lang):
        raise ContentError(path, _line_of_key(text, "lang", "conference"),
                           f"lang must be a language tag such as en, fr or es-MX, not {lang!r}")
    paper = conference.get("paper", "A4")
    if paper not in PAPER_SIZES:
        raise ContentError(path, _line_of_key(text, "paper", "conference"),
                           f"paper must be \"A4\" or \"Letter\", not {paper!r}")
    contact = conference.get("contact", "").strip()
    if "\n" in contact or "\r" in contact:
        raise ContentError(path, _line_of_key(text, "contact", "conference"),
                           "contact is one line on a booklet's back cover: write it without "
                           'line breaks, e.g. contact = "secretariat@example.org · '
                           'example.org"')
    packets = []
    raw_packets = data.get("packet", [])
    if not isinstance(raw_packets, list) or not all(isinstance(p, dict) for p in raw_packets):
        raise ContentError(path, _line_of_key(text, "packet"),
                           "each packet is a [[packet]] section (two brackets), with slug, "
                           "title and handouts")
    packet_lines = _section_lines(text, "packet")
    for number, packet in enumerate(raw_packets):
        packets.append(_load_packet(path, text, packet, packet_lines[number]
                                    if number < len(packet_lines) else None, packets))
    sections = {}
    for name, schema in (("content_notes", CONTENT_NOTES_KEYS), ("glossary", GLOSSARY_KEYS),
                         ("sources", SOURCES_KEYS), ("build", BUILD_KEYS)):
        sections[name] = data.get(name, {})
        if not isinstance(sections[name], dict):
            raise ContentError(path, _line_of_key(text, name),
                               f"{name} must be a section: write [{name}] on its own line")
        _check_table(path, text, name, sections[name], schema)
    link = sections["glossary"].get("link", "first")
    if link not in GLOSSARY_LINK_MODES:
        raise ContentError(path, _line_of_key(text, "link", "glossary"),
                           f'link in [glossary] must be "first", "all" or "none", not {link!r}')
    profiles = sections["build"].get("profiles")
    profiles_line = _line_of_key(text, "profiles", "build")
    if profiles is not None and (not profiles
                                 or not all(isinstance(name, str) for name in profiles)):
        raise ContentError(path, profiles_line,
                           'profiles in [build] must list profile names, such as '
                           '["standard", "large-print"]')
    return Config(path=path, name=conference.get("name", "Handouts"),
                  short_name=conference.get("short_name", ""),
                  logo=conference.get("logo"), logo_alt=conference.get("logo_alt", ""),
                  logo_line=_line_of_key(text, "logo", "conference"), contact=contact,
                  lang=lang, paper=paper, packets=packets,
                  collapse_noted_sections=sections["content_notes"].get("collapse", False),
                  glossary_sort=sections["glossary"].get("sort", True), glossary_link=link,
                  source_qr_codes=sections["sources"].get("qr", False),
                  profiles=profiles, profiles_line=profiles_line)


def _section_lines(text: str, name: str) -> list[int]:
    """The line of each [[name]] header, in order."""
    return [text.count("\n", 0, match.start()) + 1 for match in
            re.finditer(rf"^[ \t]*\[\[[ \t]*{name}[ \t]*\]\]", text, re.MULTILINE)]


def _line_after(text: str, start: int | None, pattern: str) -> int | None:
    """The first line from ``start`` on that matches ``pattern``."""
    lines = text.split("\n")
    for number in range(max((start or 1) - 1, 0), len(lines)):
        if re.search(pattern, lines[number]):
            return number + 1
    return start


def _string_lines(text: str, start: int | None, value: str) -> list[int]:
    """The lines, from ``start`` on, where the TOML string ``value`` is written."""
    offset = sum(len(line) + 1 for line in text.split("\n")[:max((start or 1) - 1, 0)])
    pattern = re.compile(rf"([\"']){re.escape(value)}\1")
    return [text.count("\n", 0, match.start()) + 1 for match in pattern.finditer(text, offset)]


def _load_packet(path: Path, text: str, packet: dict, line: int | None,
                 earlier: list[Packet]) -> Packet:
    from .load import SLUG

    for key, value in packet.items():
        key_line = _line_after(text, line, rf"^\s*{re.escape(key)}\s*=")
        if key not in PACKET_KEYS:
            raise ContentError(path, key_line, f"unknown key '{key}' in [[packet]]"
                               f"{did_you_mean(key, list(PACKET_KEYS))}; known keys: "
                               f"{', '.join(PACKET_KEYS)}")
        if not isinstance(value, PACKET_KEYS[key]) or (
                key == "date" and isinstance(value, datetime.datetime)):
            kind = "date such as 2027-03-14" if key == "date" else PACKET_KEYS[key].__name__
            raise ContentError(path, key_line, f"'{key}' in [[packet]] must be a {kind}, "
                               f"not {type(value).__name__}")
    missing = [key for key in ("slug", "title", "handouts") if key not in packet]
    if missing:
        raise ContentError(path, line, f"a [[packet]] needs {', '.join(missing)}")
    slug = packet["slug"]
    slug_line = _line_after(text, line, r"^\s*slug\s*=")
    if not SLUG.match(slug):
        raise ContentError(path, slug_line, f"the packet slug {slug!r} can hold only letters, "
                           "digits, '-' and '_' (it names dist/<slug>.pdf), e.g. "
                           f"{re.sub(r'[^A-Za-z0-9_-]+', '-', slug).strip('-_').lower() or 'packet'!r}")
    if any(other.slug == slug for other in earlier):
        raise ContentError(path, slug_line, f"two packets have the slug '{slug}': give each "
                           "packet its own slug")
    handouts_line = _line_after(text, line, r"^\s*handouts\s*=")
    if not packet["handouts"]:
        raise ContentError(path, handouts_line, f"the packet '{slug}' has no handouts: list "
                           'their slugs, e.g. handouts = ["welcome", "rules-of-procedure"]')
    handout_lines: dict[str, int | None] = {}
    for entry in packet["handouts"]:
        entry_line = handouts_line
        if isinstance(entry, str):
            seen = sum(1 for earlier_entry in handout_lines if earlier_entry == entry)
            written = _string_lines(text, handouts_line, entry)
            entry_line = written[min(seen, len(written) - 1)] if written else handouts_line
        if not isinstance(entry, str) or not SLUG.match(entry):
            raise ContentError(path, entry_line, f"the packet '{slug}' lists {entry!r}, which "
                               "is not a handout's slug: write the name of a file in content/ "
                               "without '.md', e.g. \"welcome\" for content/welcome.md")
        if entry in handout_lines:
            raise ContentError(path, entry_line, f"the packet '{slug}' lists '{entry}' twice: "
                               "a handout is printed once per packet")
        handout_lines[entry] = entry_line
    return Packet(slug=slug, title=packet["title"], handouts=list(packet["handouts"]),
                  booklet=packet.get("booklet", False), date=packet.get("date"), line=line,
                  handout_lines=handout_lines)
