"""Render pages: each handout's HTML page and the index, through sandboxed Jinja."""
