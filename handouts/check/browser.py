"""axe-core in headless Chromium, for check --browser."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..pages.sandbox import has_policy
from ..project import PACKAGE_ROOT
from .findings import Finding

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> Path | None:
    path = PACKAGE_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    return path if path.is_file() else None


def axe_findings(pages: list[Path]) -> tuple[list[Finding], int]:
    """axe's violations on each page, in light and dark schemes, and how many pages it checked."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    script = axe_script()
    try:
        from playwright.sync_api import sync_playwright
        has_playwright = True
    except ImportError:
        has_playwright = False
    if not (chromium and script and has_playwright):
        missing = [name for name, present in (("Chromium", chromium), ("axe-core", script),
                                              ("playwright", has_playwright)) if not present]
        # An error, not a warning: whoever asked for --browser must not read "0 errors" as
        # "axe found nothing".
        return [Finding("check", "browser", f"axe-core was not run: {', '.join(missing)} "
                        "missing (make test installs them: Debian's chromium, and "
                        "npm's axe-core)")], 0
    findings = []
    # A page in dist/ that Handouts did not write (a chair can commit one) could run a
    # script in the browser: only pages whose policy forbids scripts are opened.
    unknown = [path for path in pages
               if not has_policy(path.read_text(encoding="utf-8", errors="replace")[:4096])]
    findings += [Finding(str(path), "browser", "not opened in the browser: it does not begin "
                         "with Handouts' security policy, so it was not built by Handouts",
                         severity="warning") for path in unknown]
    pages = [path for path in pages if path not in unknown]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for path in pages:
                for scheme in ("light", "dark"):
                    page = browser.new_page(color_scheme=scheme)
                    try:
                        # Before the page loads: its Content-Security-Policy forbids a
                        # script added to it.
                        page.add_init_script(path=str(script))
                        page.goto(path.resolve().as_uri())
                        result = page.evaluate("tags => axe.run(document, {runOnly: "
                                               "{type: 'tag', values: tags}})", AXE_TAGS)
                    finally:
                        page.close()
                    for violation in result["violations"]:
                        targets = ", ".join(" ".join(node["target"]) for node in
                                            violation["nodes"][:3])
                        findings.append(Finding(
                            str(path), f"axe-{violation['id']}",
                            f"{violation['help']} ({scheme} scheme: {targets})"))
        finally:
            browser.close()
    return findings, len(pages)
