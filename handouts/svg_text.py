"""What an SVG drawing writes, and how small: its smallest text, read for large print."""

# A drawing is scaled from its own user space (its viewBox, else its width) to the width it
# is drawn at, and its text with it: text declared 13 units high in a drawing 520 units wide,
# drawn 458 pt wide, is 13 × 458 / 520 = 11.5 pt. The drawing is read as assets.py reads it,
# with expat and no entities, and only what sizes text is kept: font-size in attributes,
# style attributes and <style> rules (font too), inherited from the element's ancestors,
# times their transforms. A value that cannot be read (an unknown unit, calc()) is left out.
# What keeps the text from being measured at all (no viewBox nor width, a size of 0, a
# drawing past the limits of limits.py) is said in words, Drawing.why_unmeasured, for the
# author's warning. Every pattern here reads in time linear in its text: it runs in the
# build's own process, on whatever an author wrote.

from __future__ import annotations

import itertools
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
KEPT_ATTRIBUTES = frozenset({"id", "class", "style", "font-size", "transform", "viewBox",
                             "width", "height"})
# No optional part repeats inside another: a long run of digits is given up in one pass.
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LENGTH = re.compile(r"\s*(" + _NUMBER.pattern + r")\s*([a-zA-Z]*)\s*")
# [^()]: an unclosed "scale(" is given up at the next parenthesis, not at the end.
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^()]*)\)")
# A namespace prefix (svg|text), tried only where a name starts.
_NAMESPACE = re.compile(r"(?<![\w*-])[\w*-]*\|(?!=)")
_SIMPLE = re.compile(r"[#.][\w-]+|\[[^\]]*\]|::?[\w-]+(?:\([^)]*\))?")
_COMPOUND = re.compile(r"(\*|[A-Za-z_][\w-]*)?((?:" + _SIMPLE.pattern + r")*)")

# Steps of limits.MAX_MATCHING_STEPS that a transform function, and a selector read, cost:
# as much time as some five, and ten, compound selectors compared (measured).
FUNCTION_STEPS = 5
SELECTOR_STEPS = 10

# What the author can do, after the reason the text could not be measured.
GIVE_VIEWBOX = ('Give the drawing a viewBox: viewBox="0 0 W H", the width and height of its '
                "picture in its own units")
SIMPLIFY = ("Simplify the drawing (README.md, \"Bounded cost\", lists how much of an SVG "
            "large print reads)")
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


class _Unmeasurable(Exception):
    """What keeps a drawing's text from being measured: why, in words, and what to do."""

    def __init__(self, why: str, remedy: str):
        super().__init__(why)
        self.why, self.remedy = why, remedy


@dataclass
class _Node:
    parent: int | None
    name: str
    attributes: dict[str, str]
    ancestors_text: bool  # inside a <text>: character data here is drawn
    has_text: bool = False
    class_names: frozenset[str] | None = None  # its class attribute, split once: classes()

    def classes(self, budget: _Budget) -> frozenset[str]:
        """Its class names, split when first asked for (and paid for once, by the name)."""
        if self.class_names is None:
            self.class_names = frozenset(self.attributes.get("class", "").split())
            budget.step(len(self.class_names))
        return self.class_names


@dataclass
class _Rule:
    selector: list[tuple[str, tuple[str | None, str | None, frozenset[str]]]]
    specificity: tuple[int, int, int]
    order: int
    important: bool
    size: object  # the tinycss2 token of the font-size (or font) value


@dataclass
class _Reading:
    nodes: list[_Node] = field(default_factory=list)
    open: list[int] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_open: list[str] | None = None
    problem: _Unmeasurable | None = None  # the first met; the rest is read for its text


