"""A packet's print document (its cover, contents and handouts) and its page on the site."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..config import Config, Packet
from ..labels import Labels
from ..pages.render import STATIC, Download, render_template
from .document import PacketPart

PACKET_TEMPLATE = "packet-print.html"  # a packet's print document, and its PDF's parts


@dataclass
class PacketEntry:
    """A packet on the index page and on its own page."""

    packet: Packet
    parts: list[PacketPart]
    html_href: str
    downloads: list[Download]


def render_packet_print(environment: jinja2.Environment, packet: Packet,
                        parts: list[PacketPart], articles: list[Markup], config: Config,
                        labels: Labels, page_style: str, **part: Any) -> str:
    """The packet's print document; with ``part`` (front, page_numbers, part_style, stubs),
    one of the parts its PDF is assembled from."""
    return render_template(
        environment, PACKET_TEMPLATE, lang=config.lang, conference=config, labels=labels,
        static=STATIC, version=__version__, packet=packet, parts=parts, articles=articles,
        page_style=page_style, logo=config.logo, date=packet_date(packet, parts), **part)


def render_packet_page(environment: jinja2.Environment, entry: PacketEntry, config: Config, labels: Labels) -> str:
    return render_template(
        environment, "packet.html", lang=config.lang, conference=config, labels=labels,
        static=STATIC, version=__version__, packet=entry.packet, parts=entry.parts,
        downloads=entry.downloads, pdf_href=entry.downloads[0].href, current=entry.packet.slug,
        draft=False, date=packet_date(entry.packet, entry.parts))


def packet_date(packet: Packet, parts: list[PacketPart]) -> datetime.date | None:
    """The packet's own date, else the newest of its handouts' dates."""
    dates = [part.handout.meta.date for part in parts if part.handout.meta.date]
    return packet.date or (max(dates) if dates else None)
