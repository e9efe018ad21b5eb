"""Where a project's files are: content, overrides, output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .defaults import STYLES, TEMPLATES
from .errors import ContentError
from .prepare.inputs import check_settings_file, hidden

# The clone Handouts runs from, for what only a clone has (node_modules/ for check --browser).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
PRINT_SOURCES = "_packets"  # dist/_packets/<slug>.html: a packet as one document, for its check
PARTS = f"{PRINT_SOURCES}/parts"  # dist/_packets/parts/<slug>/<profile>/: what it is made of
EPUB_FOLDER = "epub"  # dist/epub/<slug>.epub


@dataclass
class Project:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path, problems: list[ContentError] | None = None) -> Project:
        """The project in root. handouts.toml's problems are added to problems, the bad
        values left at their defaults (load_config); without a list, the first is raised."""
        root = root.resolve()
        check_settings_file(root)
        return cls(root=root, config=load_config(root, problems))

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    def handout_paths(self) -> list[Path]:
        """content/*.md, except the shared glossary and editors' hidden files."""
        return sorted(path for path in self.content_dir.glob("*.md")
                      if path.name != "glossary.md" and not path.name.startswith((".", "~"))
                      and path.is_file())

    def asset_paths(self) -> list[Path]:
        """content/assets/'s files, less hidden ones (.gitkeep, an editor's): all it publishes."""
        assets = self.content_dir / "assets"
        if not assets.is_dir():
            return []
        return [path for path in sorted(assets.rglob("*"))
                if path.is_file() and not hidden(path.relative_to(assets))]

    def template_dirs(self) -> list[Path]:
        return [d for d in (self.root / "templates", TEMPLATES) if d.is_dir()]

    def style_file(self, name: str) -> Path:
        """A stylesheet from the project's styles/, else the built-in one."""
        own = self.root / "styles" / name
        return own if own.is_file() else STYLES / name
