"""Independent checkers run by the tests: axe-core in Chromium, the Nu HTML Checker, PDF/UA."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from handouts.check.browser import AXE_TAGS, CHROMIUM_ARGS  # noqa: F401 (used by tests)
from testing_utils import REPO

NODE_MODULES = REPO / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"


def axe_violations(page, html_path: Path) -> list[dict]:
    """axe-core's violations of WCAG 2.2 A/AA and best practice, for a Playwright page."""
    # Before the page loads: its Content-Security-Policy forbids a script added to it.
    page.add_init_script(path=str(AXE_SCRIPT))
    page.goto(html_path.resolve().as_uri())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"]]}
            for v in result["violations"]]


def vnu_errors(*html_paths: Path) -> list[dict]:
    """The Nu HTML Checker's errors for the given files."""
    for path in html_paths:
        assert path.is_file(), path  # vnu reports nothing for a missing file
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only",
         *map(str, html_paths)], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["messages"]


def outloud_errors(pdf: Path) -> list[dict]:
    """outloud's error findings (PDF/UA-1 conformance and its semantic checks)."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "outloud"), "--json", "-", "--fail-on", "never",
         str(pdf)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)["results"][0]
    assert report["error"] is None, report["error"]
    return [finding for finding in report["findings"] if finding["severity"] == "error"]


def page_validation_failures(pdf: Path) -> list[tuple[str, str]]:
    """page-validation's failed PDF/UA-1 rules."""
    import page

    report = page.validate_pdf(str(pdf), profile="ua1")
    return [(failure.rule_id, failure.message) for failure in report.failures]
