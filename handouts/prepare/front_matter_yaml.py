"""Reading a handout's front matter as YAML: each value apart, within Handouts' limits."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from ..errors import ContentError
from ..limits import MAX_NESTING


class NestedTooDeeply(Exception):
    def __init__(self, key_node, mark):
        super().__init__()
        self.key_node, self.mark = key_node, mark


class FrontMatterLoader(yaml.SafeLoader):
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
                raise NestedTooDeeply(self.top_key, self.top_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def yaml_error(path: Path, error: yaml.YAMLError) -> ContentError:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 2 if mark else 1
    problem = getattr(error, "problem", None) or str(error)
    hint = ("; a value that contains ': ' must be in quotes, e.g. title: \"Welcome: a "
            "guide\"" if "mapping values are not allowed" in problem else "")
    if "'\\t'" in problem:
        hint = "; indent with spaces, not tabs"
    elif problem.startswith("expected <block end>") and "'<scalar>'" in problem:
        hint = ("; the value goes on after a closing quote or bracket: a value holding "
                "quotes goes in the other kind (title: 'The \"Best\" Committee'; an "
                "apostrophe is written twice inside '…': 'Delegates'' Guide'), and one that "
                "starts with [ or { goes in quotes")
    elif problem.startswith("expected <block end>"):
        hint = ("; this line is indented differently from the lines above it: give the "
                "items of one list ('- …'), or the keys under one key, the same indent")
    elif problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        hint = ("; a list in [ ] (or a mapping in { }) must be closed on the same line: "
                "close it, or put a value holding [ or { in quotes")
    elif not hint:
        hint = ("; look at this line and the one above it: a value holding ': ' or '#' "
                "not in quotes, a tab, an unclosed quote or bracket, or a wrong indent")
    context_mark = getattr(error, "context_mark", None)
    if "quoted scalar" in (getattr(error, "context", None) or "") and context_mark:
        # The parser stops where the file ends; the author needs the line of the quote.
        line = context_mark.line + 2
        hint = "; the quote that opens this value is never closed: close it on this line"
    return ContentError(path, line, f"the front matter is not valid YAML: {problem}{hint}")


def key_name(key_node) -> str:
    if not isinstance(key_node, yaml.ScalarNode):
        return "…"
    return key_node.value if len(key_node.value) <= 40 else key_node.value[:39] + "…"


def too_deep(path: Path, key_node, line: int) -> ContentError:
    what = f"'{key_name(key_node)}'" if key_node is not None else "the front matter"
    return ContentError(path, line, f"{what} holds lists or mappings nested more than "
                        f"{MAX_NESTING} deep, the most Handouts reads: flatten them, or put "
                        "the text in quotes")


def children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def nesting(node) -> float:
    """How deep lists and mappings nest in node, aliases followed; infinite if it holds itself."""
    depths: dict[int, int] = {}
    started: set[int] = set()
    stack = [(node, False)]
    while stack:
        current, finished = stack.pop()
        if finished:
            depths[id(current)] = 1 + max((depths[id(child)] for child in children(current)),
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
        stack.extend((child, False) for child in children(current))
    return depths[id(node)]


def scalars(node):
    """Every scalar node below node, once each, aliases followed."""
    seen, stack = set(), [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current
        stack.extend(children(current))


def long_integer(node) -> int | None:
    """The digits of the longest decimal integer below node, if Python refuses to read it."""
    limit = sys.get_int_max_str_digits()
    longest = 0
    for scalar in scalars(node):
        value = scalar.value.lstrip("+-")
        if scalar.tag != "tag:yaml.org,2002:int" or (value.startswith("0") and ":" not in value):
            continue  # binary, octal and hexadecimal numbers have no limit
        longest = max([longest] + [sum(c.isdigit() for c in part) for part in value.split(":")])
    return longest if limit and longest > limit else None


def construct_value(loader, path: Path, node, key: str, line: int):
    """The Python value of one top-level value, its errors told against its key."""
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise yaml_error(path, error) from None
    except (ValueError, OverflowError) as error:
        digits = long_integer(node)
        if digits is not None:
            raise ContentError(path, line, f"'{key}' holds a number too long to read "
                               f"({digits:,} digits): put the text in quotes") from None
        if key == "date":  # PyYAML builds dates itself: 2027-02-30 fails here
            raise ContentError(path, line, f"'date' is not a real date ({error}): write an "
                               "ISO date such as 2027-01-15") from None
        date = next((scalar.value for scalar in scalars(node)
                     if scalar.tag == "tag:yaml.org,2002:timestamp"), None)
        if date is not None:
            raise ContentError(path, line, f"'{key}' holds {date}, which YAML reads as a date "
                               f"that does not exist ({error}): put the text in quotes") from None
        raise ContentError(path, line, f"'{key}' cannot be read ({error}): put the text in "
                           "quotes") from None
    except (RecursionError, MemoryError):
        raise ContentError(path, line, f"'{key}' is too large or too deeply nested to read: "
                           "shorten it") from None