@dataclass
class _Budget:
    """What measuring one drawing may still spend: steps (matching, transforms), CSS read."""

    steps: int = field(default_factory=lambda: limits.MAX_MATCHING_STEPS)
    css: int = field(default_factory=lambda: limits.MAX_SVG_CSS_CHARACTERS)
    parsed: dict[tuple[str, str], object] = field(default_factory=dict)  # CSS read already

    def step(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            self.spent()

    @staticmethod
    def spent():
        raise _Unmeasurable(f"measuring its text takes more than {limits.MAX_MATCHING_STEPS:,} "
                            "steps (its stylesheet's selectors matched with its elements, and "
                            "its transforms)", SIMPLIFY)

    def read(self, css: str) -> None:
        self.css -= len(css)
        if self.css < 0:
            raise _Unmeasurable(f"it holds more than {limits.MAX_SVG_CSS_CHARACTERS:,} "
                                "characters of CSS (in <style>, style and font-size)",
                                SIMPLIFY)

    def declarations(self, style: str) -> list[tuple[bool, object]]:
        """A style attribute's font-size and font declarations, each text read once."""
        if "font" not in style.lower() and "\\" not in style:
            return []  # no font property can be named without these
        if ("style", style) not in self.parsed:
            self.read(style)
            self.parsed["style", style] = _declarations(style)
        return self.parsed["style", style]

    def value(self, attribute: str):
        """A font-size attribute's token (None: not one), each text read once."""
        if ("value", attribute) not in self.parsed:
            self.read(attribute)
            self.parsed["value", attribute] = _single(
                tinycss2.parse_component_value_list(attribute))
        return self.parsed["value", attribute]


def read_drawing(data: bytes) -> Drawing:
    """The drawing's text and shape; why_unmeasured says what kept its text unmeasured."""
    try:
        reading = _read(data)
    except _Unmeasurable as problem:
        return Drawing(None, None, None, None, False, None, problem.why, problem.remedy)
    return _measure(reading)


def _read(data: bytes) -> _Reading:
    """Its elements and stylesheets, with what sizes text; _Unmeasurable if not readable."""
    if len(data) > limits.MAX_ASSET_BYTES:
        raise _Unmeasurable(f"the file is larger than {limits.MAX_ASSET_BYTES:,} bytes",
                            SIMPLIFY)
    if b"<!ENTITY" in data:
        raise _Unmeasurable("it declares an entity (<!ENTITY …>)", EXPORT)
    reading = _Reading()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True  # text in one call, not one per character reference

    def start(tag, attributes):
        namespace, _, local = tag.rpartition(" ")
        if len(reading.nodes) >= limits.MAX_SVG_ELEMENTS:
            raise _Unmeasurable(f"it has more than {limits.MAX_SVG_ELEMENTS:,} elements",
                                SIMPLIFY)
        if not reading.nodes and (local != "svg" or namespace != SVG_NS):
            raise _Unmeasurable("its root element is not an <svg> in the SVG namespace",
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
                reading.problem = _Unmeasurable(
                    f"the {key} attribute of {element} is {len(value):,} characters long; at "
                    f"most {limits.MAX_SVG_ATTRIBUTE_CHARACTERS:,} are read", SIMPLIFY)
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
        raise _Unmeasurable("it declares an entity (<!ENTITY …>)", EXPORT)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise _Unmeasurable(f"its XML is not well-formed ({expat.ErrorString(error.code)})",
                            EXPORT) from None
    return reading


def _measure(reading: _Reading) -> Drawing:
    """The drawing's size, and its smallest text unless something keeps that unmeasured."""
    root = reading.nodes[0].attributes
    width, height = _length(root.get("width")), _length(root.get("height"))
    view = _view_box(root.get("viewBox"))
    if view is not None:
        view_width, aspect = view[0], view[1] / view[0]
    else:
        view_width = width
        aspect = height / width if width and height else None
    if aspect is not None and not (math.isfinite(aspect) and aspect > 0):
        aspect = None
    writes = any(node.has_text for node in reading.nodes)
    budget = _Budget()
    follows, smallest, problem = False, None, reading.problem
    try:
        stylesheet = "\n".join(reading.styles)
        budget.read(stylesheet)
        sheet = tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True)
        follows = _follows_scheme(sheet)
        if problem is not None:
            raise problem
        if view_width is None:
            raise _Unmeasurable(_unscaled(root), GIVE_VIEWBOX)
        if writes:
            rules = _font_rules(sheet, budget)
            smallest = _smallest_text(reading.nodes, rules, budget, view_width)
    except _Unmeasurable as found:
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
    text = " ".join(text.split())
    return '"' + (text if len(text) <= 40 else text[:39] + "…") + '"'


def _smallest_text(nodes: list[_Node], rules: list[_Rule], budget: _Budget,
                   view_width: float) -> float | None:
    """The smallest text any element draws, in user units; None if none draws any."""
    index = _RuleIndex(rules)
    sizes: list[float] = []  # computed font-size of each node, px of its own user space
    scales: list[float] = []  # how much its transforms and its ancestors' shrink it
    smallest = None
    for position, node in enumerate(nodes):
        parent_size = sizes[node.parent] if node.parent is not None else MEDIUM
        parent_scale = scales[node.parent] if node.parent is not None else 1.0
        sizes.append(_font_size(node, position, nodes, index.candidates(node, budget),
                                parent_size, budget))
        scales.append(_transform_scale(node.attributes.get("transform", ""), budget)
                      * parent_scale)
        if node.has_text:
            drawn = _drawn(sizes[-1], scales[-1])
            smallest = drawn if smallest is None else min(smallest, drawn)
    if smallest is not None and not (smallest / view_width > 0
                                     and math.isfinite(view_width / smallest)):
        raise _Unmeasurable(f"its text, {smallest:g} units high in a drawing {view_width:g} "
                            "wide, is too far from the drawing's size to measure", RESIZE)
    return smallest


def _drawn(size: float, scale: float) -> float:
    """How high text of this size is drawn at this scale, when that can be measured."""
    if not math.isfinite(size):
        raise _Unmeasurable("a font-size is too large to measure", RESIZE)
    if size <= 0:
        raise _Unmeasurable("some of its text has a font-size of 0", RESIZE)
    if not math.isfinite(scale):
        raise _Unmeasurable("a transform's numbers are too large to measure", RESIZE)
    if scale <= 0:
        raise _Unmeasurable("a transform shrinks some of its text to nothing (scale(0), or a "
                            "matrix of zeros)", RESIZE)
    drawn = size * scale
    if not (math.isfinite(drawn) and drawn > 0):
        raise _Unmeasurable("its transforms scale its text too far to measure", RESIZE)
    return drawn


def _font_rules(sheet: list, budget: _Budget) -> list[_Rule]:
    """Each selector of a rule that sets font-size or font, @media blocks included."""
    rules: list[_Rule] = []
    blocks = [iter(sheet)]  # the rule lists open, innermost last: nesting costs no recursion
    while blocks:
        rule = next(blocks[-1], None)
        if rule is None:
            blocks.pop()
        elif rule.type == "at-rule" and rule.content is not None:
            blocks.append(iter(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                        skip_whitespace=True)))
        elif rule.type == "qualified-rule":
            declarations = _declarations(rule.content)
            for text in tinycss2.serialize(rule.prelude).split(",") if declarations else []:
                budget.step(SELECTOR_STEPS)
                parsed = _selector(text)
                for important, size in declarations if parsed is not None else []:
                    if len(rules) >= limits.MAX_FONT_RULES:
                        raise _Unmeasurable(
                            f"its stylesheet has more than {limits.MAX_FONT_RULES:,} rules "
                            "that size text", SIMPLIFY)
                    rules.append(_Rule(*parsed, len(rules), important, size))
    return rules


