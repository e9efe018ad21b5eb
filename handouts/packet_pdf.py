"""A packet's PDF from parts: each handout rendered alone at its page, kept while unchanged."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .cache import CachedPdf, Manifest, file_digest, pdf_key
from .packets import FIRST_PAGE, folio_document, page_marker

if TYPE_CHECKING:  # WeasyPrint is imported by the workers that render, not by every build
    from .render_pdf import PdfResult

MAX_PLACINGS = 4  # the front's length settles in two: its page numbers barely change it


@dataclass(frozen=True)
class PacketPlan:
    """What a packet's parts are made from; the part files go to ``folder`` in staging."""

    folder: Path
    source: Path  # the packet's print document: the parts' URLs resolve from beside it
    front: str  # the front's HTML, with a page_marker for each handout's first page
    handouts: tuple[tuple[str, str, str], ...]  # (anchor, file stem, HTML with FIRST_PAGE)
    stubs: tuple[frozenset[str], ...]  # the front's, then each handout's
    lang: str
    page_style: str
    settings: str
    staging: Path
    dist: Path
    previous: tuple[tuple[str, CachedPdf], ...] = ()  # the last build's parts, by dist/ path


@dataclass
class PacketResult:
    pdf: PdfResult
    log: list[str] = field(default_factory=list)  # the parts' WeasyPrint messages
    parts: dict[str, CachedPdf] = field(default_factory=dict)  # every part, by dist/ path
    rendered: list[tuple[str, int, float]] = field(default_factory=list)  # stem, pages, s


class _Parts:
    """Renders a part, or takes the last build's where its key is unchanged."""

    def __init__(self, plan: PacketPlan, render):
        self.plan = plan
        self.render = render
        self.previous = Manifest(plan.dist, dict(plan.previous))
        self.made: dict[str, CachedPdf] = {}
        self.read: dict = {}
        self.rendered: list[tuple[str, int, float]] = []

    def pdf(self, stem: str, document: str) -> tuple[Path, CachedPdf]:
        html_path = self.plan.folder / f"{stem}.html"
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(document, encoding="utf-8")
        pdf_path = html_path.with_suffix(".pdf")
        relative = str(pdf_path.relative_to(self.plan.staging))
        key = pdf_key(html_path, self.plan.staging, self.plan.settings, self.read,
                      base=self.plan.source)
        made = self.made.get(relative)
        if made is not None and made.key == key:
            return pdf_path, made
        entry = self.previous.reusable(relative, key)
        if entry is not None:
            shutil.copyfile(self.plan.dist / relative, pdf_path)
        else:
            started = time.perf_counter()
            result = self.render(html_path, pdf_path)
            entry = CachedPdf(key, file_digest(pdf_path), result.pages,
                              [record.getMessage() for record in result.log], result.refused)
            self.rendered.append((stem, result.pages, time.perf_counter() - started))
        self.made[relative] = entry
        return pdf_path, entry

    def last_pages(self, stem: str) -> int | None:
        entry = self.previous.entries.get(
            str((self.plan.folder / f"{stem}.pdf").relative_to(self.plan.staging)))
        return entry.pages if entry else None


def render_packet(plan: PacketPlan, target: Path, project_root: Path, paper: str,
                  title: str, profile) -> PacketResult:
    """target: the packet assembled from its front, its handouts and its page numbers.

    Each handout is rendered alone, numbered from the packet page it starts on; the front's
    contents name those pages. A part is rendered again only when its HTML (with its first
    page), what it loads, or the code changed: editing one handout renders that one, and
    the ones after it only if its page count changed.
    """
    from . import assemble
    from .render_pdf import PdfResult, render_pdf

    def render(html_path: Path, pdf_path: Path) -> PdfResult:
        return render_pdf(html_path, pdf_path, project_root, paper, title, profile=profile,
                          base=plan.source)

    parts = _Parts(plan, render)
    anchors = [anchor for anchor, _, _ in plan.handouts]
    front_pages = parts.last_pages("front")
    if front_pages is None:  # the first build: the front's length, with numbers to come
        front_pages = parts.pdf("front", _numbered(plan.front, {a: "0" for a in anchors}))[1].pages
    for _ in range(MAX_PLACINGS):
        placed, used = [], front_pages
        for anchor, stem, document in plan.handouts:
            used += used % 2
            path, entry = parts.pdf(stem, document.replace(FIRST_PAGE, str(used + 1)))
            placed.append((used + 1, path, entry))
            used += entry.pages
        numbers = {anchor: str(first) for anchor, (first, _, _) in zip(anchors, placed)}
        front_path, front = parts.pdf("front", _numbered(plan.front, numbers))
        if front.pages == front_pages:
            break
        front_pages = front.pages
    else:
        raise RuntimeError(f"{target.name}: the front's length did not settle")
    part_pages = [entry.pages for _, _, entry in placed]
    kinds = assemble.page_kinds(assemble.cover_pages(front_path), front_pages, part_pages)
    folio_path, _ = parts.pdf("folio", folio_document(
        plan.lang, plan.page_style, [kind == assemble.NUMBERED for kind in kinds]))
    pages = assemble.assemble(
        assemble.Part(front_path, plan.stubs[0]),
        [assemble.Part(path, stubs) for (_, path, _), stubs in zip(placed, plan.stubs[1:])],
        folio_path, kinds, target)
    for html_path in plan.folder.glob("*.html"):
        html_path.unlink()  # each part's key holds its HTML: the file itself is not kept
    used_now = {str(path.relative_to(plan.staging)) for path in
                [front_path, folio_path] + [path for _, path, _ in placed]}
    kept = {name: entry for name, entry in parts.made.items() if name in used_now}
    log = list(dict.fromkeys(message for entry in kept.values() for message in entry.log))
    refused = list(dict.fromkeys(url for entry in kept.values() for url in entry.refused))
    return PacketResult(PdfResult(target, pages, [], refused), log, kept, parts.rendered)


def _numbered(front: str, numbers: dict[str, str]) -> str:
    for anchor, number in numbers.items():
        front = front.replace(page_marker(anchor), number)
    return front
