"""The words the templates write around the author's text, by language."""

from __future__ import annotations

import datetime

ENGLISH = {
    "skip_to_content": "Skip to content",
    "site_navigation": "Site",
    "all_handouts": "All handouts",
    "download_pdf": "Download PDF",
    "download_pdf_of": "Download the PDF of",
    "made_with": "Made with Handouts.",
    "contents": "Contents",
    "content_note": "Content note",
    "committee": "Committee",
    "topic": "Topic",
    "authors": "Authors",
    "date": "Date",
    "handouts": "Handouts",
    "index_description": "Research reports, study guides and rules for",
    "read_online": "Read online",
    "page": "page",
    "pages": "pages",
}
MONTHS = ("January February March April May June July August September October "
          "November December").split()


def labels_for(lang: str) -> dict[str, str]:
    """Labels for a language; English until the catalogues of other languages exist."""
    return ENGLISH


def long_date(date: datetime.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
