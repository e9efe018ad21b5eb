"""Render and check PDFs in worker processes (``--jobs``), with the same files as one job."""

from __future__ import annotations

import multiprocessing
import os
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from .. import limits
from ..cache import CachedPdf
from ..check.findings import Finding
from ..packets.pdf import PacketPlan
from ..page_numbers.starts import PageStart
from .profiles import Profile


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render from a staged HTML file, then check against it."""

    name: str  # a handout's or a packet's slug
    html_path: Path
    pdf_path: Path
    root: Path  # the build's staging folder: all that the PDF may load
    paper: str
    title: str
    profile: Profile
    booklet_path: Path | None = None  # a packet to pad and impose as a booklet
    # A packet's: its template, whose parts-only branches are not in the print document.
    template_digest: str = ""
    # A packet's, when it is rendered: assembled from parts (packets/pdf.py). Not part of the
    # job's identity: a worker's result is matched to its job without it.
    plan: PacketPlan | None = field(default=None, compare=False, hash=False)


@dataclass
class PdfDone:
    job: PdfJob
    pages: int
    log: list[str] = field(default_factory=list)  # WeasyPrint's warnings, as text
    refused: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    booklet_pages: int = 0
    seconds: float = 0.0
    reused: bool = False  # unchanged since the last build: taken from the build cache
    loaded: dict[str, str] = field(default_factory=dict)  # what it loaded: path -> sha256
    parts: dict[str, CachedPdf] = field(default_factory=dict)  # a packet's, by staging path
    rendered_parts: list[tuple[str, int, float]] = field(default_factory=list)  # not reused
    failed: str = ""  # why no PDF was made: it went past a limit of its worker
    page_starts: list[PageStart] = field(default_factory=list)  # where each page begins


class Superseded(Exception):
    """A newer save came in while the PDFs rendered: this build stops, that one starts."""


SUPERSEDED_POLL = 0.1  # seconds between two looks for a newer save


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


class TooCostly(Exception):
    """A PDF's worker used up its processor time."""


def _limit_worker(build: int) -> None:
    """Each worker renders one PDF under a limit of processor time and memory: a handout
    made to be costly fails with a message instead of stalling the build (or CI)."""
    def out_of_time(signum: int, frame: FrameType | None) -> None:
        raise TooCostly
    _die_with_build(build)
    signal.signal(signal.SIGXCPU, out_of_time)
    used = resource.getrusage(resource.RUSAGE_SELF)
    seconds = int(used.ru_utime + used.ru_stime) + limits.PDF_CPU_SECONDS
    # The soft limit sends SIGXCPU (a Python exception here); the hard one, later, kills.
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 30))
    resource.setrlimit(resource.RLIMIT_AS, (limits.PDF_MEMORY_BYTES, limits.PDF_MEMORY_BYTES))


def _die_with_build(build: int) -> None:
    """A worker stops at once when its build ends, killed or not, instead of writing on into
    a staging folder the next build is removing, or waiting for ever for a job that never
    comes; the worker's parent is the forkserver, which ends only when its workers have."""
    threading.Thread(target=_exit_when_ended, args=(build,), daemon=True,
                     name="handouts-build-watch").start()


