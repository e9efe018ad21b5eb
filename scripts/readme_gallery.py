"""The README's page gallery: every page of the example's packet PDFs, side by side.

Run after a build: `.venv/bin/python scripts/readme_gallery.py` writes docs/images/*.png from
dist/pdf/ (pdftoppm draws the pages; Pillow, which WeasyPrint already needs, lays them out).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
GALLERIES = {  # image name: the PDF whose pages it shows, and how many a row
    "example-packet.png": ("dist/pdf/interpol-delegates.pdf", 10),
    "example-packet-large-print.png": ("dist/pdf/large-print/interpol-delegates.pdf", 11),
    "example-booklet.png": ("dist/pdf/interpol-delegates-booklet.pdf", 5),
}
GAP, DPI = 6, 24


def gallery(pdf: Path, target: Path, columns: int) -> int:
    """target: the PDF's pages in rows on a grey ground; the number of pages."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), f"{folder}/page"],
                       check=True)
        pages = [Image.open(path).convert("RGB") for path in sorted(Path(folder).glob("*.png"))]
    width = max(page.width for page in pages)
    height = max(page.height for page in pages)
    columns = min(columns, len(pages))
    rows = -(-len(pages) // columns)
    sheet = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + GAP) + GAP),
                      "#9a9a9a")
    for number, page in enumerate(pages):
        sheet.paste(page, (GAP + number % columns * (width + GAP),
                           GAP + number // columns * (height + GAP)))
    # 32 greys and colours are plenty for thumbnails, and keep the repository small.
    sheet.quantize(32).save(target, optimize=True)
    return len(pages)


def main() -> int:
    folder = ROOT / "docs" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (pdf, columns) in GALLERIES.items():
        if not (ROOT / pdf).is_file():
            print(f"{pdf} does not exist: run make build first", file=sys.stderr)
            return 1
        pages = gallery(ROOT / pdf, folder / name, columns)
        print(f"docs/images/{name}: {pages} pages of {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
