"""CSS in an SVG (<style>, style=, presentation attributes): what would load from outside."""

from __future__ import annotations

import re

from .problems import safe_text
from .svg_drawing import MAX_PROBLEMS, Drawing

_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(\r\n|.)", re.DOTALL)
# In CSS, once escapes are decoded and case folded: what loads a file from elsewhere.
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?=(.{0,60}))", re.DOTALL)
_CSS_LOADERS = re.compile(r"(?<![a-z0-9_-])(-webkit-image-set|image-set|image|src)\(")


def check_css(drawing: Drawing, line: int, where: str, css: str, stylesheet: bool) -> None:
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
            argument = safe_text(match[1].partition(")")[0].rstrip(" '\""), 40)
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