def _exit_when_ended(build: int) -> None:
    try:
        ended = os.pidfd_open(build)
    except (AttributeError, OSError):  # not Linux, or already gone: look every second
        while _is_running(build):
            time.sleep(1)
    else:
        select.select([ended], [], [])
    os._exit(1)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone (or its number is another user's)
        return False
    return True


def render_within_limits(job: PdfJob) -> PdfDone:
    """render_and_check, in a worker that _limit_worker limited; past a limit, a PdfDone
    that says which."""
    try:
        return render_and_check(job)
    except TooCostly:
        return PdfDone(job, 0, failed=f"its PDF took more than {limits.PDF_CPU_SECONDS} s "
                       "of processor time, the most one PDF may take: make it shorter or "
                       "simpler, or split it")
    except MemoryError:
        return PdfDone(job, 0, failed=f"its PDF needed more than "
                       f"{limits.PDF_MEMORY_BYTES // 1024 ** 2:,} MB of memory, the most one "
                       "PDF may take: make it shorter or simpler, or split it")


def render_and_check(job: PdfJob) -> PdfDone:
    """Render (a packet: assemble), check, and for a booklet pad and impose: everything one
    PDF needs."""
    from ..check.files import check_pdf
    from ..packets.pdf import render_packet
    from . import booklet
    from .render import render_pdf

    started = time.perf_counter()
    parts: dict[str, CachedPdf] = {}
    rendered_parts: list[tuple[str, int, float]] = []
    if job.plan is not None:
        packet = render_packet(job.plan, job.pdf_path, job.root, job.paper, job.title,
                               job.profile)
        pdf, log, parts, rendered_parts = packet.pdf, packet.log, packet.parts, packet.rendered
    else:
        pdf = render_pdf(job.html_path, job.pdf_path, job.root, job.paper, job.title,
                         profile=job.profile)
        log = [record.getMessage() for record in pdf.log]
    findings = check_pdf(pdf.path, job.html_path, job.profile.hidden_classes, pdf.html_root)
    pages, booklet_pages = pdf.pages, 0
    if job.booklet_path is not None:
        pages = booklet.pad_to_multiple_of_four(pdf.path)
        booklet_pages = booklet.impose(pdf.path, job.booklet_path, job.title)
    return PdfDone(job, pages, log, pdf.refused, findings, booklet_pages,
                   time.perf_counter() - started, loaded=pdf.loaded, parts=parts,
                   rendered_parts=rendered_parts, page_starts=pdf.page_starts)


def run_pdf_jobs(jobs: list[PdfJob], workers: int,
                 finished: Callable[[PdfDone], None] = lambda done: None,
                 superseded: Callable[[], bool] = lambda: False) -> list[PdfDone]:
    """Every job's result, in the order of ``jobs`` whatever order they finish in.

    Each job runs in a worker process of its own, under limits (_limit_worker), at most
    ``workers`` at once; the largest documents start first, so the last one to finish is
    rarely a long one. When ``superseded()`` turns true, jobs not yet started are dropped,
    those rendering are let finish (a render cannot be stopped halfway), and Superseded is
    raised.
    """
    if not jobs:
        return []
    results: dict[PdfJob, PdfDone] = {}
    order = sorted(jobs, key=lambda job: job.html_path.stat().st_size, reverse=True)
    stopped = _run_pool(order, workers, results, finished, superseded)
    for job in stopped:  # alone, each: the one whose worker dies again is the one at fault
        _run_pool([job], 1, results, finished, superseded, blame=True)
    return [results[job] for job in jobs]


def _run_pool(jobs: list[PdfJob], workers: int, results: dict[PdfJob, PdfDone],
              finished: Callable[[PdfDone], None], superseded: Callable[[], bool],
              blame: bool = False) -> list[PdfJob]:
    """Run jobs in a pool of workers into ``results``; the jobs left undone when a worker
    was killed (which stops the whole pool), or, with ``blame``, a PdfDone saying so."""
    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has loaded WeasyPrint once (pdf/worker.py).
    context.set_forkserver_preload(["handouts.pdf.worker"])
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=context,
                             initializer=_limit_worker, initargs=(os.getpid(),),
                             max_tasks_per_child=1) as pool:
        pending = {pool.submit(render_within_limits, job): job for job in jobs}
        stopped = []
        while pending:
            done, _ = wait(pending, timeout=SUPERSEDED_POLL, return_when=FIRST_COMPLETED)
            if len(done) < len(pending) and superseded():  # with nothing left, keep them
                for future in pending:
                    future.cancel()
                raise Superseded
            for future in done:
                job = pending.pop(future)
                try:
                    result = future.result()  # a worker's exception is raised here
                except BrokenProcessPool:  # past its hard limit, or killed by the system
                    if not blame:
                        stopped.append(job)
                        continue
                    result = PdfDone(job, 0, failed="its PDF's worker was stopped (out of "
                                     "memory or processor time): make it shorter or simpler")
                results[result.job] = result
                finished(result)
    return stopped
