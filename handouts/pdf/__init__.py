"""PDFs: render with WeasyPrint, tag, assemble, impose, label and check."""
