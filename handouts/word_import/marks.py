"""Marks on words: abbreviations defined in the text, passages in another language."""

from __future__ import annotations

import re

from .inline import escape
from .to_markdown import Block

# "… Network in Europe (COPINE)": capitals (and digits) in brackets, after the words they stand for.
ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9&]*(?: [A-Z][A-Za-z0-9&]*)?[A-Z0-9])s?\)")
SMALL_WORDS = {"of", "the", "in", "and", "for", "on", "to", "de", "la", "le", "les", "des",
               "du", "del", "y", "et", "el", "los", "las", "en", "a", "an"}
MAX_WORDS = 12


def find_abbreviations(blocks: list[Block]) -> list[tuple[str, str]]:
    """(abbreviation, expansion) pairs as the text defines them, first definition of each."""
    found: dict[str, str] = {}
    for block in blocks:
        if block.kind not in ("para", "list", "quote", "table", "heading"):
            continue
        for match in ABBREVIATION.finditer(block.plain):
            abbreviation = match[1]
            if sum(character.isupper() for character in abbreviation) < 2 or \
                    abbreviation in found:
                continue
            expansion = _expansion(abbreviation, block.plain[:match.start()])
            if expansion:
                found[abbreviation] = expansion
    return list(found.items())


def _expansion(abbreviation: str, before: str) -> str | None:
    """The fewest words before the brackets whose letters spell the abbreviation in order."""
    words = re.findall(r"[\w’'-]+", before)[-MAX_WORDS:]
    letters = [character.casefold() for character in abbreviation if character.isalnum()]
    for count in range(1, len(words) + 1):
        candidate = words[-count:]
        first = candidate[0].strip("’'")
        if not first or first.casefold() in SMALL_WORDS or \
                first[0].casefold() != letters[0]:
            continue
        if _spells("".join(candidate).casefold(), letters) and \
                sum(1 for word in candidate if word.casefold() not in SMALL_WORDS) >= \
                min(2, len(letters)):
            # The words as they stand in the text, quotation marks around them left out.
            start = before.rfind(candidate[0])
            return " ".join(before[start:].strip(" ‘’'\"“”").split())
    return None


def _spells(text: str, letters: list[str]) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def mark_languages(blocks: list[Block], foreign_runs: list[tuple[str, str]]) -> list[str]:
    """Passages Word marks in another language, as {: lang=xx }; those not found, noted."""
    missed = []
    for text, lang in foreign_runs:
        words = " ".join(text.split())
        if len(words) < 2:
            continue
        target = next((block for block in blocks if block.kind in ("para", "list", "quote")
                       and words in block.plain), None)
        if target is None:
            missed.append(f"'{words[:50]}' is marked in Word as language {lang}, but was not "
                          "found to mark: add [words]{: lang=" + lang + " } by hand")
            continue
        if target.kind == "para" and target.plain == words:
            target.text += "\n{: lang=" + lang + " }"
            continue
        needle = escape(words)
        index = target.text.find(needle)
        if index < 0:
            missed.append(f"'{words[:50]}' is marked in Word as language {lang}, but its "
                          "formatting kept it from being marked: add [words]{: lang="
                          + lang + " } by hand")
            continue
        target.text = (target.text[:index] + f"[{needle}]{{: lang={lang} }}"
                       + target.text[index + len(needle):])
    return missed
