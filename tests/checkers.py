"""Independent checkers run by the tests: axe-core in Chromium, the Nu HTML Checker, PDF/UA."""

from __future__ import annotations

import functools
import json
import subprocess
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from testing_utils import REPO, serving

from handouts.check.browser import AXE_TAGS, CHROMIUM_ARGS  # noqa: F401 (used by tests)

NODE_MODULES = REPO / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
# The quick compiler only (C1): in a run this short, C2 costs more CPU than it saves. C1's
# frames are larger: vnu's schema needs 2 MB of stack then (1 MB, Java's default, with C2).
VNU_JAVA = ["java", "-XX:TieredStopAtLevel=1", "-Xss16m"]


def axe_violations(page, html_path: Path) -> list[dict]:
    """axe-core's violations of WCAG 2.2 A/AA and best practice, for a new Playwright page."""
    return axe_violations_in(with_axe(page), html_path)


def with_axe(page):
    """The page, with axe-core in every document it loads from now on."""
    # Before the page loads: its Content-Security-Policy forbids a script added to it.
    page.add_init_script(path=str(AXE_SCRIPT))
    return page


def axe_violations_in(page, html_path: Path) -> list[dict]:
    """axe_violations, for a page with_axe gave axe-core (one kept for several documents)."""
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
        [*VNU_JAVA, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only",
         *map(str, html_paths)], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["messages"]


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass


def vnu_messages(dist: Path, *html_paths: Path) -> list[dict]:
    """The Nu HTML Checker's errors and warnings for pages of dist/, served over HTTP.

    Over HTTP, as readers get them: read as file: URLs, vnu takes the pages' own stylesheets for
    blocked by their Content-Security-Policy ('self' never matches a file: URL in vnu).
    """
    for path in html_paths:
        assert path.is_file(), path  # vnu reports nothing for a missing file
    files = functools.partial(_QuietFiles, directory=str(dist))
    with serving(files) as address:
        base = address + "/"
        urls = [base + path.relative_to(dist).as_posix() for path in html_paths]
        result = subprocess.run(
            # The pages are on 127.0.0.1, which vnu refuses to fetch unless told.
            [*VNU_JAVA, "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar", str(VNU_JAR),
             "--format", "json", "--stdout", *urls], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stdout)["messages"]
    assert not [m for m in messages if m["type"] == "non-document-error"], messages
    for message in messages:
        message["url"] = message.get("url", "").removeprefix(base)
    return messages


def outloud_errors(pdf: Path) -> list[dict]:
    """outloud's error findings (PDF/UA-1 conformance and its semantic checks)."""
    # Its Python API, as its command line calls it: a process each PDF cost 0.9 s of CPU more.
    import outloud
    from outloud.report import to_json

    report = json.loads(to_json([outloud.check(str(pdf))]))["results"][0]
    assert report["error"] is None, report["error"]
    return [finding for finding in report["findings"] if finding["severity"] == "error"]


def page_validation_failures(pdf: Path) -> list[tuple[str, str]]:
    """page-validation's failed PDF/UA-1 rules."""
    import page

    report = page.validate_pdf(str(pdf), profile="ua1")
    return [(failure.rule_id, failure.message) for failure in report.failures]
