"""What an SVG drawing writes, and how small: its smallest text, read for large print."""

# A drawing is scaled from its own user space (its viewBox, else its width) to the width it
# is drawn at, and its text with it: text declared 13 units high in a drawing 520 units wide,
# drawn 458 pt wide, is 13 × 458 / 520 = 11.5 pt. The drawing is read as assets.py reads it,
# with expat and no entities, and only what sizes text is kept: font-size in attributes,
# style attributes and <style> rules (font too), inherited from the element's ancestors,
# times their transforms. Whatever cannot be read (an unknown unit, calc()) is left out.

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from xml.parsers import expat

import tinycss2

from . import limits

SVG_NS = "http://www.w3.org/2000/svg"
TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
MEDIUM = 16.0  # px: the size text has when nothing says otherwise
CSS_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
          "mm": 96 / 25.4, "q": 96 / 101.6}
KEYWORD_PX = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
              "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
# Rules of a drawing's stylesheets that size text, the most read: a hostile stylesheet of a
# million rules costs no more than these.
MAX_FONT_RULES = 1_000
# Steps spent matching selectors against ancestors, at most: then the drawing is not read.
MAX_MATCHING_STEPS = 5_000_000
# Compound selectors of one selector that are followed; a longer one is read by its last.
MAX_COMPOUNDS = 8
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")
_COMPOUND = re.compile(r"(\*|[A-Za-z_][\w-]*)?((?:[#.][\w-]+|\[[^\]]*\]|::?[\w-]+"
                       r"(?:\([^)]*\))?)*)")


@dataclass(frozen=True)
class Drawing:
    """An SVG's text and shape, as large print needs them."""

    smallest_text: float | None  # user units, transforms applied; None: it writes nothing
    view_width: float | None  # the width its user space is scaled from; None: unknown
    aspect: float | None  # height / width
    natural_width: float | None  # px: the width its width attribute gives it
    follows_scheme: bool  # its own CSS answers prefers-color-scheme (drawn for dark pages too)

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
class _Node:
    parent: int | None
    name: str
    attributes: dict[str, str]
    ancestors_text: bool  # inside a <text>: character data here is drawn
    has_text: bool = False


@dataclass
class _Rule:
    selector: list[tuple[str, tuple[str | None, str | None, frozenset[str]]]]
    specificity: tuple[int, int, int]
    order: int
    important: bool
    size: list  # tinycss2 tokens of the font-size (or font) value


@dataclass
class _Reading:
    nodes: list[_Node] = field(default_factory=list)
    open: list[int] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_open: list[str] | None = None


def read_drawing(data: bytes) -> Drawing | None:
    """The drawing's text and shape; None when it is not an SVG that can be read."""
    if len(data) > limits.MAX_ASSET_BYTES or b"<!ENTITY" in data:
        return None  # assets.py refuses these: nothing to scale
    reading = _Reading()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag, attributes):
        namespace, _, local = tag.rpartition(" ")
        if len(reading.nodes) >= limits.MAX_SVG_ELEMENTS or (not reading.nodes and (
                local != "svg" or namespace != SVG_NS)):
            raise _Unreadable
        parent = reading.open[-1] if reading.open else None
        inside = parent is not None and reading.nodes[parent].ancestors_text
        kept = {key.rpartition(" ")[2]: value for key, value in attributes.items()
                if key.rpartition(" ")[2] in ("id", "class", "style", "font-size",
                                              "transform", "viewBox", "width", "height")}
        name = local if namespace == SVG_NS else ""
        reading.nodes.append(_Node(parent, name, kept, inside or name in TEXT_ELEMENTS))
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

    def refuse(*_args):
        raise _Unreadable

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
        return _measure(reading) if reading.nodes else None
    except (_Unreadable, expat.ExpatError, RecursionError, ValueError):
        return None


class _Unreadable(Exception):
    """Not a drawing this module reads: no size comes from it."""


