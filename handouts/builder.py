"""The build: every stage of the pipeline, from content/ to dist/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable
from pathlib import Path
from urllib.parse import unquote

from fontpkg_atkinson_hyperlegible import ROOT as FONT_ROOT

from .cache import (CachedPdf, Manifest, StagedDigests, cache_key_path, code_digest, digest,
                    file_digest, pdf_key)
from .check import Finding
from .errors import ContentError, Diagnostics, line_of
from .labels import Labels
from .load import load_source, slug_clashes
from .parse import Handout, parse
from .profiles import Profile, selected
from .project import PARTS, Project
from .packet_pdf import PacketPlan, plan_packet
from .packets import (booklet_pdf_name, check_logo, check_packets, packet_article,
                      packet_parts, page_style, parts_folder, print_source_name)
from .render_html import (PACKET_TEMPLATE, STATIC, Download, IndexEntry, PacketEntry,
                          human_size, make_environment, render_handout, render_index,
                          render_packet_page, render_packet_print, template_source,
                          templates_digest)
from .parallel import PdfDone, PdfJob, default_jobs, run_pdf_jobs
from .assets import vet_asset
from .inputs import hidden, outside_reason, unsafe_inputs
from .output import Staging, exclusive_build
from .progress import PlainProgress, QuietProgress
from .transforms import Context, run_transforms

STYLESHEETS = ("base.css", "screen.css", "print.css")


@dataclass
class BuildResult:
    handouts: list[Handout]
    written: list[Path] = field(default_factory=list)
    pdf_pages: dict[tuple[str, str], int] = field(default_factory=dict)  # (slug, profile)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    findings: list = field(default_factory=list)


def build(project: Project, progress: PlainProgress | None = None,
          diagnostics: Diagnostics | None = None, strict: bool = False,
          jobs: int | None = None, force: bool = False,
          pages_ready: Callable[[Path], None] | None = None,
          superseded: Callable[[], bool] = lambda: False) -> BuildResult:
    """Build every handout of ``project`` into its dist/ folder.

    Stages, each a module, with plain data between them:
      1. load       (load.py)       front matter + Markdown of every content/*.md -> Source
      2. parse      (parse.py)      Markdown -> sanitised HTML element tree -> Handout
      3. transforms (transforms/)   collect across all handouts, then apply each, by priority:
                                    headings, local resources, tables, figures,
                                    content-note placement, sections, timeline, glossary,
                                    abbreviations, section content notes, footnotes, links,
                                    sources
      4. render HTML (render_html.py) Jinja templates -> staged dist/<slug>.html
      5. render PDF (render_pdf.py) once per print profile ([build] profiles, profiles.py:
                                    styles/profiles/<name>.css over print.css): WeasyPrint,
                                    PDF/UA-1, project-only URL fetcher, tagging patched by
                                    pdf_tagging.py -> staged dist/pdf/<slug>.pdf (standard),
                                    dist/pdf/<profile>/<slug>.pdf (large-print, the project's)
      6. check      (check/)        each staged PDF's structure tree against its HTML, less
                                    what its profile hides; findings are warnings, errors
                                    with strict
      7. packets    (packets.py, booklet.py) each packet's handouts in one document with a
                                    cover and contents -> a PDF per profile, checked like a
                                    handout's; padded and imposed for a booklet; its page
      8. index      (render_html.py) dist/index.html, with each PDF's profile, pages and size
      9. publish    (output.py)     each staged file renamed into dist/; files of
                                    handouts that no longer exist removed
    With ``pages_ready`` (serve), it is called with the staging folder as soon as the pages
    are staged, before the PDFs: serve previews them from there while nothing is published. When
    ``superseded()`` turns true while the PDFs render (serve: a newer save), the build
    stops there and raises Superseded, publishing nothing more.
    Stages 4-9 hold a lock on dist/: a second build of the project waits for the first.
    Content errors from stages 1-3 (and packets naming missing handouts) stop the build
    before anything is written; errors from stages 5-7 stop it before publishing. Either way
    dist/ keeps its last good files.
    """
    diagnostics = diagnostics or Diagnostics()
    progress = progress or QuietProgress()
    config = project.config
    handouts = prepare(project, diagnostics, strict)
    jobs_wanted = jobs or default_jobs()

    profiles = selected(project)
    result = BuildResult(handouts, diagnostics=diagnostics)
    templates = templates_digest(project)
    environment = make_environment(project, templates)

    def waiting() -> None:
        progress.message("Another build of this project is running: waiting for it to finish…")

    with exclusive_build(project.root, waiting), Staging(project.dist_dir) as staging:
        _stage_static_files(project, staging, profiles)
        html_paths, pages_html, all_labels = {}, {}, []
        for handout in handouts:
            all_labels.append((handout.source.path, handout.labels))
            pages_html[handout.slug] = render_handout(environment, handout, config,
                                                      handout.labels,
                                                      profiles[0].pdf_path(handout.slug))
            html_paths[handout.slug] = staging.write_text(f"{handout.slug}.html",
                                                          pages_html[handout.slug])
        if pages_ready is not None:  # serve: a preview of the pages now, the PDFs after them
            pages_ready(staging.root)
        index_labels = Labels(config.lang)
        manifest = _last_manifest(project, force, progress)
        # The settings as this build read them (the file may be saved again meanwhile), not
        # where the project is: a copy of it elsewhere builds the same files.
        made_with = digest(code_digest().encode(), templates.encode(),
                           repr(replace(config, path=None)).encode())
        sources: dict[str, list[str]] = {}  # this build's, for the next
        packets = {packet.slug: _stage_packet(packet, handouts, pages_html, environment,
                                              config, index_labels, staging, manifest,
                                              made_with, sources)
                   for packet in config.packets}
        manifest.sources = sources
        jobs = [_pdf_job(project, staging, handout.slug, html_paths[handout.slug],
                         handout.meta.title, profile)
                for handout in handouts for profile in profiles]
        packet_template = digest(template_source(environment, PACKET_TEMPLATE).encode())
        jobs += [replace(_pdf_job(project, staging, packet.slug, packets[packet.slug].path,
                                  packet.title, profile,
                                  staging.path(booklet_pdf_name(packet, profile))
                                  if packet.booklet else None),
                         template_digest=packet_template)
                 for packet in config.packets for profile in profiles]
        by_slug = {packet.slug: packet for packet in config.packets}

        def plan(job: PdfJob) -> PdfJob:
            if job.name not in by_slug:
                return job
            return replace(job, plan=_packet_plan(job, by_slug[job.name], packets[job.name],
                                                  environment, config, index_labels, staging,
                                                  manifest))

        outcomes = iter(_render_pdfs(jobs, staging, manifest, jobs_wanted, progress, plan,
                                     superseded))
        entries = []
        for handout in handouts:
            reported: set = set()  # each profile meets the same refused URLs: say them once
            downloads = []
            for outcome in [next(outcomes) for _ in profiles]:
                if outcome.failed:
                    diagnostics.error(handout.source.path, None, outcome.failed)
                    continue
                _report_pdf_problems(project, handout, outcome, diagnostics, reported)
                downloads.append(_record(outcome, handout.source.path, strict, result))
            entries.append(IndexEntry(handout.meta, f"{handout.slug}.html", downloads))
        packet_entries = [
            _packet_page(project, packet, packets[packet.slug].parts,
                         [next(outcomes) for _ in profiles], environment, index_labels,
                         staging, strict, result)
            for packet in config.packets]
        diagnostics.raise_errors()
        all_labels.append((config.path or project.root / "handouts.toml", index_labels))
        staging.write_text("index.html", render_index(environment, entries, config,
                                                      index_labels, packet_entries))
        _report_missing_labels(all_labels, diagnostics)
        result.written = staging.publish(private=(PARTS,))
        published = [str(path.relative_to(project.dist_dir)) for path in result.written]
        staging.prune(manifest.published, published)
        manifest.published = published
        manifest.save()
    return result


def _last_manifest(project: Project, force: bool, progress) -> Manifest:
    """The build cache as the last build left it (with force, only what it published)."""
    try:
        return Manifest.load(project.root, force)
    except OSError as error:
        progress.message(f"The build cache is off: its key cannot be kept in "
                         f"{cache_key_path()} ({error.strerror or error}); every PDF is "
                         "rendered.")
        return Manifest(project.root)


@dataclass
class StagedPacket:
    packet: object
    parts: list
    path: Path  # its print document, in staging
    pages_html: dict[str, str]
    _articles: list | None = None

    def articles(self) -> list:
        """Each handout's <article>, as the packet holds it: made when first asked for."""
        if self._articles is None:
            self._articles = [packet_article(self.pages_html[part.handout.slug], part.handout,
                                             self.packet) for part in self.parts]
        return self._articles


def _stage_packet(packet, handouts: list[Handout], pages_html: dict[str, str], environment,
                  config, labels: Labels, staging: Staging, last: Manifest, made_with: str,
                  sources: dict[str, list[str]]) -> StagedPacket:
    """A packet's print document: its handouts' articles after a cover and contents.

    The last build's is kept when nothing it is made from changed (``made_with``: the code,
    templates and settings; the packet; its handouts' pages), which spares a build that
    renders no PDF of the packet the parsing of every handout's page.
    """
    parts = packet_parts(packet, handouts)
    name = print_source_name(packet)
    staged = StagedPacket(packet, parts, staging.path(name), pages_html)
    inputs = digest(made_with.encode(), repr(packet).encode(),
                    repr([(part.anchor, part.notes, part.noted_sections, part.handout.meta)
                          for part in parts]).encode(),
                    *(pages_html[part.handout.slug].encode() for part in parts))
    if last.reusable_source(name, inputs):
        staging.copy(staging.dist / name, name)
        # Rendered without its articles and dropped: the labels it uses are asked for, so a
        # missing translation is reported as in a build that renders it.
        render_packet_print(environment, packet, parts, [], config, labels,
                            page_style(packet, labels))
    else:
        staging.write_text(name, render_packet_print(
            environment, packet, parts, staged.articles(), config, labels,
            page_style(packet, labels)))
    sources[name] = [inputs, file_digest(staged.path)]
    return staged


def _packet_plan(job: PdfJob, packet, staged, environment, config, labels: Labels,
                 staging: Staging, manifest: Manifest) -> PacketPlan:
    """What a packet job's PDF is assembled from (packet_pdf.py)."""
    parts, source, articles = staged.parts, staged.path, staged.articles()
    style = page_style(packet, labels)

    def document(parts, articles, **part) -> str:
        return render_packet_print(environment, packet, parts, articles, config, labels,
                                   style, **part)

    return plan_packet(packet, parts, articles, source, document,
                       Path(environment.get_template(PACKET_TEMPLATE).filename),
                       parts_folder(packet, job.profile), config.lang, str(style),
                       # A part is the same in a booklet or not: only the packet is padded.
                       _settings(replace(job, booklet_path=None)), staging.root, manifest)


def _pdf_job(project: Project, staging: Staging, name: str, html_path: Path, title: str,
             profile: Profile, booklet_path: Path | None = None) -> PdfJob:
    return PdfJob(name, html_path, staging.path(profile.pdf_path(name)), staging.root,
                  project.config.paper, title, profile, booklet_path)


def _render_pdfs(jobs: list[PdfJob], staging: Staging, manifest: Manifest, workers: int,
                 progress, plan: Callable[[PdfJob], PdfJob] = lambda job: job,
                 superseded: Callable[[], bool] = lambda: False) -> list[PdfDone]:
    """Every job's PDF: the last build's where nothing it is made from changed, else new.

    New ones render in ``workers`` processes (``plan`` adds what a packet's job is assembled
    from); each is recorded in the manifest, a packet's parts too.
    """
    keys = {job: pdf_key(job.html_path, _settings(job)) for job in jobs}
    staged = StagedDigests(staging.root)
    outcomes: dict[PdfJob, PdfDone] = {}
    to_render = []
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
                sorted(outcome.parts), outcome.loaded)}
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
                        if name in current}  # a deleted handout's entry goes with its PDF
    return [outcomes[job] for job in jobs]


def _reuse(manifest: Manifest, staging: Staging, job: PdfJob, key: str,
           staged: StagedDigests) -> PdfDone | None:
    """The last build's PDF (and booklet) of this job, copied from the build cache into
    staging, when nothing it was made from changed; else None."""
    cached = manifest.reusable(_relative(staging, job.pdf_path), key, staged)
    booklet = manifest.reusable(_relative(staging, job.booklet_path), key, staged) \
        if job.booklet_path else None
    if cached is None or (job.booklet_path and booklet is None):
        return None
    parts = {name: manifest.entries.get(name) for name in cached.parts}
    if not all(entry is not None and manifest.store_path(entry.sha256).is_file()
               for entry in parts.values()):
        return None  # the next build of the packet would want them
    if not manifest.restore(cached, job.pdf_path) or (
            booklet is not None and not manifest.restore(booklet, job.booklet_path)):
        return None
    return PdfDone(job, cached.pages, cached.log, cached.refused,
                   [Finding(**finding) for finding in cached.findings],
                   booklet.pages if booklet is not None else 0, reused=True,
                   loaded=cached.loaded, parts=parts)


def _settings(job: PdfJob) -> str:
    """What, besides the files it loads, a PDF is made with."""
    return "\n".join([job.paper, job.title, job.profile.name,
                      digest(job.profile.stylesheet.read_bytes()),
                      " ".join(sorted(job.profile.hidden_classes)),
                      f"booklet={job.booklet_path is not None}", job.template_digest])


def _relative(staging: Staging, path: Path | None) -> str:
    return str(path.relative_to(staging.root)) if path is not None else ""


def _record(outcome: PdfDone, reported_at: Path, strict: bool, result: BuildResult) -> Download:
    """The check stage's findings, reported; the PDF's pages and size, for download links."""
    job = outcome.job
    which = job.profile.suffix
    report = result.diagnostics.error if strict else result.diagnostics.warn
    for finding in outcome.findings:
        report(reported_at, None, f"PDF check{which}: {finding.rule}: {finding.detail}")
    result.findings += outcome.findings
    result.pdf_pages[job.name, job.profile.name] = outcome.pages
    return Download(job.profile, job.profile.pdf_path(job.name), outcome.pages,
                    human_size(job.pdf_path.stat().st_size))


def _packet_page(project: Project, packet, parts, outcomes: list[PdfDone], environment,
                 labels: Labels, staging: Staging, strict: bool,
                 result: BuildResult) -> PacketEntry:
    """A packet's PDFs reported and recorded, and its page written."""
    config = project.config
    downloads, booklets, reported = [], [], set()
    for outcome in outcomes:
        if outcome.failed:
            result.diagnostics.error(config.path, packet.line,
                                     f"packet '{packet.slug}': {outcome.failed}")
            continue
        for message in [f"refused to load {url}: only files inside the project are read"
                        for url in outcome.refused] + [
                f"WeasyPrint: {message}" for message in outcome.log]:
            if message not in reported:
                reported.add(message)
                report = result.diagnostics.error if message.startswith("refused") else \
                    result.diagnostics.warn
                report(config.path, packet.line, f"packet '{packet.slug}': {message}")
        downloads.append(_record(outcome, config.path, strict, result))
        if outcome.job.booklet_path:
            name = booklet_pdf_name(packet, outcome.job.profile)
            booklets.append(Download(outcome.job.profile, name, outcome.booklet_pages,
                                     human_size(outcome.job.booklet_path.stat().st_size),
                                     booklet=True))
    if not downloads:
        result.diagnostics.raise_errors()  # no PDF of it was made: no page to write
    entry = PacketEntry(packet, parts, f"{packet.slug}.html", downloads + booklets)
    staging.write_text(f"{packet.slug}.html",
                       render_packet_page(environment, entry, config, labels))
    return entry


def prepare(project: Project, diagnostics: Diagnostics, strict: bool = False) -> list[Handout]:
    """Stages 1-3: load, parse and transform every handout; nothing is written.

    Raises BuildFailed (or ContentError) when the content has errors. Errors already in
    diagnostics (handouts.toml's, read with its bad values left at their defaults) are
    reported with the handouts' own, in one round.
    """
    config = project.config
    paths = project.handout_paths()
    if not paths:
        raise ContentError(project.content_dir, None,
                           f"no handouts found in {project.content_dir}: add a Markdown file "
                           "such as content/welcome.md, or name the project with --project DIR")

    unsafe = unsafe_inputs(project.root)
    if unsafe:  # nothing is read before every input is known to be safe
        diagnostics.errors += unsafe
        diagnostics.raise_errors()
    for path in _asset_paths(project):
        for line, message in vet_asset(path, path.read_bytes()):
            diagnostics.error(path, line, message)
    diagnostics.errors += slug_clashes(paths)
    sources = []
    for path in paths:
        try:  # front-matter problems are gathered, and the body checked with them
            sources.append(load_source(path, config.lang, diagnostics.errors))
        except ContentError as error:
            diagnostics.errors.append(error)
    if len(sources) < len(paths) or any(error.path not in paths and error.path != config.path
                                        for error in diagnostics.errors):
        diagnostics.raise_errors()  # a file unread, an asset refused: links to them would err

    shared_glossary = _load_shared_glossary(project, diagnostics)
    shared_abbreviations = _abbreviation_lines(shared_glossary.source.body) \
        if shared_glossary else []
    handouts = []
    for source in sources:
        own = {line.split("]")[0] for line in _abbreviation_lines(source.body)}
        extra = [line for line in shared_abbreviations if line.split("]")[0] not in own]
        if extra:  # the shared glossary's abbreviations, after the handout's text
            source.body = source.body.rstrip("\n") + "\n\n" + "\n".join(extra) + "\n"
        try:
            handouts.append(parse(source, diagnostics))
        except ContentError as error:
            diagnostics.errors.append(error)
        except RecursionError:
            diagnostics.error(source.path, None, "lists, quotes or HTML elements are nested "
                              "too deeply to build: flatten the nesting")
    if len(handouts) < len(sources):
        diagnostics.raise_errors()  # links to a handout not parsed would seem to go nowhere
    run_transforms(handouts, Context(config, diagnostics, project.root, shared_glossary,
                                     strict))
    check_packets(config, handouts, diagnostics)
    check_logo(config, project.content_dir, diagnostics)
    try:  # an unknown profile in [build], reported with the rest
        selected(project)
    except ContentError as error:
        diagnostics.errors.append(error)
    diagnostics.raise_errors()
    return handouts


def _abbreviation_lines(markdown: str) -> list[str]:
    return [line.strip() for line in markdown.split("\n")
            if re.match(r"^\s*\*\[[^\]]+\]:", line)]


def _load_shared_glossary(project: Project, diagnostics: Diagnostics) -> Handout | None:
    """content/glossary.md: a definition list and abbreviations shared by every handout."""
    path = project.content_dir / "glossary.md"
    if not path.is_file():
        return None
    from .load import FrontMatter, Source, read_text

    source = Source("glossary", path, FrontMatter(title="Glossary", lang=project.config.lang),
                    read_text(path), 1)
    glossary = parse(source, diagnostics)
    if glossary.body.find(".//dl") is None and not _abbreviation_lines(source.body):
        diagnostics.error(path, 1, "content/glossary.md has no definition list: write each "
                          "term on a line, then its definition on the next line after ':   '")
    return glossary


def _report_missing_labels(all_labels, diagnostics: Diagnostics) -> None:
    """One warning per language and label that fell back to English."""
    reported = set()
    for path, labels in all_labels:
        for key in sorted(labels.missing):
            if (labels.language, key) not in reported:
                reported.add((labels.language, key))
                diagnostics.warn(path, None, f"the label '{key}' has no translation for "
                                 f"language '{labels.lang}': English is used; add it to "
                                 f"handouts/messages/{labels.language}.toml")


def _where_url_is_written(project: Project, handout: Handout, url: str) -> tuple[Path, int | None]:
    """The handout element, or else the stylesheet or template, that asks for url; its line."""
    needle = url.split("://", 1)[-1]
    for element in handout.body.iter():
        if any((element.get(name) or "").split("://", 1)[-1] == needle
               for name in ("src", "href")) and handout.line(element):
            return handout.source.path, handout.line(element)
    for folder in ("styles", "templates"):
        for path in sorted((project.root / folder).rglob("*")):
            # Only what inputs.py let the build read: never a hidden file (it checks none).
            if path.is_file() and not hidden(path.relative_to(project.root)) and \
                    not outside_reason(project.root, path.resolve()):
                line = line_of(path.read_text(encoding="utf-8", errors="replace"), needle)
                if line:
                    return path, line
    return handout.source.path, None


def _stage_static_files(project: Project, staging: Staging, profiles: list[Profile]) -> None:
    for name in STYLESHEETS:
        staging.copy(project.style_file(name), f"{STATIC}/{name}")
    for profile in profiles:  # what each PDF was made with: the check reads it there
        staging.copy(profile.stylesheet, f"{STATIC}/{profile.static_path}")
    for font in sorted((FONT_ROOT / "files").glob("*.ttf")):
        staging.copy(font, f"{STATIC}/fonts/{font.name}")
    staging.copy(FONT_ROOT / "LICENSE", f"{STATIC}/fonts/LICENSE.txt")
    for path in _asset_paths(project):  # each checked by prepare (inputs.py, assets.py)
        staging.copy(path, f"assets/{path.relative_to(project.content_dir / 'assets')}")


def _asset_paths(project: Project) -> list[Path]:
    """content/assets/'s files, less hidden ones (.gitkeep, an editor's): all it publishes."""
    assets = project.content_dir / "assets"
    if not assets.is_dir():
        return []
    return [path for path in sorted(assets.rglob("*"))
            if path.is_file() and not hidden(path.relative_to(assets))]


def _report_pdf_problems(project: Project, handout: Handout, pdf, diagnostics: Diagnostics,
                         reported: set) -> None:
    """URLs the fetcher refused are errors; WeasyPrint's own messages are shown as warnings.

    Each once per handout (``reported``), however many profiles meet it.
    """
    def say(report, path, line, message):
        if (path, line, message) not in reported:
            reported.add((path, line, message))
            report(path, line, message)

    for url in pdf.refused:
        path, line = _where_url_is_written(project, handout, url)
        say(diagnostics.error, path, line,
            f"refused to load {url}: only files inside the project are read")
    for message in pdf.log:
        if any(url in message for url in pdf.refused):
            continue  # already reported above, as an error with its file and line
        image = re.match(r"Failed to load image at '[^']*?/(assets/[^']+)'", message)
        if image:
            name = unquote(image[1])
            written = next((element for element in handout.body.iter("img")
                            if unquote(element.get("src") or "").lstrip("./") == name), None)
            say(diagnostics.error, handout.source.path, handout.line(written),
                f"the image {name} could not be read: save it again as PNG, JPEG or SVG")
            continue
        say(diagnostics.warn, handout.source.path, None, f"WeasyPrint: {message}")
