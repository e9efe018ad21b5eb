"""The OCF container: a zip with mimetype first and stored, every entry dated alike."""

from __future__ import annotations

import io
import zipfile

CONTAINER_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _entry(name: str, when: tuple[int, int, int, int, int, int], stored: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix on every machine, so that the bytes never depend on it
    info.external_attr = 0o644 << 16
    return info


def zip_date(modified: str) -> tuple[int, int, int, int, int, int]:
    """The front matter's date, as zip stores it (zip cannot go before 1980)."""
    date, _, time = modified.partition("T")
    year, month, day = (int(part) for part in date.split("-"))
    hour, minute, second = (int(part) for part in (time.rstrip("Z") or "0:0:0").split(":"))
    if year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (year, month, day, hour, minute, second - second % 2)


def ocf_zip(files: list[tuple[str, bytes]], modified: str) -> bytes:
    """The container: files (path inside EPUB/ -> bytes) in the order given."""
    when = zip_date(modified)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("mimetype", when, stored=True), b"application/epub+zip")
        archive.writestr(_entry("META-INF/container.xml", when, stored=False), CONTAINER_XML,
                         compresslevel=9)
        for name, data in files:
            archive.writestr(_entry(f"EPUB/{name}", when, stored=False), data, compresslevel=9)
    return buffer.getvalue()
