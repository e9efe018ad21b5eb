"""What an SVG drawing writes, and how small: its smallest text, read for large print."""

# A drawing is scaled from its own user space (its viewBox, else its width) to the width it
# is drawn at, and its text with it: text declared 13 units high in a drawing 520 units wide,
# drawn 458 pt wide, is 13 × 458 / 520 = 11.5 pt. The drawing is read as assets/svg.py reads it,
# with expat and no entities, and only what sizes text is kept: font-size in attributes,
# style attributes and <style> rules (font too; assets/svg_css.py reads them), inherited from the
# element's ancestors, times their transforms. A value that cannot be read (an unknown unit,
# calc()) is left out. What keeps the text from being measured at all (no viewBox nor width,
# a size of 0, a drawing past the limits of limits.py) is said in words,
# Drawing.why_unmeasured, for the author's warning. Every pattern here reads in time linear
# in its text: it runs in the build's own process, on whatever an author wrote.

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from xml.parsers import expat

from .. import limits
from .svg import SVG_NS, EntityDeclared, svg_parser
from .svg_css import (
    CSS_PX,
    MEDIUM,
    SIMPLIFY,
    Budget,
    Element,
    FontRule,
    RuleIndex,
    Unmeasurable,
    follows_scheme,
    font_rules,
    font_size,
    read_stylesheet,
)

TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
KEPT_ATTRIBUTES = frozenset({"id", "class", "style", "font-size", "transform", "viewBox",
                             "width", "height"})
# No optional part repeats inside another: a long run of digits is given up in one pass.
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LENGTH = re.compile(r"\s*(" + _NUMBER.pattern + r")\s*([a-zA-Z]*)\s*")
# [^()]: an unclosed "scale(" is given up at the next parenthesis, not at the end.
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^()]*)\)")

# Steps of limits.MAX_MATCHING_STEPS that a transform function costs: as much time as some
# five compound selectors compared (measured).
FUNCTION_STEPS = 5

# What the author can do, after the reason the text could not be measured.
GIVE_VIEWBOX = ('Give the drawing a viewBox: viewBox="0 0 W H", the width and height of its '
                "picture in its own units")
EXPORT = "Export it again as an SVG drawing (the build's errors about it say what to change)"
RESIZE = "Give that text a font-size above 0, and transforms that keep it a readable size"


@dataclass(frozen=True)
class Drawing:
    """An SVG's text and shape, as large print needs them."""

    smallest_text: float | None  # user units, transforms applied; None: none measured
    view_width: float | None  # the width its user space is scaled from; None: unknown
    aspect: float | None  # height / width
    natural_width: float | None  # px: the width its width attribute gives it
    follows_scheme: bool  # a @media (prefers-color-scheme: dark) rule of its own declares
    writes_text: bool | None = False  # None: the file could not be read, so it may
    why_unmeasured: str = ""  # in words, what kept its text from being measured; "": nothing
    remedy: str = ""  # what the author can do about that

    @property
    def unmeasured_text(self) -> bool:
        """Whether it writes text (or may) that could not be measured."""
        return bool(self.why_unmeasured) and self.writes_text is not False

    def text_pt(self, drawn_width_pt: float) -> float | None:
        """Its smallest text, in pt, when the drawing is drawn this wide."""
        if self.smallest_text is None or not self.view_width:
            return None
        return self.smallest_text * drawn_width_pt / self.view_width

    def width_for(self, text_pt: float) -> float | None:
        """How wide (pt) the drawing must be drawn for its smallest text to be text_pt."""
        if self.smallest_text is None or not self.view_width:
            return None
        return text_pt * self.view_width / self.smallest_text


@dataclass
class _Reading:
    """What the parse has read so far: elements, open ones, and <style> text."""

    nodes: list[Element] = field(default_factory=list)
    open: list[int] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_open: list[str] | None = None
    problem: Unmeasurable | None = None  # the first met; the rest is read for its text


def read_drawing(data: bytes) -> Drawing:
    """The drawing's text and shape; why_unmeasured says what kept its text unmeasured."""
    try:
        reading = _read(data)
    except Unmeasurable as problem:
        return Drawing(None, None, None, None, False, None, problem.why, problem.remedy)
    return _measure(reading)


