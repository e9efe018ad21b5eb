"""The kinds of file content/assets/ may publish, and whether a file begins as its kind does."""

from __future__ import annotations

# Suffix -> (what the file must be, the magic its content may start with).
_SFNT = (b"\x00\x01\x00\x00", b"OTTO", b"true")
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("PNG image", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG image", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG image", (b"\xff\xd8\xff",)),
    ".gif": ("GIF image", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP image", ()),  # RIFF....WEBP: see matches
    ".pdf": ("PDF document", (b"%PDF-",)),
    ".ttf": ("TrueType or OpenType font", _SFNT),
    ".otf": ("TrueType or OpenType font", _SFNT),
    ".woff": ("WOFF font", (b"wOFF",)),
    ".woff2": ("WOFF2 font", (b"wOF2",)),
    ".svg": ("SVG drawing", ()),  # XML whose root is <svg>: see svg.vet_svg
}
ALLOWED_SUFFIXES = frozenset(KINDS)


def matches(suffix: str, data: bytes) -> bool:
    """Whether ``data`` begins as a file of ``suffix``'s kind does."""
    if suffix == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data.startswith(KINDS[suffix][1])
