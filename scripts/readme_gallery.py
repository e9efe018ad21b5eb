"""The README's pictures: every page of the example's packet PDFs, side by side, and where
page 7 begins in the example report's web page.

Run after a build: `.venv/bin/python scripts/readme_gallery.py` writes docs/images/*.png from
dist/ (pdftoppm draws the pages; Pillow, which WeasyPrint already needs, lays them out;
Debian's Chromium, through Playwright, shows the web page).
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


def page_marker_picture(target: Path) -> None:
    """target: the example report's web page where page 7 of its PDF begins, and its
    Printed pages list, side by side (a wide screen, then a phone)."""
    from playwright.sync_api import sync_playwright

    page_url = (ROOT / "dist" / "interpol-cyber-child-abuse-material.html").as_uri()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        wide = browser.new_page(viewport={"width": 1000, "height": 330})
        wide.goto(f"{page_url}#page-7")
        wide.screenshot(path=f"{folder}/wide.png")
        phone = browser.new_page(viewport={"width": 390, "height": 330})
        phone.goto(f"{page_url}#page-list-heading")
        phone.screenshot(path=f"{folder}/phone.png")
        browser.close()
        shots = [Image.open(f"{folder}/{name}.png").convert("RGB") for name in ("wide", "phone")]
    sheet = Image.new("RGB", (sum(shot.width for shot in shots) + 3 * GAP,
                              max(shot.height for shot in shots) + 2 * GAP), "#9a9a9a")
    sheet.paste(shots[0], (GAP, GAP))
    sheet.paste(shots[1], (2 * GAP + shots[0].width, GAP))
    sheet.quantize(64).save(target, optimize=True)


def main() -> int:
    folder = ROOT / "docs" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (pdf, columns) in GALLERIES.items():
        if not (ROOT / pdf).is_file():
            print(f"{pdf} does not exist: run make build first", file=sys.stderr)
            return 1
        pages = gallery(ROOT / pdf, folder / name, columns)
        print(f"docs/images/{name}: {pages} pages of {pdf}")
    page_marker_picture(folder / "page-numbers.png")
    print("docs/images/page-numbers.png: page 7's marker, and the Printed pages list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
