"""Benchmarks of whole builds: python bench/run.py prints a table and writes bench/results.json.

a. the example report alone, HTML and PDF, against raw WeasyPrint rendering the same HTML
   with the same options (median of 7 each, taken in turns, in one warm process);
b. a generated project of 20 handouts (the example reports, varied) and one packet of all of
   them: cold build with --jobs 1 and --jobs 2, no-op rebuild, rebuild after one handout
   changed (a paragraph added), and, for information, after the first handout grew by
   pages (every later part of the packet moves), peak memory (largest resident set of any
   process of the build);
c. serve: time from a saved change to the refreshed HTML being served (median of 20 saves,
   each made when the server is idle, i.e. after the previous save's PDFs); and, for
   information, with each save made 0.3 s after the previous one's page was served, while
   its PDFs render;
d. the EPUBs' share of b's cold --jobs 2 build (the build's own measure of its e-book
   stage, from --verbose), and how many EPUBs the no-op rebuild made (none, kept).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HANDOUTS = 20
RUNS = 7
SERVE_SAVES = 20
TARGETS = {"a_ratio": 1.15, "b_jobs2_over_jobs1": 0.65, "b_noop_over_cold": 0.03,
           "b_one_changed_over_cold": 0.30, "b_peak_memory_mb": 800, "c_serve_ms": 200,
           "d_epub_over_cold": 0.05}

RAW_VERSUS_HANDOUTS = r"""
import json, statistics, sys, time
from pathlib import Path
import weasyprint
from handouts.builder import build
from handouts.project import Project

root = Path(sys.argv[1]); slug = sys.argv[2]; runs = int(sys.argv[3])
handouts_times, raw_times = [], []
html = root / "dist" / f"{slug}.html"
stylesheet = weasyprint.CSS(string="@page { size: A4 }\n* { opacity: 1 !important }")
# Taken in turns, so that the machine's load drifting during the runs weighs on both alike.
for run in range(runs + 1):
    started = time.perf_counter()
    build(Project.open(root), force=True, jobs=1)
    handouts_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    weasyprint.HTML(filename=str(html)).render(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1").write_pdf(
        str(root / "raw.pdf"), pdf_variant="pdf/ua-1")
    raw_times.append(time.perf_counter() - started)
# The first run of each warms caches (fonts, imports) and is left out.
print(json.dumps({"handouts": statistics.median(handouts_times[1:]),
                  "raw": statistics.median(raw_times[1:])}))
"""


def run_build(root: Path, *args: str, said: list[str] | None = None) -> tuple[float, float]:
    """Seconds and peak memory (MB, the largest process) of one `build.py` run; with
    ``said``, the build runs --verbose and its lines are added to it.

    The PDF workers are the build's grandchildren (they fork from a server), which
    RUSAGE_CHILDREN does not see: every process of the build is looked at while it runs.
    """
    loudness = "--verbose" if said is not None else "--quiet"
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        started = time.perf_counter()
        build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project",
                                  str(root), loudness, *args], stdout=output)
        peak = 0
        while build.poll() is None:
            peak = max([peak] + [_peak_kilobytes(pid) for pid in _descendants(build.pid)])
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if build.returncode != 0:
            raise subprocess.CalledProcessError(build.returncode, build.args)
        if said is not None:
            output.seek(0)
            said += output.read().splitlines()
    return seconds, peak / 1024


def epub_seconds(lines: list[str]) -> tuple[float, int]:
    """The e-book stage's seconds and EPUBs made, from a --verbose build's summary line."""
    summary = next(line for line in lines if line.strip().startswith("EPUB:"))
    made = re.search(r"(\d+) made, \d+ kept, ([\d.]+) s", summary)
    return float(made[2]), int(made[1])


def _descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children.get(current, [])
    return found


def _peak_kilobytes(pid: int) -> int:
    """A process's peak resident set (VmHWM), 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def example_alone(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "content/interpol-cyber-child-abuse-material.md", root / "content")
    shutil.copytree(REPO / "content/assets", root / "content/assets")
    config = (REPO / "handouts.toml").read_text()
    # One PDF, as raw WeasyPrint makes one: the standard profile only.
    (root / "handouts.toml").write_text(config.split("[[packet]]")[0]
                                        + '\n[build]\nprofiles = ["standard"]\n')
    return root


