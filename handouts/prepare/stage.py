"""Prepare phase: every handout loaded, parsed and transformed; nothing written."""

from __future__ import annotations

from ..assets import vet_asset
from ..errors import ContentError, Diagnostics
from ..packets.document import check_logo, check_packets
from ..pdf.profiles import selected
from ..project import Project
from ..transforms import Context, run_transforms
from .inputs import unsafe_inputs
from .load import load_source, slug_clashes
from .parse import Handout, parse


def prepare(project: Project, diagnostics: Diagnostics, strict: bool = False) -> list[Handout]:
    """Load, parse and transform every handout; nothing is written.

    Raises BuildFailed (or ContentError) when the content has errors. Errors already in
    diagnostics (handouts.toml's, read with its bad values left at their defaults) are
    reported with the handouts' own, in one round.
    """
    config = project.config
    paths = project.handout_paths()
    if not paths:
        raise ContentError(project.content_dir, None,
                           f"no handouts found in {project.content_dir}: add a Markdown file "
                           "such as content/welcome.md, or name the project with --project DIR")

    unsafe = unsafe_inputs(project.root)
    if unsafe:  # nothing is read before every input is known to be safe
        diagnostics.errors += unsafe
        diagnostics.raise_errors()
    for path in project.asset_paths():
        for line, message in vet_asset(path, path.read_bytes()):
            diagnostics.error(path, line, message)
    diagnostics.errors += slug_clashes(paths)
    sources = []
    for path in paths:
        try:  # front-matter problems are gathered, and the body checked with them
            sources.append(load_source(path, config.lang, diagnostics.errors))
        except ContentError as error:
            diagnostics.errors.append(error)
    if len(sources) < len(paths) or any(error.path not in paths and error.path != config.path
                                        for error in diagnostics.errors):
        diagnostics.raise_errors()  # a file unread, an asset refused: links to them would err

    shared_glossary = _load_shared_glossary(project, diagnostics)
    shared_abbreviations = shared_glossary.abbreviations if shared_glossary else {}
    handouts = []
    for source in sources:
        try:
            handouts.append(parse(source, diagnostics, shared_abbreviations))
        except ContentError as error:
            diagnostics.errors.append(error)
        except RecursionError:
            diagnostics.error(source.path, None, "lists, quotes or HTML elements are nested "
                              "too deeply to build: flatten the nesting")
    if len(handouts) < len(sources):
        diagnostics.raise_errors()  # links to a handout not parsed would seem to go nowhere
    run_transforms(handouts, Context(config, diagnostics, project.root, shared_glossary,
                                     strict))
    check_packets(config, handouts, diagnostics)
    check_logo(config, project.content_dir, diagnostics)
    try:  # an unknown profile in [build], reported with the rest
        selected(project)
    except ContentError as error:
        diagnostics.errors.append(error)
    diagnostics.raise_errors()
    return handouts


def _load_shared_glossary(project: Project, diagnostics: Diagnostics) -> Handout | None:
    """content/glossary.md: a definition list and abbreviations shared by every handout."""
    path = project.content_dir / "glossary.md"
    if not path.is_file():
        return None
    from .load import FrontMatter, Source, read_text

    source = Source("glossary", path, FrontMatter(title="Glossary", lang=project.config.lang),
                    read_text(path), 1)
    glossary = parse(source, diagnostics)
    if glossary.body.find(".//dl") is None and not glossary.abbreviations:
        diagnostics.error(path, 1, "content/glossary.md has no definition list: write each "
                          "term on a line, then its definition on the next line after ':   '")
    return glossary
