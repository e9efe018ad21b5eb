"""Text as the check compares and quotes it: spaces made single, long passages shortened."""

from __future__ import annotations


def normalise(text: str) -> str:
    """Text as compared: soft hyphens dropped, every run of spaces one space."""
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").split())


def shorten(text: str, width: int = 60) -> str:
    """Text as a finding quotes it: at most width characters, an ellipsis where cut."""
    return text if len(text) <= width else text[:width - 1] + "…"
