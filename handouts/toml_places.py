"""Reading handouts.toml safely, and where it writes each key (tomllib gives no lines)."""

from __future__ import annotations

import functools
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .limits import MAX_NESTING

# The pieces of TOML that matter to finding nesting and numbers: strings and comments are
# skipped whole, so that the brackets and digits inside them do not count.
TOML_TOKEN = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'
               |"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?)
  | (?P<comment>\#[^\n]*)
  | (?P<newline>\n)
  | (?P<punctuation>[\[\]{}=,])
  | (?P<word>[^\s"'\#\[\]{}=,]+)
  | [ \t\r]+
  | .''', re.VERBOSE | re.DOTALL)


@functools.lru_cache(maxsize=4)
def key_lines(text: str) -> dict[tuple[str, int, str | None], int]:
    """Where each key is written, as TOML reads the file: {(table, number, key): line}.

    number counts the [[table]]s of a name from 0; key None is the table's header line; a
    top-level key has the table ''. Strings and comments are skipped whole (TOML_TOKEN).
    """
    lines: dict[tuple[str, int, str | None], int] = {}
    counts: dict[str, int] = {}
    line, depth, table, number, header, header_line = 1, 0, "", 0, "", 1
    key: list[str] = []
    in_value = in_header = False

    def end_header():
        nonlocal table, number, in_header
        table = header.strip("[] \t").strip("\"'")
        number = counts.get(table, 0)
        counts[table] = number + 1
        lines.setdefault((table, number, None), header_line)
        in_header = False

    for match in TOML_TOKEN.finditer(text):
        token, kind = match[0], match.lastgroup
        if kind == "newline":
            line += 1
            if in_header:
                end_header()
            if depth == 0:
                in_value, key = False, []
            continue
        if kind == "comment" or kind is None and not token.strip():
            continue
        first_line, line = line, line + token.count("\n")
        if in_header:
            header += token
        elif not in_value:
            if token == "[" and not key:
                in_header, header, header_line = True, token, first_line
            elif token == "=":
                in_value = True
                name = "".join(key).strip().strip("\"'").split(".")[0].strip("\"'")
                lines.setdefault((table, number, name), first_line)
            else:
                key.append(token)
        elif token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    if in_header:
        end_header()
    return lines


def line_of_key(text: str, key: str | None, table: str | None = None,
                number: int = 0) -> int | None:
    """The line of key in [table] (its number-th [[table]]), or of a top-level key or [key];
    key None: the table's header line."""
    lines = key_lines(text)
    if table is None:
        return lines.get(("", 0, key)) or (lines.get((key, 0, None)) if key is not None
                                           else None)
    return lines.get((table, number, key))


@dataclass
class _Place:
    """A key of handouts.toml as the scan found it: its line, name and section."""

    line: int | None
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
    line, depth, section, key_line = 1, 0, "", 1
    key: list[str] = []
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


# What each of tomllib's messages most often means in a settings file an author edits.
TOML_HINTS = (
    ("Invalid value", "a text must be in double quotes (name = \"Model UN\"); true, false, "
                      "numbers and [lists] are written without"),
    ("Illegal character '\\n'", "a text's closing quote is missing: close it on the same line"),
    ("Expected newline or end of document", "one setting a line: a text's closing quote may "
                                            "be missing, or a text may hold an unescaped \""),
    ("Expected ']' at the end of a table", "close the table's name: [conference], "
                                           "[[packet]]"),
    ("Cannot declare", "this table or key is given twice: keep one"),
)


def toml_error(path: Path, error: tomllib.TOMLDecodeError) -> ContentError:
    """tomllib's message at its line, with what to do."""
    where = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
    problem = str(error)[:where.start()] if where else str(error)
    hint = next((hint for start, hint in TOML_HINTS if problem.startswith(start)),
                "see docs/settings.md for each setting's form")
    column = f" (column {where[2]})" if where else ""
    return ContentError(path, int(where[1]) if where else None,
                        f"not valid TOML: {problem}{column}; {hint}")


def read_toml(path: Path, text: str) -> dict:
    """tomllib's reading of the text; whatever it cannot read, a message naming the file."""
    too_deep, too_long = _scan(text)
    if too_deep is not None:
        raise ContentError(path, too_deep.line, f"{too_deep.name()} holds arrays or tables "
                           f"nested more than {MAX_NESTING} deep, the most Handouts reads: "
                           "flatten them")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise toml_error(path, error) from None
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
                where = _Place(line_of_key(text, key, section_name.strip("[]") or None), key,
                               section_name)
                raise ContentError(path, where.line, f"{where.name()} holds arrays or tables "
                                   f"nested more than {MAX_NESTING} deep, the most Handouts "
                                   "reads: flatten them")
    return data
