"""Render and check PDFs in worker processes (``--jobs``), with the same files as one job."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cache import CachedPdf
from .packet_pdf import PacketPlan
from .profiles import Profile


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render from a staged HTML file, then check against it."""

    name: str  # a handout's or a packet's slug
    html_path: Path
    pdf_path: Path
    project_root: Path
    paper: str
    title: str
    profile: Profile
    booklet_path: Path | None = None  # a packet to pad and impose as a booklet
    # A packet's: its template, whose parts-only branches are not in the print document.
    template_digest: str = ""
    # A packet's, when it is rendered: assembled from parts (packet_pdf.py). Not part of the
    # job's identity: a worker's result is matched to its job without it.
    plan: PacketPlan | None = field(default=None, compare=False, hash=False)


@dataclass
class PdfDone:
    job: PdfJob
    pages: int
    log: list[str] = field(default_factory=list)  # WeasyPrint's warnings, as text
    refused: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)
    booklet_pages: int = 0
    seconds: float = 0.0
    reused: bool = False  # unchanged since the last build: taken from dist/
    parts: dict[str, CachedPdf] = field(default_factory=dict)  # a packet's, by dist/ path
    rendered_parts: list[tuple[str, int, float]] = field(default_factory=list)  # not reused


class Superseded(Exception):
    """A newer save came in while the PDFs rendered: this build stops, that one starts."""


SUPERSEDED_POLL = 0.1  # seconds between two looks for a newer save


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def render_and_check(job: PdfJob) -> PdfDone:
    """Render (a packet: assemble), check, and for a booklet pad and impose: everything one
    PDF needs."""
    from . import booklet
    from .check import check_pdf
    from .packet_pdf import render_packet
    from .render_pdf import render_pdf

    started = time.perf_counter()
    parts: dict[str, CachedPdf] = {}
    rendered_parts: list[tuple[str, int, float]] = []
    if job.plan is not None:
        packet = render_packet(job.plan, job.pdf_path, job.project_root, job.paper, job.title,
                               job.profile)
        pdf, log, parts, rendered_parts = packet.pdf, packet.log, packet.parts, packet.rendered
    else:
        pdf = render_pdf(job.html_path, job.pdf_path, job.project_root, job.paper, job.title,
                         profile=job.profile)
        log = [record.getMessage() for record in pdf.log]
    findings = check_pdf(pdf.path, job.html_path, job.profile.hidden_classes, pdf.html_root)
    pages, booklet_pages = pdf.pages, 0
    if job.booklet_path is not None:
        pages = booklet.pad_to_multiple_of_four(pdf.path)
        booklet_pages = booklet.impose(pdf.path, job.booklet_path, job.title)
    return PdfDone(job, pages, log, pdf.refused, findings, booklet_pages,
                   time.perf_counter() - started, parts=parts, rendered_parts=rendered_parts)


def run_pdf_jobs(jobs: list[PdfJob], workers: int,
                 finished: Callable[[PdfDone], None] = lambda done: None,
                 superseded: Callable[[], bool] = lambda: False) -> list[PdfDone]:
    """Every job's result, in the order of ``jobs`` whatever order they finish in.

    The largest documents start first, so the last one to finish is rarely a long one.
    One worker (or one job) runs in this process: nothing to start, nothing to pickle.
    When ``superseded()`` turns true, jobs not yet started are dropped, those rendering are
    let finish (a render cannot be stopped halfway), and Superseded is raised.
    """
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            if superseded():
                raise Superseded
            results.append(render_and_check(job))
            finished(results[-1])
        return results
    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has imported WeasyPrint once, not once per worker.
    context.set_forkserver_preload(["handouts.render_pdf", "handouts.check"])
    order = sorted(jobs, key=lambda job: job.html_path.stat().st_size, reverse=True)
    results: dict[PdfJob, PdfDone] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        pending = set()
        for job in order:
            pending.add(pool.submit(render_and_check, job))
        while pending:
            done, pending = wait(pending, timeout=SUPERSEDED_POLL, return_when=FIRST_COMPLETED)
            if pending and superseded():  # with nothing left, the results are kept
                for future in pending:
                    future.cancel()
                raise Superseded
            for future in done:
                result = future.result()  # a worker's exception is raised here, unswallowed
                results[result.job] = result
                finished(result)
    return [results[job] for job in jobs]
