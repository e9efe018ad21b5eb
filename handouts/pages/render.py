"""Render handout pages and the index page with Jinja templates."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from .. import __version__
from ..cache import digest
from ..config import Config
from ..errors import ContentError
from ..labels import Labels
from ..prepare.inputs import hidden, outside_reason
from ..prepare.parse import Handout, Heading
from ..project import Project
from . import sandbox
from .sandbox import (
    PageWithoutHead,
    TemplateSandbox,
    TemplateTooCostly,
    render_within_time,
)

if TYPE_CHECKING:  # packets/render.py imports this module
    from ..packets.render import PacketEntry
    from ..prepare.load import FrontMatter

STATIC = "_static"


@dataclass
class TocEntry:
    heading: Heading
    children: list[Heading]


def make_environment(project: Project, templates: str | None = None) -> jinja2.Environment:
    """Templates from the project's templates/ first, then the built-in ones.

    Kept while the template files are the same (their names and contents): the builds of a
    process (serve's, one per save) compile each template once. (Jinja's own reloading
    compares modification times, and does not see an override added in front of a template
    it already loaded.) ``templates``: templates_digest(project), when the caller has it.
    """
    folders = [str(path) for path in project.template_dirs()]
    key = (tuple(folders), templates or templates_digest(project))
    environment = _ENVIRONMENTS.get(key)
    if environment is None:
        _ENVIRONMENTS.clear()  # one project's at a time: an old one is not used again
        # Sandboxed (pages/sandbox.py): a template in a shared repository cannot reach
        # Python, files or unbounded cost, whoever wrote it.
        environment = _ENVIRONMENTS[key] = TemplateSandbox(
            loader=ProjectTemplateLoader(folders, project.root), autoescape=True,
            undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    return environment


class ProjectTemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader that reads a project's template only where it may (prepare/inputs.py)."""

    def __init__(self, folders: list[str], root: Path):
        super().__init__(folders)
        self.root = root.resolve()

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        _check_template(self.root, Path(filename))
        return source, filename, uptodate


def _check_template(root: Path, path: Path) -> None:
    """A project's template must be a regular file inside the project (prepare/inputs.py)."""
    if path.is_relative_to(root):
        resolved = path.resolve()
        why = outside_reason(root, resolved) or (
            "" if resolved.is_file() or resolved.is_dir() else "to no regular file")
        if why:
            raise ContentError(path, None, f"this template leads {why}: Handouts reads "
                               "only files inside the project")


def templates_digest(project: Project) -> str:
    """Every template file's name and contents, the project's and the built-in ones."""
    parts = []
    for folder in project.template_dirs():
        try:
            paths = sorted(folder.rglob("*"))
        except FileNotFoundError:  # a subfolder removed as we looked: look again
            paths = sorted(folder.rglob("*"))
        for path in paths:
            if hidden(path.relative_to(folder)):
                continue  # .gitkeep, an editor's: never a template
            _check_template(project.root, path)
            try:
                parts.append(f"{path.relative_to(folder)}".encode() + b"\0" + path.read_bytes())
            except (IsADirectoryError, FileNotFoundError):
                continue  # a folder, or a file an editor removed as we looked
    return digest(*parts)


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


def table_of_contents(handout: Handout) -> list[TocEntry]:
    """Level-2 headings with their level-3 children; empty under three sections."""
    entries: list[TocEntry] = []
    for heading in handout.headings:
        if heading.level == 2:
            entries.append(TocEntry(heading, []))
        elif heading.level == 3 and entries:
            entries[-1].children.append(heading)
    return entries if len(entries) >= 3 else []


def keywords(handout: Handout, config: Config) -> list[str]:
    meta = handout.meta
    return [word for word in (meta.committee, meta.topic, config.name) if word]


