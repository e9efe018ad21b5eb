"""Text as read aloud where WeasyPrint's drawing loses it: line-end and lone spaces, right to left."""

from __future__ import annotations

import re
import unicodedata

import pydyf
from weasyprint.formatting_structure import boxes

# A line may break after these without a space: nothing was removed there.
BREAKS_WITHOUT_SPACE = frozenset("/-\u2010\u2011\u2012\u2013\u2014\u200b\u00ad(")


def keep_line_end_space(line, tags, next_line=None, block_element=None):
    """Give the last text of a line its trailing space back, as /ActualText.

    WeasyPrint drops the space where a line breaks, so words would run together when the
    tree is read. No space was there after a hyphen, a slash or an unspaced dash, nor in
    Chinese or Japanese; an automatic hyphen is not part of the word.
    """
    texts = [box for box in _text_boxes(line) if "::" not in (box.element_tag or "")]
    while texts and not texts[-1].text.strip():
        if texts[-1].text:  # a space survived at the end of the line: nothing is glued
            return
        texts.pop()
    if not texts or texts[-1] not in tags:
        return
    box = texts[-1]
    text = box.text
    hyphen = box.style["hyphenate_character"]
    if hyphen and text.endswith(hyphen) and box.style["hyphens"] == "auto":
        actual = text[:-len(hyphen)]  # the word goes on, on the next line
    elif (text[-1].isspace()
          or (_is_cjk(text[-1]) and not _space_follows(text, next_line, block_element))
          or (text[-1] in BREAKS_WITHOUT_SPACE and not text[:-1].endswith(" "))):
        return  # a space is there, or none was: in Chinese, after a hyphen or a slash
    elif _starts_with_generated_text(next_line, tags):
        return  # the space is the generated text's own, given back to it there
    elif _word_goes_on(text, next_line, block_element):
        return  # a long word broken by overflow-wrap: no space was there
    else:
        actual = text + " "
    tags[box]["properties"]["ActualText"] = pydyf.String(actual)


def _starts_with_generated_text(next_line, tags) -> bool:
    """The next line starts with generated text, as a page reference's number " 5".

    Its leading space was dropped at the break; it is said there (/ActualText), so that the
    words of the HTML, which has no such number, read without a space before what follows.
    """
    first = next((box for box in _text_boxes(next_line) if box.text.strip()), None) \
        if next_line is not None else None
    if first is None or "::" not in (first.element_tag or ""):
        return False
    if first in tags and not first.text[0].isspace():
        tags[first]["properties"]["ActualText"] = pydyf.String(" " + first.text)
    return True


def _word_goes_on(text, next_line, block_element) -> bool:
    """The next line starts inside the same word, as the HTML text shows."""
    if next_line is None and block_element is not None and text.strip() \
            and not text[-1].isspace():
        # The last line before a page break: the word goes on on the next page when the
        # HTML never has it followed by a space or the end of the text.
        last = text.split()[-1]
        source = " ".join("".join(block_element.itertext()).split())
        return last in source and not re.search(re.escape(last) + r"(\s|$)", source)
    joined, spaced = _across_the_break(text, next_line, block_element)
    return joined and not spaced


def _space_follows(text, next_line, block_element) -> bool:
    """The HTML text has a space where the line breaks (after 中 in '中 and', not in '中文')."""
    joined, spaced = _across_the_break(text, next_line, block_element)
    return spaced and not joined


def _across_the_break(text, next_line, block_element) -> tuple[bool, bool]:
    """Whether the HTML text holds the words either side of a line break joined, and spaced."""
    if next_line is None or block_element is None:
        return False, False
    following = next((box.text for box in _text_boxes(next_line) if box.text.strip()), "")
    if not following.strip() or not text.strip() or following[0].isspace():
        return False, False
    # The next line may itself end in a hyphen that hyphenation added: not in the HTML.
    first = following.split()[0].rstrip("\u2010\u00ad-")
    if not first:
        return False, False
    last = text.split()[-1]
    source = " ".join("".join(block_element.itertext()).split())
    return last + first in source, f"{last} {first}" in source


def repair_spoken_text(box, properties) -> None:
    """Give a tagged box's marked content the /ActualText its drawn glyphs do not say."""
    if not isinstance(box, boxes.TextBox):
        return
    if box.text and not box.text.strip():
        # WeasyPrint draws no glyph for a lone space between two elements: say it, or the
        # words on either side run together.
        properties["ActualText"] = pydyf.String(" ")
    elif has_right_to_left(box.text) and "ActualText" not in properties:
        # Pango draws Hebrew and Arabic glyphs in visual order, right to left: the text in
        # reading (logical) order is the box's own.
        properties["ActualText"] = pydyf.String(box.text)


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(character) in ("R", "AL") for character in text)


def _is_cjk(character: str) -> bool:
    """Scripts written without spaces between words (Korean uses spaces)."""
    code = ord(character)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child)
