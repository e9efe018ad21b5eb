"""What every phase of one build reads and adds to: plain data, made once by build()."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .cache import Manifest
from .check.findings import Finding
from .config import Config
from .epub.stage import EbookCosts
from .errors import Diagnostics
from .labels import Labels
from .output import Staging
from .pdf.profiles import Profile
from .prepare.parse import Handout
from .project import Project


@dataclass
class BuildResult:
    handouts: list[Handout]
    written: list[Path] = field(default_factory=list)
    pdf_pages: dict[tuple[str, str], int] = field(default_factory=dict)  # (slug, profile)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    findings: list[Finding] = field(default_factory=list)
    ebooks: EbookCosts = field(default_factory=EbookCosts)


@dataclass
class BuildContext:
    """One build: the project, its staging folder, the build cache, and its settings."""

    project: Project
    environment: jinja2.Environment  # sandboxed: pages/render.py's make_environment
    staging: Staging
    manifest: Manifest  # the last build's, which this one updates for the next
    profiles: list[Profile]  # the first one's pages number the HTML pages and the EPUBs
    labels: Labels  # the conference's language: the index's, the packets'
    made_with: str  # the code, templates and settings: a part of every cache key
    result: BuildResult
    strict: bool = False

    @property
    def config(self) -> Config:
        return self.project.config

    @property
    def diagnostics(self) -> Diagnostics:
        return self.result.diagnostics
