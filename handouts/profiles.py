"""Print profiles: a stylesheet in styles/profiles/ laid over print.css, one PDF folder each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2

from .errors import ContentError
from .suggest import did_you_mean

STANDARD = "standard"
LARGE_PRINT = "large-print"
BUILT_IN = (STANDARD, LARGE_PRINT)
PROFILES_DIR = "profiles"
# Hidden in print by every profile: the HTML's navigation, skip links and the like.
ALWAYS_HIDDEN = frozenset({"screen-only"})
# Hidden in print unless a profile shows them: the screen's end-of-page notes and their calls
# (print.css hides them and prints each note at the foot of its page instead).
HIDDEN_BY_PRINT_CSS = frozenset({"endnotes", "endnote-call"})
STANDARD_HIDDEN = ALWAYS_HIDDEN | HIDDEN_BY_PRINT_CSS
# A profile's name is a folder of dist/pdf/ and part of a link: lower-case words and hyphens.
PROFILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The index's link text for each built-in profile (handouts/messages/*.toml).
LABEL_KEYS = {STANDARD: "pdf_standard", LARGE_PRINT: "pdf_large_print"}


@dataclass(frozen=True)
class Profile:
    name: str
    stylesheet: Path
    hidden_classes: frozenset[str]

    @property
    def folder(self) -> str:
        """Where its PDFs go, inside dist/: pdf/ for standard, pdf/<name>/ for the others."""
        return "pdf" if self.name == STANDARD else f"pdf/{self.name}"

    def pdf_path(self, slug: str) -> str:
        return f"{self.folder}/{slug}.pdf"

    @property
    def suffix(self) -> str:
        """How messages name the profile after a slug: '' for standard, ' (large-print)'."""
        return "" if self.name == STANDARD else f" ({self.name})"

    @property
    def static_path(self) -> str:
        """Where the build copies the stylesheet, inside _static/: the check reads it there."""
        return f"{PROFILES_DIR}/{self.name}.css"

    def label(self, labels) -> str:
        """The download link's text: "PDF", "Large print PDF", "PDF (dyslexia)"."""
        key = LABEL_KEYS.get(self.name)
        if key:
            return labels[key]
        return labels["pdf_profile"].format(profile=self.name.replace("-", " "))


def available(project) -> dict[str, Path]:
    """Profile name -> stylesheet: the built-in ones, then the project's styles/profiles/*.css.

    A project's stylesheet of a built-in profile's name replaces the built-in one.
    """
    from .project import PACKAGE_ROOT

    names = set()
    for folder in (PACKAGE_ROOT / "styles" / PROFILES_DIR, project.root / "styles" / PROFILES_DIR):
        if folder.is_dir():
            names |= {path.stem for path in folder.glob("*.css")
                      if path.is_file() and not path.name.startswith(".")}
    ordered = [name for name in BUILT_IN if name in names] + sorted(names - set(BUILT_IN))
    stylesheets = {name: project.style_file(f"{PROFILES_DIR}/{name}.css") for name in ordered}
    for name, path in stylesheets.items():
        if not PROFILE_NAME.match(name) or name == "pdf":
            raise ContentError(path, None, f"'{name}' cannot name a print profile: rename the "
                               "stylesheet with lower-case letters, digits and hyphens, such "
                               "as styles/profiles/dyslexia-friendly.css")
    return stylesheets


def load(name: str, stylesheet: Path) -> Profile:
    return Profile(name, stylesheet, hidden_classes(stylesheet.read_text(encoding="utf-8")))


def selected(project) -> list[Profile]:
    """The profiles [build] profiles names in handouts.toml, or every available one."""
    stylesheets = available(project)
    config = project.config
    if config.profiles is None:
        return [load(name, path) for name, path in stylesheets.items()]
    for name in config.profiles:
        if name not in stylesheets:
            raise ContentError(
                config.path, config.profiles_line,
                f"unknown profile '{name}' in [build] profiles"
                f"{did_you_mean(name, list(stylesheets))}; known profiles: "
                f"{', '.join(stylesheets)} (a profile is a stylesheet in styles/profiles/)")
    return [load(name, stylesheets[name]) for name in dict.fromkeys(config.profiles)]


def hidden_classes(profile_css: str) -> frozenset[str]:
    """The HTML classes a PDF of this profile leaves out, which the check must not expect.

    screen-only is always hidden; the notes' classes are hidden as print.css says unless the
    profile's own rules (`.name { display: none }` or `{ display: block }`, one class per
    selector) say otherwise. Only such simple rules are read: they are how a profile chooses
    footnotes or endnotes.
    """
    hidden = set(HIDDEN_BY_PRINT_CSS)
    for rule in tinycss2.parse_stylesheet(profile_css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        classes = _single_classes(rule.prelude)
        if not classes:
            continue
        display = None
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            if declaration.type == "declaration" and declaration.lower_name == "display":
                display = tinycss2.serialize(declaration.value).strip().lower()
        if display is None:
            continue
        if display == "none":
            hidden |= classes
        else:
            hidden -= classes
    return frozenset(hidden | ALWAYS_HIDDEN)


def _single_classes(prelude) -> set[str]:
    """The classes of a selector list whose every selector is one class (`.a` or `div.a`)."""
    classes = set()
    for selector in tinycss2.serialize(prelude).split(","):
        selector = selector.strip()
        name, dot, cls = selector.partition(".")
        if not dot or not cls or not (name == "" or name.isalnum()) \
                or not all(ch.isalnum() or ch in "-_" for ch in cls):
            return set()
        classes.add(cls)
    return classes


def for_pdf(pdf_path: Path, html_path: Path) -> frozenset[str] | None:
    """The hidden classes of a built PDF, from the profile stylesheet the build copied to
    dist/_static/profiles/: found beside its page (dist/<slug>.html), or one folder up (a
    packet's page is dist/_packets/<slug>.html)."""
    folder = pdf_path.parent
    name = STANDARD if folder.name == "pdf" else folder.name
    for pages in (html_path.parent, html_path.parent.parent):
        stylesheet = pages / "_static" / PROFILES_DIR / f"{name}.css"
        if stylesheet.is_file():
            return hidden_classes(stylesheet.read_text(encoding="utf-8"))
    return None
