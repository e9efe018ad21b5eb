"""Where each printed page begins in the HTML page it was laid out from: read from WeasyPrint.

The PDF is laid out from the staged HTML page itself, so a place in WeasyPrint's element tree
is a place in that page: the path of child positions from <body> (comments count, as in
the page), which of the element's own text runs (0: before its first child, n: after its
n-th), and the character in that run. page_numbers/markers.py writes the markers there.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from ..html_classes import has_class
from ..pdf.semantics import is_artifact, parent_map

# Inserted by WeasyPrint after the part of a word it hyphenated (the hyphenate-character).
HYPHENS = ("\u2010", "-", "\u00ad")
# A marker inside one of these would become part of its name ("Page 5 Introduction") or its
# code: it goes before the element instead.
NAMED_BY_CONTENT = frozenset({"a", "summary", "button", "label", "h1", "h2", "h3", "h4", "h5",
                              "h6", "caption", "pre", "code", "abbr", "dfn", "q", "sup", "sub"})
# Elements that cannot hold a <span> among their children: a marker goes before them too.
NO_PHRASING = frozenset({"table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl",
                         "colgroup", "select", "details", "figure"})
SCREEN_HIDDEN = ("print-only", "figure-description")  # screen.css: display: none
# Pseudo-elements whose text CSS generates (::first-letter and ::first-line are the page's).
GENERATED = ("::before", "::after", "::marker", "::footnote-call", "::footnote-marker")


@dataclass(frozen=True)
class PageStart:
    """The place where one printed page's first word is, in the page's HTML."""

    page: int  # 1-based, as the folio prints it
    path: tuple[int, ...]  # child positions from <body> (from the <article>: see below)
    run: int  # the element's own text runs: 0 its text, n the tail of its n-th child
    offset: int  # characters into that run
    article: int = 0  # how many of the path's steps lead to its <article>, if in one
    part: str = ""  # a packet's: the handout whose <article> the path starts from

    def in_article(self, part: str, first_page: int) -> PageStart:
        """The same place from its <article>, numbered from first_page: a packet's part."""
        return PageStart(self.page + first_page - 1, self.path[self.article:], self.run,
                         self.offset, 0, part)

    def from_body(self, article_path: tuple[int, ...]) -> PageStart:
        """A place in an <article> (in_article's), in a page whose <article> is there."""
        return PageStart(self.page, (*article_path, *self.path), self.run, self.offset,
                         len(article_path))

    def as_json(self) -> list:
        return [self.page, list(self.path), self.run, self.offset, self.article, self.part]

    @classmethod
    def from_json(cls, data: list) -> PageStart:
        page, path, run, offset, article, part = data
        return cls(int(page), tuple(int(step) for step in path), int(run), int(offset),
                   int(article), str(part))


def page_starts(document, html_root) -> list[PageStart]:
    """One PageStart for each page of WeasyPrint's ``document`` that shows any of the page's
    own words, in page order; html_root is the tree it was laid out from."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    body = html_root.find("body")
    if body is None:
        return []
    parent_of = parent_map(html_root)
    laid_out = _TextPlaces()
    starts = []
    for number, page in enumerate(document.pages, 1):
        start: tuple[Element, int, int] | None = None
        decoration = None  # a page of decorative pictures only begins before the first
        for box, element in _own_boxes(page._page_box, body, parent_of):
            if isinstance(box, ReplacedBox):
                if is_artifact(element):  # a QR code, a rule: not what the page begins with
                    decoration = decoration or _before(element, parent_of)
                else:  # a page that begins with a picture (a figure): before it
                    start = start or _before(element, parent_of)
                continue
            place = laid_out.take(element, box.text)
            if start is None and place is not None:
                start = place
        start = start or decoration
        if start is not None:
            element, run, offset = _visible_place(start[0], start[1], start[2], parent_of,
                                                  body)
            path = path_from(body, element, parent_of)
            starts.append(PageStart(number, path, run, offset,
                                    _article_depth(element, body, parent_of)))
    return starts


def _own_boxes(page_box, body, parent_of):
    """The page's text boxes and pictures of elements inside <body>, in layout order; nothing
    ::before, ::after or ::marker make (not in the page's text), no margin boxes (running
    headers)."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    root_box = page_box.children[0] if page_box.children else None
    if root_box is None:
        return
    for box in root_box.descendants():
        element = getattr(box, "element", None)
        if element is None or (box.element_tag or "").endswith(GENERATED) \
                or not _inside(element, body, parent_of):
            continue
        if isinstance(box, ReplacedBox) and element is not body:
            yield box, element
        elif getattr(box, "text", None):
            yield box, element


