"""The PDF reads aloud as its HTML page does (PDFium, Chromium); three PDF readers agree."""

# PDFium (Chrome's PDF engine) reads a PDF's structure tree and marked content, Chromium's
# accessibility tree the HTML page: each becomes a transcript (readers.py), diffed word by
# word. ALLOWED must explain every difference, each entry with its reason (as docs/checks.md).

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from readers import (
    WORD,
    Marked,
    Transcript,
    html_transcript,
    pdf_transcript,
    read_ax_tree,
    read_pdf,
)
from testing_utils import REPO, marked_content_types, pdf_structure

W = r"[^«\s]+"  # one word
WORDS = rf"{W}(?: {W})*"
CONTEXT = 4  # words both transcripts say, kept on each side of a difference
LONGEST = 400  # words: a longer difference is a missing section, never an allowed one


@dataclass(frozen=True)
class Allowed:
    """A difference the transcripts may show: what each side says there, and why."""

    name: str
    reason: str
    html: str = ""  # a regex over the HTML's words there ("" when it says nothing)
    pdf: str = ""
    expansion: bool = False  # the PDF says the expansion (/E) of what the HTML abbreviates
    repeats: str = ""  # the PDF's words are the last it said with this note (readers.py), again


ALLOWED = [
    Allowed("skip-to-content", "screen only: the link over the page header to the content; a "
            "PDF has no page header to skip", html="«link» {skip_to_content}"),
    Allowed("site-header", "screen only: the conference's name and the site navigation (All "
            "handouts, Download PDF); on paper the name is a running header, an artifact",
            html=f"(?:{WORDS} )?«list» «item» «link» {{all_handouts}} «item» «link» "
                 f"{{download_pdf}}"),
    Allowed("site-footer", "screen only: the footer, 'Download the PDF of …', the Printed "
            "pages list (a link to each page marker), 'Made with Handouts.'",
            html=f"«link» {{download_pdf_of}} {WORDS}(?: (?:«heading 2» )?{{page_list}}"
                 f"(?: «list»)?(?: «item» «link» {W}(?: {W})?)+)? {{made_with}}"),
    Allowed("page-marker", "screen only: where a page of the PDF begins, 'Page 5' (issue 18); "
            "the PDF is its pages", html=rf"«page break» {W} \d+"),
    Allowed("skip-this-section", "screen only: a content note's 'Skip this section' link (paper "
            "says where the section ends instead: section-end)", html="«link» {skip_section}"),
    Allowed("show-this-section", "screen only: the 'Show this section' that opens a collapsed "
            "noted section (the transcript opens it: print shows all)", html="{show_section}"),
    Allowed("section-end", "print only: a content note's 'This section ends on page 5; the "
            "next section, X, starts on page 6', page numbers only paper has",
            pdf=rf"{{section_ends}} «link» {{on_page}}(?: \d+)?(?: {{next_section}} «link» "
                rf"{WORDS} «link» {{starts_on_page}}(?: \d+)?)?"),
    Allowed("first-use-page", "print names the page of a glossary term's first use, 'first "
            "used on page 2', where the screen links to it, 'first use'",
            html="{first_use}", pdf=r"{first_used}(?: \d+)?"),
    Allowed("source-number", "print only: the superscript number after an external link, a "
            "link to its Sources entry; hidden on screen, so not read twice", pdf=r"«link» \d+"),
    Allowed("abbreviation-expansion", "the PDF's /E is read in place of the abbreviation, the "
            "HTML's <abbr title> is not read by default; never right beside the same words "
            "(an expansion heard twice is a difference)", expansion=True),
    Allowed("footnote-at-its-call", "print sets a footnote at the foot of the page, a Note "
            "where it is called: the PDF reads it there (its words are found apart, see "
            "compare), the HTML reads the call's number", html=r"«link» \d+", pdf="«footnote»"),
    Allowed("footnotes-at-the-end", "screen only (standard print): the list of footnotes at "
            "the end of the page, each ending with a back link; print reads each at its call",
            html=rf"«list»(?: «item»(?: {W}| «link»(?: {W})+)* «link»)+"),
    Allowed("endnote-roles", "large print: the endnotes are Notes in the PDF, a list on screen",
            html="(?:«list» )?«item»", pdf="«note»"),
]


# The comparison


