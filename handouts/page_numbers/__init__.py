"""Print page numbers: where each printed page begins, marked in the HTML page."""
