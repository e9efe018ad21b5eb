"""Shared fixtures: the example project built once for the whole session."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from testing_utils import EXAMPLE_SLUG, Run, copy_example, run_cli

# The build cache's signing key goes to the user's cache folder: the tests' own, not the
# user's (builds in subprocesses inherit it).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="handouts-tests-cache-")


@pytest.fixture(params=["example", "second"])
def project(request) -> Path:
    """Each built project in turn: the example, then the second project."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def browser():
    """Chromium, once a test module (one Playwright at a time: serve's and check's own)."""
    from checkers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe_page(browser):
    """The page with axe-core for a screen (colour scheme, width), kept for the module's tests."""
    # A new page costs Chromium a renderer and axe-core's compiling, about 0.8 s of CPU. A
    # document loaded in a kept page is checked alike: every rule passes or fails on as many
    # elements as in a new page (measured on every page of both projects).
    from checkers import with_axe

    pages = {}

    def page_for(scheme: str, width: int):
        if (scheme, width) not in pages:
            pages[scheme, width] = with_axe(browser.new_page(
                viewport={"width": width, "height": 800}, color_scheme=scheme))
        return pages[scheme, width]

    yield page_for
    for page in pages.values():
        page.close()


def built_once(tmp_path_factory, name: str, copy: Callable[[Path], object],
               *options: str) -> tuple[Path, Run]:
    """A project copied by copy and built with options, once a run; and what the build printed."""
    # Under pytest-xdist each worker is a session of its own: the first worker to ask builds,
    # under a lock, in the folder all workers share; the others wait, then read what it printed.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's base folder is in the run's
    root, printed = shared / name, shared / f"{name}.build.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not printed.is_file():
            shutil.rmtree(root, ignore_errors=True)  # a worker that failed to build left it
            root.mkdir()
            copy(root)
            result = run_cli("--project", root, *options)
            printed.write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
    return root, Run(**json.loads(printed.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The example project, copied and built; its dist/ is shared, read-only, by tests."""
    root, result = built_once(tmp_path_factory, "example", copy_example)
    assert result.status == 0, result.err
    # No warnings, WeasyPrint's included, but one the author's text earns: a glossary term
    # it defines and never uses.
    assert result.err.splitlines() == [
        "content/interpol-cyber-child-abuse-material.md:34: warning: the term "
        "'Children’s rights' is defined but never used"]
    return root


@pytest.fixture(scope="session")
def example_elsewhere(tmp_path_factory):
    """The example copied to another folder and built with another number of PDF jobs than
    the example fixture's build (which takes one a core): one build that differs in both."""
    from handouts.pdf.parallel import default_jobs

    jobs = "1" if default_jobs() > 1 else "2"
    root, result = built_once(tmp_path_factory, f"example-jobs-{jobs}", copy_example,
                              "--jobs", jobs, "--quiet")
    assert result.status == 0, result.err
    return root


@pytest.fixture(scope="session")
def example_html(example):
    return example / "dist" / f"{EXAMPLE_SLUG}.html"


@pytest.fixture(scope="session")
def example_pdf(example):
    return example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf"


# The second project (issues 14 and 15): a conference of our own, unlike the example's, that
# every rule must hold on too. tests/second_project/README.md says what it holds.
SECOND_PROJECT = Path(__file__).resolve().parent / "second_project"


def second_expected_warnings(root: Path) -> dict[str, str]:
    """The start of each warning the second project's build prints -> why it is expected."""
    guide = root / "content" / "security-council-children-armed-conflict.md"
    chart = next(number for number, line in enumerate(
        guide.read_text(encoding="utf-8").splitlines(), start=1)
        if "assets/grave-violations-2023.svg" in line)
    return {
        f"{guide.relative_to(root)}:{chart}: warning: the figure \"Verified grave violations":
            "the chart's labels are 10 and 11 px on purpose (issue 15: small text drawn in "
            "a figure), too small to reach 18 pt in large print, which prints the figure's "
            "description beneath it",
    }


@pytest.fixture(scope="session")
def second(tmp_path_factory):
    """The second project, copied and built once; its dist/ is shared, read-only, by tests."""
    def copy(root: Path) -> None:
        shutil.copytree(SECOND_PROJECT / "content", root / "content")
        shutil.copy(SECOND_PROJECT / "handouts.toml", root / "handouts.toml")

    root, result = built_once(tmp_path_factory, "second", copy)
    assert result.status == 0, result.err
    expected = second_expected_warnings(root)
    # No other warning, WeasyPrint's included, and each expected one once.
    matched = [next((start for start in expected if line.startswith(start)), line)
               for line in result.err.splitlines()]
    assert sorted(matched) == sorted(expected), result.err
    return root
