"""Stage 7b, page numbers: where each printed page begins, marked in the HTML page."""
