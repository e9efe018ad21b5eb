"""Each element's line in the Markdown source, recorded as Python-Markdown's parser meets it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeGuard
from xml.etree.ElementTree import Comment, Element

import markdown.extensions
import markdown.postprocessors
import markdown.preprocessors
import markdown.treeprocessors
from markdown.util import HTML_PLACEHOLDER_RE

# Carried from the Markdown tree through the HTML to the browser-parsed tree, then removed
# (lined_elements): the output never holds them. A raw HTML block gets a comment instead,
# as an attribute on its placeholder paragraph would keep Markdown from putting it back.
LINE_ATTRIBUTE = "data-handouts-source-line"
LINE_COMMENT = "handouts-source-line:"
_PLACEHOLDER = re.compile(HTML_PLACEHOLDER_RE)
_CODE, _RAW = "code", "raw"  # the two preprocessors that set lines aside as one placeholder


class SourceLines(markdown.extensions.Extension):
    """Marks every block element with the line it starts on (0 = the text's first line).

    The preprocessors' line changes are followed, so that each line the block parser reads
    maps to the source line it came from; the block parser's list of blocks carries each
    block's first line, and a block cut from another (a list item, a quote, the rest after a
    heading) gets its line within the block it was cut from. List it after the extensions
    it follows (fenced_code).
    """

    def extendMarkdown(self, md):
        tracker = _Tracker(md)
        md.preprocessors.register(_Start(md, tracker), "handouts_source_lines", 29)
        for name, kind in (("fenced_code_block", _CODE), ("html_block", _RAW)):
            if name in md.preprocessors:
                tracker.follow(md.preprocessors[name], kind)
        for processor in md.parser.blockprocessors:
            tracker.watch(processor)
        parser = md.parser
        parser.parseChunk = tracker.parse_chunk
        tracker.parse_blocks = parser.parseBlocks
        parser.parseBlocks = tracker.parse_blocks_with_lines
        # After abbreviations (7) and attribute lists (8) made their elements.
        md.treeprocessors.register(_Mark(md, tracker), "handouts_source_lines", 6)


class _Lines(dict):
    """Each element's line, and the order the elements were given their lines."""

    def __init__(self) -> None:
        super().__init__()
        self.serial: dict[Element, int] = {}

    def __setitem__(self, element, line):
        self.serial.setdefault(element, len(self.serial))
        super().__setitem__(element, line)


class _Blocks(list):
    """The block parser's list of blocks, each with the (parser) line it starts on."""

    def __init__(self, blocks: list[str], starts: list[int | None], tracker: _Tracker) -> None:
        super().__init__(blocks)
        self.starts, self.tracker = list(starts), tracker
        self.popped: list | None = None  # [text, first line, lines already cut from it]

    def pop(self, index=-1):
        block, start = super().pop(index), self.starts.pop(index)
        if index == 0:
            self.popped = [block, start, 0]
        return block

    def insert(self, index, block):
        super().insert(index, block)
        self.starts.insert(index, self.tracker.cut(block))


