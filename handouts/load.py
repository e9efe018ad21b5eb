"""Load a handout: read the file, split and validate its YAML front matter."""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError
from .limits import MAX_NESTING
from .suggest import did_you_mean

FRONT_MATTER_KEYS = (
    "title", "subtitle", "committee", "topic", "authors", "date", "lang", "summary",
    "content_notes", "status")
STATUSES = ("draft", "final")
# BCP 47, loosely: a primary language subtag and optional subtags.
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class Author:
    name: str
    role: str = ""


@dataclass
class FrontMatter:
    title: str
    subtitle: str = ""
    committee: str = ""
    topic: str = ""
    authors: list[Author] = field(default_factory=list)
    date: datetime.date | None = None
    lang: str = "en"
    summary: str = ""
    content_notes: list[str] = field(default_factory=list)
    status: str = "final"


@dataclass
class Source:
    """A handout file as written: its metadata and its Markdown body."""

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


def _type_error(path, line, key, expected) -> ContentError:
    return ContentError(path, line, f"'{key}' must be {expected}")


class _NestedTooDeeply(Exception):
    def __init__(self, key_node, mark):
        super().__init__()
        self.key_node, self.mark = key_node, mark


class _FrontMatterLoader(yaml.SafeLoader):
    """A SafeLoader that refuses lists and mappings nested deeper than MAX_NESTING.

    PyYAML composes a node by calling itself for each level: 3,000 brackets would exhaust
    Python's stack, so the depth is counted, and refused, before that.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0
        self.top_key = None   # the top-level key whose value is being composed
        self.top_mark = None  # where that key (or the top-level node) starts

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth == 2:
                self.top_key = index if isinstance(index, yaml.ScalarNode) else None
                self.top_mark = (index.start_mark if self.top_key is not None
                                 else self.peek_event().start_mark)
            # The top-level mapping is depth 1: a list at depth d is nested d - 1 deep.
            if self.depth > MAX_NESTING + 1 and self.check_event(
                    yaml.SequenceStartEvent, yaml.MappingStartEvent):
                raise _NestedTooDeeply(self.top_key, self.top_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _yaml_error(path: Path, error: yaml.YAMLError) -> ContentError:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 2 if mark else 1
    problem = getattr(error, "problem", None) or str(error)
    hint = ("; a value that contains ': ' must be in quotes, e.g. title: \"Welcome: a "
            "guide\"" if "mapping values are not allowed" in problem else "")
    if "'\\t'" in problem:
        hint = "; indent with spaces, not tabs"
    context_mark = getattr(error, "context_mark", None)
    if "quoted scalar" in (getattr(error, "context", None) or "") and context_mark:
        # The parser stops where the file ends; the author needs the line of the quote.
        line = context_mark.line + 2
        hint = "; the quote that opens this value is never closed: close it on this line"
    return ContentError(path, line, f"the front matter is not valid YAML: {problem}{hint}")


def _key_name(key_node) -> str:
    if not isinstance(key_node, yaml.ScalarNode):
        return "…"
    return key_node.value if len(key_node.value) <= 40 else key_node.value[:39] + "…"


def _too_deep(path: Path, key_node, line: int) -> ContentError:
    what = f"'{_key_name(key_node)}'" if key_node is not None else "the front matter"
    return ContentError(path, line, f"{what} holds lists or mappings nested more than "
                        f"{MAX_NESTING} deep, the most Handouts reads: flatten them, or put "
                        "the text in quotes")


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _nesting(node) -> float:
    """How deep lists and mappings nest in node, aliases followed; infinite if it holds itself."""
    depths: dict[int, int] = {}
    started: set[int] = set()
    stack = [(node, False)]
    while stack:
        current, finished = stack.pop()
        if finished:
            depths[id(current)] = 1 + max((depths[id(child)] for child in _children(current)),
                                          default=0)
            continue
        if id(current) in depths:
            continue
        if id(current) in started:  # an alias inside its own anchor
            return float("inf")
        if isinstance(current, yaml.ScalarNode):
            depths[id(current)] = 0
            continue
        started.add(id(current))
        stack.append((current, True))
        stack.extend((child, False) for child in _children(current))
    return depths[id(node)]


def _scalars(node):
    """Every scalar node below node, once each, aliases followed."""
    seen, stack = set(), [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current
        stack.extend(_children(current))


def _long_integer(node) -> int | None:
    """The digits of the longest decimal integer below node, if Python refuses to read it."""
    limit = sys.get_int_max_str_digits()
    longest = 0
    for scalar in _scalars(node):
        value = scalar.value.lstrip("+-")
        if scalar.tag != "tag:yaml.org,2002:int" or (value.startswith("0") and ":" not in value):
            continue  # binary, octal and hexadecimal numbers have no limit
        longest = max([longest] + [sum(c.isdigit() for c in part) for part in value.split(":")])
    return longest if limit and longest > limit else None


def _construct(loader, path: Path, node, key: str, line: int):
    """The Python value of one top-level value, its errors told against its key."""
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise _yaml_error(path, error) from None
    except (ValueError, OverflowError) as error:
        digits = _long_integer(node)
        if digits is not None:
            raise ContentError(path, line, f"'{key}' holds a number too long to read "
                               f"({digits:,} digits): put the text in quotes") from None
        if key == "date":  # PyYAML builds dates itself: 2027-02-30 fails here
            raise ContentError(path, line, f"'date' is not a real date ({error}): write an "
                               "ISO date such as 2027-01-15") from None
        date = next((scalar.value for scalar in _scalars(node)
                     if scalar.tag == "tag:yaml.org,2002:timestamp"), None)
        if date is not None:
            raise ContentError(path, line, f"'{key}' holds {date}, which YAML reads as a date "
                               f"that does not exist ({error}): put the text in quotes") from None
        raise ContentError(path, line, f"'{key}' cannot be read ({error}): put the text in "
                           "quotes") from None
    except (RecursionError, MemoryError):
        raise ContentError(path, line, f"'{key}' is too large or too deeply nested to read: "
                           "shorten it") from None


def _front_matter_data(path: Path, yaml_text: str) -> tuple[dict, dict]:
    """({key: value}, {key: line}) of the front matter's top-level mapping.

    Each top-level value is built apart, so that an error names its key and line.
    The YAML starts on line 2 of the file, after the opening '---'.
    """
    loader = _FrontMatterLoader(yaml_text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as error:
            raise _yaml_error(path, error) from None
        except _NestedTooDeeply as error:
            raise _too_deep(path, error.key_node, error.mark.line + 2) from None
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
            if max(_nesting(key_node), _nesting(value_node)) > MAX_NESTING:  # via aliases
                raise _too_deep(path, key_node, line)
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in lines:
                raise ContentError(path, line, f"'{key_node.value}' is given twice: keep one")
            lines[key_node.value] = line
        try:
            loader.flatten_mapping(root)  # '<<: *defaults' merges another mapping's keys
        except yaml.YAMLError as error:
            raise _yaml_error(path, error) from None
        data = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 2
            name = _key_name(key_node)
            try:
                key = loader.construct_document(key_node)
                hash(key)
            except (yaml.YAMLError, ValueError, OverflowError, TypeError, RecursionError,
                    MemoryError):
                key = None  # a list, or a number too long: no key Handouts knows
            if key is None or key not in FRONT_MATTER_KEYS:
                raise ContentError(
                    path, line, f"unknown front matter key '{name if key is None else key}'"
                    f"{did_you_mean(name, list(FRONT_MATTER_KEYS))}; "
                    f"known keys: {', '.join(FRONT_MATTER_KEYS)}")
            data[key] = _construct(loader, path, value_node, name, line)
        return data, lines
    finally:
        loader.dispose()


def parse_front_matter(path: Path, yaml_text: str, default_lang: str) -> FrontMatter:
    """Validate the YAML against the authoring contract's keys and types."""
    data, lines = _front_matter_data(path, yaml_text)
    if "title" not in data:
        raise ContentError(path, 1, "the front matter has no 'title': add 'title: …'")

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

    authors = []
    raw_authors = data.get("authors") or []
    if not isinstance(raw_authors, list):
        raise _type_error(path, lines.get("authors"), "authors", "a list of names or of {name, role}")
    for author in raw_authors:
        if isinstance(author, str) and author.strip():
            authors.append(Author(author.strip()))
        elif (isinstance(author, dict) and set(author) <= {"name", "role"}
              and isinstance(author.get("name"), str)
              and isinstance(author.get("role", ""), str)):
            authors.append(Author(author["name"].strip(), author.get("role", "").strip()))
        else:
            raise _type_error(path, lines.get("authors"), "authors",
                              "a list of names or of {name, role}")

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

    lang = text("lang") or default_lang
    if not LANG_TAG.match(lang):
        raise _type_error(path, lines.get("lang"), "lang", "a language tag such as en, fr or es-MX")
    status = text("status") or "final"
    if status not in STATUSES:
        raise _type_error(path, lines.get("status"), "status", "draft or final")

    return FrontMatter(
        title=text("title", required=True), subtitle=text("subtitle"),
        committee=text("committee"), topic=text("topic"), authors=authors, date=date,
        lang=lang, summary=text("summary"), content_notes=text_list("content_notes"),
        status=status)


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


def load_source(path: Path, default_lang: str = "en") -> Source:
    """Read one handout file into a Source."""
    check_slug(path)
    try:
        text = read_text(path)
    except OSError as error:
        raise ContentError(path, None, f"cannot read the file: {error.strerror}") from None
    if not text.strip():
        raise ContentError(path, 1, "the file is empty: a handout needs front matter with "
                           "a title, then its Markdown text")
    yaml_text, body, body_line = split_front_matter(path, text)
    meta = parse_front_matter(path, yaml_text, default_lang)
    return Source(slug=path.stem, path=path, meta=meta, body=body, body_line=body_line)
