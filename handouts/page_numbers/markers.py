"""Print page numbers in the HTML page: a marker where each page of the PDF begins, and a list.

The places come from page_numbers/starts.py, as paths in the element tree WeasyPrint laid out. The
page's own text is kept byte for byte: the markers are written into it at the source
positions of those places, found by reading the page with the standard library's HTML parser,
which sees the same elements as the browser parser where Handouts wrote the page (every
element closed; the tests check the two agree on every page they build).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser

from ..html_classes import has_class
from ..pdf.semantics import parent_map
from .starts import PageStart, path_from

# The markers' ids: "## Page 5" is given page-5-2 instead (transforms/headings.py), an
# author's id of this form on another element is an error, and "#page-5" links to the marker
# (in the PDF, to the top of page 5: pdf/render.py).
PAGE_MARKER_ID = re.compile(r"page-([0-9]{1,6})")  # a million pages: no PDF has more
PAGE_NUMBER = re.compile(r"[0-9]{1,6}")
PAGE_LIST_PLACE = "<!-- handouts:page-list -->"  # where handout.html wants the list
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class PlaceNotFound(Exception):
    """A page start names a place the page does not have: the page is not the one laid out."""


def marker_html(page: int, label: str) -> str:
    """A page break marker: a screen reader says 'Page 5'; the screen shows a small 5.

    Empty: the number is drawn by screen.css from data-page, so that it is never part of
    the text around it (a term copied, a heading's text, a search for "5"). Named by its
    title, which is also its tooltip: axe-core (4.14) does not see DPUB roles when it checks
    which elements may have an aria-label, and takes this span for a generic one.
    """
    return (f'<span class="page-marker" role="doc-pagebreak" id="page-{page}" '
            f'title="{html.escape(label)}" data-page="{page}"></span>')


def page_list_html(pages: list[int], heading: str, label_of, pdf_href: str) -> str:
    """The Printed pages list: a link to each page's marker; data-pages-of names the PDF."""
    items = "".join(f'<li><a href="#page-{page}" aria-label="{html.escape(label_of(page))}">'
                    f"{page}</a></li>" for page in pages)
    return (f'<nav class="page-list" aria-labelledby="page-list-heading" '
            f'data-pages-of="{html.escape(pdf_href)}">'
            f'<h2 id="page-list-heading">{html.escape(heading)}</h2>'
            f'<ol>{items}</ol></nav>')


def with_page_markers(page_html: str, starts: list[PageStart], label_of, heading: str,
                      pdf_href: str) -> str:
    """The page with a marker at each start and the Printed pages list where the template
    asks."""
    return with_markers_and_anchors(page_html, starts, label_of, heading, pdf_href, ())[0]


def with_markers_and_anchors(page_html: str, starts: list[PageStart], label_of, heading: str,
                             pdf_href: str, anchors: Sequence[tuple[PageStart, str]]
                             ) -> tuple[str, str | None]:
    """The page with a marker at each start and the Printed pages list where the template
    asks; and the same with ``anchors`` too, (place, id) of packet pages, link targets that
    say nothing (None if one of their places is not in the page). One walk finds both."""
    found = _source_positions(page_html, [*starts, *(place for place, _ in anchors)])
    missing = [start for start in starts if start not in found]
    if missing:
        raise PlaceNotFound(f"page {missing[0].page}'s first word is not in the page at "
                            f"{missing[0].path}")
    markers = [(found[start], start.page, marker_html(start.page, label_of(start.page)))
               for start in starts]
    listing = page_list_html([start.page for start in starts], heading, label_of,
                             pdf_href) if starts else ""
    numbered = with_page_list(_inserted(page_html, markers), listing)
    if not anchors:
        return numbered, numbered
    if any(place not in found for place, _ in anchors):
        return numbered, None
    targets = [(found[place], place.page, f'<span class="packet-page-anchor" id="{anchor}">'
                '</span>') for place, anchor in anchors]
    return numbered, with_page_list(_inserted(page_html, markers + targets), listing)


def _inserted(page_html: str, inserts: list[tuple[int, int, str]]) -> str:
    """The page with each (position, page, text) written in at its position."""
    # From the end, so that earlier positions stay true; of two pages at one place (a blank
    # page's, after the text), the later one first, so that the earlier ends up before it.
    for position, _, text in sorted(inserts, key=lambda insert: (-insert[0], -insert[1])):
        page_html = page_html[:position] + text + page_html[position:]
    return page_html


def packet_page_list_html(links: list[tuple[int, str]], heading: str, label_of,
                          pdf_href: str) -> str:
    """A packet's page's Printed pages list: each page's link into its handout's page."""
    items = "".join(f'<li><a href="{html.escape(href)}" aria-label="'
                    f'{html.escape(label_of(page))}">{page}</a></li>' for page, href in links)
    return (f'<nav class="page-list packet-page-list" aria-labelledby="page-list-heading" '
            f'data-pages-of="{html.escape(pdf_href)}">'
            f'<h2 id="page-list-heading">{html.escape(heading)}</h2><ol>{items}</ol></nav>')


def with_page_list(page_html: str, listing: str) -> str:
    """The page with ``listing`` where the template asks for the Printed pages list."""
    return page_html.replace(PAGE_LIST_PLACE, listing, 1)


def article_places(page_html: str, wanted: str = "handout") -> tuple[tuple[int, ...], int, int]:
    """The path of the page's <article class="{wanted}"> from <body>, and the place at its end
    (its last run and that run's length): where a page with none of its words is marked."""
    import tinyhtml5

    document = tinyhtml5.parse(page_html, namespace_html_elements=False)
    body = document.find("body")
    article = next((element for element in body.iter("article")
                    if has_class(element, wanted)), None)
    if article is None:
        raise PlaceNotFound(f'the page has no <article class="{wanted}">')
    last = (article[-1].tail if len(article) else article.text) or ""
    return path_from(body, article, parent_map(document)), len(article), len(last)


def without_page_list_place(page_html: str) -> str:
    """The page with no list: its PDF was not made (an error), or it has no pages."""
    return with_page_list(page_html, "")


def _source_positions(page_html: str, starts: list[PageStart]) -> dict[PageStart, int]:
    """Where in the page's source each start is (a start the page does not have is left out)."""
    walker = _Walker(page_html, starts)
    walker.feed(page_html)
    walker.close()
    return walker.found


class _Walker(HTMLParser):
    """Follows the page's elements as paths from <body>, and finds each start's source offset."""

    def __init__(self, source: str, starts: list[PageStart]):
        super().__init__(convert_charrefs=False)
        # getpos() counts lines by "\n" alone (not by the other line ends splitlines knows,
        # U+2028 or a form feed, say, which an author's text may hold).
        self.line_starts = [0]
        for line in source.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.wanted: dict[tuple, list[PageStart]] = {}
        for start in starts:
            self.wanted.setdefault((start.path, start.run), []).append(start)
        self.found: dict[PageStart, int] = {}
        self.stack: list[list] = []  # [tag, path, children so far, characters of this run]
        self.in_body = False

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _child(self, tag: str | None) -> tuple[int, ...] | None:
        """A new child of the open element: its path; the run after it starts."""
        if not self.stack:
            return None
        top = self.stack[-1]
        path = (*top[1], top[2])
        top[2] += 1
        top[3] = 0
        return path

    def handle_starttag(self, tag, attrs):
        self._end_of_run()
        if not self.in_body:
            if tag == "body":
                self.in_body = True
                self.stack.append([tag, (), 0, 0])
            return
        path = self._child(tag)
        if tag not in VOID and path is not None:
            self.stack.append([tag, path, 0, 0])

    def handle_startendtag(self, tag, attrs):
        self._end_of_run()
        if self.in_body:
            self._child(tag)

    def handle_endtag(self, tag):
        self._end_of_run()
        if not self.in_body or tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if not self.stack:
            self.in_body = False

    def handle_comment(self, data):
        self._end_of_run()
        if self.in_body:
            self._child(None)  # a comment is a child in the browser's tree too

    def handle_data(self, data):
        self._text(data, len(data), literal=True)

    def handle_entityref(self, name):
        self._text(f"&{name};", len(html.unescape(f"&{name};")), literal=False)

    def handle_charref(self, name):
        self._text(f"&#{name};", len(html.unescape(f"&#{name};")), literal=False)

    def _text(self, raw: str, length: int, literal: bool):
        if not self.in_body or not self.stack:
            return
        top = self.stack[-1]
        for start in self.wanted.get((top[1], top[2]), ()):
            if start not in self.found and top[3] <= start.offset < top[3] + length:
                # Inside an entity only its start is a place: offsets count characters.
                self.found[start] = self._here() + (start.offset - top[3] if literal else 0)
        top[3] += length

    def _end_of_run(self):
        """A start at the end of the open element's run is where its next tag begins."""
        if not self.in_body or not self.stack:
            return
        top = self.stack[-1]
        for start in self.wanted.get((top[1], top[2]), ()):
            if start not in self.found and start.offset >= top[3]:
                self.found[start] = self._here()
