"""Record phase, e-books: an EPUB 3 of each handout and packet from its marked page, kept while unchanged."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import CachedPdf, Manifest, StagedDigests, digest, file_digest
from ..output import Staging
from ..packets.document import settings_file
from ..packets.render import packet_date
from ..page_numbers.markers import PlaceNotFound
from ..pages.render import Download, human_size
from ..project import EPUB_FOLDER
from .book import STYLE, EpubSource, epub_bytes

if TYPE_CHECKING:
    from ..build_context import BuildContext
    from ..config import Packet
    from ..labels import Labels
    from ..packets.document import PacketPart
    from ..page_numbers.starts import PageStart
    from ..pdf.parallel import PdfDone
    from ..prepare.parse import Handout

PRINTED_PAGE_LINK = re.compile(r'(<a\b[^>]*?) href="[^"#]*#page-\d+"')
NO_DATE = "1980-01-01T00:00:00Z"  # a handout without a date: the zip format's first day


class EpubKind:
    """What the index says an EPUB is: "EPUB e-book", in the page's language."""

    name = "epub"

    def label(self, labels: Labels) -> str:
        return labels.epub


EPUB = EpubKind()


class StagedAssets(Mapping[str, bytes]):
    """The staged assets/ files an EPUB may show, read when asked for; which were read."""

    def __init__(self, root: Path):
        self.root = root
        folder = root / "assets"
        self.names = sorted(path.relative_to(root).as_posix() for path in folder.rglob("*")
                            if path.is_file() and not path.is_symlink()) \
            if folder.is_dir() else []
        self.read: set[str] = set()

    def __getitem__(self, url: str) -> bytes:
        if url not in self.names:
            raise KeyError(url)
        self.read.add(url)
        return (self.root / url).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class EbookCosts:
    """What the e-book stage did in one build: for --verbose and the benchmarks."""

    made: int = 0
    kept: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return f"EPUB: {self.made} made, {self.kept} kept, {self.seconds:.2f} s"


@dataclass
class Ebook:
    """One EPUB to make: its source, and the digest of what else it is made with."""

    source: EpubSource
    made_with: str


def modified(date: datetime.date | None) -> str:
    """The EPUB's dcterms:modified: the front matter's date, so that builds agree byte for byte."""
    return f"{date.isoformat()}T00:00:00Z" if date else NO_DATE


def stage_epub(book: Ebook, staging: Staging, manifest: Manifest, pages: int,
               costs: EbookCosts) -> Download:
    """dist/epub/<slug>.epub, made, or the last build's when nothing it is made from changed."""
    started = time.perf_counter()
    source = book.source
    relative = f"{EPUB_FOLDER}/{source.slug}.epub"
    target = staging.path(relative)
    key = digest(book.made_with.encode(), STYLE.read_bytes(), repr(_identity(source)).encode())
    cached = manifest.reusable(relative, key, StagedDigests(staging.root))
    if cached is None or not manifest.restore(cached, target):
        assets = _assets_of(source)
        target.write_bytes(epub_bytes(source))
        loaded = {name: file_digest(staging.root / name) for name in sorted(assets.read)}
        cached = CachedPdf(key, file_digest(target), pages, loaded=loaded)
        manifest.keep(target, cached.sha256)
        costs.made += 1
    else:
        costs.kept += 1
    manifest.record(relative, cached)
    costs.seconds += time.perf_counter() - started
    return Download(EPUB, relative, pages, human_size(target.stat().st_size))


def _identity(source: EpubSource) -> tuple[object, ...]:
    """Everything of the source but its assets, which the manifest's ``loaded`` follows."""
    return (source.slug, source.page_html, source.page_source, source.modified,
            source.is_packet, source.conference, tuple(_identity(part) for part in source.parts))


def _assets_of(source: EpubSource) -> StagedAssets:
    assets = source.resources
    return assets if isinstance(assets, StagedAssets) else StagedAssets(Path("/nonexistent"))


@dataclass
class PacketPages:
    """A packet PDF's pages: where each begins in its handouts' articles, and how many."""

    starts: list[PageStart]  # from a handout's <article> (PageStart.in_article), part named
    count: int


