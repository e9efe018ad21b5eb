"""Shared fixtures: the example project built once for the whole session."""

from __future__ import annotations

import pytest

from testing_utils import EXAMPLE_SLUG, copy_example, run_cli


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The example project, copied and built; its dist/ is shared, read-only, by tests."""
    root = copy_example(tmp_path_factory.mktemp("example"))
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    assert result.err == ""  # no warnings, WeasyPrint's included: the example is clean
    return root


@pytest.fixture(scope="session")
def example_html(example):
    return example / "dist" / f"{EXAMPLE_SLUG}.html"


@pytest.fixture(scope="session")
def example_pdf(example):
    return example / "dist" / "pdf" / f"{EXAMPLE_SLUG}.pdf"