def generated_project(root: Path) -> list[str]:
    """20 handouts from the example reports, each a little different, and a packet of all."""
    shutil.copytree(REPO / "content/assets", root / "content/assets")
    sources = sorted(path for path in (REPO / "content").glob("*.md"))
    slugs = []
    for number in range(HANDOUTS):
        source = sources[number % len(sources)].read_text()
        slug = f"handout-{number + 1:02d}"
        text = re.sub(r'^title: "?(.*?)"?$', lambda m, number=number: f'title: "{m[1]} ({number + 1})"',
                      source, count=1, flags=re.MULTILINE)
        (root / "content" / f"{slug}.md").write_text(text)
        slugs.append(slug)
    config = (REPO / "handouts.toml").read_text().split("[[packet]]")[0]
    config += ('\n[[packet]]\nslug = "everything"\ntitle = "Every handout"\nhandouts = ['
               + ", ".join(f'"{slug}"' for slug in slugs) + "]\n")
    (root / "handouts.toml").write_text(config)
    return slugs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_latency(root: Path, slug: str, busy: bool = False) -> list[float]:
    """Seconds from saving a change to the page being served with it, SERVE_SAVES times:
    each save on an idle server, or (busy) 0.3 s after the last one's page was served."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(root),
                               "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    builds_done = threading.Semaphore(0)

    def read_output():
        for line in server.stdout:
            if line.startswith(("Built: PDFs ready.", "Build failed")):
                builds_done.release()

    threading.Thread(target=read_output, daemon=True).start()
    url = f"http://127.0.0.1:{port}/{slug}.html"
    path = root / "content" / f"{slug}.md"
    original = path.read_text()
    try:
        wait_for(url, lambda page: True, timeout=120)
        builds_done.acquire(timeout=300)  # the first build, PDFs included
        times = []
        for save in range(SERVE_SAVES):
            marker = f"Benchmark edit {save}"
            started = time.perf_counter()
            path.write_text(original + f"\n\n{marker}.\n")
            wait_for(url, lambda page, marker=marker: marker in page, timeout=120)
            times.append(time.perf_counter() - started)
            if busy:
                time.sleep(0.3)  # this save's PDFs are rendering when the next comes
            else:  # each save is measured on an idle server: this one's PDFs finish first
                builds_done.acquire(timeout=300)
        return times
    finally:
        path.write_text(original)
        # Stopped as a user stops it (Ctrl-C), then waited for to the last of its processes:
        # a PDF worker still ending would write into the folder about to be removed.
        processes = _descendants(server.pid)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=300)
        _wait_gone(processes, timeout=300)


def _wait_gone(pids: list[int], timeout: float) -> None:
    """Until none of these processes is left (each is reaped by its parent or by init)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            return
        time.sleep(0.1)
    raise TimeoutError(f"processes {alive} of serve were still running {timeout} s after it "
                       "was stopped")


def wait_for(url: str, ready, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode()):
                    return
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError(url)


def pdf_pages(root: Path) -> int:
    import pikepdf

    total = 0
    for pdf in (root / "dist/pdf").glob("*.pdf"):
        with pikepdf.open(pdf) as document:
            total += len(document.pages)
    return total


