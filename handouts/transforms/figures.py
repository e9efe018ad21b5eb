"""Figures: an image alone in its paragraph, with a title, is a figure with that caption."""

# FigureText then makes each SVG image readable in large print and in the dark scheme
# (handouts/transforms/figure_sizes.py, assets/svg_text.py): it marks a drawing that follows the scheme itself, and
# sizes each drawing for large print, warning about one whose text cannot reach 18 pt there,
# or cannot be measured at all.

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement

import markdown
import markdown.extensions
import markdown.preprocessors

from ..assets.svg_text import Drawing, read_drawing
from ..html_classes import class_names, has_class
from ..pdf.profiles import LARGE_PRINT, PAPER_PT, PROFILES_DIR, page_margins, text_floor
from ..prepare.inputs import hidden
from ..prepare.parse import MARKDOWN_EXTENSIONS, Handout, html_to_tree
from . import Context, Transform
from . import figure_sizes as sizes

# The class of an image drawn for dark pages as well as for paper: it needs no backdrop.
BOTH_SCHEMES = "both-schemes"
DESCRIPTION = "figure-description"
WIDTH_CLASS = "large-print-width"
WIDTH_PROPERTY = "--large-print-width"


class Figures(Transform):
    name = "figures"

    def apply(self, handout: Handout, context: Context) -> None:
        for parent in list(handout.body.iter()):
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p" or len(paragraph) != 1 or paragraph[0].tag != "img":
                    continue
                image = paragraph[0]
                if ((paragraph.text or "").strip() or (image.tail or "").strip()
                        or not image.get("title")
                        or has_class(image, "decorative")):
                    continue  # a decorative image has nothing to caption
                figure = Element("figure")
                image.tail = None
                figure.append(image)
                caption = SubElement(figure, "figcaption")
                caption.text = image.attrib.pop("title")
                figure.tail = paragraph.tail
                parent.remove(paragraph)
                parent.insert(index, figure)


