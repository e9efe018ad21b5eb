"""A packet's PDF from parts: each handout rendered alone at its page, kept while unchanged."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
from markupsafe import Markup

from ..cache import CachedPdf, Manifest, StagedDigests, file_digest, pdf_key
from ..config import Packet
from ..errors import ContentError
from ..pdf.page_labels import page_labels, set_page_labels
from .document import (
    FIRST_PAGE,
    PacketPart,
    folio_document,
    ids_in,
    page_marker,
    part_style,
    stubs,
)

if TYPE_CHECKING:  # WeasyPrint is imported by the workers that render, not by every build
    from ..pdf.profiles import Profile
    from ..pdf.render import PdfResult

MAX_PLACINGS = 4  # the front's length settles in two: its page numbers barely change it
COVER_ID = 'id="packet-title"'  # in the front only
BACK_COVER_ID = 'id="packet-back-cover"'  # in a booklet's back part only


@dataclass(frozen=True)
class PartSource:
    """One part's HTML; a handout's holds FIRST_PAGE, the front's a page_marker per handout."""

    stem: str  # its file name in the parts folder, without .html/.pdf
    html: str
    stubs: frozenset[str]  # ids it links to that other parts hold
    anchor: str = ""  # a handout's: the id of its title, which the contents link to
    slug: str = ""  # a handout's


@dataclass(frozen=True)
class PacketPlan:
    """What a packet's parts are made from; the part files go to ``folder`` in staging."""

    folder: Path
    source: Path  # the packet's print document: the parts' URLs resolve from beside it
    front: PartSource
    handouts: tuple[PartSource, ...]
    lang: str
    page_style: str
    settings: str
    staging: Path
    project: Path  # where the build cache is
    previous: tuple[tuple[str, CachedPdf], ...] = ()  # the last build's parts, by staging path
    booklet: bool = False  # padded with blank pages to a multiple of four, for folding
    back: PartSource | None = None  # a booklet's back cover, None: its last page left blank


@dataclass
class PacketResult:
    pdf: PdfResult
    log: list[str] = field(default_factory=list)  # the parts' WeasyPrint messages
    parts: dict[str, CachedPdf] = field(default_factory=dict)  # every part, by staging path
    rendered: list[tuple[str, int, float]] = field(default_factory=list)  # stem, pages, s


def plan_packet(packet: Packet, parts: list[PacketPart], articles: list[Markup], source: Path,
                document: Callable[..., str], template: Path, folder: str, lang: str,
                page_style: str, settings: str, staging: Path, manifest: Manifest
                ) -> PacketPlan:
    """The parts of a packet's PDF: the front, each handout alone, a booklet's back cover.

    ``document(parts, articles, **part)`` renders templates/packet-print.html. A template
    that does not make parts (an override written before them) is a content error, not a
    packet with each handout's cover and page numbers.
    """
    packet_ids = ids_in(source.read_text(encoding="utf-8"))
    front_options = {"front": True, "part_style": part_style(False),
                     "page_numbers": {part.anchor: page_marker(part.anchor) for part in parts}}
    front_stubs = stubs(document(parts, [], **front_options), packet_ids)
    front = PartSource("front", document(parts, [], stubs=sorted(front_stubs), **front_options),
                       front_stubs)
    handouts = []
    for number, (part, article) in enumerate(zip(parts, articles), start=1):
        # A handout's part is made from what it shows: another handout's title, say, in the
        # head of every part would render them all again when it changes.
        article_stubs = stubs(article, packet_ids)
        handouts.append(PartSource(
            f"{number:02d}-{part.handout.slug}",
            document([part], [article], front=False, part_style=part_style(True),
                     stubs=sorted(article_stubs)), article_stubs, part.anchor,
            part.handout.slug))
    missing = [what for what, wrong in (
        ("page_numbers (data-page in the contents)",
         any(page_marker(part.anchor) not in front.html for part in parts)),
        ("part_style", any(FIRST_PAGE not in handout.html for handout in handouts)),
        ("front (the cover and contents only when front is true)",
         any(COVER_ID in handout.html for handout in handouts)),
        ("back (a booklet's back cover only when back is true)",
         any(BACK_COVER_ID in part.html for part in (front, *handouts)))) if wrong]
    back = None
    if packet.booklet:
        # An override written before back covers renders none: the last page is left blank.
        back_html = document(parts, [], front=False, back=True, part_style=part_style(False))
        back = PartSource("back", back_html, frozenset()) if BACK_COVER_ID in back_html else None
    if missing:
        raise ContentError(template, None, "this override of packet-print.html cannot make "
                           f"the parts a packet PDF is assembled from: it must use "
                           f"{'; '.join(missing)}; compare it with Handouts' own "
                           "templates/packet-print.html")
    return PacketPlan(
        staging / folder, source, front, tuple(handouts), lang, page_style, settings, staging,
        manifest.root, tuple((name, entry) for name, entry in manifest.entries.items()
                             if name.startswith(f"{folder}/")), packet.booklet, back)


