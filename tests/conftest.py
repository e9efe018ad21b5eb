"""Shared fixtures: the example project built once for the whole session."""

from __future__ import annotations

import os
import tempfile

import pytest

from testing_utils import EXAMPLE_SLUG, copy_example, run_cli

# The build cache's signing key goes to the user's cache folder: the tests' own, not the
# user's (builds in subprocesses inherit it).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="handouts-tests-cache-")


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The example project, copied and built; its dist/ is shared, read-only, by tests."""
    root = copy_example(tmp_path_factory.mktemp("example"))
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    # No warnings, WeasyPrint's included, but one the author's text earns: a glossary term
    # it defines and never uses.
    assert result.err.splitlines() == [
        "content/interpol-cyber-child-abuse-material.md:34: warning: the term "
        "'Children’s rights' is defined but never used"]
    return root


@pytest.fixture(scope="session")
def example_html(example):
    return example / "dist" / f"{EXAMPLE_SLUG}.html"


@pytest.fixture(scope="session")
def example_pdf(example):
    return example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf"
