"""Figures in large print: where each goes, and how wide, for its text to reach 18 pt."""

# Large print draws a figure as wide as the text. A drawing whose smallest text is still
# under the profile's size (18 pt) there is drawn wider, from the size its SVG declares
# (assets/svg_text.py), on a landscape page of its own when only that is wide enough; one that fits
# nowhere keeps the text's width, and large print prints its description beneath it.

from __future__ import annotations

import math
from dataclasses import dataclass

from ..assets.svg_text import Drawing

# pt: the 8 px margin every user agent gives <body>, which print.css keeps: the text, and a
# figure in it, is this much narrower on each side than the page's margins leave.
BODY_MARGIN = 6.0
# A figure is drawn this much wider than its text needs, so that rounding never leaves it
# a hair under the floor.
SAFETY = 1.002
# Of a line of bold caption text in large print: the average advance of a character, and
# the line's height, in ems (Atkinson Hyperlegible Bold, line-height 1.5).
CAPTION_ADVANCE = 0.62
CAPTION_LINE = 1.5


@dataclass(frozen=True)
class Area:
    """Where a figure may stand: in the flow of the text (page None) or on a named page."""

    page: str | None
    width: float  # pt
    height: float  # pt


@dataclass(frozen=True)
class Placement:
    """Where a figure goes in large print, and whether its smallest text reaches the floor."""

    page: str | None  # the named page of its own it gets; None: it stays in the text
    width: float | None  # pt it is drawn at; None: as wide as the text, as the CSS says
    text_pt: float  # its smallest text, drawn so
    fits: bool
    best_pt: float  # the largest its smallest text can be anywhere (for the warning)
    best_width: float  # pt: the widest it can be drawn anywhere; 0: no page has room for it


def landscape_page(paper: str) -> str:
    """The named page, in large-print.css, of a figure turned to landscape on this paper."""
    return f"large-print-landscape-{paper.lower()}"


def large_print_areas(margins: dict[str, tuple[float, float, float, float]],
                      paper: tuple[float, float], landscape: str | None) -> list[Area]:
    """The text's area on the profile's page, then a landscape page of a figure's own."""
    # The landscape page is offered when the profile has its @page rule and the figure may
    # have a page of its own (landscape is None otherwise).
    width, height = paper
    top, right, bottom, left = margins.get("", (0.0, 0.0, 0.0, 0.0))
    areas = [Area(None, width - left - right - 2 * BODY_MARGIN, height - top - bottom)]
    if landscape and landscape in margins:
        # The figure on it spans the page's width: large-print.css undoes the body's margin.
        top, right, bottom, left = margins[landscape]
        areas.append(Area(landscape, height - left - right, width - top - bottom))
    return areas


def caption_height(caption: str, width: float, floor: float) -> float:
    """How tall a caption is, in pt, at the floor's size in a box this wide (estimated)."""
    if not caption.strip():
        return 0.0
    per_line = max(1, int(width / (CAPTION_ADVANCE * floor)))
    return math.ceil(len(caption) / per_line) * CAPTION_LINE * floor


def place(drawing: Drawing, caption: str, areas: list[Area], floor: float,
          natural: float | None = None) -> Placement | None:
    """Where, and how wide, the drawing's smallest text reaches floor pt; None: no text."""
    # In the flow, else on a page of its own; else in the flow, as large as it can be there.
    # The CSS draws a figure as wide as the text, any other image at its natural width (pt).
    need = drawing.width_for(floor)
    if need is None:
        return None
    need *= SAFETY
    widths = [_widest(drawing, caption, area, floor) for area in areas]
    best = max(widths)

    def text_pt(drawn: float) -> float:
        found = drawing.text_pt(drawn)
        assert found is not None, "measured: width_for gave a width"
        return found

    def placed(page: str | None, width: float | None, drawn: float, fits: bool) -> Placement:
        return Placement(page, width, text_pt(drawn), fits, text_pt(best), best)

    css_width = areas[0].width if natural is None else natural  # what the CSS draws
    in_flow = min(css_width, widths[0])  # … unless the page is too short for that
    if text_pt(in_flow) >= floor:
        return placed(None, None if in_flow == css_width else in_flow, in_flow, True)
    for area, widest in zip(areas, widths):
        if need <= widest:
            return placed(area.page, need, need, True)
    if widths[0] > 0:
        return placed(None, widths[0], widths[0], False)
    # No page has room for it (its caption fills one): no width of its own, the CSS's.
    return placed(None, None, css_width, False)


def _widest(drawing: Drawing, caption: str, area: Area, floor: float) -> float:
    """The widest the drawing can be drawn in the area, its caption beneath it (0: none)."""
    room = max(0.0, area.height - caption_height(caption, area.width, floor))
    width = max(0.0, area.width)
    return min(width, room / drawing.aspect) if drawing.aspect else width