class Side:
    """One transcript's words, notes and their joined text, for regexes to match."""

    def __init__(self, words: list[str], notes: list[str]):
        self.words, self.notes = words, notes
        self.text = " ".join(self.words)
        self.starts, at = [], 0
        for word in self.words:
            self.starts.append(at)
            at += len(word) + 1

    def end(self, stop: int) -> int:
        return self.starts[stop - 1] + len(self.words[stop - 1]) if stop else 0

    def runs(self, pattern, start, stop) -> list[int]:
        """Where a stretch from start that pattern matches can end, longest first."""
        if not pattern:
            return [start]
        return [end for end in range(min(stop, start + LONGEST), start, -1)
                if pattern.fullmatch(self.text, self.starts[start], self.end(end))]

    def noted_run(self, start: int, stop: int, prefix: str) -> tuple[int, str] | None:
        """The end of the words from start under one note starting with prefix, and its rest."""
        part = next((p for p in self.notes[start] if p.startswith(prefix)), None)
        end = start
        while part and end < stop and part in self.notes[end]:
            end += 1
        return (end, part.removeprefix(prefix)) if part else None

    def last_run(self, before: int, note: str) -> list[str]:
        """The last words before `before` said under note."""
        end = before
        while end and note not in self.notes[end - 1]:
            end -= 1
        start = end
        while start and note in self.notes[start - 1]:
            start -= 1
        return self.words[start:end]


def _matches(entry: Allowed, patterns, html: Side, pdf: Side, i, j, i_stop, j_stop):
    """The (HTML end, PDF end) pairs where entry explains the words from (i, j)."""
    if entry.expansion:
        abbreviation = html.noted_run(i, i_stop, "abbreviation of:") if i < i_stop else None
        expansion = pdf.noted_run(j, j_stop, "expansion of:") if j < j_stop else None
        if not (abbreviation and expansion):
            return []
        (i_end, expanded), (j_end, abbreviated) = abbreviation, expansion
        said = pdf.words[j:j_end]
        if WORD.findall(expanded.lower()) != said or \
                WORD.findall(abbreviated.lower()) != html.words[i:i_end]:
            return []
        beside = said in (pdf.words[max(0, j - len(said)):j], pdf.words[j_end:j_end + len(said)])
        return [] if beside else [(i_end, j_end)]
    if entry.repeats:
        again = pdf.last_run(j, entry.repeats)
        return [(i, j + len(again))] if again and pdf.words[j:j + len(again)] == again else []
    return [(i_end, j_end) for i_end in html.runs(patterns[0], i, i_stop)
            for j_end in pdf.runs(patterns[1], j, j_stop)
            if (i_end, j_end) != (i, j)]


@dataclass
class Difference:
    """Where the transcripts differ, with CONTEXT words both say around it."""

    html: list[str]
    pdf: list[str]
    allowed: tuple[str, ...] | None  # the entries that explain it, in order; None: none does

    def __str__(self) -> str:
        return f"\n  HTML says: {' '.join(self.html)}\n  PDF says:  {' '.join(self.pdf)}"


def compare(html_said: Transcript, pdf_said: Transcript, labels: dict) -> list[Difference]:
    """The differences between the two transcripts, each explained by ALLOWED or not."""
    # A footnote the PDF reads where it is called, the HTML at the end of the page: words so
    # moved would mislead the diff, so each is one «footnote» there, its words found apart.
    html = Side(*html_said.words)
    pdf, footnotes = _fold_footnotes(*pdf_said.words)
    heard = f" {' '.join(word for word in html.words if not word.startswith('«'))} "
    missing = [Difference([], footnote, None) for footnote in footnotes
               if f" {' '.join(footnote)} " not in heard]
    patterns = {entry.name: [re.compile(pattern.format_map(labels)) if pattern else None
                             for pattern in (entry.html, entry.pdf)] for entry in ALLOWED}
    # autojunk off: in a long document the common words would be junk, and skipped.
    opcodes = difflib.SequenceMatcher(None, html.words, pdf.words, autojunk=False).get_opcodes()
    windows = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            continue
        # Equal runs stand between the others: CONTEXT words of those beside it, at most.
        before = min(CONTEXT, i1 - opcodes[number - 1][1]) if number else 0
        after = min(CONTEXT, opcodes[number + 1][2] - i2) if number + 1 < len(opcodes) else 0
        window = [i1 - before, i2 + after, j1 - before, j2 + after]
        if windows and window[0] <= windows[-1][1]:
            windows[-1][1], windows[-1][3] = window[1], window[3]
        else:
            windows.append(window)
    return missing + [Difference(html.words[i1:i2], pdf.words[j1:j2],
                                 _explain(html, pdf, i1, i2, j1, j2, patterns))
                      for i1, i2, j1, j2 in windows]


