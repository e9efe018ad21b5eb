"""Transforms over every parsed handout: each a small class, run in the order declared here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from ..config import Config
from ..errors import Diagnostics
from ..labels import Labels
from ..prepare.parse import Handout


@dataclass
class Context:
    """What every transform may read: the settings and the diagnostics collector."""

    config: Config
    diagnostics: Diagnostics
    project_root: Path
    shared_glossary: Handout | None = None  # content/glossary.md, parsed
    strict: bool = False  # warnings about the author's text are errors


def labels_of(handout: Handout) -> Labels:
    """The words in the handout's language: prepare gives every handout its own."""
    assert handout.labels is not None, "set when the handout is parsed"
    return handout.labels


def ids_in(root: Element) -> set[str]:
    """Every id under root (root's too): what an id Handouts adds must not repeat."""
    return {element_id for element in root.iter() if (element_id := element.get("id"))}


class Transform:
    """One step over the handouts. ``collect`` sees all of them before any ``apply``."""

    name = ""

    def collect(self, handouts: list[Handout], context: Context) -> None:
        """Gather what must be known across handouts (shared terms, ids …)."""

    def apply(self, handout: Handout, context: Context) -> None:
        raise NotImplementedError


class Registry:
    """Transforms by name, iterated highest priority first, as in Python-Markdown."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[int, Transform]] = {}

    def register(self, transform: Transform, priority: int) -> None:
        self._items[transform.name] = (priority, transform)

    def __iter__(self) -> Iterator[Transform]:
        ranked = sorted(self._items.values(), key=lambda item: -item[0])
        return iter(transform for _, transform in ranked)


def default_transforms() -> Registry:
    """Every transform and its place: the one list that orders them (as Python-Markdown's
    build_treeprocessors), highest first."""
    from .abbreviations import Abbreviations
    from .content_notes import ContentNotePlacement, SectionContentNotes
    from .figures import Figures, FigureText
    from .footnotes import FootnoteCalls, Footnotes
    from .glossary import Glossary
    from .headings import Headings
    from .links import LinkRules
    from .resources import LocalResources
    from .sections import Sections
    from .sources import Sources
    from .tables import Tables
    from .timeline import Timeline

    registry = Registry()
    registry.register(FootnoteCalls(), 105)  # the author's text as parsed, every line known
    registry.register(Headings(), 100)
    registry.register(LocalResources(), 95)  # on the author's images, before Handouts adds its own
    registry.register(Tables(), 90)
    registry.register(Figures(), 85)
    # Once figures are made, before Handouts adds images of its own (QR codes).
    registry.register(FigureText(), 84)
    registry.register(ContentNotePlacement(), 80)
    registry.register(Sections(), 50)
    registry.register(Timeline(), 48)  # once sections exist
    registry.register(Glossary(), 45)  # after sections exist, before content notes add links
    registry.register(Abbreviations(), 44)  # after the glossary, so the list can follow it
    registry.register(SectionContentNotes(), 40)  # after the sections exist
    registry.register(Footnotes(), 36)  # after terms are linked in notes, before links' checks
    # After every transform that adds ids, before the sources number the links.
    registry.register(LinkRules(), 32)
    registry.register(Sources(), 30)  # after every transform that adds or moves links
    return registry


def run_transforms(handouts: list[Handout], context: Context,
                   registry: Registry | None = None) -> None:
    """Collect across all handouts first, then apply to each, transform by transform."""
    for transform in registry or default_transforms():
        transform.collect(handouts, context)
        for handout in handouts:
            transform.apply(handout, context)
