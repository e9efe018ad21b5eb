"""The links command: are the handouts' external links still there? (The only command that goes online.)"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Diagnostics
from .load import load_source
from .parse import parse
from .project import Project

EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)
USER_AGENT = "Handouts link checker (+https://pypi.org/project/handouts/)"


@dataclass
class LinkResult:
    url: str
    uses: list[tuple[Path, int | None]] = field(default_factory=list)
    status: int | None = None
    reason: str = ""
    final_url: str = ""

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400


def external_links(project: Project, diagnostics: Diagnostics) -> dict[str, LinkResult]:
    """Every distinct external address of every handout, with where it is written."""
    links: dict[str, LinkResult] = {}
    for path in project.handout_paths():
        try:
            handout = parse(load_source(path, project.config.lang), diagnostics)
        except ContentError as error:
            diagnostics.errors.append(error)
            continue
        searched_from: dict[str, int] = {}  # each use of an address at its own line
        source = handout.source
        for link in handout.body.iter("a"):
            url = link.get("href") or ""
            if not EXTERNAL.match(url):
                continue
            index = source.body.find(url, searched_from.get(url, 0))
            searched_from[url] = index + 1 if index >= 0 else 0
            line = source.body_line + source.body.count("\n", 0, index) if index >= 0 else None
            links.setdefault(url, LinkResult(url)).uses.append((path, line))
    return links


def check_link(result: LinkResult, timeout: float) -> LinkResult:
    """HEAD, or GET where a server refuses HEAD; redirects are followed and remembered."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(result.url, method=method,
                                         headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                result.status, result.reason = response.status, response.reason
                result.final_url = response.geturl()
                return result
        except urllib.error.HTTPError as error:
            result.status, result.reason = error.code, error.reason
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers answer only GET
            return result
        except (urllib.error.URLError, OSError, ValueError) as error:
            result.status = None
            result.reason = str(getattr(error, "reason", error))
            return result
    return result


def check_links(links: dict[str, LinkResult], workers: int = 8,
                timeout: float = 10.0) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda result: check_link(result, timeout), links.values()))


def run_links(root: Path, workers: int = 8, timeout: float = 10.0) -> int:
    diagnostics = Diagnostics()
    try:
        project = Project.open(root)
        links = external_links(project, diagnostics)
    except ContentError as error:
        diagnostics.errors.append(error)
        links = {}
    for error in diagnostics.errors:
        print(error.format(root))
    if diagnostics.errors:
        return 1
    results = check_links(links, workers, timeout)
    broken = redirected = 0
    for result in results:
        for path, line in result.uses:
            where = ContentError(path, line, "").location(root)
            if result.broken:
                status = f"{result.status} {result.reason}" if result.status else result.reason
                print(f"{where}: broken link {result.url} ({status})")
            elif result.final_url and result.final_url != result.url:
                print(f"{where}: warning: {result.url} redirects to {result.final_url}; "
                      "link to the new address")
        broken += result.broken
        redirected += bool(not result.broken and result.final_url != result.url)
    print(f"Checked {len(results)} link(s): {broken} broken, {redirected} redirected.")
    return 1 if broken else 0
