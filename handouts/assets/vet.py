"""vet_asset: whether one file from content/assets/ may be published, and if not, why."""

from __future__ import annotations

from pathlib import Path

from .. import limits
from .formats import ALLOWED_SUFFIXES, KINDS, matches
from .pixels import RASTER, pixels
from .problems import Problem, safe_text
from .svg import vet_svg


def vet_asset(path: Path, data: bytes) -> list[Problem]:
    """Why the asset at ``path``, holding ``data``, may not be published; [] when it may."""
    name = safe_text(path.name)
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        what = f"a {safe_text(path.suffix)} file" if path.suffix else "a file without a suffix"
        return [(None, f"content/assets/ holds only images, PDFs and fonts: {name} is "
                       f"{what}, which is not published; remove it")]
    if len(data) > limits.MAX_ASSET_BYTES:
        return [(None, f"{name} is {_size(len(data))}, more than the "
                       f"{_size(limits.MAX_ASSET_BYTES)} an asset may have: make it "
                       "smaller, or remove it")]
    if suffix == ".svg":
        return vet_svg(name, data)
    kind = KINDS[suffix][0]
    if matches(suffix, data):
        size = pixels(suffix, data)
        if size is None and suffix in RASTER:
            return [(None, f"{name}'s size cannot be read from its header: save it again as "
                           f"a {kind}")]
        if size is not None and size[0] * size[1] > limits.MAX_IMAGE_PIXELS:
            return [(None, f"{name} is {size[0]:,} × {size[1]:,} pixels, more than the "
                           f"{limits.MAX_IMAGE_PIXELS:,} an image may have (decoding it would "
                           "take gigabytes): scale it down")]
        return []
    for other, (other_kind, _) in KINDS.items():
        if other_kind != kind and other != ".svg" and matches(other, data):
            return [(None, f"{name} is not a {kind}: it holds a {other_kind}; rename it "
                           f"{safe_text(path.stem)}{other}")]
    return [(None, f"{name} is not a {kind}: its content does not begin as a {suffix} "
                   f"file's does; replace it with a real {kind}, or remove it")]


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"
