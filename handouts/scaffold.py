"""The new command: a handout with the sections of a research report, ready to fill in."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from .inputs import unsafe_inputs
from .load import SLUG, RESERVED_SLUGS
from .project import Project


class ScaffoldError(Exception):
    """The handout cannot be written where it was asked for."""


def _check_name(project: Project, slug: str) -> None:
    """The name is free: a plain web address that no page of Handouts' or of the project claims."""
    if slug.lower() in RESERVED_SLUGS:
        raise ScaffoldError(f"'{slug}' is taken by Handouts' own {slug.lower()}.html: choose "
                            "another name, e.g. 'security-council-study-guide'")
    if slug.lower() == "glossary":
        raise ScaffoldError("content/glossary.md is the glossary every handout shares, not a "
                            "handout: write its terms there as a definition list (see "
                            "docs/authoring.md), or choose another name for a handout")
    if not SLUG.match(slug):
        raise ScaffoldError(f"'{slug}' cannot be a handout's name: use letters, digits and '-', "
                            "e.g. 'security-council-study-guide'")
    for packet in project.config.packets:
        if packet.slug.casefold() == slug.casefold():
            raise ScaffoldError(f"'{slug}' is the slug of the packet '{packet.title}' in "
                                "handouts.toml (both would write "
                                f"dist/{packet.slug}.html): choose another name")
    for path in project.handout_paths():
        if path.stem.casefold() == slug.casefold():
            raise ScaffoldError(f"{path.relative_to(project.root)} already exists: choose "
                                "another name, or edit that file")


def new_handout(project: Project, slug: str, title: str | None = None,
                committee: str | None = None) -> Path:
    """Write content/<slug>.md; never overwrite a file."""
    _check_name(project, slug)
    problems = unsafe_inputs(project.root)  # it reads a template and writes into content/
    if problems:
        raise ScaffoldError(problems[0].format(project.root))
    path = project.content_dir / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(project.root)} already exists: choose another "
                            "name, or edit that file")
    front_matter = {"title": title or slug.replace("-", " ").capitalize()}
    if committee:
        front_matter["committee"] = committee
    front_matter["date"] = datetime.date.today()
    front_matter["summary"] = "One or two sentences on what this handout covers."
    front_matter["status"] = "draft"
    body = (project.template_dirs()[-1] / "new-handout.md").read_text(encoding="utf-8")
    for folder in project.template_dirs():  # the project's own scaffold, if it has one
        if (folder / "new-handout.md").is_file():
            body = (folder / "new-handout.md").read_text(encoding="utf-8")
            break
    text = "---\n" + yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False) + \
        "---\n\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as file:  # 'x': fails rather than overwrite
        file.write(text)
    return path