def main() -> None:
    results: dict = {"machine": f"{platform.node()}: {platform.platform()}, "
                                f"{os.cpu_count()} CPU(s), Python {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        alone = example_alone(folder / "alone")
        output = subprocess.run(
            [sys.executable, "-c", RAW_VERSUS_HANDOUTS, str(alone),
             "interpol-cyber-child-abuse-material", str(RUNS)],
            check=True, capture_output=True, text=True, cwd=REPO).stdout
        times = json.loads(output.splitlines()[-1])
        results["a_handouts_s"] = times["handouts"]
        results["a_raw_weasyprint_s"] = times["raw"]
        results["a_ratio"] = times["handouts"] / times["raw"]

        big = folder / "big"
        slugs = generated_project(big)
        cold = {}
        for jobs in (1, 2):
            shutil.rmtree(big / "dist", ignore_errors=True)
            shutil.rmtree(big / ".handouts-cache", ignore_errors=True)  # the build cache
            said: list[str] = []
            cold[jobs], peak = run_build(big, "--jobs", str(jobs), said=said)
            results[f"b_cold_jobs{jobs}_s"] = cold[jobs]
            if jobs == 2:  # the EPUBs are made in the build's own process, after the PDFs
                results["d_epub_s"], results["d_epubs_made"] = epub_seconds(said)
                results["d_epub_over_cold"] = results["d_epub_s"] / cold[jobs]
            results[f"b_peak_memory_jobs{jobs}_mb"] = peak
        results["b_pages"] = pdf_pages(big)
        results["b_jobs2_over_jobs1"] = cold[2] / cold[1]
        said = []
        results["b_noop_s"], _ = run_build(big, "--jobs", "2", said=said)
        results["d_noop_epubs_made"] = epub_seconds(said)[1]
        results["b_noop_over_cold"] = results["b_noop_s"] / cold[2]
        changed = big / "content" / f"{slugs[4]}.md"
        changed.write_text(changed.read_text() + "\n\nOne more paragraph.\n")
        results["b_one_changed_s"], _ = run_build(big, "--jobs", "2")
        results["b_one_changed_over_cold"] = results["b_one_changed_s"] / cold[2]
        grown = big / "content" / f"{slugs[0]}.md"
        grown.write_text(grown.read_text() + "".join(
            f"\n\nA paragraph added to make the handout longer, number {n}.\n"
            for n in range(60)))
        results["b_first_grew_s"], _ = run_build(big, "--jobs", "2")
        results["b_first_grew_over_cold"] = results["b_first_grew_s"] / cold[2]
        results["b_peak_memory_mb"] = max(results["b_peak_memory_jobs1_mb"],
                                          results["b_peak_memory_jobs2_mb"])

        serve_project = copy_example(folder / "serve")
        run_build(serve_project)
        latencies = serve_latency(serve_project, "welcome")
        results["c_serve_ms"] = statistics.median(latencies) * 1000
        results["c_serve_max_ms"] = max(latencies) * 1000
        busy = serve_latency(serve_project, "welcome", busy=True)
        results["c_serve_busy_ms"] = statistics.median(busy) * 1000
        results["c_serve_busy_max_ms"] = max(busy) * 1000

    results["targets"] = TARGETS
    (REPO / "bench/results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def copy_example(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "handouts.toml", root / "handouts.toml")
    return root


def print_table(results: dict) -> None:
    rows = [
        ("a. example report: Handouts (HTML + PDF + check)", f"{results['a_handouts_s']:.2f} s", ""),
        ("a. the same HTML, raw WeasyPrint", f"{results['a_raw_weasyprint_s']:.2f} s", ""),
        ("a. ratio", f"{results['a_ratio']:.2f}", "a_ratio"),
        (f"b. {HANDOUTS} handouts + packet ({results['b_pages']} pages): cold, --jobs 1",
         f"{results['b_cold_jobs1_s']:.1f} s", ""),
        ("b. cold, --jobs 2", f"{results['b_cold_jobs2_s']:.1f} s", ""),
        ("b. --jobs 2 / --jobs 1", f"{results['b_jobs2_over_jobs1']:.2f}", "b_jobs2_over_jobs1"),
        ("b. no-op rebuild", f"{results['b_noop_s']:.2f} s", ""),
        ("b. no-op / cold", f"{results['b_noop_over_cold']:.1%}", "b_noop_over_cold"),
        ("b. one handout changed", f"{results['b_one_changed_s']:.1f} s", ""),
        ("b. one changed / cold", f"{results['b_one_changed_over_cold']:.1%}",
         "b_one_changed_over_cold"),
        ("b. the first handout grew by pages (for information)",
         f"{results['b_first_grew_s']:.1f} s", ""),
        ("b. grew / cold", f"{results['b_first_grew_over_cold']:.1%}", ""),
        ("b. peak memory (largest process)", f"{results['b_peak_memory_mb']:.0f} MB",
         "b_peak_memory_mb"),
        ("c. serve: save to refreshed HTML (median of 20)", f"{results['c_serve_ms']:.0f} ms",
         "c_serve_ms"),
        ("c. the same, saves while PDFs render (for information)",
         f"{results['c_serve_busy_ms']:.0f} ms", ""),
        (f"d. EPUBs in the cold --jobs 2 build ({results['d_epubs_made']} made)",
         f"{results['d_epub_s']:.2f} s", ""),
        ("d. EPUBs / cold", f"{results['d_epub_over_cold']:.1%}", "d_epub_over_cold"),
        ("d. EPUBs made by the no-op rebuild", f"{results['d_noop_epubs_made']}", ""),
    ]
    print(f"Machine: {results['machine']}")
    width = max(len(row[0]) for row in rows)
    for label, value, target in rows:
        verdict = ""
        if target:
            met = results[target] <= TARGETS[target]
            verdict = f"target <= {TARGETS[target]}: {'met' if met else 'MISSED'}"
        print(f"{label:<{width}}  {value:>9}  {verdict}")


if __name__ == "__main__":
    main()
