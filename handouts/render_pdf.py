"""Render a handout's HTML page to a tagged PDF/UA-1 file with WeasyPrint."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint

from . import pdf_tagging
from .fetcher import ProjectURLFetcher

pdf_tagging.install()
WEASYPRINT_LOGGER = logging.getLogger("weasyprint")


@dataclass
class PdfResult:
    path: Path
    pages: int
    log: list[logging.LogRecord] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self):
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


def render_pdf(html_path: Path, pdf_path: Path, project_root: Path, paper: str,
               title: str) -> PdfResult:
    """Write pdf_path from html_path; only files inside project_root are read."""
    fetcher = ProjectURLFetcher(project_root)
    # Content drawn with opacity goes into a group, outside the page's tagged content;
    # handouts are drawn opaque (a user's !important wins over every stylesheet).
    user_stylesheet = weasyprint.CSS(
        string=f"@page {{ size: {paper} }}\n* {{ opacity: 1 !important }}")
    with captured_weasyprint_log() as records:
        document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher).render(
            stylesheets=[user_stylesheet], pdf_variant="pdf/ua-1")
        # The page's <title> names the conference too; the PDF's title is the handout's.
        document.metadata.title = title
        document.write_pdf(pdf_path, pdf_variant="pdf/ua-1")
    return PdfResult(pdf_path, len(document.pages), list(records), fetcher.refused)
