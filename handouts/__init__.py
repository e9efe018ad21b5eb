"""Handouts: Markdown to accessible HTML pages and tagged PDF/UA-1 handouts."""

__version__ = "0.1.0"