def _as_written(words: list[str], notes: list[str]) -> list[str]:
    """Words without markers, each /E expansion back to the abbreviation it expands."""
    written, expanded = [], None
    for word, note in zip(words, notes):
        part = next((p for p in note if p.startswith("expansion of:")), None)
        if part and part != expanded:
            written += WORD.findall(part.removeprefix("expansion of:").lower())
        elif not part and not word.startswith("«"):
            written.append(word)
        expanded = part
    return written


def _fold_footnotes(words: list[str], notes: list[tuple]) -> tuple[Side, list[list[str]]]:
    """The PDF's side with each footnote read at its call as one «footnote», and their words."""
    kept, footnotes = [], []
    for word, note in zip(words, notes):
        if "footnote" not in note:
            kept.append((word, note))
        elif word == "«note»":  # where one starts
            kept.append(("«footnote»", ()))
            footnotes.append(([], []))
        else:
            footnotes[-1][0].append(word)
            footnotes[-1][1].append(note)
    return Side(*map(list, zip(*kept))), [_as_written(*footnote) for footnote in footnotes]


def _explain(html, pdf, i_start, i_stop, j_start, j_stop, patterns):
    """The entries that together explain a window, words both say aside; None if none can."""
    if max(i_stop - i_start, j_stop - j_start) > LONGEST:
        return None

    @functools.cache
    def cover(i, j):
        if (i, j) == (i_stop, j_stop):
            return ()
        if i < i_stop and j < j_stop and html.words[i] == pdf.words[j]:
            rest = cover(i + 1, j + 1)
            if rest is not None:
                return rest
        for entry in ALLOWED:
            for end in _matches(entry, patterns[entry.name], html, pdf, i, j, i_stop, j_stop):
                rest = cover(*end)
                if rest is not None:
                    return (entry.name,) + rest
        return None

    return cover(i_start, j_start)


@functools.cache
def labels_for(lang: str) -> dict:
    """The labels Handouts writes in this language, as regexes over transcript words."""
    folder = REPO / "handouts" / "messages"
    messages = tomllib.loads((folder / "en.toml").read_text(encoding="utf-8"))
    if (folder / f"{lang}.toml").is_file():  # a language without a catalogue falls back
        messages |= tomllib.loads((folder / f"{lang}.toml").read_text(encoding="utf-8"))
    return {key: re.escape(" ".join(WORD.findall(value.lower())))
            for key, value in messages.items() if isinstance(value, str)}


# The readers, once per page


@pytest.fixture(scope="module")
def listen(browser):
    """html path -> (its transcript, its language), Chromium opened once for the module."""
    page = browser.new_page()
    heard = {}

    def read(path: Path) -> tuple[Transcript, str]:
        if path not in heard:
            root = read_ax_tree(page, path.resolve().as_uri())
            heard[path] = html_transcript(root), page.evaluate("document.documentElement.lang")
        return heard[path]

    yield read
    page.close()


@functools.cache
def pdf_said(pdf: Path) -> Transcript:
    return pdf_transcript(read_pdf(pdf))


def pages_and_pdfs(project: Path) -> list[tuple[str, str]]:
    """(HTML page, PDF in dist/pdf/) for each handout and packet of a project, each profile."""
    settings = tomllib.loads((project / "handouts.toml").read_text(encoding="utf-8"))
    slugs = [(path.stem, "") for path in sorted((project / "content").glob("*.md"))
             if path.stem != "glossary"]
    slugs += [(packet["slug"], "_packets/") for packet in settings.get("packet", [])]
    return [(f"{folder}{slug}.html", f"{profile}{slug}.pdf") for slug, folder in slugs
            for profile in ("", "large-print/")]


EXAMPLE_PAIRS = pages_and_pdfs(REPO)
SEEN: Counter = Counter()  # how often each entry explained a difference, over the tests run


def unexplained(html: Path, pdf: Path, listen) -> list[Difference]:
    said, lang = listen(html)
    found = compare(said, pdf_said(pdf), labels_for(lang))
    SEEN.update(name for difference in found for name in difference.allowed or ())
    return [difference for difference in found if difference.allowed is None]


# The tests


@pytest.mark.parametrize("html, pdf", EXAMPLE_PAIRS)
def test_the_pdf_reads_as_the_page(example, listen, html, pdf):
    found = unexplained(example / "dist" / html, example / "dist" / "pdf" / pdf, listen)
    assert not found, f"{len(found)} difference(s) no entry of ALLOWED explains:" + "".join(
        map(str, found))