class _Tracker:
    """Follows one conversion: the preprocessors' lines, the blocks, the elements made."""

    def __init__(self, md: markdown.Markdown) -> None:
        self.md = md
        self.origin: list[int] = []  # for each line the parser reads, its source line
        self.lines = _Lines()  # element -> the parser line it starts on
        self.serial = self.lines.serial  # element -> how many were lined before it
        self.active: list[_Blocks] = []  # the lists of blocks being parsed, innermost last
        self.footnotes: dict[str, int] = {}  # a footnote's text -> its definition's line
        # Python-Markdown's own BlockParser.parseBlocks, which parse_blocks_with_lines wraps:
        # set by SourceLines.extendMarkdown
        self.parse_blocks: Callable[[Element, list[str]], None] | None = None

    def follow(self, preprocessor, kind: str) -> None:
        """Keep origin right across a preprocessor that sets lines aside as a placeholder."""
        run = preprocessor.run

        def run_and_follow(lines):
            stashed = len(self.md.htmlStash.rawHtmlBlocks)
            result = run(lines)
            self.origin = _align(lines, result, self.origin, kind,
                                 self.md.htmlStash.rawHtmlBlocks, stashed)
            return result
        preprocessor.run = run_and_follow

    def watch(self, processor) -> None:
        """Give the elements a block processor makes the line of the block it reads."""
        run = processor.run

        def run_and_claim(parent, blocks):
            lined = isinstance(blocks, _Blocks) and blocks.starts and blocks.starts[0] is not None
            text, start, count = (blocks[0], blocks.starts[0], len(parent)) if lined else \
                (None, None, 0)
            # The footnotes extension keeps each definition's text, to parse after the rest.
            notes = getattr(getattr(processor, "footnotes", None), "footnotes", None)
            known = set(notes) if isinstance(notes, dict) else set()
            mark = len(self.serial)  # elements lined from here on are this block's
            result = run(parent, blocks)
            if lined:
                self._claim(parent, count, text, start, mark)
                for name in set(notes) - known if isinstance(notes, dict) else ():
                    self._note_footnote(name, notes[name], text, start)
            return result
        processor.run = run_and_claim

    def _claim(self, parent: Element, count: int, text: str, start: int, mark: int) -> None:
        """New elements: a heading, a term, a table cell at its own line within the block.

        New elements stand after the old ones, or at the end of the last old one (a list
        the block goes on); one whose text is not the block's (a list item's text moved into
        a paragraph when the list turns loose) keeps the line of the old element around it.
        """
        lines, cursor, untexted = text.split("\n"), 0, []
        new_elements = self._new_elements(parent, count, mark)
        for element, _ in new_elements:
            if element.tag == "table":
                self._line_rows(element, start)
        for element, holder in new_elements:
            if element in self.lines:
                continue  # lined by a processor this one called (a list item's text)
            first = (element.text or "").strip().split("\n")[0].strip()
            found = next((index for index in range(cursor, len(lines))
                          if first and first in lines[index]), None)
            if found is not None:
                cursor = found
                self.lines[element] = start + found
            elif holder in self.lines and holder is not parent and self.lines[holder] < start:
                self.lines[element] = self.lines[holder]
            else:
                self.lines[element] = start
                if len(element):
                    untexted.append(element)
        for element in reversed(untexted):  # a table row: the line of its first cell
            self.lines[element] = self.lines.get(element[0], start)

    def _line_rows(self, table: Element, start: int) -> None:
        """A Markdown table's rows, one a line: the header, the rule under it, then the body;
        each cell on its row's line (two cells of the same text on two rows keep theirs)."""
        rows = table.findall("thead/tr") + table.findall("tbody/tr")
        for index, row in enumerate(rows):
            line = start + (index + 1 if index else 0)
            self.lines[row] = line
            for cell in row:
                self.lines[cell] = line

    def _new_elements(self, parent: Element, count: int,
                      mark: int) -> list[tuple[Element, Element]]:
        """(element, its parent) for each element without a line below parent, in document
        order: the children from count on, and what the last old child gained at its end.
        The last old child itself, if it has no line, is an outer processor's still being
        made: that processor gives it its line."""
        found: list[tuple[Element, Element]] = []
        spine, fresh = (parent[count - 1] if count else None), list(parent[count:])
        while spine is not None:
            children = list(spine)
            old = len(children)
            while old and self.serial.get(children[old - 1], mark) >= mark:
                old -= 1  # made by this block: without a line yet, or lined after mark
            # What a deeper element gained stands before what this one gained after it.
            found = [pair for child in children[old:]
                     for pair in _with_parents(child, spine)] + found
            spine = children[old - 1] if old else None
        return found + [pair for child in fresh for pair in _with_parents(child, parent)]

    def _note_footnote(self, name: str, note: str, text: str, start: int) -> None:
        """A footnote is parsed after the document: its line is kept from its definition."""
        mark = f"[^{name}]:"
        index = next((number for number, line in enumerate(text.split("\n"))
                      if line.lstrip().startswith(mark)), 0)
        self.footnotes.setdefault(note, start + index)

    def cut(self, text: str) -> int | None:
        """The line of text, cut from the block the innermost processor is reading."""
        popped = next((blocks.popped for blocks in reversed(self.active) if blocks.popped),
                      None)
        if popped is None or popped[1] is None:
            return None
        block, start, skip = popped[:3]
        cut_at = len(block) - len(text)
        # A piece cut whole: the rest after a heading, the part before it.
        if text and block.endswith(text) and (cut_at == 0 or block[cut_at - 1] == "\n"):
            index = block.count("\n", 0, cut_at)
        elif text and block.startswith(text) and skip == 0:
            index = 0
        else:  # a piece with its indent or quote marks taken off: each line a line's end
            wanted = text.split("\n")
            first = next((number for number, line in enumerate(wanted) if line.strip()), 0)
            ending = wanted[first].rstrip() if wanted else ""
            if len(popped) < 4:
                popped.append(block.split("\n"))
            lines = popped[3]
            found = next((number for number in range(skip, len(lines))
                          if lines[number].rstrip().endswith(ending)), None)
            if found is None:
                found = next((number for number in range(len(lines))
                              if lines[number].rstrip().endswith(ending)), skip)
            index = max(0, found - first)
        popped[2] = max(skip, index + 1)
        return start + index

    def parse_chunk(self, parent: Element, text: str) -> None:
        start: int | None
        if parent is self.md.parser.root:
            start = 0
        elif self.active:
            start = self.cut(text)
        else:  # a footnote, parsed after the document
            start = self.footnotes.get(text)
        pieces, line = text.split("\n\n"), start
        starts: list[int | None] = []
        for piece in pieces:
            starts.append(line)
            if line is not None:
                line += piece.count("\n") + 2
        self.parse_blocks_with_lines(parent, _Blocks(pieces, starts, self))

    def parse_blocks_with_lines(self, parent: Element, blocks: list[str]) -> None:
        if not isinstance(blocks, _Blocks):
            blocks = _Blocks(blocks, [self.cut(block) for block in blocks], self)
        if parent not in self.lines and blocks.starts and blocks.starts[0] is not None \
                and not len(parent) and not parent.text:
            self.lines[parent] = blocks.starts[0]  # a list item, a quote, a definition
        self.active.append(blocks)
        try:
            assert self.parse_blocks is not None, "set by SourceLines.extendMarkdown"
            self.parse_blocks(parent, blocks)
        finally:
            self.active.pop()

    def source_line(self, line: int) -> int:
        return self.origin[min(line, len(self.origin) - 1)] if self.origin else line


