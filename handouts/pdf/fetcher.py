"""A WeasyPrint URL fetcher that reads only files inside the build's folder, never the network."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..prepare.inputs import hidden

MEDIA_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
    ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".html": "text/html",
}


class RefusedURL(ValueError):
    """A URL the build will not load."""


class ProjectURLFetcher(URLFetcher):
    """Serves file: URLs of regular files under ``root`` (a build's staging folder, which
    holds the page, its stylesheets, fonts and assets) and data: URLs; refuses and records
    anything else. Each file it serves, or is asked for and does not find, is recorded in
    ``loaded`` with its digest ("" when missing): what the PDF is made from, for the cache.
    """

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.root = root.resolve()
        self.refused: list[str] = []
        self.loaded: dict[str, str] = {}

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(os.path.realpath(url2pathname(unquote(urlsplit(url).path))))
            if path.is_relative_to(self.root) and not hidden(path.relative_to(self.root)):
                relative = path.relative_to(self.root).as_posix()
                if path.is_file():
                    body = path.read_bytes()
                    self.loaded[relative] = hashlib.sha256(body).hexdigest()
                    return URLFetcherResponse(
                        url, body=body,
                        headers={"Content-Type": MEDIA_TYPES.get(path.suffix.lower(),
                                                                 "application/octet-stream")})
                self.loaded[relative] = ""
                raise FileNotFoundError(f"{relative} does not exist")
        self.refused.append(url)
        raise RefusedURL(f"refused to load {url}: only files inside the project are read")
