"""A WeasyPrint URL fetcher that reads only files inside the project, never the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MEDIA_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
    ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".html": "text/html",
}


class RefusedURL(ValueError):
    """A URL the build will not load."""


class ProjectURLFetcher(URLFetcher):
    """Serves file: URLs under ``root`` and data: URLs; refuses and records anything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return URLFetcherResponse(
                    url, body=path.read_bytes(),
                    headers={"Content-Type": MEDIA_TYPES.get(path.suffix.lower(),
                                                             "application/octet-stream")})
        self.refused.append(url)
        raise RefusedURL(f"refused to load {url}: only files inside the project are read")