def _follows_scheme(sheet: list) -> bool:
    """Whether a @media (prefers-color-scheme: dark) rule of the stylesheet declares any."""
    blocks = [(iter(sheet), False)]  # each rule list open, and whether it is for dark pages
    while blocks:
        rules, dark = blocks[-1]
        rule = next(rules, None)
        if rule is None:
            blocks.pop()
        elif rule.type == "qualified-rule" and dark and any(
                declaration.type == "declaration" for declaration in
                tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                skip_whitespace=True)):
            return True
        elif rule.type == "at-rule" and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                             skip_whitespace=True)
            blocks.append((iter(inner), dark or (rule.lower_at_keyword == "media"
                                                 and _asks_for_dark(rule.prelude))))
    return False


def _asks_for_dark(prelude: list) -> bool:
    """Whether a media query of the list asks for (prefers-color-scheme: dark)."""
    queries: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            queries.append([])
        elif token.type not in ("whitespace", "comment"):
            queries[-1].append(token)
    # Each query's parts, and the parts of each ( … ) in them, but none after a "not": that
    # asks for every page but a dark one.
    parts = [token for query in queries if not _is_not(query[:1]) for token in query]
    while parts:
        token = parts.pop()
        if token.type != "() block":
            continue
        inner = [part for part in token.content if part.type not in ("whitespace", "comment")]
        if [(part.type, getattr(part, "lower_value", getattr(part, "value", None)))
                for part in inner] == [("ident", "prefers-color-scheme"), ("literal", ":"),
                                       ("ident", "dark")]:
            return True
        if not _is_not(inner[:1]):
            parts.extend(inner)
    return False


