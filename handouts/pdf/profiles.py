"""Print profiles: a stylesheet in styles/profiles/ laid over print.css, one PDF folder each."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2

from ..defaults import STYLES
from ..errors import ContentError
from ..suggest import did_you_mean

STANDARD = "standard"
LARGE_PRINT = "large-print"
BUILT_IN = (STANDARD, LARGE_PRINT)
PROFILES_DIR = "profiles"
# Hidden in print by every profile: the HTML's navigation, skip links and the like.
ALWAYS_HIDDEN = frozenset({"screen-only", "page-marker"})
# Hidden in print unless a profile shows them: the screen's end-of-page notes and their calls
# (print.css hides them and prints each note at the foot of its page instead), and the
# description of a figure whose text large print cannot make large enough (transforms/figure_sizes.py).
HIDDEN_BY_PRINT_CSS = frozenset({"endnotes", "endnote-call", "figure-description"})
STANDARD_HIDDEN = ALWAYS_HIDDEN | HIDDEN_BY_PRINT_CSS
# A profile's name is a folder of dist/pdf/ and part of a link: lower-case words and hyphens.
PROFILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The index's link text for each built-in profile (handouts/messages/*.toml).
LABEL_KEYS = {STANDARD: "pdf_standard", LARGE_PRINT: "pdf_large_print"}
# Paper sizes in pt, upright: what handouts.toml's paper names.
PAPER_PT = {"A4": (595.276, 841.89), "Letter": (612.0, 792.0)}
_PT = {"pt": 1.0, "px": 0.75, "pc": 12.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4,
       "q": 72 / 101.6}


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
    names = set()
    for folder in (STYLES / PROFILES_DIR, project.root / "styles" / PROFILES_DIR):
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


@functools.lru_cache(maxsize=16)
def _rules(profile_css: str) -> tuple:
    """The stylesheet's rules, parsed once a process: every build (serve's too) and figure
    sizing read the same few profiles, and the readers below never change a rule."""
    return tuple(tinycss2.parse_stylesheet(profile_css, skip_comments=True,
                                           skip_whitespace=True))


def hidden_classes(profile_css: str) -> frozenset[str]:
    """The HTML classes a PDF of this profile leaves out, which the check must not expect.

    screen-only is always hidden; the notes' classes are hidden as print.css says unless the
    profile's own rules (`.name { display: none }` or `{ display: block }`, one class per
    selector) say otherwise. Only such simple rules are read: they are how a profile chooses
    footnotes or endnotes.
    """
    hidden = set(HIDDEN_BY_PRINT_CSS)
    for rule in _rules(profile_css):
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


def text_floor(profile_css: str) -> float | None:
    """The pt a profile sets on html (large print's 18 pt), the least its text may have."""
    for rule in _rules(profile_css):
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == "html":
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                               skip_whitespace=True):
                if declaration.type == "declaration" and declaration.lower_name == "font-size":
                    values = _lengths_pt(declaration.value)
                    if len(values) == 1:
                        return values[0]
    return None


def page_margins(profile_css: str) -> dict[str, tuple[float, float, float, float]]:
    """Each @page rule's margins in pt (top, right, bottom, left), by page name ('': all)."""
    # The later rule and the longhand properties win, as in CSS.
    margins: dict[str, list[float | None]] = {}
    sides = ("top", "right", "bottom", "left")
    for rule in _rules(profile_css):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page" or rule.content is None:
            continue
        name = tinycss2.serialize(rule.prelude).strip()
        if ":" in name or "," in name:
            continue  # :first, :blank …: the pages a figure is placed on are not these
        found = margins.setdefault(name, [None] * 4)
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            if declaration.type != "declaration":
                continue
            values = _lengths_pt(declaration.value)
            if declaration.lower_name == "margin" and 1 <= len(values) <= 4:
                top = values[0]
                right = values[1] if len(values) > 1 else top
                bottom = values[2] if len(values) > 2 else top
                found[:] = [top, right, bottom, values[3] if len(values) > 3 else right]
            elif declaration.lower_name.startswith("margin-") and len(values) == 1 \
                    and declaration.lower_name[7:] in sides:
                found[sides.index(declaration.lower_name[7:])] = values[0]
    return {name: (top or 0.0, right or 0.0, bottom or 0.0, left or 0.0)
            for name, (top, right, bottom, left) in margins.items()}


def _lengths_pt(tokens) -> list[float]:
    """The lengths of a value in pt; [] if any part of it is not an absolute length."""
    lengths = []
    for token in tokens:
        if token.type in ("whitespace", "comment") or (token.type == "delim"
                                                         and token.value == "!"):
            continue
        if token.type == "ident" and token.lower_value == "important":
            continue
        if token.type == "number" and token.value == 0:
            lengths.append(0.0)
        elif token.type == "dimension" and token.lower_unit in _PT:
            lengths.append(token.value * _PT[token.lower_unit])
        else:
            return []
    return lengths


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