def _read(data: bytes) -> _Reading:
    """Its elements and stylesheets, with what sizes text; Unmeasurable if not readable."""
    if len(data) > limits.MAX_ASSET_BYTES:
        raise Unmeasurable(f"the file is larger than {limits.MAX_ASSET_BYTES:,} bytes",
                           SIMPLIFY)
    reading = _Reading()
    parser = svg_parser()
    parser.buffer_text = True  # text in one call, not one per character reference

    def start(tag, attributes):
        namespace, _, local = tag.rpartition(" ")
        if len(reading.nodes) >= limits.MAX_SVG_ELEMENTS:
            raise Unmeasurable(f"it has more than {limits.MAX_SVG_ELEMENTS:,} elements",
                               SIMPLIFY)
        if not reading.nodes and (local != "svg" or namespace != SVG_NS):
            raise Unmeasurable("its root element is not an <svg> in the SVG namespace",
                               EXPORT)
        parent = reading.open[-1] if reading.open else None
        inside = parent is not None and reading.nodes[parent].ancestors_text
        kept = {}
        for key, value in attributes.items():
            if key not in KEPT_ATTRIBUTES:
                continue  # another namespace's attribute (a space in its name) included
            if len(value) <= limits.MAX_SVG_ATTRIBUTE_CHARACTERS:
                kept[key] = value
            elif reading.problem is None:
                element = f"one of its <{local}> elements" if reading.nodes else "its root <svg>"
                reading.problem = Unmeasurable(
                    f"the {key} attribute of {element} is {len(value):,} characters long; at "
                    f"most {limits.MAX_SVG_ATTRIBUTE_CHARACTERS:,} are read", SIMPLIFY)
        name = local if namespace == SVG_NS else ""
        reading.nodes.append(Element(parent, name, kept, inside or name in TEXT_ELEMENTS))
        reading.open.append(len(reading.nodes) - 1)
        if local == "style" and reading.style_open is None:
            reading.style_open = []

    def end(_tag):
        index = reading.open.pop()
        if reading.nodes[index].name == "style" and reading.style_open is not None:
            reading.styles.append("".join(reading.style_open))
            reading.style_open = None

    def text(content):
        if reading.style_open is not None:
            reading.style_open.append(content)
        elif reading.open and content.strip():
            node = reading.nodes[reading.open[-1]]
            node.has_text = node.has_text or node.ancestors_text

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except EntityDeclared:
        raise Unmeasurable("it declares an entity (<!ENTITY …>)", EXPORT) from None
    except expat.ExpatError as error:
        raise Unmeasurable(f"its XML is not well-formed ({expat.ErrorString(error.code)})",
                           EXPORT) from None
    return reading


def _measure(reading: _Reading) -> Drawing:
    """The drawing's size, and its smallest text unless something keeps that unmeasured."""
    root = reading.nodes[0].attributes
    width, height = _length(root.get("width")), _length(root.get("height"))
    view = _view_box(root.get("viewBox"))
    view_width: float | None
    aspect: float | None
    if view is not None:
        view_width, aspect = view[0], view[1] / view[0]
    else:
        view_width = width
        aspect = height / width if width and height else None
    if aspect is not None and not (math.isfinite(aspect) and aspect > 0):
        aspect = None
    writes = any(node.has_text for node in reading.nodes)
    budget = Budget()
    follows, smallest, problem = False, None, reading.problem
    try:
        sheet = read_stylesheet("\n".join(reading.styles), budget)
        follows = follows_scheme(sheet)
        if problem is not None:
            raise problem
        if view_width is None:
            raise Unmeasurable(_unscaled(root), GIVE_VIEWBOX)
        if writes:
            rules = font_rules(sheet, budget)
            smallest = _smallest_text(reading.nodes, rules, budget, view_width)
    except Unmeasurable as found:
        problem, smallest = found, None
    return Drawing(smallest, view_width, aspect, width, follows, writes,
                   problem.why if problem else "", problem.remedy if problem else "")


def _length(value: str | None) -> float | None:
    """An SVG width or height in CSS px; None for a percentage or what cannot be read."""
    match = _LENGTH.fullmatch(value or "")
    if not match or match[2].lower() not in CSS_PX:
        return None
    length = float(match[1]) * CSS_PX[match[2].lower()]
    return length if math.isfinite(length) and length > 0 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    """A viewBox's width and height, when both are numbers above 0."""
    numbers = [float(number) for number in _NUMBER.findall(value or "")]
    if len(numbers) != 4 or not all(math.isfinite(number) for number in numbers) \
            or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return numbers[2], numbers[3]


def _unscaled(root: dict[str, str]) -> str:
    """Why the drawing has no width to scale its text from, in words."""
    view_box, width = root.get("viewBox"), root.get("width")
    first = "it has no viewBox" if view_box is None else (
        f"its viewBox, {_quoted(view_box)}, is not four numbers with a width and height above 0")
    if width is None:
        return first + ", and no width"
    if width.strip().endswith("%"):
        return f"{first}, and its width is {_quoted(width)}"
    return f"{first}, and its width, {_quoted(width)}, is not a length it can read"


