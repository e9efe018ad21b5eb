"""What may be published from content/assets/: each file vetted before it is copied to dist/.

A shared repository is hostile ground, and dist/assets/ is served from the handouts' own
origin: an HTML page, a script or an SVG with a script in it would run there as if Handouts
had written it. So only the kinds a handout uses are published (images, PDFs, fonts), each
file's content must be what its suffix says, and an SVG, which is a document rather than a
picture, is read element by element.

An SVG that could run code, reach outside itself or expand without end is refused, not
cleaned: rewriting an author's drawing silently would change it, so each message says what
to remove. Refused in an SVG:

- a DOCTYPE with an internal subset, and any entity (``<!ENTITY``): billion laughs;
- ``<script>``, ``on…`` event-handler attributes, ``<foreignObject>``, HTML elements;
- ``href``/``xlink:href`` other than ``#id`` (or, for an image, an embedded
  ``data:image/png|jpeg|gif|webp``): ``http:``, ``file:``, ``javascript:``, other files;
- CSS (``<style>``, ``style=``, presentation attributes) loading anything but ``url(#id)``,
  ``@import``, ``javascript:``; an ``<?xml-stylesheet?>`` instruction; ``xml:base``;
- ``<set>``/``<animate…>`` changing ``href`` or an event handler;
- a ``<use>`` cycle, and more than MAX_SVG_ELEMENTS elements once every ``<use>`` is
  expanded (a 1.6 kB drawing fanning out 10 ways per level, 6 levels deep, costs
  WeasyPrint minutes and gigabytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from . import limits

Problem = tuple[int | None, str]

# Suffix -> (what the file must be, the magic its content may start with).
_SFNT = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("PNG image", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG image", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG image", (b"\xff\xd8\xff",)),
    ".gif": ("GIF image", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP image", ()),  # RIFF....WEBP: see _matches
    ".pdf": ("PDF document", (b"%PDF-",)),
    ".ttf": ("TrueType or OpenType font", _SFNT),
    ".otf": ("TrueType or OpenType font", _SFNT),
    ".woff": ("WOFF font", (b"wOFF",)),
    ".woff2": ("WOFF2 font", (b"wOF2",)),
    ".svg": ("SVG drawing", ()),  # XML whose root is <svg>: see _vet_svg
}
ALLOWED_SUFFIXES = frozenset(_KINDS)

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Problems listed for one drawing; a hostile one could otherwise hold a million.
MAX_PROBLEMS = 20
# The expanded count stops here, so a drawing's numbers stay small however it nests.
_COUNT_CAP = 10 ** 12

_IMAGE_DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(\r\n|.)", re.DOTALL)
# In CSS, once escapes are decoded and case folded: what loads a file from elsewhere.
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?=(.{0,60}))", re.DOTALL)
_CSS_LOADERS = re.compile(r"(?<![a-z0-9_-])(-webkit-image-set|image-set|image|src)\(")
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)", re.IGNORECASE)
_ANIMATIONS = frozenset({"set", "animate", "animatetransform", "animatemotion", "animatecolor"})


def vet_asset(path: Path, data: bytes) -> list[Problem]:
    """Why the asset at ``path``, holding ``data``, may not be published; [] when it may."""
    name = _shown(path.name)
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        what = f"a {_shown(path.suffix)} file" if path.suffix else "a file without a suffix"
        return [(None, f"content/assets/ holds only images, PDFs and fonts: {name} is "
                       f"{what}, which is not published; remove it")]
    if len(data) > limits.MAX_ASSET_BYTES:
        return [(None, f"{name} is {_size(len(data))}, more than the "
                       f"{_size(limits.MAX_ASSET_BYTES)} an asset may have: make it "
                       "smaller, or remove it")]
    if suffix == ".svg":
        return _vet_svg(name, data)
    kind = _KINDS[suffix][0]
    if _matches(suffix, data):
        size = _pixels(suffix, data)
        if size is None and suffix in _RASTER:
            return [(None, f"{name}'s size cannot be read from its header: save it again as "
                           f"a {kind}")]
        if size is not None and size[0] * size[1] > limits.MAX_IMAGE_PIXELS:
            return [(None, f"{name} is {size[0]:,} × {size[1]:,} pixels, more than the "
                           f"{limits.MAX_IMAGE_PIXELS:,} an image may have (decoding it would "
                           "take gigabytes): scale it down")]
        return []
    for other, (other_kind, _) in _KINDS.items():
        if other_kind != kind and other != ".svg" and _matches(other, data):
            return [(None, f"{name} is not a {kind}: it holds a {other_kind}; rename it "
                           f"{_shown(path.stem)}{other}")]
    return [(None, f"{name} is not a {kind}: its content does not begin as a {suffix} "
                   f"file's does; replace it with a real {kind}, or remove it")]


def _matches(suffix: str, data: bytes) -> bool:
    if suffix == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data.startswith(_KINDS[suffix][1])


_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def _pixels(suffix: str, data: bytes) -> tuple[int, int] | None:
    """A raster image's width and height as its header says (what a decoder would allocate),
    or None where the header does not say."""
    if suffix == ".png":  # the header chunk must come first, as the format says
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if suffix == ".gif":
        return _gif_pixels(data)
    if suffix in (".jpg", ".jpeg"):
        return _jpeg_pixels(data)
    if suffix == ".webp" and len(data) >= 25:
        chunk = data[12:16] if len(data) >= 30 or data[12:16] == b"VP8L" else b""
        if chunk == b"VP8X":
            return (int.from_bytes(data[24:27], "little") + 1,
                    int.from_bytes(data[27:30], "little") + 1)
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            return (int.from_bytes(data[26:28], "little") & 0x3FFF,
                    int.from_bytes(data[28:30], "little") & 0x3FFF)
    return None


def _gif_pixels(data: bytes) -> tuple[int, int] | None:
    """A GIF's canvas grown to hold its largest frame: a decoder allocates each frame's own
    size, which a 1 × 1 canvas does not limit."""
    if len(data) < 13:
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)  # the colour table
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # the end
            break
        if block == 0x2C and at + 10 <= len(data):  # a frame: its place and size
            left, top, frame_width, frame_height = (
                int.from_bytes(data[at + offset:at + offset + 2], "little")
                for offset in (1, 3, 5, 7))
            width, height = max(width, left + frame_width), max(height, top + frame_height)
            flags = data[at + 9]
            at += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1  # + LZW code size
        elif block == 0x21:  # an extension: its label, then its data
            at += 2
        else:
            return None  # not a GIF block: the size cannot be known
        while at < len(data) and data[at]:  # data sub-blocks, each led by its length
            at += data[at] + 1
        at += 1
    return width, height


def _jpeg_pixels(data: bytes) -> tuple[int, int] | None:
    """The size in a JPEG's first start-of-frame marker, found by walking its segments."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:  # junk between segments: decoders skip to the next marker
            at = data.find(b"\xff", at)
            if at < 0:
                return None
            continue
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return (int.from_bytes(data[at + 7:at + 9], "big"),
                    int.from_bytes(data[at + 5:at + 7], "big"))
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None