def _inside(element, body, parent_of) -> bool:
    while element is not None:
        if element is body:
            return True
        element = parent_of.get(element)
    return False


class _TextPlaces:
    """Counts, for each element, the characters of its own text laid out so far.

    Spaces left out, every character of an element's own text is laid out once, in order,
    however its lines are cut: at a space, after a dash, between two Chinese characters,
    inside a long address, or inside a word, hyphenated (the hyphen WeasyPrint adds there is
    not in the text). A table header repeated on the next page is the same characters again,
    found by there being none left.
    """

    def __init__(self) -> None:
        self.taken: dict[Element, int] = {}  # characters laid out
        self.in_word: dict[Element, bool] = {}  # its last box ended inside a hyphenated word
        self.places: dict[Element, list[tuple[int, int, str]]] = {}  # its own text's

    def take(self, element: Element, text: str) -> tuple[Element, int, int] | None:
        """The place (element, run, offset) of the character ``text`` begins with, or None."""
        places = self.places.get(element)
        if places is None:
            places = self.places[element] = _character_places(element)
        characters = [character for character in text if not _skipped(character)]
        taken = self.taken.get(element, 0)
        if not characters or taken >= len(places):
            return None  # nothing of the page's own, or a table header repeated
        count = len(characters)
        last = taken + count - 1
        hyphenated = characters[-1] in HYPHENS and (
            last >= len(places) or places[last][2] != characters[-1])
        self.taken[element] = min(taken + count - hyphenated, len(places))
        run, offset = places[taken][:2]
        if self.in_word.get(element):  # the rest of a word cut at the line's end before
            offset = _word_start(element, run, offset)
        self.in_word[element] = hyphenated
        return element, run, offset


def _skipped(character: str) -> bool:
    """Not counted: spaces (collapsed or cut at line ends) and soft hyphens (dropped)."""
    return character.isspace() or character == "\u00ad"


def _character_places(element) -> list[tuple[int, int, str]]:
    """(run, offset, character) of every counted character of the element's own text."""
    runs = [element.text or ""] + [child.tail or "" for child in element]
    return [(run, offset, character) for run, text in enumerate(runs)
            for offset, character in enumerate(text) if not _skipped(character)]


def _word_start(element, run: int, offset: int) -> int:
    """Where the word holding that character begins, in its run."""
    text = (element.text if run == 0 else element[run - 1].tail) or ""
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset


def _visible_place(element, run, offset, parent_of, body):
    """The place, moved to just before any element a marker must not be inside."""
    while True:
        blocker = None
        for ancestor in [element, *_ancestors(element, parent_of, body)]:
            hidden = any(has_class(ancestor, name) for name in SCREEN_HIDDEN)
            if hidden or _tag(ancestor) in NAMED_BY_CONTENT:
                blocker = ancestor  # the outermost one wins: keep looking up
        if blocker is None and _tag(element) in NO_PHRASING and element is not body:
            blocker = element
        if blocker is None:
            return element, run, offset
        element, run, offset = _before(blocker, parent_of)


def _before(element, parent_of):
    parent = parent_of[element]
    index = list(parent).index(element)
    return parent, index, len((parent[index - 1].tail if index else parent.text) or "")


def _ancestors(element, parent_of, body):
    element = parent_of.get(element)
    while element is not None and element is not body:
        yield element
        element = parent_of.get(element)


def _article_depth(element, body, parent_of) -> int:
    """The length of the path to the nearest <article> holding element; 0 if none."""
    while element is not None and element is not body:
        if _tag(element) == "article":
            return len(path_from(body, element, parent_of))
        element = parent_of.get(element)
    return 0


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2]


def path_from(body, element, parent_of) -> tuple[int, ...]:
    """The element's child positions from <body>: a place both parsers of the page agree on."""
    steps = []
    while element is not body:
        parent = parent_of[element]
        steps.append(list(parent).index(element))
        element = parent
    return tuple(reversed(steps))
