"""The build: every stage of the pipeline, from content/ to dist/."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from fontpkg_atkinson_hyperlegible import ROOT as FONT_ROOT

from . import booklet
from .check import check_pdf
from .errors import ContentError, Diagnostics, line_of
from .labels import Labels
from .load import load_source, slug_clashes
from .parse import Handout, parse
from .profiles import STANDARD, Profile, selected
from .project import Project
from .packets import (booklet_pdf_name, check_logo, check_packets, packet_article,
                      packet_parts, page_style, print_source_name)
from .render_html import (STATIC, Download, IndexEntry, PacketEntry, human_size,
                          make_environment, render_handout, render_index, render_packet_page,
                          render_packet_print)
from .render_pdf import render_pdf
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
          diagnostics: Diagnostics | None = None, strict: bool = False) -> BuildResult:
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
    Stages 4-9 hold a lock on dist/: a second build of the project waits for the first.
    Content errors from stages 1-3 (and packets naming missing handouts) stop the build
    before anything is written; errors from stages 5-7 stop it before publishing. Either way
    dist/ keeps its last good files.
    """
    diagnostics = diagnostics or Diagnostics()
    progress = progress or QuietProgress()
    config = project.config
    handouts = prepare(project, diagnostics, strict)

    profiles = selected(project)
    result = BuildResult(handouts, diagnostics=diagnostics)
    environment = make_environment(project)

    def waiting() -> None:
        progress.message("Another build of this project is running: waiting for it to finish…")

    with exclusive_build(project.dist_dir, waiting), Staging(project.dist_dir) as staging:
        _stage_static_files(project, staging, profiles)
        html_paths, pages_html, all_labels = {}, {}, []
        for handout in handouts:
            all_labels.append((handout.source.path, handout.labels))
            pages_html[handout.slug] = render_handout(environment, handout, config,
                                                      handout.labels,
                                                      profiles[0].pdf_path(handout.slug))
            html_paths[handout.slug] = staging.write_text(f"{handout.slug}.html",
                                                          pages_html[handout.slug])
        entries = []
        total = len(handouts) + len(config.packets)
        for number, handout in enumerate(handouts, start=1):
            progress.handout(number, total, handout.slug)
            reported: set = set()  # each profile meets the same refused URLs: say them once
            downloads = [_render_checked_pdf(project, handout, profile, html_paths[handout.slug],
                                             staging, result, strict, progress, reported)
                         for profile in profiles]
            entries.append(IndexEntry(handout.meta, f"{handout.slug}.html", downloads))
        index_labels = Labels(config.lang)
        packet_entries = []
        for number, packet in enumerate(config.packets, start=len(handouts) + 1):
            progress.handout(number, total, packet.slug)
            packet_entries.append(_build_packet(project, packet, handouts, pages_html,
                                                profiles, environment, index_labels, staging,
                                                strict, diagnostics, result))
        diagnostics.raise_errors()
        all_labels.append((config.path or project.root / "handouts.toml", index_labels))
        staging.write_text("index.html", render_index(environment, entries, config,
                                                      index_labels, packet_entries))
        _report_missing_labels(all_labels, diagnostics)
        result.written = staging.publish()
        staging.prune(result.written)
    return result


def _check_staged_pdf(pdf_path: Path, html_path: Path, profile: Profile, reported_at: Path,
                      strict: bool, diagnostics: Diagnostics) -> list:
    """The check stage on one PDF: findings are warnings, or errors with --strict."""
    findings = check_pdf(pdf_path, html_path, profile.hidden_classes)
    which = "" if profile.name == STANDARD else f" ({profile.name})"
    report = diagnostics.error if strict else diagnostics.warn
    for finding in findings:
        report(reported_at, None, f"PDF check{which}: {finding.rule}: {finding.detail}")
    return findings