class _Parts:
    """Renders a part, or takes the last build's where its key is unchanged."""

    def __init__(self, plan: PacketPlan, render: Callable[[Path, Path], PdfResult]):
        self.plan = plan
        self.render = render
        self.previous = Manifest(plan.project, dict(plan.previous))
        self.made: dict[str, CachedPdf] = {}
        self.staged = StagedDigests(plan.staging)
        self.rendered: list[tuple[str, int, float]] = []

    def pdf(self, stem: str, document: str) -> tuple[Path, CachedPdf]:
        html_path = self.plan.folder / f"{stem}.html"
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(document, encoding="utf-8")
        pdf_path = html_path.with_suffix(".pdf")
        relative = self.relative(stem)
        # Its URLs resolve from beside the packet's print document: the same for every part.
        key = pdf_key(html_path, f"{self.plan.settings}\nbase={self.plan.source.name}")
        made = self.made.get(relative)
        if made is not None and made.key == key:
            return pdf_path, made
        entry = self.previous.reusable(relative, key, self.staged)
        if entry is None or not self.previous.restore(entry, pdf_path):
            started = time.perf_counter()
            result = self.render(html_path, pdf_path)
            entry = CachedPdf(key, file_digest(pdf_path), result.pages,
                              [record.getMessage() for record in result.log], result.refused,
                              loaded=result.loaded,
                              page_starts=[start.as_json() for start in result.page_starts])
            self.rendered.append((stem, result.pages, time.perf_counter() - started))
        self.made[relative] = entry
        return pdf_path, entry

    def relative(self, stem: str) -> str:
        return str((self.plan.folder / f"{stem}.pdf").relative_to(self.plan.staging))

    def last_pages(self, stem: str) -> int | None:
        entry = self.previous.entries.get(self.relative(stem))
        return entry.pages if entry else None


def render_packet(plan: PacketPlan, target: Path, root: Path, paper: str,
                  title: str, profile: Profile) -> PacketResult:
    """target: the packet assembled from its front, its handouts and its page numbers.

    Each handout is rendered alone, numbered from the packet page it starts on; the front's
    contents name those pages. A part is rendered again only when its HTML (with its first
    page), what it loads, or the code changed: editing one handout renders that one, and
    the ones after it only if the page they start on moved.
    """
    from ..page_numbers.starts import PageStart
    from ..pdf import assemble
    from ..pdf.render import PdfResult, render_pdf

    def render(html_path: Path, pdf_path: Path) -> PdfResult:
        return render_pdf(html_path, pdf_path, root, paper, title, profile=profile,
                          base=plan.source)

    parts = _Parts(plan, render)
    front_pages = parts.last_pages("front")
    if front_pages is None:  # the first build: the front's length, with numbers to come
        front_pages = parts.pdf("front", _numbered(plan.front.html, {
            handout.anchor: "0" for handout in plan.handouts}))[1].pages
    for _ in range(MAX_PLACINGS):
        placed, used = [], front_pages
        for handout in plan.handouts:
            used += used % 2
            path, entry = parts.pdf(handout.stem, handout.html.replace(FIRST_PAGE, str(used + 1)))
            placed.append((used + 1, path, entry))
            used += entry.pages
        front_path, front = parts.pdf("front", _numbered(plan.front.html, {
            handout.anchor: str(first) for handout, (first, _, _) in zip(plan.handouts, placed)}))
        if front.pages == front_pages:
            break
        front_pages = front.pages
    else:
        raise assemble.AssemblyError(f"{target.name}: the contents' length did not settle")
    kinds = assemble.page_kinds(assemble.cover_pages(front_path), front_pages,
                                [entry.pages for _, _, entry in placed])
    back = None
    if plan.booklet:
        # The back cover is the booklet's last page, the blank pages before it: padded
        # before the folios are laid out, so that "Page 2 of 32" counts them and a reader's
        # viewer, which counts them too, agrees. Without a back part the last page is blank.
        back_kinds = [assemble.BLANK]
        if plan.back is not None:
            back_path, back_entry = parts.pdf("back", plan.back.html)
            back, back_kinds = assemble.Part(back_path), [assemble.BACK] * back_entry.pages
        kinds += [assemble.BLANK] * (-(len(kinds) + len(back_kinds)) % 4) + back_kinds
    folio_path, _ = parts.pdf("folio", folio_document(
        plan.lang, plan.page_style, [kind == assemble.NUMBERED for kind in kinds]))
    assemble.assemble(
        assemble.Part(front_path, plan.front.stubs),
        [assemble.Part(path, handout.stubs)
         for (_, path, _), handout in zip(placed, plan.handouts)],
        folio_path, kinds, target, back)
    pages = _label(target, folio_path)
    for html_path in plan.folder.glob("*.html"):
        html_path.unlink()  # each part's key holds its HTML: the file itself is not kept
    # In the packet's order, whatever was rendered or reused: the same on every build.
    kept = {name: parts.made[name] for name in map(parts.relative, ["front"] + [
        handout.stem for handout in plan.handouts] + ["back"] * bool(back) + ["folio"])}
    log = list(dict.fromkeys(message for entry in kept.values() for message in entry.log))
    refused = list(dict.fromkeys(url for entry in kept.values() for url in entry.refused))
    loaded = {path: sha256 for entry in kept.values() for path, sha256 in entry.loaded.items()}
    # Where each packet page begins, in its handout's <article>: the packet EPUB's markers.
    starts = [PageStart.from_json(start).in_article(handout.slug, first)
              for (first, _, entry), handout in zip(placed, plan.handouts)
              for start in entry.page_starts]
    return PacketResult(PdfResult(target, pages, [], refused, loaded, page_starts=starts),
                        log, kept, parts.rendered)


def _label(target: Path, folio_path: Path) -> int:
    """target labelled as the folio numbers it; its pages."""
    # The folio part prints every page number of the packet (pdf/page_labels.py read them from
    # its layout when it was rendered): its labels are the packet's.
    with pikepdf.open(folio_path) as folio, \
            pikepdf.open(target, allow_overwriting_input=True) as packet:
        set_page_labels(packet, page_labels(folio))
        packet.save(target, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(packet.pages)


def _numbered(front: str, numbers: dict[str, str]) -> str:
    for anchor, number in numbers.items():
        front = front.replace(page_marker(anchor), number)
    return front
