"""Load and validate handouts.toml, the conference settings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .load import LANG_TAG
from .suggest import did_you_mean

PAPER_SIZES = ("A4", "Letter")
CONFERENCE_KEYS = {"name": str, "short_name": str, "lang": str, "paper": str}
PACKET_KEYS = {"slug": str, "title": str, "handouts": list, "booklet": bool}
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
    line: int | None = None


@dataclass
class Config:
    """The conference settings; every field has a default so the file is optional."""

    path: Path | None = None
    name: str = "Handouts"
    short_name: str = ""
    lang: str = "en"
    paper: str = "A4"
    packets: list[Packet] = field(default_factory=list)
    collapse_noted_sections: bool = False
    glossary_sort: bool = True
    glossary_link: str = "first"
    source_qr_codes: bool = False
    profiles: list[str] | None = None  # None: every available print profile
    profiles_line: int | None = None


def _line_of_key(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[\[?\s*)?{re.escape(key)}\b", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _check_table(path, text, table_name, table, schema) -> None:
    for key, value in table.items():
        line = _line_of_key(text, key)
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


def load_config(root: Path) -> Config:
    """Read ``root/handouts.toml``; without it, the defaults apply."""
    path = root / "handouts.toml"
    if not path.is_file():
        return Config()
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ContentError(path, int(match[1]) if match else None,
                           f"not valid TOML: {error}") from None
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
    lang = conference.get("lang", "en")
    if not LANG_TAG.match(lang):
        raise ContentError(path, _line_of_key(text, "lang"),
                           f"lang must be a language tag such as en, fr or es-MX, not {lang!r}")
    paper = conference.get("paper", "A4")
    if paper not in PAPER_SIZES:
        raise ContentError(path, _line_of_key(text, "paper"),
                           f"paper must be \"A4\" or \"Letter\", not {paper!r}")
    packets = []
    raw_packets = data.get("packet", [])
    if not isinstance(raw_packets, list) or not all(isinstance(p, dict) for p in raw_packets):
        raise ContentError(path, _line_of_key(text, "packet"),
                           "each packet is a [[packet]] section (two brackets), with slug, "
                           "title and handouts")
    for packet in raw_packets:
        _check_table(path, text, "packet", packet, PACKET_KEYS)
        missing = [key for key in ("slug", "title", "handouts") if key not in packet]
        if missing:
            raise ContentError(path, _line_of_key(text, "[[packet"),
                               f"a [[packet]] needs {', '.join(missing)}")
        packets.append(Packet(**packet, line=_line_of_key(text, "[[packet")))
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
        raise ContentError(path, _line_of_key(text, "link"),
                           f'link in [glossary] must be "first", "all" or "none", not {link!r}')
    profiles = sections["build"].get("profiles")
    profiles_line = _line_of_key(text, "profiles")
    if profiles is not None and (not profiles
                                 or not all(isinstance(name, str) for name in profiles)):
        raise ContentError(path, profiles_line,
                           'profiles in [build] must list profile names, such as '
                           '["standard", "large-print"]')
    return Config(path=path, name=conference.get("name", "Handouts"),
                  short_name=conference.get("short_name", ""),
                  lang=lang, paper=paper, packets=packets,
                  collapse_noted_sections=sections["content_notes"].get("collapse", False),
                  glossary_sort=sections["glossary"].get("sort", True), glossary_link=link,
                  source_qr_codes=sections["sources"].get("qr", False),
                  profiles=profiles, profiles_line=profiles_line)
