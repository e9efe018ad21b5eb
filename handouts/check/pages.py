"""check --pages: every page of every PDF as a thumbnail on one page, to review the layout."""

from __future__ import annotations

import html
import os
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..errors import ContentError
from ..output import write_tool_page

GALLERY = "pages.html"
THUMBNAILS = "_pages"  # in dist/: Handouts' own, emptied of its thumbnails each time
THUMBNAIL_PIXELS = 260  # the longer side of a thumbnail: a page's shape and layout, not its words
RENDER_SECONDS = 120  # for all the pages of one PDF


@dataclass
class RenderedPdf:
    name: str            # its path in dist/, e.g. pdf/large-print/welcome.pdf
    thumbnails: list[str]  # their paths in dist/, page 1 first


def write_pages(dist: Path, files: list[Path]) -> Path:
    """dist/pages.html with a thumbnail of every page of every PDF among files."""
    renderer = shutil.which("pdftoppm")
    if renderer is None:
        raise ContentError(dist, None, "check --pages needs pdftoppm (Debian's poppler-utils, "
                           "which make test installs) to draw the pages")
    folder = dist / THUMBNAILS
    folder.mkdir(exist_ok=True)
    for entry in os.scandir(folder):  # only what an earlier --pages wrote: regular PNG files
        if entry.name.endswith(".png") and stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
            os.unlink(entry.path)
    rendered = [_render(renderer, dist, pdf, folder)
                for pdf in sorted(path for path in files if path.suffix == ".pdf")]
    target = dist / GALLERY
    write_tool_page(target, _gallery(rendered))
    return target


def _render(renderer: str, dist: Path, pdf: Path, folder: Path) -> RenderedPdf:
    """Each page of pdf as a PNG in folder, named after the PDF's path in dist/."""
    name = pdf.relative_to(dist).as_posix()
    stem = name.removesuffix(".pdf").replace("/", "--")
    try:
        with pikepdf.open(pdf) as document:
            pages = len(document.pages)
    except (pikepdf.PdfError, OSError) as error:
        raise ContentError(pdf, None, f"the PDF cannot be read: {error}") from None
    with tempfile.TemporaryDirectory() as scratch:
        try:
            subprocess.run([renderer, "-png", "-scale-to", str(THUMBNAIL_PIXELS), str(pdf),
                            str(Path(scratch) / "page")], check=True, timeout=RENDER_SECONDS,
                           capture_output=True)
        except subprocess.CalledProcessError as error:
            said = error.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ContentError(pdf, None, "pdftoppm could not draw it"
                               + (f": {said[-1][:200]}" if said else "")) from None
        except subprocess.TimeoutExpired:
            raise ContentError(pdf, None, f"pdftoppm took more than {RENDER_SECONDS} s to "
                               "draw it") from None
        drawn = sorted(Path(scratch).glob("page-*.png"),
                       key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        thumbnails = []
        for number, png in enumerate(drawn, start=1):
            thumbnail = folder / f"{stem}-{number:03d}.png"
            shutil.copyfile(png, thumbnail)
            thumbnails.append(thumbnail.relative_to(dist).as_posix())
    if len(thumbnails) != pages:
        raise ContentError(pdf, None, f"pdftoppm drew {len(thumbnails)} of its {pages} pages")
    return RenderedPdf(name, thumbnails)


def _gallery(rendered: list[RenderedPdf]) -> str:
    """The page: one section a PDF, its pages in a grid, each linking to that page."""
    sections: list[str] = []
    for pdf in rendered:
        total = len(pdf.thumbnails)
        figures = "".join(
            f'<li><a href="{html.escape(pdf.name)}#page={number}">'
            f'<img src="{html.escape(src)}" alt="Page {number} of {total}"></a>'
            f'<span aria-hidden="true">{number}</span></li>'
            for number, src in enumerate(pdf.thumbnails, start=1))
        sections.append(f'<section aria-labelledby="pdf-{len(sections)}">'
                        f'<h2 id="pdf-{len(sections)}">{html.escape(pdf.name)} '
                        f'({total} page{"s" if total != 1 else ""})</h2>'
                        f'<ul class="pages">{figures}</ul></section>')
    count = sum(len(pdf.thumbnails) for pdf in rendered)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Every page of every PDF</title><style>"
            "body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#1a1a1a;"
            "background:#fff}"
            ".pages{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0}"
            ".pages li{display:flex;flex-direction:column;align-items:center}"
            ".pages img{border:1px solid #767676;display:block}"
            "</style></head><body><main><h1>Every page of every PDF</h1>"
            f"<p>{len(rendered)} PDF(s), {count} page(s), drawn by pdftoppm. Select a page "
            "to open it.</p>" + "".join(sections) + "</main></body></html>\n")
