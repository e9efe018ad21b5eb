"""The build cache: a PDF whose inputs are unchanged since the last build is not rendered again.

The cache is the build's own: ``.handouts-cache/`` in the project (never committed: the
example .gitignore names it), holding a manifest and a copy of each PDF it describes, by
digest. The manifest is signed with a key kept in the user's cache folder, outside the
project, so a manifest copied from elsewhere, or edited, is not believed: the PDFs are
rendered again. Nothing in dist/ is ever taken for a cached PDF.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CACHE_DIR = ".handouts-cache"  # in the project, beside dist/
MANIFEST = "manifest.json"
STORE = "pdf"  # the cached PDFs, each named by its sha256
FORMAT = 4
OLD_MANIFEST = ".handouts-cache.json"  # format 2 kept it in dist/, unsigned
KEY_NAME = "cache-key"


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


def pdf_key(html_path: Path, settings: str) -> str:
    """What a PDF is made from besides the files it loads: its HTML, the settings, the code.

    The files it loads are those WeasyPrint asked the URL fetcher for, recorded with the PDF
    (CachedPdf.loaded): never paths found in the page's text.
    """
    return digest(settings.encode(), code_digest().encode(), html_path.read_bytes())


class StagedDigests:
    """The digest of each file in the staging folder, by its path there, each read once.

    A file that is not there has the digest "": a PDF made while an image was missing is
    made again when it appears.
    """

    def __init__(self, root: Path):
        self.root = root
        self.known: dict[str, str] = {}

    def __call__(self, relative: str) -> str:
        if relative not in self.known:
            path = self.root / relative
            self.known[relative] = file_digest(path) if path.is_file() else ""
        return self.known[relative]


def cache_key_path() -> Path:
    """The signing key's file, in the user's cache folder (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "handouts" / KEY_NAME


def _signing_key() -> bytes:
    """The user's key, made on first use; raises OSError when it can be neither read nor made."""
    path = cache_key_path()
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    with os.fdopen(handle, "wb") as file:
        file.write(secrets.token_bytes(32))
    os.replace(temporary, path)  # two first builds at once: either key wins, both work
    return path.read_bytes()


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


@dataclass
class CachedPdf:
    key: str
    sha256: str  # of the file as published, so a file changed since is never reused
    pages: int
    log: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)  # Finding.as_dict()
    parts: list[str] = field(default_factory=list)  # a packet's: its parts, by staging path
    # What WeasyPrint loaded through the fetcher: path in the staging folder -> sha256.
    loaded: dict[str, str] = field(default_factory=dict)
    # Where each page begins in its HTML page (PageStart.as_json): the page's markers.
    page_starts: list[list] = field(default_factory=list)


class Manifest:
    """What the last build made: each PDF (by its path in dist/) with its key and results,
    the documents made only to render from, and every file the build published."""

    def __init__(self, root: Path, entries: dict[str, CachedPdf] | None = None,
                 sources: dict[str, list[str]] | None = None,
                 published: list[str] | None = None, key: bytes | None = None):
        self.root = root
        self.dist = root / "dist"
        self.folder = root / CACHE_DIR
        self.entries = entries or {}
        # Documents the build writes only to make PDFs from (a packet's print document),
        # by their path in dist/: the digest of what each is made from, and its own.
        self.sources: dict[str, list[str]] = sources or {}
        self.published: list[str] = published or []  # the last build's files in dist/
        self.key = key

    @classmethod
    def load(cls, root: Path, force: bool = False) -> Manifest:
        """The last build's manifest if this user's key signed it; else an empty one.

        With ``force`` the PDFs are not reused, but what was published is still known.
        Raises OSError when the key can be neither read nor made, or would be the project's
        own (a key a repository holds is anybody's).
        """
        if cache_key_path().resolve().is_relative_to(root.resolve()):
            raise OSError(f"{cache_key_path()} is inside the project")
        key = _signing_key()
        old = root / "dist" / OLD_MANIFEST
        if old.is_file() and not old.is_symlink():
            old.unlink()  # format 2's, unsigned: never believed, and not left behind
        try:
            signed = json.loads((root / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
            body = signed["body"]
            if not hmac.compare_digest(str(signed["signature"]), _sign(key, body)):
                return cls(root, key=key)  # made elsewhere, or edited: not believed
            data = json.loads(body)
            if data.get("format") != FORMAT:
                return cls(root, key=key)
            entries = {name: CachedPdf(**entry) for name, entry in data["pdfs"].items()}
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return cls(root, key=key)  # none yet, or damaged: it only costs a full build
        published = [name for name in data.get("published", []) if isinstance(name, str)]
        if force:
            return cls(root, published=published, key=key)
        return cls(root, entries, data.get("sources", {}), published, key)

    def store_path(self, sha256: str) -> Path:
        return self.folder / STORE / f"{sha256}.pdf"

    def reusable(self, relative: str, key: str,
                 loaded_digest: Callable[[str], str]) -> CachedPdf | None:
        """The last build's PDF for this key, if every file it loaded is as it was."""
        entry = self.entries.get(relative)
        if entry is None or entry.key != key or not self.store_path(entry.sha256).is_file():
            return None
        if any(loaded_digest(path) != sha256 for path, sha256 in entry.loaded.items()):
            return None
        return entry

    def restore(self, entry: CachedPdf, target: Path) -> bool:
        """Copy the cached PDF to target; False (and nothing there) if it is not as recorded."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(self.store_path(entry.sha256), target)
        except FileNotFoundError:
            return False
        if file_digest(target) != entry.sha256:
            target.unlink()
            return False
        return True

    def keep(self, path: Path, sha256: str) -> None:
        """A copy of a new PDF, whose digest its entry holds, in the cache for the next build."""
        stored = self.store_path(sha256)
        if not stored.is_file():
            stored.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=stored.parent, prefix=".new-")
            os.close(handle)
            shutil.copyfile(path, temporary)
            os.replace(temporary, stored)

    def reusable_source(self, relative: str, inputs: str) -> bool:
        """Whether the last build's document is made from these inputs and still as written."""
        recorded = self.sources.get(relative)
        target = self.dist / relative
        return (recorded is not None and recorded[0] == inputs and target.is_file()
                and not target.is_symlink() and file_digest(target) == recorded[1])

    def record(self, relative: str, entry: CachedPdf) -> None:
        self.entries[relative] = entry

    def save(self) -> None:
        """Write the signed manifest; drop cached PDFs it no longer names. Without a key
        (the cache is off) nothing is written."""
        if self.key is None:
            return
        body = json.dumps({"format": FORMAT, "pdfs": {
            name: vars(entry) for name, entry in sorted(self.entries.items())},
            "sources": self.sources, "published": sorted(self.published)},
            indent=1, sort_keys=True)
        self.folder.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".manifest-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"body": body, "signature": _sign(self.key, body)}, file)
        os.replace(temporary, self.folder / MANIFEST)
        named = {f"{entry.sha256}.pdf" for entry in self.entries.values()}
        store = self.folder / STORE
        if store.is_dir():
            for path in store.iterdir():
                if path.name not in named and path.is_file():
                    path.unlink()
