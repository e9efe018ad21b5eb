"""The font rules of an SVG drawing's stylesheets, and the font-size each element computes."""

# assets/svg_text.py reads the drawing; this reads what sizes its text in CSS: font-size and font in
# <style> rules (in @media blocks too), style attributes and font-size attributes, in the
# cascade's order. Selectors are matched with the drawing's elements within a budget of
# steps, shared with assets/svg_text.py's transforms, so a stylesheet made to cost cannot stall the
# build: past it, or past the limits of limits.py, Unmeasurable says why in words. Every
# pattern here reads in time linear in its text: it runs in the build's own process, on
# whatever an author wrote.

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tinycss2

from .. import limits

MEDIUM = 16.0  # px: the size text has when nothing says otherwise
CSS_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
          "mm": 96 / 25.4, "q": 96 / 101.6}
KEYWORD_PX = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
              "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
# A namespace prefix (svg|text), tried only where a name starts.
_NAMESPACE = re.compile(r"(?<![\w*-])[\w*-]*\|(?!=)")
_SIMPLE = re.compile(r"[#.][\w-]+|\[[^\]]*\]|::?[\w-]+(?:\([^)]*\))?")
_COMPOUND = re.compile(r"(\*|[A-Za-z_][\w-]*)?((?:" + _SIMPLE.pattern + r")*)")

# Steps of limits.MAX_MATCHING_STEPS that a selector read costs: as much time as some ten
# compound selectors compared (measured).
SELECTOR_STEPS = 10

# What the author can do about a drawing past the limits (Unmeasurable's remedy).
SIMPLIFY = ("Simplify the drawing (docs/safety.md, \"Bounded cost\", lists how much of an SVG "
            "large print reads)")


class Unmeasurable(Exception):
    """What keeps a drawing's text from being measured: why, in words, and what to do."""

    def __init__(self, why: str, remedy: str):
        super().__init__(why)
        self.why, self.remedy = why, remedy


@dataclass
class Element:
    """An element of the drawing: what selectors match in it, and whether it draws text."""

    parent: int | None
    name: str
    attributes: dict[str, str]
    ancestors_text: bool  # inside a <text>: character data here is drawn
    has_text: bool = False
    class_names: frozenset[str] | None = None  # its class attribute, split once: classes()

    def classes(self, budget: Budget) -> frozenset[str]:
        """Its class names, split when first asked for (and paid for once, by the name)."""
        if self.class_names is None:
            self.class_names = frozenset(self.attributes.get("class", "").split())
            budget.step(len(self.class_names))
        return self.class_names


# A selector's compound after its combinator: (combinator, (type, id, classes)).
Compound = tuple[str, tuple[str | None, str | None, frozenset[str]]]


@dataclass
class FontRule:
    """One selector of a rule that sets font-size or font, with that value."""

    selector: list[Compound]
    specificity: tuple[int, int, int]
    order: int
    important: bool
    size: object  # the tinycss2 token of the font-size (or font) value


@dataclass
class Budget:
    """What measuring one drawing may still spend: steps (matching, transforms), CSS read."""

    steps: int = field(default_factory=lambda: limits.MAX_MATCHING_STEPS)
    css: int = field(default_factory=lambda: limits.MAX_SVG_CSS_CHARACTERS)
    # CSS read already: each style attribute's declarations, each font-size's token
    styles_read: dict[str, list[tuple[bool, object]]] = field(default_factory=dict)
    values_read: dict[str, object] = field(default_factory=dict)

    def step(self, count: int = 1) -> None:
        """Spend steps; Unmeasurable once more are spent than there were."""
        self.steps -= count
        if self.steps < 0:
            self.spent()

    @staticmethod
    def spent():
        """Unmeasurable: the steps are spent."""
        raise Unmeasurable(f"measuring its text takes more than {limits.MAX_MATCHING_STEPS:,} "
                           "steps (its stylesheet's selectors matched with its elements, and "
                           "its transforms)", SIMPLIFY)

    def read(self, css: str) -> None:
        """Pay for CSS text read; Unmeasurable past the characters allowed."""
        self.css -= len(css)
        if self.css < 0:
            raise Unmeasurable(f"it holds more than {limits.MAX_SVG_CSS_CHARACTERS:,} "
                               "characters of CSS (in <style>, style and font-size)",
                               SIMPLIFY)

    def declarations(self, style: str) -> list[tuple[bool, object]]:
        """A style attribute's font-size and font declarations, each text read once."""
        if "font" not in style.lower() and "\\" not in style:
            return []  # no font property can be named without these
        if style not in self.styles_read:
            self.read(style)
            self.styles_read[style] = _declarations(style)
        return self.styles_read[style]

    def value(self, attribute: str) -> object:
        """A font-size attribute's token (None: not one), each text read once."""
        if attribute not in self.values_read:
            self.read(attribute)
            self.values_read[attribute] = _single(
                tinycss2.parse_component_value_list(attribute))
        return self.values_read[attribute]


def read_stylesheet(text: str, budget: Budget) -> list:
    """The rules of the drawing's <style> text, its characters paid for from the budget."""
    budget.read(text)
    return tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)


def font_rules(sheet: list, budget: Budget) -> list[FontRule]:
    """Each selector of a rule that sets font-size or font, @media blocks included."""
    rules: list[FontRule] = []
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
                if parsed is None:
                    continue
                for important, size in declarations:
                    if len(rules) >= limits.MAX_FONT_RULES:
                        raise Unmeasurable(
                            f"its stylesheet has more than {limits.MAX_FONT_RULES:,} rules "
                            "that size text", SIMPLIFY)
                    rules.append(FontRule(*parsed, len(rules), important, size))
    return rules


def follows_scheme(sheet: list) -> bool:
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
    """Whether the tokens start with "not"."""
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


def _selector(text: str) -> tuple[list[Compound], tuple[int, int, int]] | None:
    """(compounds, left to right, each after its combinator; specificity), or None."""
    # Attribute selectors and pseudo-classes are taken as matching: a rule that might size
    # text is counted rather than missed.
    if len(text) > limits.MAX_SVG_ATTRIBUTE_CHARACTERS:
        raise Unmeasurable(f"a selector of its stylesheet is {len(text):,} characters long; "
                           f"at most {limits.MAX_SVG_ATTRIBUTE_CHARACTERS:,} are read",
                           SIMPLIFY)
    text = _NAMESPACE.sub("", text.strip())  # svg|text: the namespace is SVG's
    compounds: list[Compound] = []
    combinator = " "
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


class RuleIndex:
    """The font rules by what their last compound asks for: an id, a class, a name, or none."""

    def __init__(self, rules: list[FontRule]):
        self.by_id: dict[str, list[FontRule]] = {}
        self.by_class: dict[str, list[FontRule]] = {}
        self.by_name: dict[str, list[FontRule]] = {}
        self.anywhere: list[FontRule] = []
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

    def candidates(self, node: Element, budget: Budget) -> list[FontRule]:
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


def _matches(selector: list, position: int, at: int, nodes: list[Element],
             budget: Budget) -> bool:
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
        ancestor: int | None = node.parent
        while ancestor is not None:
            if _matches(selector, position - 1, ancestor, nodes, budget):
                return True
            ancestor = nodes[ancestor].parent
        return False


def font_size(node: Element, index: int, nodes: list[Element], rules: list[FontRule],
              parent: float, budget: Budget) -> float:
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
