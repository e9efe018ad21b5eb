"""Number pages phase: each page marked where its PDF's pages begin, and listed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..errors import Diagnostics
from ..pdf.semantics import printed_footnote_links
from ..prepare.parse import Handout
from .markers import (
    PAGE_MARKER_ID,
    PlaceNotFound,
    article_places,
    packet_page_list_html,
    with_markers_and_anchors,
    without_page_list_place,
)
from .starts import PageStart


@dataclass(frozen=True)
class MarkedPage:
    """A handout's page numbered: as its EPUB holds it, and as dist/ publishes it."""

    numbered: str  # a marker where each page of its PDF begins, and the Printed pages list
    published: str  # the same, with where the pages of the packets that hold it begin


def mark_page(page_html: str, outcome, handout: Handout, diagnostics: Diagnostics,
              anchors: Sequence[tuple[PageStart, str]] = ()) -> MarkedPage:
    """The staged page, numbered: a marker where each PDF page begins and the Printed pages
    list; published, also with ``anchors``, where the pages of the packets that hold it begin.

    ``outcome`` is its PDF's (rendered or reused): without a PDF there are no pages to mark.
    """
    if outcome.failed or not outcome.page_starts:
        unmarked = without_page_list_place(page_html)
        return MarkedPage(unmarked, unmarked)
    labels = handout.labels

    def label_of(page: int) -> str:
        return labels.page_marker.format(page=page)

    try:
        numbered, published = with_markers_and_anchors(
            page_html, outcome.page_starts, label_of, labels.page_list,
            outcome.job.profile.pdf_path(handout.slug), anchors)
    except PlaceNotFound as error:  # the page's HTML reads otherwise than a browser reads it
        diagnostics.warn(handout.source.path, None, f"the page numbers were left out of "
                         f"{handout.slug}.html: {error}. A template of the project's own that "
                         "leaves an element for the browser to close (a <p> holding a list, "
                         "say) does this: close every element in templates/; if there is "
                         "none, please report it")
        unmarked = without_page_list_place(page_html)
        return MarkedPage(unmarked, unmarked)
    if published is None:
        diagnostics.warn(handout.source.path, None, f"the links from its packets' pages "
                         f"into {handout.slug}.html were left out: the page's HTML could "
                         "not be followed to where those pages begin")
        published = numbered
    return MarkedPage(numbered, published)


def check_printed_page_links(handouts: Sequence[Handout], pages: Mapping[str, int],
                              diagnostics: Diagnostics, strict: bool = False) -> None:
    """A warning (with strict, an error) at each link to a printed page ("#page-4",
    "rules.html#page-2") that the handout's PDF does not have: an edit elsewhere can take a
    page away. ``pages``: each handout's count, as its first profile's PDF has them (a
    handout whose PDF was not made is not in it)."""
    report = diagnostics.error if strict else diagnostics.warn
    for handout in handouts:
        # A footnote's print copy (transforms/footnotes.py) repeats its links: checked once.
        copies = printed_footnote_links(handout.body)
        for link in handout.body.iter("a"):
            parts = urlsplit(link.get("href") or "")
            printed = PAGE_MARKER_ID.fullmatch(unquote(parts.fragment))
            path = unquote(parts.path)
            slug = path.removesuffix(".html") if path.endswith(".html") else path or handout.slug
            if (link in copies or parts.scheme or parts.netloc or printed is None
                    or slug not in pages or 1 <= int(printed[1]) <= pages[slug]):
                continue
            whose = "this handout's" if slug == handout.slug else f"{slug}'s"
            report(handout.source.path, handout.line(link),
                   f"the link to #{printed[0]} leads to page {int(printed[1])} of {whose} "
                   f"PDF, which has {pages[slug]} page(s): link to a page it has, or to a "
                   "heading's id")


def article_path(outcome) -> tuple[int, ...] | None:
    """Where the page's <article> is, as its PDF's page starts say; None if they do not."""
    return next((start.path[:start.article] for start in outcome.page_starts
                 if start.article), None)


def packet_anchor(packet_slug: str, page: int) -> str:
    """The id of where a packet's page begins in a handout's page: "--", which no heading's
    id has, so that it never meets one of the author's."""
    return f"{packet_slug}--page-{page}"


def packets_anchors(packets: Sequence[tuple[str, list[PageStart]]], pages_html: dict[str, str],
                    article_paths: dict[str, tuple[int, ...]]
                    ) -> dict[str, list[tuple[PageStart, str]]]:
    """For each handout, where each page that begins in it of each packet (slug, its PDF's
    page starts) begins."""
    anchors: dict[str, list[tuple[PageStart, str]]] = {}
    for packet_slug, starts in packets:
        for slug, places in packet_anchors(packet_slug, starts, pages_html,
                                           article_paths).items():
            anchors.setdefault(slug, []).extend(places)
    return anchors


def packet_anchors(packet_slug: str, starts: list[PageStart], pages_html: dict[str, str],
                   article_paths: dict[str, tuple[int, ...]]
                   ) -> dict[str, list[tuple[PageStart, str]]]:
    """For each handout of the packet, where each packet page that begins in it begins;
    ``article_paths``: where each handout's <article> is (else its page is parsed)."""
    anchors: dict[str, list[tuple[PageStart, str]]] = {}
    articles = dict(article_paths)
    for start in starts:
        if start.part not in articles:
            articles[start.part] = article_places(pages_html[start.part])[0]
        anchors.setdefault(start.part, []).append(
            (start.from_body(articles[start.part]), packet_anchor(packet_slug, start.page)))
    return anchors


def packet_page_list(packet_slug: str, starts: list[PageStart], count: int, labels,
                     pdf_href: str) -> str:
    """The packet's page's Printed pages list: each page with words, linked where it begins
    (the cover and contents: this page's title)."""
    first_of = {start.page: start.part for start in starts}
    first_text = min(first_of, default=count + 1)
    links = [(page, f"{first_of[page]}.html#{packet_anchor(packet_slug, page)}"
              if page in first_of else "#title")
             for page in range(1, count + 1) if page in first_of or page < first_text]
    return packet_page_list_html(links, labels.page_list,
                                 lambda page: labels.page_marker.format(page=page), pdf_href)
