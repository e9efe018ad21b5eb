"""Allow-list sanitiser for the HTML that Markdown (and raw HTML in it) produces."""

from __future__ import annotations

import re
from typing import Protocol
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from ..limits import MAX_TABLE_SPAN

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

# Dropped elements that would take author text with them, as an unclosed <noscript> does.
TEXT_HOLDING_TAGS = frozenset({"noscript", "template", "form", "select", "textarea", "button",
                               "dialog", "audio", "video", "canvas", "object", "applet",
                               "portal", "iframe", "frameset"})


class Report(Protocol):
    """Tells the author what was removed: report(message, snippet to locate in the source)."""

    def __call__(self, message: str, snippet: str) -> None: ...

    def error(self, message: str, snippet: str) -> None: ...


def url_is_safe(url: str) -> bool:
    """http(s), mailto, tel, or a relative URL; never javascript:, data:, file: …"""
    # Browsers ignore control characters and whitespace inside a scheme.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = SCHEME.match(cleaned)
    return match is None or match[1].lower() in SAFE_SCHEMES


def sanitize(root: Element, report: Report) -> None:
    """Remove, in place, every element and attribute not on the allow-list."""
    index = 0
    while index < len(root):
        child = root[index]
        tag = _local_name(child.tag)
        if tag in ALLOWED_TAGS and child.tag == tag:
            _clean_attributes(child, report)
            sanitize(child, report)
            index += 1
        elif tag in DROPPED_TAGS or not tag:
            if tag:
                report(f"removed a <{tag}> element: raw HTML may not contain <{tag}>",
                       f"<{tag}")
                if tag in TEXT_HOLDING_TAGS and "".join(child.itertext()).strip():
                    report.error(f"a <{tag}> element would hide the text after it: "
                                 f"close it, or remove it from the handout", f"<{tag}")
            _remove_keeping_tail(root, index)
        else:
            report(f"removed the unknown tag <{tag}>, kept its text", f"<{tag}")
            _unwrap(root, index)  # its children now stand at index, and are checked next


def _local_name(tag) -> str:
    """'svg' for '{http://www.w3.org/2000/svg}svg'; '' for comments."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


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
        elif name in URL_ATTRIBUTES and (unreadable := _unreadable_url(value)):
            del element.attrib[name]
            report.error(f"the address {value!r} cannot be read ({unreadable}): correct it",
                         value)
        elif name in ("colspan", "rowspan") and not _span_is_small(value):
            del element.attrib[name]
            shown = value if len(value) <= 12 else f"{value[:12]}…"
            report.error(f"a table cell may span at most {MAX_TABLE_SPAN:,} rows or columns, "
                         f"not {name}={shown!r}: split the table", f"{name}=")
        elif name in URL_ATTRIBUTES and not url_is_safe(value):
            del element.attrib[name]
            report(f"removed the unsafe URL {value!r} from <{element.tag}>: "
                   "only http:, https:, mailto:, tel: and relative links are allowed", value)


def _span_is_small(value: str) -> bool:
    """A span the tagger can lay out cell by cell: a number up to MAX_TABLE_SPAN (what is
    not a number of ASCII digits is no span: browsers and WeasyPrint ignore it)."""
    value = value.strip()
    if not re.fullmatch(r"[0-9]+", value):
        return True
    return len(value) <= len(str(MAX_TABLE_SPAN)) and int(value) <= MAX_TABLE_SPAN


def _unreadable_url(url: str) -> str:
    """Why every later stage's urlsplit would refuse the URL ("Invalid IPv6 URL"); "" if none."""
    try:
        urlsplit(url)
    except ValueError as error:
        return str(error)
    return ""


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