def _measure(reading: _Reading) -> Drawing:
    stylesheet = "\n".join(reading.styles)
    rules: dict[str | None, list[_Rule]] = {}  # by the element name the selector ends in
    for rule in _font_rules(stylesheet):
        rules.setdefault(rule.selector[-1][1][0], []).append(rule)
    root = reading.nodes[0].attributes
    view = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    width, height = _length(root.get("width")), _length(root.get("height"))
    if len(view) == 4 and view[2] > 0 and view[3] > 0:
        view_width, aspect = view[2], view[3] / view[2]
    else:
        view_width = width
        aspect = height / width if width and height else None
    sizes: list[float] = []  # computed font-size of each node, px of its own user space
    scales: list[float] = []  # how much its transforms and its ancestors' shrink it
    smallest = None
    budget = [MAX_MATCHING_STEPS]
    for index, node in enumerate(reading.nodes):
        parent_size = sizes[node.parent] if node.parent is not None else MEDIUM
        candidates = rules.get(node.name, []) + rules.get(None, [])
        sizes.append(_font_size(node, index, reading.nodes, candidates, parent_size, budget))
        scale = _transform_scale(node.attributes.get("transform", ""))
        scales.append(scale * (scales[node.parent] if node.parent is not None else 1.0))
        if node.has_text and sizes[-1] > 0:
            drawn = sizes[-1] * scales[-1]
            smallest = drawn if smallest is None else min(smallest, drawn)
    return Drawing(smallest, view_width, aspect, width,
                   "prefers-color-scheme" in stylesheet.lower())


def _length(value: str | None) -> float | None:
    """An SVG width or height in CSS px; None for a percentage or what cannot be read."""
    match = re.fullmatch(r"\s*(" + _NUMBER.pattern + r")\s*([a-zA-Z]*)\s*", value or "")
    if not match or match[2].lower() not in CSS_PX or float(match[1]) <= 0:
        return None
    return float(match[1]) * CSS_PX[match[2].lower()]


def _font_rules(stylesheet: str) -> list[_Rule]:
    """Each selector of a rule that sets font-size or font, @media blocks included."""
    rules: list[_Rule] = []

    def read(nodes):
        for rule in nodes:
            if len(rules) >= MAX_FONT_RULES:
                return
            if rule.type == "at-rule" and rule.content is not None:
                read(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                              skip_whitespace=True))
            if rule.type != "qualified-rule":
                continue
            for important, size in _declarations(rule.content):
                for selector in tinycss2.serialize(rule.prelude).split(","):
                    parsed = _selector(selector)
                    if parsed is not None and len(rules) < MAX_FONT_RULES:
                        rules.append(_Rule(*parsed, len(rules), important, size))

    read(tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True))
    return rules


def _declarations(tokens) -> list[tuple[bool, list]]:
    """(important, value) of each font-size and font declaration, in order."""
    found = []
    for declaration in tinycss2.parse_declaration_list(tokens, skip_comments=True,
                                                       skip_whitespace=True):
        if declaration.type == "declaration" and declaration.lower_name in ("font-size",
                                                                             "font"):
            value = declaration.value
            if declaration.lower_name == "font":
                value = _size_in_font_shorthand(value)
            if value:
                found.append((declaration.important, value))
    return found


def _size_in_font_shorthand(tokens) -> list:
    """The size in `font: bold 12px/1.2 sans-serif`: the first length or size keyword."""
    for token in tokens:
        if token.type in ("dimension", "percentage") or (
                token.type == "ident" and token.lower_value in KEYWORD_PX):
            return [token]
    return []


def _selector(text: str):
    """(compounds, left to right, each after its combinator; specificity), or None."""
    # Attribute selectors and pseudo-classes are taken as matching: a rule that might size
    # text is counted rather than missed.
    text = re.sub(r"[\w*-]*\|(?!=)", "", text.strip())  # svg|text: the namespace is SVG's
    text = re.sub(r"\s*([>+~])\s*", r" \1 ", text)
    compounds, combinator = [], " "
    ids = classes = types = 0
    for part in text.split():
        if part in (">", "+", "~"):
            combinator = part
            continue
        match = _COMPOUND.fullmatch(part)
        if not match:
            return None
        tag = match[1] if match[1] not in (None, "*") else None
        simple = re.findall(r"[#.][\w-]+|\[[^\]]*\]|::?[\w-]+(?:\([^)]*\))?", match[2])
        element_id = next((s[1:] for s in simple if s[0] == "#"), None)
        names = frozenset(s[1:] for s in simple if s[0] == ".")
        ids += sum(s[0] == "#" for s in simple)
        classes += sum(s[0] in ".[" or (s[0] == ":" and not s.startswith("::")) for s in simple)
        types += (tag is not None) + sum(s.startswith("::") for s in simple)
        compounds.append((combinator, (tag, element_id, names)))
        combinator = " "
    if len(compounds) > MAX_COMPOUNDS:
        compounds = [(" ", compounds[-1][1])]
    return (compounds, (ids, classes, types)) if compounds else None


