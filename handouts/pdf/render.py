"""Render a handout's HTML page to a tagged PDF/UA-1 file with WeasyPrint."""

from __future__ import annotations

import html
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import weasyprint

from ..defaults import STYLES
from ..page_numbers.markers import PAGE_MARKER_ID
from ..page_numbers.starts import PageStart, page_starts
from . import weasyprint_patches
from .fetcher import ProjectURLFetcher
from .page_labels import add_page_labels
from .profiles import STANDARD, Profile, load

STANDARD_PROFILE = load(STANDARD, STYLES / "profiles" / f"{STANDARD}.css")

WEASYPRINT_LOGGER = logging.getLogger("weasyprint")


@dataclass
class PdfResult:
    path: Path
    pages: int
    log: list[logging.LogRecord] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    loaded: dict[str, str] = field(default_factory=dict)  # the fetcher's: path -> sha256
    html_root: Element | None = None  # the page as WeasyPrint parsed it: the check reads it
    page_starts: list[PageStart] = field(default_factory=list)  # where each page begins


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def captured_weasyprint_log():
    """Collect WeasyPrint's warnings and errors so the build can show them with the file."""
    collector = _Collector()
    WEASYPRINT_LOGGER.addHandler(collector)
    propagate, WEASYPRINT_LOGGER.propagate = WEASYPRINT_LOGGER.propagate, False
    try:
        yield collector.records
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
        WEASYPRINT_LOGGER.propagate = propagate


def render_pdf(html_path: Path, pdf_path: Path, root: Path, paper: str,
               title: str, *, profile: Profile = STANDARD_PROFILE,
               base: Path | None = None) -> PdfResult:
    """Write pdf_path from html_path in the given print profile; only files in ``root`` (the
    build's staging folder) are read.

    Relative URLs resolve from ``base`` (a file beside the page's own), else from the page.
    """
    weasyprint_patches.install()
    fetcher = ProjectURLFetcher(root)
    # Content drawn with opacity goes into a group, outside the page's tagged content;
    # handouts are drawn opaque (a user's !important wins over every stylesheet).
    user_stylesheet = weasyprint.CSS(string=f"@page {{ size: {paper} }}\n"
                                     "* { opacity: 1 !important }\n" + _required_rules(profile))
    with captured_weasyprint_log() as records:
        page = weasyprint.HTML(
            string=with_profile(html_path.read_text(encoding="utf-8"), profile),
            base_url=str(base or html_path), url_fetcher=fetcher)
        document = page.render(stylesheets=[user_stylesheet], pdf_variant="pdf/ua-1")
        # The page's <title> names the conference too; the PDF's title is the handout's.
        document.metadata.title = title
        starts = page_starts(document, page.etree_element)
        _anchor_printed_pages(document)
        # Each page labelled with the number its folio prints (pdf/page_labels.py).
        document.write_pdf(pdf_path, pdf_variant="pdf/ua-1", finisher=add_page_labels)
    return PdfResult(pdf_path, len(document.pages), list(records), fetcher.refused,
                     fetcher.loaded, page.etree_element, starts)


def _anchor_printed_pages(document) -> None:
    """A link to a printed page ("#page-4": its marker's id, which the page gets only once
    the PDF is laid out) leads to the top of that page of this PDF."""
    for name in {name for page in document.pages for kind, name, _, _ in page.links
                 if kind == "internal"}:
        printed = PAGE_MARKER_ID.fullmatch(name)
        if printed and 1 <= int(printed[1]) <= len(document.pages):
            # As WeasyPrint's own anchors: (x1, y1, x2, y2), from the page's top left.
            document.pages[int(printed[1]) - 1].anchors.setdefault(name, (0, 0, 0, 0))


def _required_rules(profile: Profile) -> str:
    """What Handouts' own markup needs in print, whatever a project's own print.css says.

    A project may keep a print.css copied from an earlier version; a user's !important rule
    wins over every author rule, so these hold in any case.
    """
    rules = [
        # A source number's link keeps an area to click (the number has line-height 0).
        ".source-ref a { line-height: 1 !important }",
        # The contents' and content notes' headings are found by heading, not bookmarks.
        ".toc-label, .content-note-label { bookmark-level: none !important }"]
    if "figure-description" in profile.hidden_classes:  # printed by large print only
        rules.append(".figure-description { display: none !important }")
    return "\n".join(rules) + "\n"


def with_profile(page: str, profile: Profile) -> str:
    """The page with the profile's stylesheet last in its head.

    An author stylesheet, after print.css and the page's own <style>, so that its rules win
    over theirs at equal specificity (WeasyPrint's stylesheets= argument is a user stylesheet,
    which loses to every author rule). The rules are inlined so that the page needs nothing
    beside it; url() in them resolves from the page, as _static/… or assets/….
    """
    # A stylesheet cannot end the <style> element early: "</" is written as the escape "<\/".
    css = profile.stylesheet.read_text(encoding="utf-8").replace("</", "<\\/")
    style = f'<style media="print" data-profile="{html.escape(profile.name)}">{css}</style>\n'
    head_end = re.search(r"</head\s*>", page, re.IGNORECASE)
    if head_end is None:
        return style + page
    return page[:head_end.start()] + style + page[head_end.start():]
