"""Load a handout: read the file, split and validate its YAML front matter."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ContentError
from ..limits import MAX_NESTING
from ..suggest import did_you_mean
from .front_matter_yaml import (
    FrontMatterLoader,
    NestedTooDeeply,
    construct_value,
    key_name,
    nesting,
    too_deep,
    yaml_error,
)

FRONT_MATTER_KEYS = (
    "title", "subtitle", "committee", "topic", "authors", "date", "lang", "summary",
    "content_notes", "status")
STATUSES = ("draft", "final")
# BCP 47, loosely: a primary language subtag and optional subtags.
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Author:
    name: str
    role: str = ""


@dataclass(frozen=True)
class FrontMatter:
    title: str
    subtitle: str = ""
    committee: str = ""
    topic: str = ""
    authors: tuple[Author, ...] = ()
    date: datetime.date | None = None
    lang: str = "en"
    summary: str = ""
    content_notes: tuple[str, ...] = ()
    status: str = "final"


@dataclass(frozen=True)
class Source:
    """A handout file as written: its metadata and its Markdown body (never edited: frozen)."""

    slug: str
    path: Path
    meta: FrontMatter
    body: str
    body_line: int  # line number in the file of the body's first line


def read_text(path: Path) -> str:
    """The file's text, UTF-8 with or without BOM, line endings normalised."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ContentError(path, None, "this is a binary file, not a Markdown handout; "
                           "move it to content/assets/ if it is an asset")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ContentError(path, line, "the file is not valid UTF-8; save it as UTF-8 "
                           "in your editor") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "the handout must start with front matter: a line "
                           "'---', then at least 'title: …', then a line '---'")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ContentError(path, 1, "the front matter is never closed: add a line '---' "
                       "after its last key")


def _front_matter_data(path: Path, yaml_text: str,
                       problems: list[ContentError]) -> tuple[dict, dict]:
    """({key: value}, {key: line}) of the front matter's top-level mapping.

    Each top-level value is built apart, so that an error names its key and line; a key
    that cannot be read is added to problems and left out, the others are read. A file
    that is not YAML at all raises. The YAML starts on line 2, after the opening '---'.
    """
    loader = FrontMatterLoader(yaml_text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as error:
            raise yaml_error(path, error) from None
        except NestedTooDeeply as error:
            raise too_deep(path, error.key_node, error.mark.line + 2) from None
        except (RecursionError, MemoryError):
            raise ContentError(path, 2, "the front matter is too large or too deeply nested "
                               "to read: shorten it") from None
        if root is None:
            raise ContentError(path, 2, "the front matter is empty: add 'title: …'")
        if not isinstance(root, yaml.MappingNode):
            raise ContentError(path, 2, "the front matter must be 'key: value' lines")
        lines = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 2
            if max(nesting(key_node), nesting(value_node)) > MAX_NESTING:  # via aliases
                raise too_deep(path, key_node, line)
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in lines:
                problems.append(ContentError(path, line,
                                             f"'{key_node.value}' is given twice: keep one"))
                continue
            lines[key_node.value] = line
            if isinstance(value_node, yaml.SequenceNode):  # "authors[1]", "authors[1].role"
                for index, item in enumerate(value_node.value):
                    lines[f"{key_node.value}[{index}]"] = item.start_mark.line + 2
                    for item_key, _ in item.value if isinstance(item, yaml.MappingNode) else ():
                        if isinstance(item_key, yaml.ScalarNode):
                            lines[f"{key_node.value}[{index}].{item_key.value}"] = \
                                item_key.start_mark.line + 2
        try:
            loader.flatten_mapping(root)  # '<<: *defaults' merges another mapping's keys
        except yaml.YAMLError as error:
            raise yaml_error(path, error) from None
        data = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 2
            name = key_name(key_node)
            try:
                key = loader.construct_document(key_node)
                hash(key)
            except (yaml.YAMLError, ValueError, OverflowError, TypeError, RecursionError,
                    MemoryError):
                key = None  # a list, or a number too long: no key Handouts knows
            if key is None or key not in FRONT_MATTER_KEYS:
                problems.append(ContentError(
                    path, line, f"unknown front matter key '{name if key is None else key}'"
                    f"{did_you_mean(name, list(FRONT_MATTER_KEYS))}; "
                    f"known keys: {', '.join(FRONT_MATTER_KEYS)}"))
                continue
            if key in data:
                continue  # given twice: told above
            try:
                data[key] = construct_value(loader, path, value_node, name, line)
            except ContentError as error:
                problems.append(error)
        return data, lines
    finally:
        loader.dispose()


def parse_front_matter(path: Path, yaml_text: str, default_lang: str,
                       problems: list[ContentError] | None = None) -> FrontMatter:
    """Validate the YAML against the authoring contract's keys and types.

    With problems, every problem is added to it and a value in error is left at its default
    (so that the body can still be checked); without, the first problem is raised.
    """
    found: list[ContentError] = []
    try:
        meta = _front_matter(path, yaml_text, default_lang, found)
    except ContentError as error:  # not YAML, or not a mapping: nothing can be read
        found.append(error)
        meta = FrontMatter(title=path.stem, lang=default_lang)
    if problems is None and found:
        raise min(found, key=lambda error: error.line or 0)
    if problems is not None:
        problems += found
    return meta


def _front_matter(path: Path, yaml_text: str, default_lang: str,
                  problems: list[ContentError]) -> FrontMatter:
    data, lines = _front_matter_data(path, yaml_text, problems)

    class _Invalid(Exception):
        """A value in error: told in problems, its default used."""

    def _type_error(path, line, key, expected) -> _Invalid:
        problems.append(ContentError(path, line, f"'{key}' must be {expected}"))
        return _Invalid()

    def checked(read, default):
        try:
            return read()
        except _Invalid:
            return default

    misspelt = any("did you mean 'title'" in problem.message for problem in problems)
    if "title" not in data and "title" not in lines and not misspelt:  # else told already
        problems.append(ContentError(path, 1, "the front matter has no 'title': add 'title: …'"))

    def text(key, required=False):
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise _type_error(path, lines.get(key), key, "a non-empty text" if required else "a text")
        return value.strip()

    def text_list(key):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise _type_error(path, lines.get(key), key, "a list of texts ('- …' lines)")
        return [v.strip() for v in value]

    authors = checked(lambda: _authors(path, data, lines, _type_error), [])
    date = checked(lambda: _date(path, data, lines, _type_error), None)
    lang = checked(lambda: text("lang"), "") or default_lang
    if not LANG_TAG.match(lang):
        _type_error(path, lines.get("lang"), "lang", "a language tag such as en, fr or es-MX")
        lang = default_lang
    status = checked(lambda: text("status"), "") or "final"
    if status not in STATUSES:
        _type_error(path, lines.get("status"), "status", "draft or final")
        status = "final"

    return FrontMatter(
        title=(checked(lambda: text("title", required=True), "") if "title" in data else "")
        or path.stem,
        subtitle=checked(lambda: text("subtitle"), ""),
        committee=checked(lambda: text("committee"), ""), topic=checked(lambda: text("topic"), ""),
        authors=tuple(authors), date=date, lang=lang, summary=checked(lambda: text("summary"), ""),
        content_notes=tuple(checked(lambda: text_list("content_notes"), [])), status=status)


def _authors(path, data, lines, _type_error) -> list[Author]:
    authors = []
    raw_authors = data.get("authors") or []
    if not isinstance(raw_authors, list):
        raise _type_error(path, lines.get("authors"), "authors", "a list of names or of {name, role}")
    for index, author in enumerate(raw_authors):
        line = lines.get(f"authors[{index}]", lines.get("authors"))
        if isinstance(author, str) and author.strip():
            authors.append(Author(author.strip()))
        elif (isinstance(author, dict) and set(author) <= {"name", "role"}
              and isinstance(author.get("name"), str)
              and isinstance(author.get("role", ""), str)):
            authors.append(Author(author["name"].strip(), author.get("role", "").strip()))
        elif isinstance(author, dict) and set(author) - {"name", "role"}:
            unknown = sorted(str(key) for key in set(author) - {"name", "role"})[0]
            raise _type_error(path, lines.get(f"authors[{index}].{unknown}", line), "authors",
                              f"a list of names or of {{name, role}}, and '{unknown}' is "
                              f"neither{did_you_mean(unknown, ['name', 'role'])}")
        else:
            raise _type_error(path, line, "authors", "a list of names or of {name, role}")
    return authors


def _date(path, data, lines, _type_error) -> datetime.date | None:
    date = data.get("date")
    if isinstance(date, datetime.datetime):
        date = date.date()
    elif isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date)
        except ValueError:
            date = False
    if date is False or not (date is None or isinstance(date, datetime.date)):
        raise _type_error(path, lines.get("date"), "date", "an ISO date such as 2027-01-15")
    return date


