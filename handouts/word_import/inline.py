"""Text inside a block: mammoth's inline HTML to Markdown, escaped so it reads as written."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit
from xml.etree.ElementTree import Element

# Characters Python-Markdown would read as markup if left bare in text.
_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# An address typed in the text, not made a link in Word; trailing punctuation is the sentence's.
BARE_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]’”']")
LINK_SCHEMES = ("http", "https", "mailto")
IMAGE_NAME = re.compile(r"^(?:[\w\s().-]+\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)|"
                        r"(?:picture|image|img|grafik|imagen|graphic|figure)\s*\d*)$",
                        re.IGNORECASE)
WORD_GUESS = "description automatically generated"


def escape(text: str) -> str:
    """Plain text as Markdown that renders it unchanged."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


class InlineWriter:
    """Turns one block's inline HTML into Markdown, noting what a person must check."""

    def __init__(self, note_numbers: dict[str, int], images: list[dict]):
        self.note_numbers = note_numbers  # "footnote-3" -> 1, in order of first reference
        self.images = images              # every image met: src, alt, and what is wrong
        self.review: list[str] = []       # messages for the block being written
        self.in_table = False
        self.plain_emphasis = False       # headings: Word's bold is the heading's look
        self.in_link = False              # an address inside a link's words is only words

    def convert(self, element: Element) -> str:
        """The element's content (not its own tag) as one line of Markdown."""
        parts = [self.text(element.text)]
        for child in element:
            parts.append(self.child(child))
            parts.append(self.text(child.tail))
        markdown = "".join(parts)
        markdown = re.sub(r"(?<=\S)\*\*\*\*(?=\S)", "", markdown)  # two bold runs side by side
        return markdown

    def text(self, text: str | None) -> str:
        if not text:
            return ""
        text = text.replace("\u00a0", " ").replace("\t", " ")
        if self.in_link:
            return escape(text)
        out, last = [], 0
        for match in BARE_ADDRESS.finditer(text):
            if match.start() < last:
                continue  # the bracket taken into the address before
            out.append(escape(text[last:match.start()]))
            address, end = match[0], match.end()
            if address.count("(") > address.count(")") and text[end:end + 1] == ")":
                address, end = address + ")", end + 1  # Wikipedia's a_(b): its own bracket
            if address.lower().startswith("www."):
                out.append(f"[{escape(address)}]({_safe_url('https://' + address)})")
                self.review.append(f"the address {address} had no http:// or https://: it "
                                   "was made a link to https://" + address + "; check it opens")
            else:
                out.append(f"<{address}>")
            last = end
        out.append(escape(text[last:]))
        return "".join(out)

    def child(self, element: Element) -> str:
        tag = element.tag
        if tag in ("strong", "b"):
            return self._emphasis(self.convert(element), "**")
        if tag in ("em", "i"):
            return self._emphasis(self.convert(element), "*")
        if tag == "a":
            return self._link(element)
        if tag == "img":
            return self._image(element)
        if tag == "br":
            return " " if self.in_table else "  \n"  # Python-Markdown's line break
        if tag in ("ul", "ol", "table"):  # a list or table inside a cell: its words, in a row
            message = ("a list or table inside a table cell was written as plain text in "
                       "the cell: check it reads well")
            if message not in self.review:  # once for the cell, however deep they go
                self.review.append(message)
            return " ".join(self.convert(item) for item in _items(element)) \
                or self.convert(element)
        if tag == "p":
            return self.convert(element) + " "
        return self.convert(element)  # sup, sub, s, u, span: their words

    def _emphasis(self, inner: str, mark: str) -> str:
        if self.plain_emphasis or not inner.strip():
            return inner
        lead = inner[:len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()):]
        return f"{lead}{mark}{inner.strip()}{mark}{trail}"

    def _link(self, element: Element) -> str:
        href = element.get("href")
        self.in_link = True
        words = self.convert(element)
        self.in_link = False
        if href is None:  # a bookmark: only where a link may lead
            return words
        if href.startswith(("#footnote-", "#endnote-")):
            number = self.note_numbers.get(href[1:])
            if number is not None:
                return f"[^{number}]"
        if href.startswith("#"):
            self.review.append(f"a link to a place in the Word document ('{_plain(words)}') "
                               "was kept as plain text: link to a heading instead if needed")
            return words
        scheme = urlsplit(href).scheme.lower()
        if scheme not in LINK_SCHEMES:
            self.review.append(f"a link to {href[:80]} was kept as plain text: Handouts "
                               "links only to web addresses (http, https, mailto)")
            return words
        if not words.strip():
            self.review.append(f"a link to {href[:80]} had no words: it was written with its "
                               "address as its words")
            words = escape(href)
        if words == escape(href) and scheme != "mailto":
            return f"<{_safe_url(href)}>"  # an address as its own words: as typed
        return f"[{words}]({_safe_url(href)})"

    def _image(self, element: Element) -> str:
        src = element.get("src", "")
        alt = " ".join((element.get("alt") or "").split())
        problem = None
        if not alt:
            problem = "has no description"
        elif IMAGE_NAME.match(alt):
            problem = f"has only a file name as its description ('{alt}')"
            alt = ""
        elif WORD_GUESS in alt.lower():
            problem = "has a description Word guessed by itself: check it says what matters"
        self.images.append({"src": src, "alt": alt, "problem": problem})
        if problem:
            self.review.append(f"the image {src} {problem}: " + (
                "write what it shows between the brackets of ![…], or mark an image that "
                "carries no information ![](…){: .decorative }" if not alt else "edit it"))
        return f"![{escape(alt)}]({src})"


def _plain(markdown: str) -> str:
    return re.sub(r"[\\*_\[\]]", "", markdown)[:60]


def _safe_url(url: str) -> str:
    """An address Markdown reads whole: spaces, brackets and angle brackets percent-encoded."""
    return quote(url, safe="/:?#&=%@+,;~!$'*.-_")


def _items(element: Element):
    """A list's items or a table's cells; those of a list or table inside them are theirs."""
    for child in element:
        if child.tag in ("li", "td", "th"):
            yield child
        elif child.tag not in ("ul", "ol", "table"):
            yield from _items(child)
