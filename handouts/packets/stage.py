"""Stage packets phase: each packet's print document staged, its PDF planned, its page written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..build_context import BuildContext
from ..cache import digest, file_digest
from ..config import Packet
from ..epub.stage import packet_ebook
from ..page_numbers.markers import with_page_list, without_page_list_place
from ..page_numbers.stage import packet_page_list
from ..pages.render import Download, human_size
from ..pdf.parallel import PdfDone, PdfJob
from ..pdf.stage import pdf_settings
from ..prepare.parse import Handout
from ..reports import record_pdf
from .document import (
    PacketPart,
    booklet_pdf_name,
    packet_article,
    packet_parts,
    page_style,
    parts_folder,
    print_source_name,
    settings_file,
)
from .pdf import PacketPlan, plan_packet
from .render import PACKET_TEMPLATE, PacketEntry, render_packet_page, render_packet_print


@dataclass
class StagedPacket:
    packet: Packet
    parts: list[PacketPart]
    path: Path  # its print document, in staging
    pages_html: dict[str, str]  # its handouts' pages, unmarked: the articles it holds
    _articles: list[Markup] | None = None

    def articles(self) -> list[Markup]:
        """Each handout's <article>, as the packet holds it: made when first asked for."""
        if self._articles is None:
            self._articles = [packet_article(self.pages_html[part.handout.slug], part.handout,
                                             self.packet) for part in self.parts]
        return self._articles


def stage_packet(context: BuildContext, packet: Packet, handouts: list[Handout],
                 pages_html: dict[str, str], sources: dict[str, list[str]]) -> StagedPacket:
    """A packet's print document: its handouts' articles after a cover and contents.

    The last build's is kept when nothing it is made from changed (the code, templates and
    settings; the packet; its handouts' pages), which spares a build that renders no PDF of
    the packet the parsing of every handout's page. ``sources`` records it for the next.
    """
    staging, labels = context.staging, context.labels
    parts = packet_parts(packet, handouts)
    name = print_source_name(packet)
    staged = StagedPacket(packet, parts, staging.path(name), pages_html)
    inputs = digest(context.made_with.encode(), repr(packet).encode(),
                    repr([(part.anchor, part.notes, part.noted_sections, part.handout.meta)
                          for part in parts]).encode(),
                    *(pages_html[part.handout.slug].encode() for part in parts))
    if context.manifest.reusable_source(name, inputs):
        staging.copy(staging.dist / name, name)
        # Rendered without its articles and dropped: the labels it uses are asked for, so a
        # missing translation is reported as in a build that renders it.
        render_packet_print(context.environment, packet, parts, [], context.config, labels,
                            page_style(packet, labels))
    else:
        staging.write_text(name, render_packet_print(
            context.environment, packet, parts, staged.articles(), context.config, labels,
            page_style(packet, labels)))
    sources[name] = [inputs, file_digest(staged.path)]
    return staged


def packet_plan(context: BuildContext, job: PdfJob, staged: StagedPacket) -> PacketPlan:
    """What a packet job's PDF is assembled from (packets/pdf.py)."""
    packet, labels, config = staged.packet, context.labels, context.config
    parts, source, articles = staged.parts, staged.path, staged.articles()
    style = page_style(packet, labels)

    def document(parts: list[PacketPart], articles: list[Markup], **part: Any) -> str:
        return render_packet_print(context.environment, packet, parts, articles, config,
                                   labels, style, **part)

    template = context.environment.get_template(PACKET_TEMPLATE).filename
    assert template is not None, "templates are files"
    return plan_packet(packet, parts, articles, source, document, Path(template),
                       parts_folder(packet, job.profile), config.lang, str(style),
                       # A part is the same in a booklet or not: only the packet is padded.
                       pdf_settings(replace(job, booklet_path=None)), context.staging.root,
                       context.manifest)


def packet_page(context: BuildContext, staged: StagedPacket, outcomes: list[PdfDone],
                article_paths: dict[str, tuple[int, ...]]) -> PacketEntry:
    """A packet's PDFs reported and recorded, its EPUB made, and its page written with the
    Printed pages list.
    ``article_paths``: where each handout's <article> is in its page (page_numbers/stage.py)."""
    packet, parts, config, labels = staged.packet, staged.parts, context.config, context.labels
    diagnostics, settings = context.diagnostics, settings_file(config)
    downloads: list[Download] = []
    booklets: list[Download] = []
    reported: set[str] = set()
    for outcome in outcomes:
        if outcome.failed:
            diagnostics.error(settings, packet.line,
                              f"packet '{packet.slug}': {outcome.failed}")
            continue
        for message in [f"refused to load {url}: only files inside the project are read"
                        for url in outcome.refused] + [
                f"WeasyPrint: {message}" for message in outcome.log]:
            if message not in reported:
                reported.add(message)
                report = diagnostics.error if message.startswith("refused") else \
                    diagnostics.warn
                report(settings, packet.line, f"packet '{packet.slug}': {message}")
        downloads.append(record_pdf(outcome, settings, context.strict, context.result))
        if outcome.job.booklet_path:
            name = booklet_pdf_name(packet, outcome.job.profile)
            booklets.append(Download(outcome.job.profile, name, outcome.booklet_pages,
                                     human_size(outcome.job.booklet_path.stat().st_size),
                                     booklet=True))
    if not downloads:
        diagnostics.raise_errors()  # no PDF of it was made: no page to write
    entry = PacketEntry(packet, parts, f"{packet.slug}.html", downloads + booklets)
    first = outcomes[0]
    if not first.failed:  # its EPUB, with this page (without the list) as its cover
        cover = without_page_list_place(render_packet_page(context.environment, entry,
                                                           config, labels))
        entry.downloads += packet_ebook(context, packet, cover, parts, staged.pages_html,
                                        first, article_paths)
    page = render_packet_page(context.environment, entry, config, labels)
    if not first.failed:
        page = with_page_list(page, packet_page_list(
            packet.slug, first.page_starts, first.pages, labels,
            first.job.profile.pdf_path(packet.slug)))
    context.staging.write_text(f"{packet.slug}.html", without_page_list_place(page))
    return entry
