"""Stages 1-3, prepare: each handout's file read, its Markdown parsed, the tree transformed."""