def _quoted(text: str) -> str:
    """The text in quotes, its whitespace collapsed, cut to 40 characters."""
    text = " ".join(text.split())
    return '"' + (text if len(text) <= 40 else text[:39] + "…") + '"'


def _smallest_text(nodes: list[Element], rules: list[FontRule], budget: Budget,
                   view_width: float) -> float | None:
    """The smallest text any element draws, in user units; None if none draws any."""
    index = RuleIndex(rules)
    sizes: list[float] = []  # computed font-size of each node, px of its own user space
    scales: list[float] = []  # how much its transforms and its ancestors' shrink it
    smallest = None
    for position, node in enumerate(nodes):
        parent_size = sizes[node.parent] if node.parent is not None else MEDIUM
        parent_scale = scales[node.parent] if node.parent is not None else 1.0
        sizes.append(font_size(node, position, nodes, index.candidates(node, budget),
                               parent_size, budget))
        scales.append(_transform_scale(node.attributes.get("transform", ""), budget)
                      * parent_scale)
        if node.has_text:
            drawn = _drawn(sizes[-1], scales[-1])
            smallest = drawn if smallest is None else min(smallest, drawn)
    if smallest is not None and not (smallest / view_width > 0
                                     and math.isfinite(view_width / smallest)):
        raise Unmeasurable(f"its text, {smallest:g} units high in a drawing {view_width:g} "
                           "wide, is too far from the drawing's size to measure", RESIZE)
    return smallest


def _drawn(size: float, scale: float) -> float:
    """How high text of this size is drawn at this scale, when that can be measured."""
    if not math.isfinite(size):
        raise Unmeasurable("a font-size is too large to measure", RESIZE)
    if size <= 0:
        raise Unmeasurable("some of its text has a font-size of 0", RESIZE)
    if not math.isfinite(scale):
        raise Unmeasurable("a transform's numbers are too large to measure", RESIZE)
    if scale <= 0:
        raise Unmeasurable("a transform shrinks some of its text to nothing (scale(0), or a "
                           "matrix of zeros)", RESIZE)
    drawn = size * scale
    if not (math.isfinite(drawn) and drawn > 0):
        raise Unmeasurable("its transforms scale its text too far to measure", RESIZE)
    return drawn


def _transform_scale(transform: str, budget: Budget) -> float:
    """How much a transform shrinks text: 0.5 for scale(0.5), 1 for a rotation; NaN: unread."""
    # Its smallest singular value: the most it shrinks in any direction.
    a, b, c, d = 1.0, 0.0, 0.0, 1.0
    for match in _TRANSFORM.finditer(transform):
        budget.step(FUNCTION_STEPS)
        name = match[1]
        if name in ("translate", "rotate"):
            continue  # they keep sizes
        # Six numbers at most (a matrix's): a list of thousands is given up at the seventh.
        numbers = [float(n[0]) for n in itertools.islice(_NUMBER.finditer(match[2]), 7)]
        if not numbers or len(numbers) > 6:
            continue  # not a function SVG knows: browsers drop it
        if not all(map(math.isfinite, numbers)):
            return math.nan
        if name == "matrix" and len(numbers) == 6:
            step = numbers[:4]
        elif name == "scale":
            step = [numbers[0], 0.0, 0.0, numbers[1] if len(numbers) > 1 else numbers[0]]
        elif name in ("skewX", "skewY"):
            slant = math.tan(math.radians(numbers[0]))
            step = [1.0, 0.0, slant, 1.0] if name == "skewX" else [1.0, slant, 0.0, 1.0]
        else:
            continue
        a, b, c, d = (a * step[0] + c * step[1], b * step[0] + d * step[1],
                      a * step[2] + c * step[3], b * step[2] + d * step[3])
        if not all(map(math.isfinite, (a, b, c, d))):
            return math.nan
    # Divided by its largest entry first, so that no square overflows: then the largest
    # singular value is at least 1, and the smallest is |determinant| / largest.
    largest = max(abs(a), abs(b), abs(c), abs(d))
    if largest == 0:
        return 0.0
    a, b, c, d = a / largest, b / largest, c / largest, d / largest
    greatest = (math.hypot(a + d, c - b) + math.hypot(a - d, b + c)) / 2
    return abs(a * d - b * c) / greatest * largest