class FigureText(Transform):
    """Each SVG image: marked when it follows the colour scheme; sized for large print."""

    name = "figure-text"

    def __init__(self) -> None:
        self.drawings: dict[Path, Drawing | None] = {}
        self.floor: float | None = None
        self.margins: dict[str, tuple[float, float, float, float]] = {}
        self.in_packets: set[str] = set()

    def collect(self, handouts: list[Handout], context: Context) -> None:
        from ..project import Project

        config = context.config
        if config.profiles is not None and LARGE_PRINT not in config.profiles:
            return  # no large print is made: nothing to size for it
        stylesheet = Project(context.project_root, config).style_file(
            f"{PROFILES_DIR}/{LARGE_PRINT}.css")
        css = stylesheet.read_text(encoding="utf-8") if stylesheet.is_file() else ""
        self.floor, self.margins = text_floor(css), page_margins(css)
        if self.floor is not None and not (math.isfinite(self.floor) and self.floor > 0):
            self.floor = None  # a size no text can be held to: none is promised
        self.in_packets = {slug for packet in config.packets for slug in packet.handouts}

    def apply(self, handout: Handout, context: Context) -> None:
        lines = ImageLines(handout)
        parent_of = {child: parent for parent in handout.body.iter() for child in parent}
        for image in list(handout.body.iter("img")):
            line = lines.meet(image.get("src") or "")
            classes = class_names(image)
            drawing = self._drawing(handout, image.get("src") or "")
            if drawing is None or "decorative" in classes:
                continue
            if drawing.follows_scheme and BOTH_SCHEMES not in classes:
                image.set("class", " ".join(classes + [BOTH_SCHEMES]))
            if self.floor is not None:
                self._size(handout, context, image, parent_of, drawing, line, self.floor)

    def _drawing(self, handout: Handout, src: str) -> Drawing | None:
        """The SVG an image shows, read once per build; None for another image, or a missing one."""
        parts = urlsplit(src)
        path_text = unquote(parts.path)
        if parts.scheme or parts.netloc or "\0" in path_text \
                or not path_text.lower().endswith(".svg"):
            return None
        content = handout.source.path.parent
        path, assets = (content / path_text).resolve(), (content / "assets").resolve()
        if not path.is_relative_to(assets) or hidden(path.relative_to(assets)):
            return None  # not published: LocalResources reports it
        if path not in self.drawings:
            self.drawings[path] = read_drawing(path.read_bytes()) if path.is_file() else None
        return self.drawings[path]

    def _size(self, handout: Handout, context: Context, image: Element,
              parent_of: dict[Element, Element], drawing: Drawing,
              line: Callable[[], int | None], floor: float) -> None:
        """Draw the image as wide as large print needs; else warn, and describe it there."""
        parent = parent_of[image]  # an image of the body: inside it
        figure = parent if parent is not None and parent.tag == "figure" else None
        alone = parent is not None and parent.tag == "p" and len(parent) == 1 \
            and not (parent.text or "").strip() and not (image.tail or "").strip()
        holder = figure if figure is not None else parent if alone else None
        caption = figure.findtext("figcaption") or "" if figure is not None else ""
        lint = context.diagnostics.error if context.strict else context.diagnostics.warn
        if drawing.unmeasured_text:
            _describe(image, figure, parent)
            lint(handout.source.path, line(), _unmeasured(image, caption, drawing))
            return
        paper = context.config.paper
        # A page of its own needs a block of its own; a packet's booklet needs upright pages.
        landscape = sizes.landscape_page(paper) if holder is not None else None
        areas = sizes.large_print_areas(self.margins, PAPER_PT[paper], landscape)
        natural = None if figure is not None else _natural_width(drawing)
        placement = sizes.place(drawing, caption, areas, floor, natural)
        kept_upright = handout.slug in self.in_packets and placement is not None \
            and placement.page is not None
        if kept_upright:
            placement = sizes.place(drawing, caption, areas[:1], floor, natural)
        if placement is None:
            return
        if placement.width is not None:
            _add_class(image, WIDTH_CLASS)
            style = (image.get("style") or "").rstrip("; ")
            image.set("style", (style + "; " if style else "")
                      + f"{WIDTH_PROPERTY}: {placement.width:.2f}pt")
        if placement.page is not None:
            assert holder is not None, "a page of its own: only a block's (landscape_page)"
            _add_class(holder, placement.page)
        if placement.fits:
            return
        _describe(image, figure, parent)
        lint(handout.source.path, line(), _message(image, caption, drawing, placement,
                                                   floor, kept_upright))


def _natural_width(drawing: Drawing) -> float | None:
    """The pt an image that is not a figure is drawn at: its SVG's own width."""
    return drawing.natural_width * 0.75 if drawing.natural_width else None


def _add_class(element: Element, name: str) -> None:
    classes = class_names(element)
    if name not in classes:
        element.set("class", " ".join(classes + [name]))


def _describe(image: Element, figure: Element | None, parent: Element) -> None:
    """The image's description, printed beneath it in large print (hidden elsewhere)."""
    text = image.get("alt") or ""
    # Right after its image: the PDF puts its words in the image's Figure, whose /Alt says
    # them already (pdf/tagging.py), so a screen reader hears them once.
    hidden = {"class": DESCRIPTION}
    if figure is not None:
        description = Element("p", hidden)
        description.text = text
        # Before a closing caption: HTML allows a <figcaption> only first or last.
        last = figure[-1] if len(figure) else None
        figure.insert(len(figure) - 1 if last is not None and last.tag == "figcaption"
                      else len(figure), description)
        return
    description = Element("span", hidden)
    # A line of its own in large print: the text after it starts a new line, which a
    # reader of the PDF meets as a space.
    description.text = text + " "
    description.tail, image.tail = image.tail, None
    parent.insert(list(parent).index(image) + 1, description)


def _named(image: Element, caption: str) -> str:
    """The image as the author knows it: 'the figure "Its caption" (assets/its.svg)'."""
    name = caption or image.get("alt") or ""
    name = name if len(name) <= 60 else name[:59] + "…"
    return f"the {'figure' if caption else 'image'} \"{name}\" ({image.get('src')})"


