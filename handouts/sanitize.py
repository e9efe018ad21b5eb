"""Allow-list sanitiser for the HTML that Markdown (and raw HTML in it) produces."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

# Elements an author may produce, through Markdown or raw HTML.
ALLOWED_TAGS = frozenset("""
    a abbr aside b bdi bdo blockquote br caption cite code col colgroup dd del details
    dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre
    q s samp section small span strong sub summary sup table tbody td tfoot th thead time
    tr u ul var wbr
""".split())
# Elements removed together with everything inside them.
DROPPED_TAGS = frozenset("""
    script style iframe frame frameset object embed applet template noscript form input
    button select textarea option link meta base svg math canvas audio video source track
    portal dialog head title
""".split())
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "title", "dir"})
TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite"}, "ins": {"cite"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Python-Markdown's tables write alignment as this inline style; nothing else is kept.
TABLE_ALIGN_STYLE = re.compile(r"^text-align: (left|right|center);?$")
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")

Report = Callable[[str, str], None]  # (message, snippet to locate in the source)


def url_is_safe(url: str) -> bool:
    """http(s), mailto, tel, or a relative URL; never javascript:, data:, file: …"""
    # Browsers ignore control characters and whitespace inside a scheme.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = SCHEME.match(cleaned)
    return match is None or match[1].lower() in SAFE_SCHEMES


def sanitize(root: Element, report: Report) -> None:
    """Remove, in place, every element and attribute not on the allow-list."""
    for parent in list(root.iter()):
        index = 0
        while index < len(parent):
            child = parent[index]
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ALLOWED_TAGS:
                _clean_attributes(child, report)
                index += 1
            elif tag in DROPPED_TAGS or not tag:
                if tag:
                    report(f"removed a <{tag}> element: raw HTML may not contain <{tag}>",
                           f"<{tag}")
                _remove_keeping_tail(parent, index)
            else:
                report(f"removed the unknown tag <{tag}>, kept its text", f"<{tag}")
                _unwrap(parent, index)


def _clean_attributes(element: Element, report: Report) -> None:
    allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(element.tag, set())
    for name in list(element.attrib):
        value = element.attrib[name]
        if (name == "style" and element.tag in ("td", "th")
                and TABLE_ALIGN_STYLE.match(value)):
            continue
        if name not in allowed:
            del element.attrib[name]
            if name.startswith("on") or name == "style":
                report(f"removed the attribute {name}= from <{element.tag}>: "
                       "raw HTML may not carry scripts or inline styles", f"{name}=")
        elif name in URL_ATTRIBUTES and not url_is_safe(value):
            del element.attrib[name]
            report(f"removed the unsafe URL {value!r} from <{element.tag}>: "
                   "only http:, https:, mailto: and relative links are allowed", value)


def _remove_keeping_tail(parent: Element, index: int) -> None:
    child = parent[index]
    if child.tail:
        _append_text(parent, index, child.tail)
    del parent[index]


def _unwrap(parent: Element, index: int) -> None:
    child = parent[index]
    if child.text:
        _append_text(parent, index, child.text)
    children = list(child)
    if children:
        children[-1].tail = (children[-1].tail or "") + (child.tail or "")
    elif child.tail:
        _append_text(parent, index, child.tail)
    del parent[index]
    for offset, grandchild in enumerate(children):
        parent.insert(index + offset, grandchild)


def _append_text(parent: Element, index: int, text: str) -> None:
    """Append text just before parent[index]."""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
