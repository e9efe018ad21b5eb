"""Plan PDFs and reuse or render phases: each job's PDF reused from the build cache or rendered and checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..build_context import BuildContext
from ..cache import CachedPdf, Manifest, StagedDigests, digest, file_digest, pdf_key
from ..check.findings import Finding
from ..output import Staging
from ..packets.document import booklet_pdf_name
from ..packets.render import PACKET_TEMPLATE
from ..page_numbers.starts import PageStart
from ..pages.render import template_source
from ..prepare.parse import Handout
from ..progress import PlainProgress
from ..project import EPUB_FOLDER
from .parallel import PdfDone, PdfJob, run_pdf_jobs
from .profiles import Profile


def pdf_jobs(context: BuildContext, handouts: list[Handout], html_paths: dict[str, Path],
             packet_paths: dict[str, Path]) -> dict[tuple[str, str], PdfJob]:
    """Every PDF to make, keyed by (handout or packet slug, profile name): handouts first."""
    jobs = {(handout.slug, profile.name): _pdf_job(context, handout.slug,
                                                   html_paths[handout.slug],
                                                   handout.meta.title, profile)
            for handout in handouts for profile in context.profiles}
    template = digest(template_source(context.environment, PACKET_TEMPLATE).encode())
    for packet in context.config.packets:
        for profile in context.profiles:
            booklet = context.staging.path(booklet_pdf_name(packet, profile)) \
                if packet.booklet else None
            jobs[packet.slug, profile.name] = replace(
                _pdf_job(context, packet.slug, packet_paths[packet.slug], packet.title,
                         profile, booklet), template_digest=template)
    return jobs


def _pdf_job(context: BuildContext, name: str, html_path: Path, title: str, profile: Profile,
             booklet_path: Path | None = None) -> PdfJob:
    return PdfJob(name, html_path, context.staging.path(profile.pdf_path(name)),
                  context.staging.root, context.config.paper, title, profile, booklet_path)


def reuse_or_render(jobs: list[PdfJob], staging: Staging, manifest: Manifest, workers: int,
                    progress: PlainProgress, plan: Callable[[PdfJob], PdfJob] = lambda job: job,
                    superseded: Callable[[], bool] = lambda: False) -> dict[PdfJob, PdfDone]:
    """Every job's PDF: the last build's where nothing it is made from changed, else new.

    New ones render in ``workers`` processes (``plan`` adds what a packet's job is assembled
    from); each is recorded in the manifest, a packet's parts too.
    """
    keys = {job: pdf_key(job.html_path, pdf_settings(job)) for job in jobs}
    staged = StagedDigests(staging.root)
    outcomes: dict[PdfJob, PdfDone] = {}
    to_render: list[PdfJob] = []
    for job in jobs:
        cached = _reuse(manifest, staging, job, keys[job], staged)
        if cached is not None:
            outcomes[job] = cached
        else:
            to_render.append(plan(job))
    counter = iter(range(1, len(jobs) + 1))

    def finished(outcome: PdfDone) -> None:
        job = outcome.job
        which = job.profile.suffix
        progress.handout(next(counter), len(jobs), f"{job.name}{which}", kept=outcome.reused)
        how = "kept" if outcome.reused else f"{outcome.seconds:.2f} s"
        progress.detail(f"{job.name}{which}: {outcome.pages} page(s), {how}, "
                        f"{len(outcome.findings)} finding(s)")
        for stem, pages, seconds in outcome.rendered_parts:
            progress.detail(f"{job.name}/{stem}{which}: {pages} page(s), {seconds:.2f} s, "
                            "a part of the packet")

    for job in jobs:
        if job in outcomes:
            finished(outcomes[job])
    for outcome in run_pdf_jobs(to_render, workers, finished, superseded):
        outcomes[outcome.job] = outcome
    for job, outcome in outcomes.items():
        if not outcome.reused and not outcome.failed:
            made = {job.pdf_path: CachedPdf(
                keys[job], file_digest(job.pdf_path), outcome.pages, outcome.log,
                outcome.refused, [finding.as_dict() for finding in outcome.findings],
                sorted(outcome.parts), outcome.loaded,
                [start.as_json() for start in outcome.page_starts])}
            if job.booklet_path:
                made[job.booklet_path] = CachedPdf(keys[job], file_digest(job.booklet_path),
                                                   outcome.booklet_pages, loaded=outcome.loaded)
            made |= {staging.root / name: entry for name, entry in outcome.parts.items()}
            for path, entry in made.items():  # each staged, rendered or restored
                manifest.record(_relative(staging, path), entry)
                manifest.keep(path, entry.sha256)  # nothing to copy if already cached
    current = {_relative(staging, path) for job in jobs
               for path in (job.pdf_path, job.booklet_path) if path is not None}
    current |= {name for outcome in outcomes.values() for name in outcome.parts}
    manifest.entries = {name: entry for name, entry in manifest.entries.items()
                        if name in current or name.startswith(f"{EPUB_FOLDER}/")}
    # (a deleted handout's entry goes with its PDF; EPUBs are the e-book stage's to keep)
    return outcomes


def _reuse(manifest: Manifest, staging: Staging, job: PdfJob, key: str,
           staged: StagedDigests) -> PdfDone | None:
    """The last build's PDF (and booklet) of this job, copied from the build cache into
    staging, when nothing it was made from changed; else None."""
    cached = manifest.reusable(_relative(staging, job.pdf_path), key, staged)
    booklet = manifest.reusable(_relative(staging, job.booklet_path), key, staged) \
        if job.booklet_path else None
    if cached is None or (job.booklet_path and booklet is None):
        return None
    found = {name: manifest.entries.get(name) for name in cached.parts}
    parts = {name: entry for name, entry in found.items()
             if entry is not None and manifest.store_path(entry.sha256).is_file()}
    if len(parts) < len(found):
        return None  # the next build of the packet would want them
    if not manifest.restore(cached, job.pdf_path) or (
            booklet is not None and job.booklet_path is not None
            and not manifest.restore(booklet, job.booklet_path)):
        return None
    return PdfDone(job, cached.pages, cached.log, cached.refused,
                   [Finding(**finding) for finding in cached.findings],
                   booklet.pages if booklet is not None else 0, reused=True,
                   loaded=cached.loaded, parts=parts,
                   page_starts=[PageStart.from_json(start) for start in cached.page_starts])


def pdf_settings(job: PdfJob) -> str:
    """What, besides the files it loads, a PDF is made with."""
    return "\n".join([job.paper, job.title, job.profile.name,
                      digest(job.profile.stylesheet.read_bytes()),
                      " ".join(sorted(job.profile.hidden_classes)),
                      f"booklet={job.booklet_path is not None}", job.template_digest])


def _relative(staging: Staging, path: Path | None) -> str:
    return str(path.relative_to(staging.root)) if path is not None else ""