def render_template(environment: jinja2.Environment, name: str, **context: Any) -> str:
    """A page from a template, sandboxed, timed, with its security policy; its errors as
    content errors naming the template."""
    try:
        return render_within_time(environment.get_template(name), context)
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(Path(error.filename or name), error.lineno,
                           f"template syntax error: {error.message}") from None
    except jinja2.sandbox.SecurityError as error:
        path, line = _template_frame(error, name)
        raise ContentError(path, line, f"this template does what a template may not "
                           f"({error}): use only the variables and filters Handouts' own "
                           "templates use") from None
    except TemplateTooCostly:
        # Stopped wherever it then was, which need not be the loop at fault: no line.
        raise ContentError(_templates_folder(environment), None, f"rendering {name} "
                           f"took more than {sandbox.TEMPLATE_SECONDS} s, the most a "
                           "page may take: look for loops inside loops in the overrides "
                           "here") from None
    except PageWithoutHead:  # written by the template or one it extends: the overrides
        raise ContentError(_templates_folder(environment), None, f"the page {name} "
                           "makes must begin with <!doctype html>, <html …> and <head>, where "
                           "Handouts puts its security policy: check the overrides here"
                           ) from None
    except ContentError:
        raise  # a template the loader refused
    except MemoryError as error:
        path, line = _template_frame(error, name)
        raise ContentError(path, line, "this template needs more than "
                           f"{sandbox.TEMPLATE_MEMORY_BYTES // 1024 ** 2:,} MB of "
                           "memory, the most a page may take: look for texts it builds "
                           "again and again") from None
    except Exception as error:  # noqa: BLE001 (whatever a template's code raises: told)
        path, line = _template_frame(error, name)
        raise ContentError(path, line, f"template error: {str(error) or type(error).__name__}; "
                           "check the template overrides in templates/") from None


def _templates_folder(environment: jinja2.Environment) -> Path:
    """The project's templates/, where its overrides are: its loader knows the project."""
    loader = environment.loader
    assert isinstance(loader, ProjectTemplateLoader), "made by make_environment"
    return loader.root / "templates"


def _template_frame(error: Exception, name: str) -> tuple[Path, int | None]:
    """The template file and line an error was raised from (Jinja puts them in the
    traceback), the innermost one; else the template being rendered."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".html") and Path(frame.filename).is_file():
            return Path(frame.filename), frame.lineno
    return Path(name), None


def render_handout(environment: jinja2.Environment, handout: Handout, config: Config, labels: Labels,
                   pdf_href: str | None = None) -> str:
    return render_template(
        environment, "handout.html", lang=handout.meta.lang, meta=handout.meta,
        conference=config, labels=labels, static=STATIC,
        version=__version__, toc=table_of_contents(handout),
        body_html=Markup(handout.body_html()), keywords=keywords(handout, config),
        pdf_href=pdf_href or f"pdf/{handout.slug}.pdf", current=handout.slug,
        draft=handout.meta.status == "draft")


class DownloadKind(Protocol):
    """What a download is: a print profile (pdf/profiles.py's Profile) or the EPUB (epub/stage.py's EpubKind)."""

    @property
    def name(self) -> str: ...

    def label(self, labels: Labels) -> str: ...


@dataclass
class Download:
    """One PDF in one print profile: "Large print PDF, 11 pages, 210 kB"."""

    profile: DownloadKind
    href: str
    pages: int
    size: str
    booklet: bool = False  # imposed for the print shop

    def label(self, labels: Labels) -> str:
        kind = self.profile.label(labels)
        return labels.booklet_pdf.format(pdf=kind) if self.booklet else kind


@dataclass
class IndexEntry:
    meta: FrontMatter
    html_href: str
    downloads: list[Download]


def index_order(entries: list[IndexEntry], config: Config) -> list[IndexEntry]:
    """Handouts in the order the packets give them (the first packet first), then by title."""
    place: dict[str, int] = {}
    for packet in config.packets:
        for slug in packet.handouts:
            place.setdefault(slug, len(place))
    return sorted(entries, key=lambda entry: (
        place.get(entry.html_href.removesuffix(".html"), len(place)),
        entry.meta.title.casefold()))


def render_index(environment: jinja2.Environment, entries: list[IndexEntry], config: Config,
                 labels: Labels, packets: Sequence[PacketEntry] = ()) -> str:
    return render_template(
        environment, "index.html", lang=config.lang, conference=config,
        labels=labels, static=STATIC, version=__version__,
        entries=index_order(entries, config), packets=list(packets), pdf_href=None,
        current="index", draft=False)


def template_source(environment: jinja2.Environment, name: str) -> str:
    """The template's text, the project's override or Handouts' own."""
    assert environment.loader is not None, "made by make_environment"
    return environment.loader.get_source(environment, name)[0]


def human_size(size: int) -> str:
    return f"{max(1, round(size / 1000))} kB" if size < 1_000_000 else f"{size / 1e6:.1f} MB"