# -- SVG ---------------------------------------------------------------------------------

class _Stop(Exception):
    """Reading the drawing any further is pointless or dangerous."""


@dataclass
class _Drawing:
    """What the parse of one SVG keeps: its problems, and its shape (no more than
    MAX_SVG_ELEMENTS elements: the parse stops at one more)."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    count: int = 0  # elements met so far
    lines: list[int] = field(default_factory=list)  # per element, in document order
    children: list[list[int]] = field(default_factory=list)
    refs: list[list[str]] = field(default_factory=list)  # a <use>'s #ids
    ids: dict[str, list[int]] = field(default_factory=dict)
    open: list[int] = field(default_factory=list)  # elements not yet closed
    style: list[str] | None = None  # text of the <style> element being read
    style_line: int = 0
    style_depth: int = 0  # len(open) while that <style> is the innermost element open
    unlisted: int = 0  # problems beyond the first MAX_PROBLEMS, counted only

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))
        else:
            self.unlisted += 1

    def report(self) -> list[Problem]:
        if not self.unlisted:
            return self.problems
        return self.problems + [(None, f"{self.unlisted:,} more problems in the drawing are "
                                       "not listed: fix the ones above first")]


def svg_parser():
    """An expat parser for an author's SVG: names as 'namespace local', no external entities."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _vet_svg(name: str, data: bytes) -> list[Problem]:
    drawing = _Drawing(name)
    entity = data.find(b"<!ENTITY")
    if entity >= 0:
        return [(data.count(b"\n", 0, entity) + 1, _ENTITY_MESSAGE)]
    parser = svg_parser()
    parser.namespace_prefixes = True

    def doctype(_name, _system_id, _public_id, has_internal_subset):
        if has_internal_subset:
            drawing.problem(parser.CurrentLineNumber, "the <!DOCTYPE> declaration has an "
                            "internal subset ([ … ]), where entities that expand without "
                            "end can hide: remove the declaration")
            raise _Stop

    def entity_declared(*_args):
        drawing.problem(parser.CurrentLineNumber, _ENTITY_MESSAGE)
        raise _Stop

    def instruction(target, _data):
        if target.lower() == "xml-stylesheet":
            drawing.problem(parser.CurrentLineNumber, "the <?xml-stylesheet …?> instruction "
                            "loads a stylesheet from outside the drawing: remove it")

    def start(tag, attributes):
        _start(drawing, parser.CurrentLineNumber, tag, attributes)

    def end(_tag):
        drawing.open.pop()
        if drawing.style is not None and len(drawing.open) < drawing.style_depth:
            _check_css(drawing, drawing.style_line, "the <style> element",
                       "".join(drawing.style), stylesheet=True)
            drawing.style = None

    def text(content):
        if drawing.style is not None:
            drawing.style.append(content)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity_declared
    parser.UnparsedEntityDeclHandler = entity_declared
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Stop:
        return drawing.report()
    except expat.ExpatError as error:
        drawing.problem(error.lineno, f"{name} is not an SVG drawing: its XML is not "
                        f"well-formed ({expat.ErrorString(error.code)}); export it again")
        return drawing.report()
    _check_expansion(drawing)
    return drawing.report()


