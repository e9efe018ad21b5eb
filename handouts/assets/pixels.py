"""A raster image's width and height, read from its header without decoding it."""

from __future__ import annotations

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def pixels(suffix: str, data: bytes) -> tuple[int, int] | None:
    """A raster image's width and height as its header says (what a decoder would allocate),
    or None where the header does not say."""
    if suffix == ".png":  # the header chunk must come first, as the format says
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if suffix == ".gif":
        return _gif_pixels(data)
    if suffix in (".jpg", ".jpeg"):
        return _jpeg_pixels(data)
    if suffix == ".webp" and len(data) >= 25:
        chunk = data[12:16] if len(data) >= 30 or data[12:16] == b"VP8L" else b""
        if chunk == b"VP8X":
            return (int.from_bytes(data[24:27], "little") + 1,
                    int.from_bytes(data[27:30], "little") + 1)
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            return (int.from_bytes(data[26:28], "little") & 0x3FFF,
                    int.from_bytes(data[28:30], "little") & 0x3FFF)
    return None


def _gif_pixels(data: bytes) -> tuple[int, int] | None:
    """A GIF's canvas grown to hold its largest frame: a decoder allocates each frame's own
    size, which a 1 × 1 canvas does not limit."""
    if len(data) < 13:
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)  # the colour table
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # the end
            break
        if block == 0x2C and at + 10 <= len(data):  # a frame: its place and size
            left, top, frame_width, frame_height = (
                int.from_bytes(data[at + offset:at + offset + 2], "little")
                for offset in (1, 3, 5, 7))
            width, height = max(width, left + frame_width), max(height, top + frame_height)
            flags = data[at + 9]
            at += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1  # + LZW code size
        elif block == 0x21:  # an extension: its label, then its data
            at += 2
        else:
            return None  # not a GIF block: the size cannot be known
        while at < len(data) and data[at]:  # data sub-blocks, each led by its length
            at += data[at] + 1
        at += 1
    return width, height


def _jpeg_pixels(data: bytes) -> tuple[int, int] | None:
    """The size in a JPEG's first start-of-frame marker, found by walking its segments."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:  # junk between segments: decoders skip to the next marker
            at = data.find(b"\xff", at)
            if at < 0:
                return None
            continue
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return (int.from_bytes(data[at + 7:at + 9], "big"),
                    int.from_bytes(data[at + 5:at + 7], "big"))
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None