def _message(image: Element, caption: str, drawing: Drawing, placement: sizes.Placement,
             floor: float, kept_upright: bool) -> str:
    """What the author reads: the image, its smallest text, and how to make it larger."""
    size, width, best = drawing.smallest_text, drawing.view_width, placement.best_width
    assert size is not None and width is not None, "placed: its text was measured"
    if best <= 0:
        cause, advice = (
            (f"its caption, {len(caption):,} characters, fills a large-print page and leaves "
             "no room for the drawing above it", "Shorten the caption (the text around the "
             "figure can say the rest)") if caption else
            ("large print's page margins leave no room for it", "Give large print's pages "
             "smaller margins"))
        return (f"{_named(image, caption)}: {cause}; large print prints its description "
                f"beneath it. {advice}")
    why = (" (a landscape page of its own would fit it, but a handout in a packet keeps "
           "every page upright, for the packet's booklet)" if kept_upright else "")
    return (f"{_named(image, caption)}: its smallest text, {size:g} px high in a drawing "
            f"{width:,.0f} px wide, is {placement.text_pt:.1f} pt in large print, not the "
            f"{floor:g} pt large print promises{why}; large print prints its description "
            f"beneath it. Make that text at least {floor * width / best:.1f} px high, or the "
            f"drawing at most {size * best / floor:,.0f} px wide")


def _unmeasured(image: Element, caption: str, drawing: Drawing) -> str:
    """What the author reads: the image, why its text could not be measured, what to do."""
    return (f"{_named(image, caption)}: its text could not be measured for large print "
            f"({drawing.why_unmeasured}); large print prints its description beneath it. "
            f"{drawing.remedy}")


class ImageLines:
    """Each image's line in the handout, as the Markdown parser met it."""

    # The body is parsed again, as prepare/parse.py parses it, each image marked with its line as
    # the parser reads the lines (![ becomes ![<mark>, <img gets data-handouts-line): the
    # k-th image of a source in the handout is the k-th the parse meets. Parsed once, when a
    # line is first asked for (a warning needs it).

    def __init__(self, handout: Handout):
        self.source = handout.source
        self.lines: dict[str, list[int | None]] | None = None
        self.met: dict[str, int] = {}

    def meet(self, src: str) -> Callable[[], int | None]:
        """The next image of src: a function giving its line."""
        count = self.met[src] = self.met.get(src, 0) + 1
        return lambda: self.line(src, count - 1)

    def line(self, src: str, index: int) -> int | None:
        if self.lines is None:
            self.lines = {}
            html = markdown.markdown(self.source.body, output_format="html",
                                     extensions=MARKDOWN_EXTENSIONS + [_MarkImages()])
            for image in html_to_tree(html).iter("img"):
                self.lines.setdefault(image.get("src") or "", []).append(_line(image))
        found = self.lines.get(src) or [None]
        number = found[min(index, len(found) - 1)]
        return None if number is None else self.source.body_line + number


_MARK_START, _MARK_END = "\ue000", "\ue001"  # private-use characters: never an author's
_LINE_ATTRIBUTE = "data-handouts-line"
_RAW_IMAGE = re.compile(r"<img(?=[\s/>])", re.IGNORECASE)
_MARK = re.compile(f"{_MARK_START}([0-9]+){_MARK_END}")


def _line(image: Element) -> int | None:
    """The line index an image was marked with."""
    mark = _MARK.match(image.get("alt") or "")
    value = mark[1] if mark else image.get(_LINE_ATTRIBUTE) or ""
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


class _MarkImages(markdown.extensions.Extension):
    """Marks each image with the index of the line the parser read it on."""

    class Preprocessor(markdown.preprocessors.Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            return [_RAW_IMAGE.sub(f"<img {_LINE_ATTRIBUTE}=\"{number}\"", line.replace(
                "![", f"![{_MARK_START}{number}{_MARK_END}")) for number, line in enumerate(lines)]

    def extendMarkdown(self, md):
        # After whitespace is normalised (30), while the lines are still the file's: before
        # fenced code (25) and raw HTML (20) are set aside, each as one line.
        md.preprocessors.register(self.Preprocessor(md), "handouts_image_lines", 29)