def _with_parents(root: Element, holder: Element) -> list[tuple[Element, Element]]:
    """(element, its parent) for root and everything below it, in document order."""
    pairs, pending = [], [(root, holder)]
    while pending:
        element, parent = pending.pop()
        pairs.append((element, parent))
        pending.extend((child, element) for child in reversed(element))
    return pairs


def _align(before: list[str], after: list[str], origin: list[int], kind: str,
           stash: list, stashed: int) -> list[int]:
    """The source line of each line after a preprocessor, from those before it.

    Lines are kept as they were, blank lines added, and a run of lines replaced by one
    placeholder line whose stashed HTML holds as many line breaks as the run has lines (less
    the two fences of a code block, less one for raw HTML).
    """
    def at(index):
        return origin[min(index, len(origin) - 1)] if origin else index

    result, index = [], 0
    for line in after:
        placeholder = _PLACEHOLDER.fullmatch(line.strip())
        if index < len(before) and line == before[index]:
            result.append(at(index))
            index += 1
        elif placeholder and int(placeholder[1]) >= stashed:
            result.append(at(index))
            text = stash[int(placeholder[1])]
            text = text if isinstance(text, str) else ""
            index += text.count("\n") + (2 if kind == _CODE else 1)
        elif not line.strip():
            result.append(at(index))
        else:  # not expected: find the line again further on
            found = next((number for number in range(index, len(before))
                          if before[number] == line), None)
            result.append(at(index if found is None else found))
            index = index if found is None else found + 1
    return result


class _Start(markdown.preprocessors.Preprocessor):
    def __init__(self, md, tracker: _Tracker):
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        self.tracker.origin = list(range(len(lines)))
        return lines


class _Mark(markdown.treeprocessors.Treeprocessor):
    """Writes each element's source line into the HTML, to be read back by lined_elements."""

    def __init__(self, md, tracker: _Tracker):
        super().__init__(md)
        self.tracker = tracker

    def run(self, root: Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        block_level = markdown.postprocessors.RawHtmlPostprocessor(self.md).isblocklevel
        for element, line in self.tracker.lines.items():
            if element is root:
                continue
            line = self.tracker.source_line(line)
            placeholder = _PLACEHOLDER.fullmatch(element.text or "") \
                if element.tag == "p" and not len(element) and not element.attrib else None
            number = int(placeholder[1]) if placeholder else len(stash)
            if number < len(stash) and isinstance(stash[number], str) \
                    and block_level(stash[number]):
                stash[number] = f"<!--{LINE_COMMENT}{line}-->{stash[number]}"
            else:
                element.set(LINE_ATTRIBUTE, str(line))


def lined_elements(body: Element) -> dict[Element, int]:
    """Each element's source line (0 = the Markdown's first), its marks taken out of body.

    An element Markdown made has its line; one inside it (a link, an abbreviation, raw HTML)
    the line of the element around it plus the line breaks of the text before it.
    """
    lines: dict[Element, int] = {}
    line: int | None = None  # None: outside any element whose line is known
    own_lines: set[Element] = set()

    def visit(element: Element) -> None:
        nonlocal line
        own = element.attrib.pop(LINE_ATTRIBUTE, None)
        if _is_line(own):
            line = int(own)
            own_lines.add(element)
        if line is not None:
            lines[element] = line
            line += (element.text or "").count("\n")
        index = 0
        while index < len(element):
            child = element[index]
            if child.tag is Comment and (child.text or "").startswith(LINE_COMMENT):
                mark = (child.text or "")[len(LINE_COMMENT):]
                line = int(mark) if _is_line(mark) else line
                _remove_keeping_tail(element, index)
                continue
            visit(child)
            if child in own_lines:
                line = None  # what follows a block is placed by its own mark
            elif line is not None:
                line += (child.tail or "").count("\n")
            index += 1

    visit(body)  # recursive: prepare/parse.py refuses a tree nested deeper than MAX_NESTING first
    return lines


def _is_line(mark: str | None) -> TypeGuard[str]:
    """A mark this module wrote; an author's look-alike (raw HTML may hold anything) is not
    read as a number Python refuses."""
    return mark is not None and mark.isascii() and mark.isdigit() and len(mark) <= 9


def _remove_keeping_tail(parent: Element, index: int) -> None:
    tail = parent[index].tail or ""
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail or None
    del parent[index]
