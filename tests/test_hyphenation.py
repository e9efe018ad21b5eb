"""Words break at a syllable, with a hyphen, in the language of their passage: on paper and on
a phone, never in the middle of a syllable without one."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path

import pyphen
from testing_utils import parse_html, reader_pdfs

from handouts.check.pdf_reader import read_tagged_pdf

PHONE = {"width": 390, "height": 844}
# Addresses no dictionary hyphenates may break anywhere, as the last resort that keeps them
# inside the page; a number ("1954") may not.
UNHYPHENATABLE = re.compile(r"[/@_=&?#]|\.\w|://")
OWN_BREAKS = "-\u2010\u2013\u2014/\u00ad"  # a word's own hyphen, dash, slash or soft hyphen

# For each word of the page's main text broken over two lines: the word, the text before the
# break, and the language of its passage. Measured per character, from the layout.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent.checkVisibility() || parent.closest('.visually-hidden')) continue;
    const text = node.data;
    for (const match of text.matchAll(/\\S+/g)) {
      let previous = null;
      for (let i = 0; i < match[0].length; i++) {
        range.setStart(node, match.index + i); range.setEnd(node, match.index + i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        if (previous !== null && rect.top > previous + 2) {
          const lang = parent.closest('[lang]');
          broken.push([match[0], match[0].slice(0, i), lang ? lang.lang : '',
                       getComputedStyle(parent).hyphens]);
        }
        previous = rect.top;
      }
    }
  }
  return broken;
}"""


def syllable_breaks(word: str, lang: str) -> set[int]:
    """Where Pyphen (WeasyPrint's hyphenation) lets the word break: the lengths of the
    possible first parts."""
    letters = word.strip("()[]“”‘’\"'.,;:!?«»")
    offset = word.index(letters) if letters else 0
    dictionary = pyphen.Pyphen(lang=pyphen.language_fallback(lang or "en") or "en")
    return {offset + position for position in dictionary.positions(letters)}


def bad_break(word: str, before: str, lang: str, hyphens: str) -> bool:
    """A break that is neither at a hyphen or dash of the word's own, nor a syllable the
    browser hyphenates, nor inside an address or number."""
    if UNHYPHENATABLE.search(word) or before[-1:] in OWN_BREAKS:
        return False
    return hyphens != "auto" or len(before) not in syllable_breaks(word, lang)


def html_pages(project: Path) -> list[Path]:
    return sorted((project / "dist").glob("*.html"))


def test_on_a_phone_no_word_breaks_mid_syllable(project, browser):
    page = browser.new_page(viewport=PHONE)
    found = {}
    for html in html_pages(project):
        page.goto(html.resolve().as_uri())
        bad = [f"{before}|{word[len(before):]}"
               for word, before, lang, hyphens in page.evaluate(BROKEN_WORDS_JS)
               if bad_break(word, before, lang, hyphens)]
        found[html.name] = bad
    page.close()
    assert found == {name: [] for name in found}


def _words_by_language(project: Path) -> dict[str, set[str]]:
    """Each word of the project's pages (letters only, lower case) -> its languages."""
    words: dict[str, set[str]] = defaultdict(set)

    def walk(element, lang):
        lang = element.get("lang") or lang
        for text, owner_lang in ((element.text, lang), *(
                (child.tail, lang) for child in element)):
            for word in (text or "").split():
                words[_letters(word)].add(owner_lang)
        for child in element:
            if isinstance(child.tag, str):
                walk(child, lang)

    for html in html_pages(project):
        walk(parse_html(html), "")
    return words


def _letters(word: str) -> str:
    return "".join(character for character in word if character.isalpha()).lower()


