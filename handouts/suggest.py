"""Nearest-name suggestions for misspelt keys."""

import difflib


def did_you_mean(name: str, known: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest known name, or ''."""
    matches = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