def packet_source(slug: str, listing_html: str, handout_pages: list[tuple[str, str]],
                  pages: PacketPages, label_of: Callable[[int], str], pdf_href: str,
                  article_paths: dict[str, tuple[int, ...]], **rest: Any) -> EpubSource:
    """A packet's EPUB source: its page as the cover, each handout's page marked with the
    packet's pages. A page with none of their words is marked where it falls: the cover and
    contents at the cover's start, a blank page before a handout at that handout's start, a
    booklet's last pages after the last handout. ``article_paths``: where each handout's
    <article> is in its page, as its own page starts say (else its page is parsed)."""
    from ..page_numbers.markers import article_places, with_page_markers
    from ..page_numbers.starts import PageStart

    by_part: dict[str, list[PageStart]] = {part: [] for part, _ in handout_pages}
    for start in pages.starts:
        by_part.setdefault(start.part, []).append(start)
    firsts = [(min(start.page for start in by_part[part]), part)
              for part, _ in handout_pages if by_part[part]]
    covered = {start.page for start in pages.starts}
    front: list[int] = []
    before: dict[str, list[int]] = {part: [] for part, _ in handout_pages}
    after_all: list[int] = []
    for page in range(1, pages.count + 1):
        if page in covered:
            continue
        earlier = [part for first, part in firsts if first < page]
        later = [part for first, part in firsts if first > page]
        (before[later[0]] if earlier and later else after_all if earlier else front).append(page)
    last = firsts[-1][1] if firsts else None
    parts = []
    for part, page_html in handout_pages:
        path = article_paths.get(part) or article_places(page_html)[0]
        starts = [start.from_body(path) for start in by_part[part]]
        starts += [PageStart(page, path, 0, 0) for page in before[part]]
        if part == last and after_all:
            end_path, end_run, end_offset = article_places(page_html)
            starts += [PageStart(page, end_path, end_run, end_offset) for page in after_all]
        marked = with_page_markers(page_html, sorted(starts, key=lambda start: start.page),
                                   label_of, "", pdf_href)
        # A link to a page of the handout's own PDF: the packet numbers its pages anew.
        marked = PRINTED_PAGE_LINK.sub(r"\1", marked)
        parts.append(EpubSource(part, marked, rest["resources"], rest["page_source"],
                                rest["modified"], conference=rest["conference"]))
    cover_path = article_places(listing_html, "packet-page")[0]
    cover = with_page_markers(listing_html, [PageStart(page, cover_path, 0, 0)
                                             for page in front], label_of, "", pdf_href)
    return EpubSource(slug, cover, rest["resources"], rest["page_source"], rest["modified"],
                      is_packet=True, conference=rest["conference"], parts=tuple(parts))


def handout_ebook(context: BuildContext, handout: Handout, page_html: str,
                  pdf: PdfDone) -> list[Download]:
    """The handout's EPUB, its page numbers those of ``pdf``; [] when it cannot be made."""
    config, slug = context.config, handout.slug
    source = EpubSource(slug, page_html, StagedAssets(context.staging.root),
                        f"{pdf.job.profile.pdf_path(slug)} ({config.paper})",
                        modified(handout.meta.date), conference=config.name)
    try:
        return [stage_epub(Ebook(source, context.made_with), context.staging,
                           context.manifest, pdf.pages, context.result.ebooks)]
    except ValueError as error:  # Handouts' own fault: the page is as Handouts wrote it
        context.diagnostics.warn(handout.source.path, None, f"its EPUB was not made: "
                                 f"{error}; please report this")
        return []


def packet_ebook(context: BuildContext, packet: Packet, cover_html: str,
                 parts: list[PacketPart], pages_html: dict[str, str], pdf: PdfDone,
                 article_paths: dict[str, tuple[int, ...]]) -> list[Download]:
    """The packet's EPUB: its page as the cover, then its handouts, with the packet PDF's
    page numbers; [] when it cannot be made."""
    config, labels = context.config, context.labels
    href = pdf.job.profile.pdf_path(packet.slug)
    try:
        source = packet_source(
            packet.slug, cover_html,
            [(part.handout.slug, pages_html[part.handout.slug]) for part in parts],
            PacketPages(pdf.page_starts, pdf.pages),
            lambda page: labels.page_marker.format(page=page), href, article_paths,
            resources=StagedAssets(context.staging.root),
            page_source=f"{href} ({config.paper})",
            modified=modified(packet_date(packet, parts)), conference=config.name)
        return [stage_epub(Ebook(source, context.made_with), context.staging,
                           context.manifest, pdf.pages, context.result.ebooks)]
    except (ValueError, PlaceNotFound) as error:  # Handouts' own fault, not the author's
        context.diagnostics.warn(settings_file(config), packet.line, f"packet '{packet.slug}': its "
                                 f"EPUB was not made: {error}; please report this")
        return []
