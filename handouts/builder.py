"""The build: every phase of the pipeline, from content/ to dist/, in the order it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .build_context import BuildContext, BuildResult
from .cache import Manifest, cache_key_path, code_digest, digest
from .epub.stage import handout_ebook
from .errors import Diagnostics
from .labels import Labels
from .output import Staging, exclusive_build, stage_static_files
from .packets.stage import StagedPacket, packet_page, packet_plan, stage_packet
from .page_numbers.stage import (
    article_path,
    check_printed_page_links,
    mark_page,
    packets_anchors,
)
from .pages.render import (
    IndexEntry,
    make_environment,
    render_handout,
    render_index,
    templates_digest,
)
from .pdf.parallel import PdfDone, PdfJob, default_jobs
from .pdf.profiles import selected
from .pdf.stage import pdf_jobs, reuse_or_render
from .prepare.parse import Handout
from .prepare.stage import prepare
from .progress import PlainProgress, QuietProgress
from .project import EPUB_FOLDER, PARTS, Project
from .reports import record_pdf, report_missing_labels, report_pdf_problems

__all__ = ["BuildResult", "build", "prepare"]


def build(project: Project, progress: PlainProgress | None = None,
          diagnostics: Diagnostics | None = None, strict: bool = False,
          jobs: int | None = None, force: bool = False,
          pages_ready: Callable[[Path], None] | None = None,
          superseded: Callable[[], bool] = lambda: False) -> BuildResult:
    """Build every handout of ``project`` into its dist/ folder.

    Phases, in the order they run, each a folder of handouts/, with plain data between them:
      prepare          (prepare/: load.py, parse.py, then transforms/) every content/*.md read
                       (front matter + Markdown -> Source), parsed (-> sanitised element
                       tree: Handout) and transformed: collected across all, then applied
      render pages     (pages/render.py) Jinja, sandboxed -> staged dist/<slug>.html
      stage packets    (packets/stage.py, packets/document.py) each packet's print document
      plan PDFs        (pdf/stage.py) a job per handout or packet and print profile, keyed
                       by both (pdf/profiles.py: styles/profiles/<name>.css over print.css)
      reuse or render  (pdf/stage.py, pdf/parallel.py, pdf/render.py, packets/pdf.py, check/)
                       each job's PDF from the build cache, or rendered in a worker
                       (WeasyPrint, PDF/UA-1, tagged by pdf/tagging.py; a packet assembled
                       from its parts, pdf/booklet.py), checked against its HTML (findings are
                       warnings, errors with strict), recorded in the cache
      number pages     (page_numbers/: stage.py, starts.py, markers.py) a marker in each
                       page where a page of its first profile's PDF begins, and a list
      record           (reports.py, epub/stage.py, packets/stage.py) each PDF's problems
                       reported and its pages and size kept for the index; each handout's
                       and packet's EPUB; each packet's page; each handout's page, with
                       where its packets' pages begin
      index, publish   (pages/render.py, output.py) dist/index.html; each staged file
                       renamed into dist/; what the last build published and this one did
                       not, removed; the build cache saved
    With ``pages_ready`` (serve), it is called with the staging folder as soon as the pages
    are staged, before the PDFs: serve previews them from there while nothing is published. When
    ``superseded()`` turns true while the PDFs render (serve: a newer save), the build
    stops there and raises Superseded, publishing nothing more.
    Every phase after prepare holds a lock on dist/: a second build of the project waits for
    the first. Content errors found by prepare (and packets naming missing handouts) stop the
    build before anything is written; later errors stop it before publishing. Either way
    dist/ keeps its last good files.
    """
    diagnostics = diagnostics or Diagnostics()
    progress = progress or QuietProgress()
    config = project.config
    handouts = prepare(project, diagnostics, strict)
    profiles = selected(project)
    result = BuildResult(handouts, diagnostics=diagnostics)
    templates = templates_digest(project)
    environment = make_environment(project, templates)

    def waiting() -> None:
        progress.message("Another build of this project is running: waiting for it to finish…")

    with exclusive_build(project.root, waiting), Staging(project.dist_dir) as staging:
        stage_static_files(project, staging, profiles)
        # render pages: each as written, before any PDF (serve shows them at once)
        pages_html = {handout.slug: with_newlines(render_handout(
            environment, handout, config, handout.labels, profiles[0].pdf_path(handout.slug)))
                      for handout in handouts}
        html_paths = {slug: staging.write_text(f"{slug}.html", page)
                      for slug, page in pages_html.items()}
        if pages_ready is not None:  # serve: a preview of the pages now, the PDFs after them
            pages_ready(staging.root)
        context = BuildContext(
            project, environment, staging, _last_manifest(project, force, progress),
            profiles, Labels(config.lang),
            # The settings as this build read them (the file may be saved again meanwhile),
            # not where the project is: a copy of it elsewhere builds the same files.
            digest(code_digest().encode(), templates.encode(),
                   repr(replace(config, path=None)).encode()),
            result, strict)
        # stage packets: each one's print document, from the pages as written
        sources: dict[str, list[str]] = {}  # this build's, for the next
        packets = {packet.slug: stage_packet(context, packet, handouts, pages_html, sources)
                   for packet in config.packets}
        context.manifest.sources = sources
        # plan PDFs, then reuse or render: results keyed by job
        jobs_by_name = pdf_jobs(context, handouts, html_paths,
                                {slug: staged.path for slug, staged in packets.items()})
        pdfs = reuse_or_render(list(jobs_by_name.values()), staging, context.manifest,
                               jobs or default_jobs(), progress,
                               _planner(context, packets), superseded)

        def outcomes_of(name: str) -> list[PdfDone]:
            return [pdfs[jobs_by_name[name, profile.name]] for profile in profiles]

        # number pages: where each page of its PDF begins, and each of its packets' pages
        check_printed_page_links(handouts, {handout.slug: first.pages for handout in handouts
                                            if not (first := outcomes_of(handout.slug)[0])
                                            .failed}, diagnostics, strict)
        articles = {handout.slug: path for handout in handouts
                    if (path := article_path(outcomes_of(handout.slug)[0])) is not None}
        anchors = packets_anchors([(packet.slug, first.page_starts) for packet in config.packets
                                   if not (first := outcomes_of(packet.slug)[0]).failed],
                                  pages_html, articles)
        marked = {handout.slug: mark_page(pages_html[handout.slug],
                                          outcomes_of(handout.slug)[0], handout, diagnostics,
                                          anchors.get(handout.slug, ()))
                  for handout in handouts}
        # record: PDFs reported, EPUBs, packets' pages, the pages published
        entries = [_handout_entry(context, handout, outcomes_of(handout.slug),
                                  marked[handout.slug].numbered) for handout in handouts]
        packet_entries = [packet_page(context, packets[packet.slug], outcomes_of(packet.slug),
                                      articles) for packet in config.packets]
        for handout in handouts:
            staging.write_text(f"{handout.slug}.html", marked[handout.slug].published)
        diagnostics.raise_errors()
        # index, publish
        staging.write_text("index.html", render_index(environment, entries, config,
                                                      context.labels, packet_entries))
        report_missing_labels([(handout.source.path, handout.labels) for handout in handouts]
                              + [(config.path or project.root / "handouts.toml",
                                  context.labels)], diagnostics)
        progress.detail(result.ebooks.summary())
        _publish(context)
    return result


def with_newlines(page: str) -> str:
    """The page with each line ended by "\n" only: the browser's parser reads a "\r" (or
    "\r\n") as "\n", and page_numbers/markers.py finds places by counting characters."""
    return page.replace("\r\n", "\n").replace("\r", "\n")


def _planner(context: BuildContext, packets: dict[str, StagedPacket]
             ) -> Callable[[PdfJob], PdfJob]:
    """What a packet's job, about to render, is assembled from; a handout's is as it is."""
    def plan(job: PdfJob) -> PdfJob:
        staged = packets.get(job.name)
        return job if staged is None else replace(job, plan=packet_plan(context, job, staged))
    return plan


def _handout_entry(context: BuildContext, handout: Handout, outcomes: list[PdfDone],
                   numbered_page: str) -> IndexEntry:
    """The handout's PDFs reported and recorded, its EPUB made: its line on the index."""
    reported: set = set()  # each profile meets the same refused URLs: say them once
    downloads = []
    for outcome in outcomes:
        if outcome.failed:
            context.diagnostics.error(handout.source.path, None, outcome.failed)
            continue
        report_pdf_problems(context.project, handout, outcome, context.diagnostics, reported)
        downloads.append(record_pdf(outcome, handout.source.path, context.strict,
                                    context.result))
    if not outcomes[0].failed:
        downloads += handout_ebook(context, handout, numbered_page, outcomes[0])
    return IndexEntry(handout.meta, f"{handout.slug}.html", downloads)


def _publish(context: BuildContext) -> None:
    """Each staged file renamed into dist/; what the last build published and this one did
    not removed; the manifest saved, without the EPUBs of handouts that are gone."""
    project, staging, manifest = context.project, context.staging, context.manifest
    manifest.entries = {name: entry for name, entry in manifest.entries.items()
                        if not name.startswith(f"{EPUB_FOLDER}/") or (
                            staging.root / name).is_file()}
    context.result.written = staging.publish(private=(PARTS,))
    published = [str(path.relative_to(project.dist_dir)) for path in context.result.written]
    staging.prune(manifest.published, published)
    manifest.published = published
    manifest.save()


def _last_manifest(project: Project, force: bool, progress) -> Manifest:
    """The build cache as the last build left it (with force, only what it published)."""
    try:
        return Manifest.load(project.root, force)
    except OSError as error:
        progress.message(f"The build cache is off: its key cannot be kept in "
                         f"{cache_key_path()} ({error.strerror or error}); every PDF is "
                         "rendered.")
        return Manifest(project.root)
