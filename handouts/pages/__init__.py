"""Stage 4, render pages: each handout's HTML page and the index, through sandboxed Jinja."""
