"""Stages 5-6, PDFs: render with WeasyPrint, tag, assemble, impose, label and check."""
