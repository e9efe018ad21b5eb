"""Prepare: each handout's file read, its Markdown parsed, the tree transformed."""
