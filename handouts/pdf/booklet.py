"""Booklets: pad a packet to a multiple of four pages and impose it two-up for saddle stitching."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from .page_labels import page_labels, set_page_labels

IMPOSED_MARK = "/HandoutsImposedBooklet"  # Info key: this file is for the print shop, not for reading


def pad_to_multiple_of_four(pdf_path: Path) -> int:
    """Append blank pages (nothing on them) so a folded booklet has no missing leaf."""
    # A packet is padded as it is assembled (packets/pdf.py), so that its folios count the
    # padding: to one this adds nothing.
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        count = len(pdf.pages)
        blanks = -count % 4
        if blanks:
            box = [float(value) for value in pdf.pages[-1].mediabox]
            for _ in range(blanks):
                pdf.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
            pdf.save(pdf_path, deterministic_id=True)
        return count + blanks


def sheet_order(pages: int) -> list[tuple[int, int]]:
    """Page numbers (1-based) on each sheet side, left then right, in printing order.

    For 8 pages: (8, 1), (2, 7), (6, 3), (4, 5): the outer side of the outer sheet first.
    """
    if pages % 4:
        raise ValueError(f"a booklet needs a multiple of four pages, not {pages}")
    sides = []
    for side in range(pages // 2):
        low, high = side + 1, pages - side
        sides.append((high, low) if side % 2 == 0 else (low, high))
    return sides


def impose(pdf_path: Path, booklet_path: Path, title: str) -> int:
    """Write the pages two-up on sheets twice as wide, for duplex printing flipped on the short edge."""
    with pikepdf.open(pdf_path) as source, pikepdf.new() as booklet:
        box = [float(value) for value in source.pages[0].mediabox]
        width, height = box[2] - box[0], box[3] - box[1]
        sides = sheet_order(len(source.pages))
        for left, right in sides:
            sheet = booklet.add_blank_page(page_size=(2 * width, height))
            forms, drawing = pikepdf.Dictionary(), []
            for number, x in ((left, 0), (right, width)):
                # Named by page number (not pikepdf's random overlay names): builds repeat.
                name = f"/Page{number}"
                forms[name] = booklet.copy_foreign(source.pages[number - 1].as_form_xobject())
                drawing.append(f"q 1 0 0 1 {x:.4f} 0 cm {name} Do Q")
            sheet.obj.Resources = pikepdf.Dictionary(XObject=forms)
            sheet.obj.Contents = booklet.make_stream("\n".join(drawing).encode())
        booklet.Root.ViewerPreferences = pikepdf.Dictionary(
            Duplex=pikepdf.Name.DuplexFlipShortEdge, PrintScaling=pikepdf.Name("/None"))
        # A side carries two pages of the packet: it is labelled with their labels, "8|1",
        # so that the print shop sees which pages each side holds, as docs/packets.md writes them.
        labels = page_labels(source)
        set_page_labels(booklet, [f"{labels[left - 1]}|{labels[right - 1]}"
                                  for left, right in sides])
        booklet.docinfo[pikepdf.Name.Title] = title
        booklet.docinfo[pikepdf.Name(IMPOSED_MARK)] = True
        booklet.save(booklet_path, deterministic_id=True)
        return len(booklet.pages)


def is_imposed(pdf: pikepdf.Pdf) -> bool:
    return bool(pdf.docinfo.get(IMPOSED_MARK, False)) if pdf.docinfo is not None else False