def _build_packet(project: Project, packet, handouts: list[Handout], pages_html: dict[str, str],
                  profiles: list[Profile], environment, labels: Labels, staging: Staging,
                  strict: bool, diagnostics: Diagnostics, result: BuildResult) -> PacketEntry:
    """A packet's print document, its PDFs (padded and imposed for a booklet), and its page."""
    config = project.config
    parts = packet_parts(packet, handouts)
    articles = [packet_article(pages_html[part.handout.slug], part.handout, packet)
                for part in parts]
    print_html = staging.write_text(print_source_name(packet), render_packet_print(
        environment, packet, parts, articles, config, labels, page_style(packet, labels)))
    downloads, booklets = [], []
    reported = set()
    for profile in profiles:
        pdf = render_pdf(print_html, staging.path(profile.pdf_path(packet.slug)), project.root,
                         config.paper, packet.title, profile=profile)
        for message in [f"refused to load {url}: only files inside the project are read"
                        for url in pdf.refused] + [
                f"WeasyPrint: {record.getMessage()}" for record in pdf.log]:
            if message not in reported:
                reported.add(message)
                report = diagnostics.error if message.startswith("refused") else \
                    diagnostics.warn
                report(config.path, packet.line, f"packet '{packet.slug}': {message}")
        result.findings += _check_staged_pdf(pdf.path, print_html, profile, config.path,
                                             strict, diagnostics)
        pages = pdf.pages
        if packet.booklet:
            pages = booklet.pad_to_multiple_of_four(pdf.path)
            name = booklet_pdf_name(packet, profile)
            sheets = booklet.impose(pdf.path, staging.path(name), packet.title)
            booklets.append(Download(profile, name, sheets,
                                     human_size(staging.path(name).stat().st_size),
                                     booklet=True))
        result.pdf_pages[packet.slug, profile.name] = pages
        downloads.append(Download(profile, profile.pdf_path(packet.slug), pages,
                                  human_size(pdf.path.stat().st_size)))
    entry = PacketEntry(packet, parts, f"{packet.slug}.html", downloads + booklets)
    staging.write_text(f"{packet.slug}.html",
                       render_packet_page(environment, entry, config, labels))
    return entry


def _render_checked_pdf(project: Project, handout: Handout, profile: Profile, html_path: Path,
                        staging: Staging, result: BuildResult, strict: bool,
                        progress, reported: set) -> Download:
    """One handout's PDF in one profile, checked against its HTML page."""
    started = time.perf_counter()
    pdf = render_pdf(html_path, staging.path(profile.pdf_path(handout.slug)), project.root,
                     project.config.paper, handout.meta.title, profile=profile)
    _report_pdf_problems(project, handout, pdf, result.diagnostics, reported)
    findings = _check_staged_pdf(pdf.path, html_path, profile, handout.source.path, strict,
                                 result.diagnostics)
    result.findings += findings
    result.pdf_pages[handout.slug, profile.name] = pdf.pages
    which = "" if profile.name == STANDARD else f" ({profile.name})"
    progress.detail(f"{handout.slug}{which}: {pdf.pages} page(s) in "
                    f"{time.perf_counter() - started:.2f} s, {len(findings)} finding(s)")
    return Download(profile, profile.pdf_path(handout.slug), pdf.pages,
                    human_size(pdf.path.stat().st_size))


def prepare(project: Project, diagnostics: Diagnostics, strict: bool = False) -> list[Handout]:
    """Stages 1-3: load, parse and transform every handout; nothing is written.

    Raises BuildFailed (or ContentError) when the content has errors.
    """
    config = project.config
    paths = project.handout_paths()
    if not paths:
        raise ContentError(project.content_dir, None,
                           f"no handouts found in {project.content_dir}: add a Markdown file "
                           "such as content/welcome.md, or name the project with --project DIR")

    diagnostics.errors += slug_clashes(paths)
    sources = []
    for path in paths:
        try:
            sources.append(load_source(path, config.lang))
        except ContentError as error:
            diagnostics.errors.append(error)
    diagnostics.raise_errors()

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
    diagnostics.raise_errors()
    run_transforms(handouts, Context(config, diagnostics, project.root, shared_glossary,
                                     strict))
    check_packets(config, handouts, diagnostics)
    check_logo(config, project.content_dir, diagnostics)
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
    """The handout, stylesheet or template that asks for url, and the line."""
    needle = url.split("://", 1)[-1]
    line = line_of(handout.source.body, needle, handout.source.body_line)
    if line:
        return handout.source.path, line
    for folder in ("styles", "templates"):
        for path in sorted((project.root / folder).rglob("*")):
            if path.is_file():
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
    assets = project.content_dir / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file() and path.resolve().is_relative_to(project.root):
                staging.copy(path, f"assets/{path.relative_to(assets)}")


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
    for record in pdf.log:
        message = record.getMessage()
        if any(url in message for url in pdf.refused):
            continue  # already reported above, as an error with its file and line
        image = re.match(r"Failed to load image at '[^']*?/(assets/[^']+)'", message)
        if image:
            name = unquote(image[1])
            say(diagnostics.error, handout.source.path, handout.line_of(name),
                f"the image {name} could not be read: save it again as PNG, JPEG or SVG")
            continue
        say(diagnostics.warn, handout.source.path, None, f"WeasyPrint: {record.getMessage()}")