def _is_not(tokens: list) -> bool:
    return bool(tokens) and tokens[0].type == "ident" and tokens[0].lower_value == "not"


def _declarations(tokens) -> list[tuple[bool, object]]:
    """(important, value token) of each font-size and font declaration, in order."""
    found = []
    for declaration in tinycss2.parse_declaration_list(tokens, skip_comments=True,
                                                       skip_whitespace=True):
        if declaration.type == "declaration" and declaration.lower_name in ("font-size",
                                                                             "font"):
            value = _size_in_font_shorthand(declaration.value) \
                if declaration.lower_name == "font" else _single(declaration.value)
            if value is not None:
                found.append((declaration.important, value))
    return found


def _single(tokens):
    """The one token of a value, whitespace and comments aside; None if it has more."""
    # Reduced once, when read: a value of a million tokens is not walked at every element.
    tokens = [token for token in tokens if token.type not in ("whitespace", "comment")]
    return tokens[0] if len(tokens) == 1 else None


def _size_in_font_shorthand(tokens):
    """The size in `font: bold 12px/1.2 sans-serif`: the first length or size keyword."""
    for token in tokens:
        if token.type in ("dimension", "percentage") or (
                token.type == "ident" and token.lower_value in KEYWORD_PX):
            return token
    return None


def _selector(text: str):
    """(compounds, left to right, each after its combinator; specificity), or None."""
    # Attribute selectors and pseudo-classes are taken as matching: a rule that might size
    # text is counted rather than missed.
    if len(text) > limits.MAX_SVG_ATTRIBUTE_CHARACTERS:
        raise _Unmeasurable(f"a selector of its stylesheet is {len(text):,} characters long; "
                            f"at most {limits.MAX_SVG_ATTRIBUTE_CHARACTERS:,} are read",
                            SIMPLIFY)
    text = _NAMESPACE.sub("", text.strip())  # svg|text: the namespace is SVG's
    compounds, combinator = [], " "
    ids = classes = types = 0
    for part in re.sub(r"[>+~]", r" \g<0> ", text).split():
        if part in (">", "+", "~"):
            combinator = part
            continue
        match = _COMPOUND.fullmatch(part)
        if not match:
            return None
        tag = match[1] if match[1] not in (None, "*") else None
        simple = _SIMPLE.findall(match[2])
        element_id = next((s[1:] for s in simple if s[0] == "#"), None)
        names = frozenset(s[1:] for s in simple if s[0] == ".")
        ids += sum(s[0] == "#" for s in simple)
        classes += sum(s[0] in ".[" or (s[0] == ":" and not s.startswith("::")) for s in simple)
        types += (tag is not None) + sum(s.startswith("::") for s in simple)
        compounds.append((combinator, (tag, element_id, names)))
        combinator = " "
    if len(compounds) > limits.MAX_COMPOUNDS:
        compounds = [(" ", compounds[-1][1])]
    return (compounds, (ids, classes, types)) if compounds else None