def test_the_second_project_reads_as_its_pages(second, listen):
    dist, pairs = second / "dist", pages_and_pdfs(second)
    found = {pair: unexplained(dist / pair[0], dist / "pdf" / pair[1], listen)
             for pair in pairs}
    assert not any(found.values()), "".join(
        f"\n{html} / {pdf}:" + "".join(map(str, differences))
        for (html, pdf), differences in found.items() if differences)
    assert_readers_agree(dist / "pdf" / pdf for _, pdf in pairs)


def test_no_allowed_difference_is_left_unseen():
    """An entry no difference needs any more is reported, to be taken out."""
    if not SEEN:
        pytest.skip("run with the comparisons above")
    if unseen := [entry.name for entry in ALLOWED if not SEEN[entry.name]]:
        warnings.warn(f"ALLOWED entries no difference needed: {', '.join(unseen)}")


@pytest.mark.parametrize("defect", ["dropped", "swapped"])
def test_a_paragraph_dropped_or_moved_in_the_tree_is_a_difference(example, listen, tmp_path,
                                                                   defect):
    import pikepdf
    from testing_utils import EXAMPLE_SLUG

    source = example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf"
    [paragraph] = [element for element in read_pdf(source).iter() if element.type == "P"
                   and element.text().startswith("Using the facilities")]
    with pikepdf.open(source) as pdf:
        parent = pdf.Root.StructTreeRoot
        for index in paragraph.path[:-1]:  # PDFium's path: the index in each /K on the way
            parent = parent.K[index] if isinstance(parent.K, pikepdf.Array) else parent.K
        kids, index = parent.K, paragraph.path[-1]
        if defect == "dropped":
            del kids[index]
        else:  # the paragraph after it read first
            kids[index], kids[index + 1] = kids[index + 1], kids[index]
        pdf.save(tmp_path / source.name)
    found = unexplained(example / "dist" / f"{EXAMPLE_SLUG}.html", tmp_path / source.name,
                        listen)
    html_words = Counter(word for difference in found for word in difference.html)
    pdf_words = Counter(word for difference in found for word in difference.pdf)
    if defect == "dropped":
        assert html_words - pdf_words == Counter(WORD.findall(paragraph.text().lower()))
    else:  # the same words, heard in another order (difflib may move either paragraph)
        assert found and html_words == pdf_words, found


def _squashed(text: str) -> str:
    # PDFium gives a hyphen that ends a line as U+0002, its sign for a hyphenation point: the
    # same glyph pikepdf and poppler read as "-". Poppler drops the spaces that end a line.
    # A hyphen that hyphenation added (WeasyPrint draws U+2010) is left out of the word by its
    # /ActualText, which poppler's structure text does not read: left out for every reader.
    return re.sub(r"\s+", "", text.replace("\x02", "-").replace("\u00ad", "")
                  .replace("\u2010", ""))


def own(element, kind) -> str:
    """An element's own text (not its children's), squashed."""
    return _squashed("".join(kid.text for kid in element.kids if isinstance(kid, kind)))


def assert_readers_agree(paths) -> None:
    """PDFium, pikepdf and poppler read the same text in each structure element of each PDF."""
    from handouts.check.pdf_reader import MarkedContent, read_tagged_pdf

    paths = list(paths)
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # poppler takes seconds a file
        list(pool.map(pdf_structure, paths))  # cached for the comparisons below
    for path in paths:
        root = read_pdf(path)
        poppler = [(node.type.rstrip(":"), _squashed("".join(
                       part for part in node.parts if isinstance(part, str))))
                   for node in pdf_structure(path).iter()
                   if node.type != "Object" and not node.type.startswith("/")]  # attributes
        assert [(element.type, own(element, Marked)) for element in root.iter()][1:] == \
            poppler[1:], path
        # The project's own pikepdf reader does not look into Form XObjects (an SVG's labels):
        # a Figure, read by its /Alt, is compared without its text.
        assert [(element.type, "" if element.alt is not None else own(element, Marked),
                 element.actual_text, element.alt, element.expansion)
                for element in root.iter()][1:] == \
            [(element.type, "" if "Alt" in element.attributes else own(element, MarkedContent),
              *map(element.attributes.get, ("ActualText", "Alt", "E")))
             for element in read_tagged_pdf(path).root.iter()][1:], path
        # Each marked-content sequence (page, MCID) is where pikepdf's own walk puts it.
        assert dict(root.marked()) == marked_content_types(path), path


def test_pdfium_pikepdf_and_poppler_read_each_element_alike(example):
    assert_readers_agree(example / "dist" / "pdf" / pdf for _, pdf in EXAMPLE_PAIRS)
