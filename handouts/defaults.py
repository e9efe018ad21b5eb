"""Where Handouts' own files are: templates and stylesheets (a project's own override them), and
what `handouts init` starts a repository with."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("handouts"))).resolve()


def _built_in(name: str) -> Path:
    """handouts/<name> in an installed wheel (pyproject.toml maps the folder there), else the
    clone's top-level <name>/, beside handouts/, where an editable install reads it."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else PACKAGE.parent / name


TEMPLATES = _built_in("templates")
STYLES = _built_in("styles")
STARTER = PACKAGE / "starter"  # in the package in a clone too: only Handouts reads it
