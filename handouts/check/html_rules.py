"""Structural HTML rules that need no browser: language, title, headings, alternatives, landmarks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .findings import Finding

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VAGUE_LINK_TEXT = {"here", "click here", "link", "this", "read more", "more"}


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def accessible_name(element) -> str:
    """Text, image alternatives and aria-label: what a screen reader says for a link."""
    if element.get("aria-label"):
        return element.get("aria-label").strip()
    parts = [element.text or ""]
    for child in element:
        parts.append(child.get("alt") or "" if child.tag == "img" else accessible_name(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def check_html(path, document) -> Iterator[Finding]:
    name = str(path)
    if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$", document.get("lang") or ""):
        yield Finding(name, "html-lang", "the <html> element has no valid lang attribute")
    title = document.find("head/title")
    if title is None or not text_of(title):
        yield Finding(name, "html-title", "the page has no <title>")
    body = document.find("body")
    if body is None:
        return
    yield from _headings(name, body)
    for image in body.iter("img"):
        if image.get("alt") is None:
            yield Finding(name, "html-img-alt",
                          f"the image {image.get('src')} has no alt attribute")
    for link in body.iter("a"):
        if link.get("href") is None:
            continue
        text = accessible_name(link)
        if not text:
            yield Finding(name, "html-link-text", f"the link to {link.get('href')} has no text")
        elif text.lower() in VAGUE_LINK_TEXT:
            yield Finding(name, "html-link-text",
                          f"the link text '{text}' does not say where the link goes",
                          severity="warning")
    for table in body.iter("table"):
        if not list(table.iter("th")):
            yield Finding(name, "html-table-headers", "a table has no header cells (<th>)")
        for header in table.iter("th"):
            if header.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                yield Finding(name, "html-table-headers",
                              f"the header cell '{text_of(header)}' has no scope",
                              severity="warning")
    seen_ids = set()
    for element in document.iter():
        identifier = element.get("id")
        if identifier is None:
            continue
        if identifier in seen_ids:
            yield Finding(name, "html-duplicate-id",
                          f"the id '{identifier}' is used twice: links to it go astray")
        seen_ids.add(identifier)
    if len(body.findall(".//main")) != 1:
        yield Finding(name, "html-landmarks", "the page must have exactly one <main>")


def _headings(name, body) -> Iterator[Finding]:
    levels = [(int(element.tag[1]), text_of(element)) for element in body.iter()
              if element.tag in HEADINGS]
    if not levels:
        yield Finding(name, "html-headings", "the page has no headings")
        return
    if levels[0][0] != 1 or [level for level, _ in levels].count(1) != 1:
        yield Finding(name, "html-headings", "the page must start with exactly one <h1>")
    for (previous, _), (level, text) in itertools.pairwise(levels):
        if level > previous + 1:
            yield Finding(name, "html-headings",
                          f"the heading '{text}' skips from h{previous} to h{level}")
