"""An element's class names, read as HTML reads them: whole names, never substrings."""

from __future__ import annotations


def class_names(element) -> list[str]:
    """The names in the element's class attribute, in order."""
    return (element.get("class") or "").split()


def has_class(element, name: str) -> bool:
    """Whether the element carries the class ``name`` (``footnote`` is not ``footnote-ref``)."""
    return name in class_names(element)
