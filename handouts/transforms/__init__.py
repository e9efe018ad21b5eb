"""Transforms over every parsed handout: each a small class, run in priority order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import Diagnostics
from ..parse import Handout


@dataclass
class Context:
    """What every transform may read: the settings and the diagnostics collector."""

    config: Config
    diagnostics: Diagnostics
    project_root: Path
    shared_glossary: Handout | None = None  # content/glossary.md, parsed
    strict: bool = False  # warnings about the author's text are errors


class Transform:
    """One step over the handouts. ``collect`` sees all of them before any ``apply``."""

    name = ""
    priority = 0  # higher runs first, as in Python-Markdown's registries

    def collect(self, handouts: list[Handout], context: Context) -> None:
        """Gather what must be known across handouts (shared terms, ids …)."""

    def apply(self, handout: Handout, context: Context) -> None:
        raise NotImplementedError


class Registry:
    """Transforms by name, iterated highest priority first."""

    def __init__(self) -> None:
        self._items: dict[str, Transform] = {}

    def register(self, transform: Transform) -> None:
        self._items[transform.name] = transform

    def __iter__(self):
        return iter(sorted(self._items.values(), key=lambda t: -t.priority))


def default_transforms() -> Registry:
    from .abbreviations import Abbreviations
    from .content_notes import ContentNotePlacement, SectionContentNotes
    from .glossary import Glossary
    from .figures import Figures, FigureText
    from .footnotes import Footnotes
    from .headings import Headings
    from .links import LinkRules
    from .resources import LocalResources
    from .sections import Sections
    from .sources import Sources
    from .tables import Tables
    from .timeline import Timeline

    registry = Registry()
    for transform in (Headings(), Tables(), Figures(), FigureText(), ContentNotePlacement(),
                      Sections(), Timeline(), Glossary(),
                      Abbreviations(), SectionContentNotes(), Footnotes(), LinkRules(), Sources(),
                      LocalResources()):
        registry.register(transform)
    return registry


def run_transforms(handouts: list[Handout], context: Context,
                   registry: Registry | None = None) -> None:
    """Collect across all handouts first, then apply to each, transform by transform."""
    for transform in registry or default_transforms():
        transform.collect(handouts, context)
        for handout in handouts:
            transform.apply(handout, context)
