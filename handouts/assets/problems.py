"""How a refused asset is reported: (line or None, message), with its hostile text made safe."""

from __future__ import annotations

Problem = tuple[int | None, str]


def safe_text(text: str, most: int = 80) -> str:
    """Text from a hostile file, safe to print: no control or invisible characters, short."""
    printable = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:most])
    return printable + "…" if len(text) > most else printable
