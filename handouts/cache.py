"""The build cache: a PDF whose inputs are unchanged since the last build is not rendered again."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

MANIFEST = ".handouts-cache.json"  # in dist/, published with the outputs it describes
FORMAT = 2
# What WeasyPrint loads: images, linked stylesheets, url() in CSS; not the pages <a> links to.
RESOURCE_URL = re.compile(
    rb"""src=["']([^"'#?]+)|href=["']([^"'#?]+\.css)["']|url\(\s*["']?([^"')?#]+)""")


def digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


def file_digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


@functools.cache
def code_digest() -> str:
    """Handouts' own code and data, WeasyPrint's and pikepdf's versions: what renders a PDF.

    Hashing the code, not only the version number, means an edited checkout never reuses a
    PDF made by the code before the edit.
    """
    from importlib.metadata import version

    package = Path(__file__).resolve().parent
    files = sorted(path for path in package.rglob("*")
                   if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts)
    return digest(*(path.read_bytes() for path in files),
                  version("weasyprint").encode(), version("pikepdf").encode())


def pdf_key(html_path: Path, root: Path, settings: str,
            read: dict[Path, tuple[str, list[Path]]] | None = None,
            base: Path | None = None) -> str:
    """Everything a PDF is made from: its HTML, the files it loads, the settings, the code.

    The files are found the way WeasyPrint finds them: src and href attributes in the HTML,
    url() in the stylesheets it links (and in theirs), relative to each file; they are named
    relative to ``root`` (the staging folder), so the key is the same from build to build.
    ``read`` keeps each file's digest and references across the keys of one build: every
    PDF loads the same stylesheets and fonts, which are read once. ``base``, as in
    render_pdf, is where the page's own URLs resolve from.
    """
    read = {} if read is None else read
    if base is not None:
        read[html_path] = _digest_and_references(html_path, base.parent)
    seen: dict[Path, str] = {}
    pending = [html_path]
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        if path not in read:
            read[path] = _digest_and_references(path)
        seen[path], references = read[path]
        pending += references
    resources = sorted(f"{os.path.relpath(path, root)}:{value}" for path, value in seen.items())
    return digest(settings.encode(), code_digest().encode(), *(r.encode() for r in resources))


def _digest_and_references(path: Path, folder: Path | None = None) -> tuple[str, list[Path]]:
    data = path.read_bytes()
    references = []
    for match in RESOURCE_URL.finditer(data):
        url = next(group for group in match.groups() if group).decode("utf-8", "replace").strip()
        if urlsplit(url).scheme or url.startswith("//"):
            continue  # refused by the URL fetcher, and reported
        references.append(((folder or path.parent) / unquote(url)).resolve())
    return digest(data), references


@dataclass
class CachedPdf:
    key: str
    sha256: str  # of the file as published, so a file changed since is never reused
    pages: int
    log: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # a packet's: its parts' PDFs in dist/


class Manifest:
    """What the last build wrote: for each PDF (by its path in dist/), its key and results."""

    def __init__(self, dist: Path, entries: dict[str, CachedPdf] | None = None,
                 sources: dict[str, list[str]] | None = None):
        self.dist = dist
        self.entries = entries or {}
        # Documents the build writes only to make PDFs from (a packet's print document),
        # by their path in dist/: the digest of what each is made from, and its own.
        self.sources: dict[str, list[str]] = sources or {}

    @classmethod
    def load(cls, dist: Path) -> "Manifest":
        path = dist / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(dist)
        except (ValueError, UnicodeDecodeError):
            return cls(dist)  # a damaged cache only costs a full build
        if data.get("format") != FORMAT:
            return cls(dist)
        return cls(dist, {name: CachedPdf(**entry) for name, entry in data["pdfs"].items()},
                   data.get("sources", {}))

    def reusable(self, relative: str, key: str) -> CachedPdf | None:
        """The last build's PDF for this key, if it is still in dist/ as it was written."""
        entry = self.entries.get(relative)
        target = self.dist / relative
        if entry is None or entry.key != key or not target.is_file():
            return None
        return entry if file_digest(target) == entry.sha256 else None

    def reusable_source(self, relative: str, inputs: str) -> bool:
        """Whether the last build's document is made from these inputs and still as written."""
        recorded = self.sources.get(relative)
        target = self.dist / relative
        return (recorded is not None and recorded[0] == inputs and target.is_file()
                and file_digest(target) == recorded[1])

    def record(self, relative: str, entry: CachedPdf) -> None:
        self.entries[relative] = entry

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "pdfs": {
            name: vars(entry) for name, entry in sorted(self.entries.items())},
            "sources": self.sources}, indent=1, sort_keys=True)
