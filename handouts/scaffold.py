"""The new and init commands: a research report's outline, and a conference's repository."""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

import yaml

from .defaults import STARTER
from .prepare.inputs import unsafe_inputs
from .prepare.load import RESERVED_SLUGS, SLUG
from .project import Project

# What init writes: a file of handouts/starter/, and where it goes in the new repository.
STARTER_FILES = {"handouts.toml": "handouts.toml", "welcome.md": "content/welcome.md",
                 "gitignore": ".gitignore", "handouts.yml": ".github/workflows/handouts.yml",
                 "README.md": "README.md"}
REPORT = "research-report"  # init's second handout, from the research report's outline
# Where the README for staff goes when the folder has a README of its own.
STAFF_GUIDE_BESIDE_README = "HANDOUTS.md"


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
    front_matter: dict[str, str | datetime.date] = {
        "title": title or slug.replace("-", " ").capitalize()}
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


def init_project(root: Path, name: str | None = None) -> tuple[list[Path], list[Path]]:
    """Start a conference's repository in root; the files written, and those already there.

    A file already there is kept as it is (a fresh repository's README or .gitignore), but a
    folder that holds a project already is refused: init would mix two conferences.
    """
    for marker in ("handouts.toml", "content"):
        if os.path.lexists(root / marker):
            raise ScaffoldError(f"{root / marker} already exists: this folder holds a Handouts "
                                "project already; build it with 'handouts build', or start "
                                "the new one in an empty folder")
    if os.path.lexists(root) and not root.is_dir():
        raise ScaffoldError(f"{root} is a file, not a folder: choose another name")
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    name = " ".join((name or root.name).split())
    replacements = {"{name}": name, "{name_toml}": json.dumps(name, ensure_ascii=False),
                    "{title}": json.dumps(f"Welcome to {name}", ensure_ascii=False),
                    "{date}": datetime.date.today().isoformat()}
    written, kept = [], []
    for source, target in STARTER_FILES.items():
        path = root / target
        if target == "README.md" and os.path.lexists(path):
            kept.append(path)
            path = root / STAFF_GUIDE_BESIDE_README  # the repository's own README stays
        if os.path.lexists(path):
            kept.append(path)
            continue
        if not path.parent.resolve().is_relative_to(root):  # a linked .github/, say
            raise ScaffoldError(f"{path.parent} leads outside {root}: init writes only inside it")
        path.parent.mkdir(parents=True, exist_ok=True)
        # In one pass: a conference whose name holds "{date}" keeps its name as typed.
        text = re.sub(r"\{\w+\}", lambda match: replacements.get(match[0], match[0]),
                      (STARTER / source).read_text(encoding="utf-8"))
        with open(path, "x", encoding="utf-8") as file:  # 'x': never overwrite
            file.write(text)
        written.append(path)
    written.append(new_handout(Project.open(root), REPORT, "Research report"))
    return written, kept