def _line_pieces(pdf: Path):
    """Per page, its marked-content sequences in drawing order: (MCID, the text readers get
    (its /ActualText if any), whether one glyph more was drawn than that text holds: the
    hyphen WeasyPrint adds where it hyphenates, which the copied text leaves out)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        for page in document.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            pieces, stack, font = [], [], None
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "BDC":
                    properties = operands[1] if isinstance(operands[1], pikepdf.Dictionary) \
                        else {}
                    actual = properties.get("/ActualText")
                    stack.append([properties.get("/MCID"),
                                  str(actual) if actual is not None else None, 0])
                elif op == "BMC":
                    stack.append([None, None, 0])
                elif op == "EMC" and stack:
                    mcid, actual, glyphs = stack.pop()
                    if mcid is not None:
                        pieces.append((int(mcid), actual, actual is not None
                                       and glyphs == len(actual) + 1))
                elif op == "Tf":
                    font = fonts.get(str(operands[0]))
                elif op in ("Tj", "TJ") and stack:
                    width = 2 if font is not None and font.get("/Subtype") == "/Type0" else 1
                    strings = operands[0] if op == "TJ" else [operands[0]]
                    stack[-1][2] += sum(len(bytes(part)) // width for part in strings
                                        if isinstance(part, pikepdf.String))
            yield pieces


def broken_words_on_paper(pdf: Path, words: dict[str, set[str]]) -> list[str]:
    """Words broken at a line's end, written "first|rest", where the break is not at one of
    their syllables with a hyphen: hyphenated elsewhere, or broken with no hyphen at all."""
    tagged = read_tagged_pdf(pdf)
    bad = []
    for number, pieces in enumerate(_line_pieces(pdf)):
        texts = tagged.pages[number].marked
        for (mcid, _, hyphenated), (after, _, _) in itertools.pairwise(pieces):
            text, rest = texts.get(mcid, ""), texts.get(after, "")
            if not text or text[-1:].isspace() or not rest[:1].isalpha():
                continue
            first, following = text.split()[-1], rest.split()[0]
            if first[-1] in OWN_BREAKS:
                continue  # at the word's own hyphen, dash or slash
            whole = _letters(first) + _letters(following)
            if UNHYPHENATABLE.search(first + following) or whole not in words \
                    or (_letters(first) in words and not hyphenated):
                continue  # an address, or two words (an inline element's end), not one broken
            if not hyphenated or not any(len(_letters(first)) in syllable_breaks(whole, lang)
                                         for lang in words[whole]):
                bad.append(f"p{number + 1} {first}|{following}")
    return bad


def hyphenated_words(pdf: Path, words: dict[str, set[str]]) -> list[str]:
    """The words hyphenated at a line's end, written "first-rest"."""
    tagged = read_tagged_pdf(pdf)
    found = []
    for number, pieces in enumerate(_line_pieces(pdf)):
        texts = tagged.pages[number].marked
        found += [f"{texts.get(mcid, '').split()[-1]}-{texts.get(after, '').split()[0]}"
                  for (mcid, _, hyphenated), (after, _, _) in itertools.pairwise(pieces)
                  if hyphenated and texts.get(mcid, "").split() and texts.get(after, "").split()]
    return found


def test_on_paper_a_word_breaks_only_at_a_syllable_with_a_hyphen(project):
    words = _words_by_language(project)
    found = {pdf.relative_to(project / "dist/pdf").as_posix(): broken_words_on_paper(pdf, words)
             for pdf in reader_pdfs(project)}
    assert found == {name: [] for name in found}


def test_standard_print_hyphenates_and_large_print_does_not(project):
    """Large print splits no word over two lines (UKAAF: not unless unavoidable)."""
    words = _words_by_language(project)
    hyphenated = {pdf.relative_to(project / "dist/pdf").as_posix(): hyphenated_words(pdf, words)
                  for pdf in reader_pdfs(project)}
    assert {name: found for name, found in hyphenated.items()
            if name.startswith("large-print/") and found} == {}
    assert any(found for name, found in hyphenated.items() if "/" not in name)


def _table_roles(page) -> list[str]:
    """The roles Chromium exposes for the page's tables, their rows and cells, in order."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    wanted = {"table", "row", "columnheader", "rowheader", "cell"}
    return [node["role"]["value"] for node in nodes
            if node.get("role", {}).get("value") in wanted and not node.get("ignored")]


def test_on_a_phone_a_table_laid_out_in_blocks_is_still_read_as_a_table(project, browser):
    """The row blocks of a phone's screen keep every table, row and cell a screen reader
    announces at a desk's width."""
    pages = [html for html in html_pages(project) if any(
        int(table.get("data-columns") or 0) >= 3 for table in parse_html(html).iter("table"))]
    assert pages
    wide: dict[str, list[str]] = {}
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 844})
        for html in pages:
            page.goto(html.resolve().as_uri())
            roles = _table_roles(page)
            if width == 390:
                assert roles == wide[html.name] and "table" in roles, html.name
            else:
                wide[html.name] = roles
        page.close()
