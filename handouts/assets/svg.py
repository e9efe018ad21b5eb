"""An SVG read element by element: what could run code, reach outside it, or never end."""

from __future__ import annotations

import re
from xml.parsers import expat

from .. import limits
from .problems import Problem, safe_text
from .svg_drawing import Drawing, Stop
from .svg_expansion import check_expansion
from .svg_style import check_css

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_IMAGE_DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)", re.IGNORECASE)
_ANIMATIONS = frozenset({"set", "animate", "animatetransform", "animatemotion", "animatecolor"})


class EntityDeclared(Exception):
    """The drawing declares an entity, which can expand a small file into gigabytes."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line  # where the parser met the declaration


def svg_parser() -> expat.XMLParserType:
    """An expat parser for an author's SVG: names as 'namespace local', no external entities,
    and EntityDeclared raised at the first entity declared, before any can expand."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise EntityDeclared(parser.CurrentLineNumber)

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    return parser


def vet_svg(name: str, data: bytes) -> list[Problem]:
    """Why the drawing ``name``, holding ``data``, may not be published; [] when it may."""
    drawing = Drawing(name)
    parser = svg_parser()
    parser.namespace_prefixes = True
    subsets: list[int] = []  # the line of the <!DOCTYPE> with an internal subset

    def doctype(_name: str, _system_id: str | None, _public_id: str | None,
                has_internal_subset: bool) -> None:
        if has_internal_subset:
            subsets.append(parser.CurrentLineNumber)

    def doctype_end() -> None:
        # Read to its end first: an entity declared in it is the better reason to give.
        if subsets:
            drawing.problem(subsets[0], "the <!DOCTYPE> declaration has an internal subset "
                            "([ … ]), where entities that expand without end can hide: "
                            "remove the declaration")
            raise Stop

    def instruction(target: str, _data: str) -> None:
        if target.lower() == "xml-stylesheet":
            drawing.problem(parser.CurrentLineNumber, "the <?xml-stylesheet …?> instruction "
                            "loads a stylesheet from outside the drawing: remove it")

    def start(tag: str, attributes: dict[str, str]) -> None:
        _start(drawing, parser.CurrentLineNumber, tag, attributes)

    def end(_tag: str) -> None:
        drawing.open.pop()
        if drawing.style is not None and len(drawing.open) < drawing.style_depth:
            check_css(drawing, drawing.style_line, "the <style> element",
                      "".join(drawing.style), stylesheet=True)
            drawing.style = None

    def text(content: str) -> None:
        if drawing.style is not None:
            drawing.style.append(content)

    parser.StartDoctypeDeclHandler = doctype
    parser.EndDoctypeDeclHandler = doctype_end
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except Stop:
        return drawing.report()
    except EntityDeclared as declared:
        drawing.problem(declared.line, "the drawing declares an entity (<!ENTITY …>), which "
                        "can expand a small file into gigabytes: remove the <!DOCTYPE …> "
                        "declaration and its entities")
        return drawing.report()
    except expat.ExpatError as error:
        drawing.problem(error.lineno, f"{name} is not an SVG drawing: its XML is not "
                        f"well-formed ({expat.ErrorString(error.code)}); export it again")
        return drawing.report()
    check_expansion(drawing)
    return drawing.report()


def _start(drawing: Drawing, line: int, tag: str, attributes: dict[str, str]) -> None:
    namespace, local, shown = _split(tag)
    index = drawing.count
    drawing.count += 1
    if index == 0 and (local != "svg" or namespace != SVG_NS):
        if local == "svg":
            drawing.problem(line, f"{drawing.name} is not an SVG drawing: its root element "
                            f"<svg> lacks xmlns=\"{SVG_NS}\"; add it")
        else:
            drawing.problem(line, f"{drawing.name} is not an SVG drawing: its root element "
                            f"is <{shown}>, not <svg>; remove it")
        raise Stop
    element = f"the <{shown}> element"
    lowered = local.lower()
    if lowered == "script":
        drawing.problem(line, f"{element} holds a script, and scripts are not published: "
                              "remove it")
    elif lowered == "foreignobject":
        drawing.problem(line, f"{element} can embed HTML in the drawing: remove it")
    elif namespace == XHTML_NS:
        drawing.problem(line, f"{element} is an HTML element inside the drawing: remove it")
    refs: list[str] = []
    for key, value in attributes.items():
        attr_namespace, attr_local, attr_shown = _split(key)
        attr_lowered = attr_local.lower()
        if attr_lowered.startswith("on"):
            drawing.problem(line, f"{element} has an event handler, {attr_shown}=\"…\", and "
                                  f"scripts are not published: remove the {attr_shown} "
                                  "attribute")
        elif attr_lowered == "href":
            _check_href(drawing, line, element, lowered, attr_shown, value)
            target = value.strip()
            if lowered == "use" and target.startswith("#"):
                refs.append(target[1:])
        elif attr_namespace == XML_NS and attr_lowered == "base":
            drawing.problem(line, f"{element} has {attr_shown}, which changes where the "
                                  f"drawing's references point: remove the {attr_shown} "
                                  "attribute")
        elif attr_lowered == "style":
            check_css(drawing, line, f"the style attribute of <{shown}>", value,
                      stylesheet=True)
        else:
            check_css(drawing, line, f"the {attr_shown} attribute of <{shown}>", value,
                      stylesheet=False)
        if attr_lowered == "id" and attr_namespace in ("", XML_NS):
            drawing.ids.setdefault(value, []).append(index)
        # A pattern, marker, mask, clip path or filter is drawn again wherever it is named:
        # counted like a <use> of it.
        refs += _LOCAL_URL.findall(value)
    if lowered in _ANIMATIONS:
        target = attributes.get("attributeName", "").strip()
        target_local = target.rpartition(":")[2].lower()
        if target_local == "href" or target_local.startswith("on"):
            drawing.problem(line, f"{element} changes {safe_text(target)} as it animates, "
                                  "which could point the drawing anywhere or run a script: "
                                  "remove it")
    if lowered == "style" and drawing.style is None:
        drawing.style = []
        drawing.style_line = line
        drawing.style_depth = len(drawing.open) + 1
    if drawing.count > limits.MAX_SVG_ELEMENTS:  # refused whatever follows: read no further
        drawing.problem(drawing.lines[0], f"the drawing has more than "
                        f"{limits.MAX_SVG_ELEMENTS:,} elements, the most one may have: "
                        "simplify it")
        raise Stop
    drawing.lines.append(line)
    drawing.children.append([])
    drawing.refs.append(refs)
    if drawing.open:
        drawing.children[drawing.open[-1]].append(index)
    drawing.open.append(index)


def _check_href(drawing: Drawing, line: int, element: str, local: str, attribute: str,
                value: str) -> None:
    target = value.strip()
    if target.startswith("#"):
        return
    if local in ("image", "feimage"):
        if _IMAGE_DATA_URI.match(target):
            return
        allowed = ("its own elements (\"#id\") and images embedded as data:image/png, "
                   "jpeg, gif or webp")
    else:
        allowed = "its own elements (\"#id\")"
    drawing.problem(line, f"{element} has {attribute}=\"{safe_text(target, 60)}\", which "
                          f"points outside the drawing: only references to {allowed} are "
                          "published; remove it")


def _split(name: str) -> tuple[str, str, str]:
    """expat's 'namespace local prefix' as (namespace, local name, name as written)."""
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], safe_text(parts[0])
    if len(parts) == 2:
        return parts[0], parts[1], safe_text(parts[1])
    return parts[0], parts[1], safe_text(f"{parts[2]}:{parts[1]}")
