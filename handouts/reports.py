"""What a build tells the author about its PDFs and labels, each message at its file and line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

from .build_context import BuildResult
from .errors import Diagnostics, line_of
from .labels import Labels
from .pages.render import Download, human_size
from .pdf.parallel import PdfDone
from .prepare.inputs import hidden, outside_reason
from .prepare.parse import Handout
from .project import Project

Report = Callable[[Path, int | None, str], None]  # Diagnostics.error or .warn


def record_pdf(outcome: PdfDone, reported_at: Path, strict: bool, result: BuildResult) -> Download:
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


def report_pdf_problems(project: Project, handout: Handout, pdf: PdfDone,
                        diagnostics: Diagnostics,
                        reported: set[tuple[Path, int | None, str]]) -> None:
    """URLs the fetcher refused are errors; WeasyPrint's own messages are shown as warnings.

    Each once per handout (``reported``), however many profiles meet it.
    """
    def say(report: Report, path: Path, line: int | None, message: str) -> None:
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


def _where_url_is_written(project: Project, handout: Handout, url: str) -> tuple[Path, int | None]:
    """The handout element, or else the stylesheet or template, that asks for url; its line."""
    needle = url.split("://", 1)[-1]
    for element in handout.body.iter():
        if any((element.get(name) or "").split("://", 1)[-1] == needle
               for name in ("src", "href")) and handout.line(element):
            return handout.source.path, handout.line(element)
    for folder in ("styles", "templates"):
        for path in sorted((project.root / folder).rglob("*")):
            # Only what prepare/inputs.py let the build read: never a hidden file (it checks none).
            if path.is_file() and not hidden(path.relative_to(project.root)) and \
                    not outside_reason(project.root, path.resolve()):
                line = line_of(path.read_text(encoding="utf-8", errors="replace"), needle)
                if line:
                    return path, line
    return handout.source.path, None


def report_missing_labels(all_labels: Iterable[tuple[Path, Labels]],
                          diagnostics: Diagnostics) -> None:
    """One warning per language and label that fell back to English."""
    reported: set[tuple[str, str]] = set()
    for path, labels in all_labels:
        for key in sorted(labels.missing):
            if (labels.language, key) not in reported:
                reported.add((labels.language, key))
                diagnostics.warn(path, None, f"the label '{key}' has no translation for "
                                 f"language '{labels.lang}': English is used; add it to "
                                 f"handouts/messages/{labels.language}.toml")
