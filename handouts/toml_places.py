"""Where handouts.toml writes each key, read the way TOML reads it (tomllib gives no lines)."""

from __future__ import annotations

import functools
import re

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
    line, depth, table, number, header, header_line, key = 1, 0, "", 0, "", 1, []
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