class _RuleIndex:
    """The font rules by what their last compound asks for: an id, a class, a name, or none."""

    def __init__(self, rules: list[_Rule]):
        self.by_id: dict[str, list[_Rule]] = {}
        self.by_class: dict[str, list[_Rule]] = {}
        self.by_name: dict[str, list[_Rule]] = {}
        self.anywhere: list[_Rule] = []
        for rule in rules:
            tag, element_id, names = rule.selector[-1][1]
            if element_id is not None:
                self.by_id.setdefault(element_id, []).append(rule)
            elif names:
                self.by_class.setdefault(min(names), []).append(rule)
            elif tag is not None:
                self.by_name.setdefault(tag, []).append(rule)
            else:
                self.anywhere.append(rule)

    def candidates(self, node: _Node, budget: _Budget) -> list[_Rule]:
        """The rules that may match the node: the others cannot."""
        found = self.anywhere + self.by_name.get(node.name, [])
        element_id = node.attributes.get("id")
        if element_id is not None:
            found += self.by_id.get(element_id, [])
        if not self.by_class:
            return found
        # The fewer of its classes and the stylesheet's, looked up in the other.
        classes = node.classes(budget)
        if len(classes) <= len(self.by_class):
            budget.step(len(classes))
            for name in classes:
                found += self.by_class.get(name, [])
        else:
            budget.step(len(self.by_class))
            for name, rules in self.by_class.items():
                if name in classes:
                    found += rules
        return found


def _matches(selector: list, position: int, at: int, nodes: list[_Node],
             budget: _Budget) -> bool:
    """Whether the selector, up to this compound, matches the node (a sibling taken as met)."""
    while True:
        combinator, (tag, element_id, names) = selector[position]
        budget.steps -= 1 + len(names)  # a selector and a nesting made to cost end here
        if budget.steps < 0:
            budget.spent()
        node = nodes[at]
        if not ((tag is None or tag == node.name)
                and (element_id is None or node.attributes.get("id") == element_id)
                and (not names or names <= node.classes(budget))):
            return False
        if position == 0 or combinator in ("+", "~"):
            return True
        if node.parent is None:
            return False
        if combinator == ">":
            position, at = position - 1, node.parent
            continue
        ancestor = node.parent
        while ancestor is not None:
            if _matches(selector, position - 1, ancestor, nodes, budget):
                return True
            ancestor = nodes[ancestor].parent
        return False


def _font_size(node: _Node, index: int, nodes: list[_Node], rules: list[_Rule],
               parent: float, budget: _Budget) -> float:
    """The node's computed font-size in px, its parent's if nothing declares one."""
    # In the cascade's order: the presentation attribute, then the stylesheet's rules, the
    # style attribute, !important rules, !important in the style attribute.
    candidates = []  # (precedence, value token)
    attribute = node.attributes.get("font-size")
    if attribute:
        candidates.append(((0, (0, 0, 0), 0), budget.value(attribute)))
    for rule in rules:
        if _matches(rule.selector, len(rule.selector) - 1, index, nodes, budget):
            candidates.append(((3 if rule.important else 1, rule.specificity, rule.order),
                               rule.size))
    style = node.attributes.get("style", "")
    for order, (important, value) in enumerate(budget.declarations(style)):
        candidates.append(((4 if important else 2, (0, 0, 0), order), value))
    for _, value in sorted(candidates, key=lambda candidate: candidate[0], reverse=True):
        size = _size_value(value, parent)
        if size is not None:
            return size
    return parent


def _size_value(token, parent: float) -> float | None:
    """A font-size value in px, relative units against the parent's; None if not valid."""
    size = None
    if token is None:
        pass
    elif token.type == "dimension":
        unit = token.lower_unit
        relative = {"em": parent, "ex": parent / 2, "ch": parent / 2, "rem": MEDIUM}
        if unit in CSS_PX:
            size = token.value * CSS_PX[unit]
        elif unit in relative:
            size = token.value * relative[unit]
    elif token.type == "percentage":
        size = token.value * parent / 100
    elif token.type == "number":  # a presentation attribute's user units
        size = token.value
    elif token.type == "ident":
        keyword = token.lower_value
        size = KEYWORD_PX.get(keyword, {"smaller": parent / 1.2, "larger": parent * 1.2,
                                        "inherit": parent, "initial": MEDIUM,
                                        "unset": parent}.get(keyword))
    # A negative size is invalid, and the cascade goes on; one too large is kept, and
    # makes the drawing unmeasurable if its text has it.
    return None if size is None or size < 0 else float(size)


def _transform_scale(transform: str, budget: _Budget) -> float:
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