_ENTITY_MESSAGE = ("the drawing declares an entity (<!ENTITY …>), which can expand a small "
                   "file into gigabytes: remove the <!DOCTYPE …> declaration and its entities")


def _start(drawing: _Drawing, line: int, tag: str, attributes: dict[str, str]) -> None:
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
        raise _Stop
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
            _check_css(drawing, line, f"the style attribute of <{shown}>", value,
                       stylesheet=True)
        else:
            _check_css(drawing, line, f"the {attr_shown} attribute of <{shown}>", value,
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
            drawing.problem(line, f"{element} changes {_shown(target)} as it animates, "
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
        raise _Stop
    drawing.lines.append(line)
    drawing.children.append([])
    drawing.refs.append(refs)
    if drawing.open:
        drawing.children[drawing.open[-1]].append(index)
    drawing.open.append(index)


def _check_href(drawing: _Drawing, line: int, element: str, local: str, attribute: str,
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
    drawing.problem(line, f"{element} has {attribute}=\"{_shown(target, 60)}\", which "
                          f"points outside the drawing: only references to {allowed} are "
                          "published; remove it")


def _check_css(drawing: _Drawing, line: int, where: str, css: str, stylesheet: bool) -> None:
    """url() other than url(#id) anywhere; in a stylesheet also @import and javascript:."""
    if "\\" in css:
        css = _CSS_ESCAPE.sub(_unescape, css)
    css = css.lower()
    for match in _CSS_URL.finditer(css):
        if match[1].startswith("#"):
            continue
        if len(drawing.problems) >= MAX_PROBLEMS:  # a hostile stylesheet: count, quickly
            drawing.unlisted += 1
        else:
            argument = _shown(match[1].partition(")")[0].rstrip(" '\""), 40)
            drawing.problem(line, f"{where} loads url({argument}), outside the drawing: only "
                                  "url(#id) references to its own elements are allowed; "
                                  "remove it")
    if not stylesheet:
        return
    for match in _CSS_LOADERS.finditer(css):
        drawing.problem(line, f"{where} uses {match[1]}(), which loads a file from outside "
                              "the drawing: remove it")
    if "@import" in css:
        drawing.problem(line, f"{where} has an @import rule, which loads a stylesheet from "
                              "outside the drawing: remove it")
    if "javascript:" in css:
        drawing.problem(line, f"{where} has a javascript: URL, and scripts are not "
                              "published: remove it")


def _unescape(match: re.Match) -> str:
    if match[1] is not None:
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if match[2] in ("\n", "\r\n", "\r", "\f") else match[2]


def _check_expansion(drawing: _Drawing) -> None:
    """Refuse a <use> cycle, and more elements than MAX_SVG_ELEMENTS once <use> expands."""
    limit = limits.MAX_SVG_ELEMENTS
    if not drawing.children:
        return
    # size[i]: the elements element i renders, its subtree with every <use> in it expanded.
    # A depth-first walk over children and <use> targets, each element done once: linear.
    size: list[int | None] = [None] * len(drawing.children)
    on_path = [False] * len(drawing.children)
    total = [0] * len(drawing.children)

    def edges(index: int):
        for child in drawing.children[index]:
            yield child, None
        for ref in drawing.refs[index]:
            for target in drawing.ids.get(ref, ()):
                yield target, ref

    on_path[0] = True
    total[0] = 1
    # Each frame: an element, its edges still to follow, and the <use> and #id it was
    # reached through (None when reached as a child).
    stack: list[tuple[int, Iterator, int | None, str | None]] = [(0, edges(0), None, None)]
    while stack:
        index, pending, _, _ = stack[-1]
        for target, ref in pending:
            if size[target] is not None:
                total[index] = min(total[index] + size[target], _COUNT_CAP)
            elif on_path[target]:
                # A cycle: target, the frames above it, back to target. Name a <use> in it.
                use = index
                if ref is None:
                    for _, _, via, via_ref in reversed(stack):
                        if via is not None:
                            use, ref = via, via_ref
                            break
                drawing.problem(drawing.lines[use], f"an element refers to "
                                f"#{_shown(ref or '', 40)}, which contains it or leads back "
                                "to it: the drawing would never end; remove the reference")
                return
            else:
                on_path[target] = True
                total[target] = 1
                stack.append((target, edges(target), index if ref is not None else None, ref))
                break
        else:
            stack.pop()
            on_path[index] = False
            size[index] = total[index]
            if stack:
                parent = stack[-1][0]
                total[parent] = min(total[parent] + total[index], _COUNT_CAP)
    expanded = size[0] or 0
    if expanded > limit:
        shown = f"more than {_COUNT_CAP:,}" if expanded >= _COUNT_CAP else f"{expanded:,}"
        drawing.problem(drawing.lines[0], f"the drawing expands to {shown} elements once its "
                        f"<use> and url(#…) references are followed (at most {limit:,}): "
                        "simplify it")


def _split(name: str) -> tuple[str, str, str]:
    """expat's 'namespace local prefix' as (namespace, local name, name as written)."""
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], _shown(parts[0])
    if len(parts) == 2:
        return parts[0], parts[1], _shown(parts[1])
    return parts[0], parts[1], _shown(f"{parts[2]}:{parts[1]}")


def _shown(text: str, most: int = 80) -> str:
    """Text from a hostile file, safe to print: no control or invisible characters, short."""
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:most])
    return shown + "…" if len(text) > most else shown


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"
