"""Render and check PDFs in worker processes (``--jobs``), with the same files as one job."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render from a staged HTML file, then check against it."""

    name: str  # what progress shows: a handout's or a packet's slug
    html_path: Path
    pdf_path: Path
    project_root: Path
    paper: str
    title: str


@dataclass
class PdfDone:
    job: PdfJob
    pages: int
    log: list[str] = field(default_factory=list)  # WeasyPrint's warnings, as text
    refused: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)
    seconds: float = 0.0


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def render_and_check(job: PdfJob) -> PdfDone:
    from .check import check_pdf
    from .render_pdf import render_pdf

    started = time.perf_counter()
    pdf = render_pdf(job.html_path, job.pdf_path, job.project_root, job.paper, job.title)
    findings = check_pdf(pdf.path, job.html_path)
    return PdfDone(job, pdf.pages, [record.getMessage() for record in pdf.log], pdf.refused,
                   findings, time.perf_counter() - started)


def run_pdf_jobs(jobs: list[PdfJob], workers: int,
                 finished: Callable[[PdfDone], None] = lambda done: None) -> list[PdfDone]:
    """Every job's result, in the order of ``jobs`` whatever order they finish in.

    The largest documents start first, so the last one to finish is rarely a long one.
    One worker (or one job) runs in this process: nothing to start, nothing to pickle.
    """
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
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
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()  # a worker's exception is raised here, unswallowed
                results[result.job] = result
                finished(result)
    return [results[job] for job in jobs]