RESERVED_SLUGS = ("index", "review")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def check_slug(path: Path) -> None:
    """The file name becomes the page's name: it must make a plain, unclaimed URL."""
    slug = path.stem
    if slug.lower() in RESERVED_SLUGS:
        raise ContentError(path, None, f"the name '{slug}' is taken by Handouts' own "
                           f"{slug}.html: rename the file, e.g. to 'welcome.md'")
    if not SLUG.match(slug):
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", slug).strip("-_").lower() or "handout"
        raise ContentError(path, None, "a handout's file name becomes its web address: use "
                           f"letters, digits and '-' only, e.g. '{suggestion}.md'")


def slug_clashes(paths: list[Path]) -> list[ContentError]:
    """Names that differ only in capitals: one page on Windows and macOS file systems."""
    first: dict[str, Path] = {}
    clashes = []
    for path in paths:
        other = first.setdefault(path.stem.casefold(), path)
        if other is not path:
            clashes.append(ContentError(
                path, None, f"the name '{path.stem}' differs from {other.name} only in "
                f"capitals: on Windows and macOS both would be {path.stem.lower()}.html; "
                "rename one of them"))
    return clashes


def load_source(path: Path, default_lang: str = "en",
                problems: list[ContentError] | None = None) -> Source:
    """Read one handout file into a Source.

    With problems, the front matter's problems are added to it and the Source still made
    (values in error at their defaults), so that its body is checked in the same build.
    """
    check_slug(path)
    try:
        text = read_text(path)
    except OSError as error:
        raise ContentError(path, None, f"cannot read the file: {error.strerror}") from None
    if not text.strip():
        raise ContentError(path, 1, "the file is empty: a handout needs front matter with "
                           "a title, then its Markdown text")
    yaml_text, body, body_line = split_front_matter(path, text)
    meta = parse_front_matter(path, yaml_text, default_lang, problems)
    return Source(slug=path.stem, path=path, meta=meta, body=body, body_line=body_line)