def _matches(rule: _Rule, index: int, nodes: list[_Node], budget: list[int]) -> bool:
    """Whether the rule's selector matches the node (a sibling combinator's left side met)."""
    def compound_matches(compound, node: _Node) -> bool:
        tag, element_id, names = compound
        return ((tag is None or tag == node.name)
                and (element_id is None or node.attributes.get("id") == element_id)
                and names <= set(node.attributes.get("class", "").split()))

    def match_from(position: int, at: int | None) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Unreadable  # a selector and a nesting made to cost without end
        combinator, compound = rule.selector[position]
        if at is None or not compound_matches(compound, nodes[at]):
            return False
        if position == 0 or combinator in ("+", "~"):
            return True
        if combinator == ">":
            return match_from(position - 1, nodes[at].parent)
        ancestor = nodes[at].parent
        while ancestor is not None:
            if match_from(position - 1, ancestor):
                return True
            ancestor = nodes[ancestor].parent
        return False

    return match_from(len(rule.selector) - 1, index)


def _font_size(node: _Node, index: int, nodes: list[_Node], rules: list[_Rule],
               parent: float, budget: list[int]) -> float:
    """The node's computed font-size in px, its parent's if nothing declares one."""
    # In the cascade's order: the presentation attribute, then the stylesheet's rules, the
    # style attribute, !important rules, !important in the style attribute.
    candidates = []  # (precedence, value tokens)
    attribute = node.attributes.get("font-size")
    if attribute:
        candidates.append(((0, (0, 0, 0), 0), tinycss2.parse_component_value_list(attribute)))
    for rule in rules:
        if _matches(rule, index, nodes, budget):
            candidates.append(((3 if rule.important else 1, rule.specificity, rule.order),
                               rule.size))
    for order, (important, value) in enumerate(_declarations(node.attributes.get("style", ""))):
        candidates.append(((4 if important else 2, (0, 0, 0), order), value))
    for _, value in sorted(candidates, key=lambda candidate: candidate[0], reverse=True):
        size = _size_value(value, parent)
        if size is not None:
            return size
    return parent


def _size_value(tokens, parent: float) -> float | None:
    """A font-size value in px, relative units against the parent's size; None if unread."""
    tokens = [token for token in tokens if token.type not in ("whitespace", "comment")]
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "dimension":
        unit = token.lower_unit
        if unit in CSS_PX:
            return token.value * CSS_PX[unit]
        relative = {"em": parent, "ex": parent / 2, "ch": parent / 2, "rem": MEDIUM}
        return token.value * relative[unit] if unit in relative else None
    if token.type == "percentage":
        return token.value * parent / 100
    if token.type == "number":  # a presentation attribute's user units
        return token.value
    if token.type == "ident":
        keyword = token.lower_value
        if keyword in KEYWORD_PX:
            return KEYWORD_PX[keyword]
        return {"smaller": parent / 1.2, "larger": parent * 1.2, "inherit": parent,
                "initial": MEDIUM, "unset": parent}.get(keyword)
    return None


def _transform_scale(transform: str) -> float:
    """How much a transform shrinks text: 0.5 for scale(0.5), 1 for a rotation."""
    # Its smallest singular value: the most it shrinks in any direction.
    a, b, c, d = 1.0, 0.0, 0.0, 1.0
    for name, arguments in _TRANSFORM.findall(transform):
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        if name == "matrix" and len(numbers) == 6:
            step = numbers[:4]
        elif name == "scale" and numbers:
            step = [numbers[0], 0.0, 0.0, numbers[1] if len(numbers) > 1 else numbers[0]]
        elif name in ("skewX", "skewY") and numbers:
            slant = math.tan(math.radians(numbers[0]))
            step = [1.0, 0.0, slant, 1.0] if name == "skewX" else [1.0, slant, 0.0, 1.0]
        else:
            continue  # translate and rotate keep sizes
        a, b, c, d = (a * step[0] + c * step[1], b * step[0] + d * step[1],
                      a * step[2] + c * step[3], b * step[2] + d * step[3])
    squares = a * a + b * b + c * c + d * d
    determinant = abs(a * d - b * c)
    return math.sqrt(max(0.0, (squares - math.sqrt(max(0.0, squares ** 2
                                                        - 4 * determinant ** 2))) / 2))
