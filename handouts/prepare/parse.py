"""Parse a handout's Markdown body into a sanitised HTML element tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

import markdown
import markdown.extensions
import markdown.inlinepatterns
import tinyhtml5

from ..errors import ContentError, Diagnostics
from ..labels import Labels
from ..limits import (
    MAX_ABBREVIATIONS,
    MAX_BRACKETS_PER_PARAGRAPH,
    MAX_HEADINGS,
    MAX_LINE_CHARACTERS,
    MAX_LINKS,
)
from .load import Source
from .sanitize import sanitize
from .source_lines import SourceLines, lined_elements


class LanguageSpans(markdown.extensions.Extension):
    """[la vie en rose]{: lang=fr }: an inline passage in another language."""

    # The passage may hold a link: [le [site](https://…)]{: lang=fr }.
    PATTERN = (r"\[((?:[^\[\]]|\[[^\[\]]*\](?:\([^)]*\))?)+)\]"
               r"\{:?\s*lang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)[\"']?\s*\}")

    class Processor(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, match, data):
            span = Element("span", {"lang": match.group(2)})
            span.text = match.group(1)
            return span, match.start(0), match.end(0)

    def extendMarkdown(self, md):
        # Above links (160), which would otherwise read '[text]' as a reference.
        md.inlinePatterns.register(self.Processor(self.PATTERN, md), "language_span", 175)


# Deeper than this, WeasyPrint's layout runs out of Python's recursion limit.
MAX_NESTING = 60

MARKDOWN_EXTENSIONS = [
    "tables", "footnotes", "def_list", "attr_list", "abbr", "fenced_code", "admonition",
    LanguageSpans(),
]


@dataclass
class Heading:
    level: int
    text: str
    id: str
    classes: list[str] = field(default_factory=list)
    content_note: bool = False


@dataclass
class Handout:
    """A handout on its way through the pipeline: its source and its HTML tree."""

    source: Source
    body: Element  # a <div> holding the body's HTML
    headings: list[Heading] = field(default_factory=list)
    # The labels in the handout's language (parse() gives each handout its own).
    labels: Labels = field(default_factory=lambda: Labels("en"))
    lines: dict[Element, int] = field(default_factory=dict)  # each element's line in the file
    # Its *[X]: definitions, as Markdown read them: the shared glossary's reach every handout.
    abbreviations: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def meta(self):
        return self.source.meta

    def line(self, element: Element | None) -> int | None:
        """The file line the parser met element on (None for one a transform made)."""
        return self.lines.get(element) if element is not None else None

    def body_html(self) -> str:
        return inner_html(self.body)


def markdown_to_html(text: str, labels: Labels | None = None, lined: bool = False,
                     glossary: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The body as HTML, and every abbreviation it was read with; lined: each element marked
    with its line, for lined_elements. ``glossary``: abbreviations known before the text's own
    *[X]: lines, which win (the abbr extension's glossary option)."""
    configs: dict[str, dict] = {"abbr": {"glossary": dict(glossary or {})}}
    if labels is not None:  # the footnotes' back-links speak the handout's language
        configs["footnotes"] = {"BACKLINK_TITLE": labels.footnote_back}
    extensions = MARKDOWN_EXTENSIONS + [SourceLines()] if lined else MARKDOWN_EXTENSIONS
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs,
                                  output_format="html")
    html = converter.convert(text)
    return html, dict(converter.treeprocessors["abbr"].abbrs)


def html_to_tree(html: str) -> Element:
    """Parse an HTML fragment the way a browser would, into a <div>."""
    document = tinyhtml5.parse(f"<!doctype html><body>{html}", namespace_html_elements=False)
    body = document.find("body")
    container = Element("div")
    container.text = body.text
    container.extend(list(body))
    return container


def inner_html(element: Element) -> str:
    parts = [escape_text(element.text or "")]
    parts += [ElementTree.tostring(child, encoding="unicode", method="html")
              for child in element]
    return "".join(parts)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse(source: Source, diagnostics: Diagnostics,
          shared_abbreviations: dict[str, str] | None = None) -> Handout:
    """Markdown -> HTML -> element tree, sanitised; problems reported with file:line.

    shared_abbreviations: the shared glossary's, known in this handout unless it defines the
    same abbreviation itself.
    """
    labels = Labels(source.meta.lang)
    shared = shared_abbreviations or {}
    _refuse_costly_source(source, diagnostics, shared)
    _refuse_deep_source_nesting(source)
    html, abbreviations = markdown_to_html(source.body, labels, lined=True, glossary=shared)
    body = html_to_tree(html)
    depth = nesting_depth(body)
    if depth > MAX_NESTING:
        raise ContentError(source.path, None,
                           f"lists, quotes or HTML elements are nested {depth} deep; more than "
                           f"{MAX_NESTING} cannot be laid out on a page: flatten the nesting")
    lines = {element: source.body_line + line for element, line in lined_elements(body).items()}
    sanitize(body, _SourceReport(source, diagnostics, body, lines))
    _refuse_costly_tree(body, source, lines)
    _leave_out_empty_list_items(body, source, diagnostics, lines)
    _warn_about_unclosed_fence(source, diagnostics)
    return Handout(source=source, body=body, labels=labels, lines=lines,
                   abbreviations=abbreviations)


SPLIT_IT = "split it into several handouts (a [[packet]] in handouts.toml prints them together)"
# What the line scan counts as a link: an inline or reference link ('](', '][', less the
# images '!['), an <a> element, an <https://…> address. As a heading: a line starting with
# '#', an underline of '=' or '-' below a paragraph's first line, an <h1>…<h6> element.
RAW_LINK = re.compile(r"<(?:a(?=[\s>])|(?:https?|ftp)://)", re.IGNORECASE)
RAW_HEADING = re.compile(r"<h[1-6](?=[\s>/])", re.IGNORECASE)
SETEXT_UNDERLINE = re.compile(r"[=-]+[ \t]*")
ABBREVIATION = re.compile(r"^\s*\*\[([^\]]+)\]:", re.MULTILINE)
BRACKET = re.compile(r"[\[\]<>]")
CLOSES = {"]": "[", ">": "<"}


def _refuse_costly_source(source: Source, diagnostics: Diagnostics,
                          shared_abbreviations: dict[str, str]) -> None:
    """Refuse, by their lines, handouts whose pages would cost without bound (limits.py).

    One pass over the lines, before Markdown: each line too long, a paragraph with too many
    brackets, the heading, the link and the abbreviation over their limits. (A file too big
    is refused before it is read: prepare/inputs.py.) Every problem found is reported; the last is
    raised, the others added to diagnostics before it.
    """
    problems: list[tuple[int, str]] = []
    own = {match[1].strip() for match in ABBREVIATION.finditer(source.body)}
    # The shared glossary's count first: the one over the limit is one of the handout's own
    # (the glossary alone is held to the same limit when it is parsed).
    abbreviations = len(shared_abbreviations.keys() - own)
    headings = links = 0
    heading_over = link_over = abbreviation_over = None
    # The paragraph's first line, and its [ and < still open.
    block_start, brackets, open_brackets = source.body_line, 0, {"[": 0, "<": 0}
    fenced = False
    above = above_that = ""  # the two lines above, for an underlined (setext) heading
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if len(line) > MAX_LINE_CHARACTERS:
            problems.append((number, f"this line is {len(line):,} characters long; a line may "
                                     f"be at most {MAX_LINE_CHARACTERS:,}: break it over several "
                                     "lines (a paragraph may span many)"))
        unquoted = line.lstrip(" \t>")
        if not line.strip():
            block_start, brackets, open_brackets = number + 1, 0, {"[": 0, "<": 0}
        elif not fenced and brackets <= MAX_BRACKETS_PER_PARAGRAPH:
            # Python-Markdown's time grows with the square of a paragraph's unclosed [ and <
            # (a link's [ closed by its ], a tag's < by its >, cost nothing).
            for bracket in BRACKET.findall(line):
                if bracket in "[<":
                    open_brackets[bracket] += 1
                elif open_brackets[CLOSES[bracket]]:
                    open_brackets[CLOSES[bracket]] -= 1
            brackets = open_brackets["["] + open_brackets["<"]
            if brackets > MAX_BRACKETS_PER_PARAGRAPH:
                problems.append((block_start, f"this paragraph holds more than "
                                 f"{MAX_BRACKETS_PER_PARAGRAPH:,} unclosed '[' and '<', the "
                                 "most one may have: close them, or split it with blank "
                                 "lines"))
        if ABBREVIATION.match(line):
            abbreviations += 1
            if abbreviation_over is None and abbreviations > MAX_ABBREVIATIONS:
                abbreviation_over = number
        if unquoted.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            if unquoted.startswith("#") or (
                    SETEXT_UNDERLINE.fullmatch(unquoted) and above.strip()
                    and not above_that.strip() and not above.lstrip(" \t>").startswith("#")):
                headings += 1
            if "<" in line:
                headings += len(RAW_HEADING.findall(line))
                links += len(RAW_LINK.findall(line))
            if "](" in line or "][" in line:
                links += max(0, line.count("](") + line.count("][") - line.count("!["))
            if heading_over is None and headings > MAX_HEADINGS:
                heading_over = number
            if link_over is None and links > MAX_LINKS:
                link_over = number
        above_that, above = above, line
    if heading_over is not None:
        problems.append((heading_over, _too_many(headings, MAX_HEADINGS, "heading")))
    if link_over is not None:
        problems.append((link_over, _too_many(links, MAX_LINKS, "link")))
    if abbreviation_over is not None:  # the shared glossary's are counted in every handout
        problems.append((abbreviation_over, f"this is abbreviation number "
                         f"{MAX_ABBREVIATIONS + 1:,} of {abbreviations:,} (with the shared "
                         f"glossary's); a handout may have at most {MAX_ABBREVIATIONS:,}: "
                         "keep the ones readers meet"))
    errors = [ContentError(source.path, line, message) for line, message in sorted(problems)]
    if errors:
        diagnostics.errors += errors[:-1]
        raise errors[-1]


def _refuse_costly_tree(body: Element, source: Source, lines: dict[Element, int]) -> None:
    """The headings and links Markdown made, counted exactly: the line scan may miss some
    (a heading in a list item, a shortcut reference link)."""
    headings = [e for e in body.iter() if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    if len(headings) > MAX_HEADINGS:
        raise ContentError(source.path, lines.get(headings[MAX_HEADINGS]),
                           _too_many(len(headings), MAX_HEADINGS, "heading"))
    links = [e for e in body.iter("a") if e.get("href") is not None
             and e.get("class") not in ("footnote-ref", "footnote-backref")]
    if len(links) > MAX_LINKS:
        raise ContentError(source.path, lines.get(links[MAX_LINKS]),
                           _too_many(len(links), MAX_LINKS, "link"))


def _too_many(count: int, limit: int, kind: str) -> str:
    return (f"this is {kind} number {limit + 1:,} of {count:,}; a handout may have at most "
            f"{limit:,} {kind}s: {SPLIT_IT}")


def _refuse_deep_source_nesting(source: Source) -> None:
    """Refuse, by its line, nesting too deep for a page before Markdown spends minutes on it."""
    # Python-Markdown's list and quote parsing grows much faster than the nesting: 1,000
    # indented list levels take over ten seconds before they exhaust the recursion limit.
    fenced = False
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if line.lstrip(" \t>").startswith(("```", "~~~")):
            fenced = not fenced
        if fenced:
            continue  # a fenced code sample may be indented as deeply as it likes
        prefix = line[:len(line) - len(line.lstrip(" \t>"))]
        indent = prefix.rsplit(">", 1)[-1]  # the spaces between quote marks do not count
        depth = prefix.count(">") + len(indent.expandtabs(4)) // 4
        if depth > MAX_NESTING:
            raise ContentError(source.path, number,
                               f"this line is quoted or indented {depth} levels deep; more than "
                               f"{MAX_NESTING} cannot be laid out on a page: flatten the nesting")


def _leave_out_empty_list_items(body: Element, source: Source, diagnostics: Diagnostics,
                                lines: dict[Element, int]) -> None:
    """An item with nothing in it (an HTML comment, say) would print a bullet with nothing after
    it, and a reader of the PDF hears an empty item: it is left out, and a list left empty too."""
    parent_of = {child: parent for parent in body.iter() for child in parent}
    empty = [item for item in body.iter("li") if not "".join(item.itertext()).strip()
             and item.find(".//img") is None and not (item.tail or "").strip()]
    left_out = []
    for item in empty:
        if item not in parent_of:
            continue  # inside an empty item already left out
        left_out.append(item)
        listing = parent_of.pop(item)
        listing.remove(item)
        for element in list(item.iter()):
            parent_of.pop(element, None)
        while listing.tag in ("ul", "ol") and listing.find("li") is None \
                and listing in parent_of and not (listing.text or "").strip():
            holder = parent_of.pop(listing)
            holder.remove(listing)
            listing = holder
    for item in left_out:  # each at its own line: an author fixes them one by one
        diagnostics.warn(source.path, lines.get(item), "an empty list item was left out: "
                         "write its text, or remove the line")


def _warn_about_unclosed_fence(source: Source, diagnostics: Diagnostics) -> None:
    """A ``` fence never closed is shown as text, which is rarely what the author meant."""
    opened_at = None
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if line.lstrip().startswith(("```", "~~~")):
            opened_at = None if opened_at else number
    if opened_at:
        diagnostics.warn(source.path, opened_at, "this code fence is never closed: add a line "
                         "``` after the code")


def nesting_depth(root: Element) -> int:
    """How deeply elements nest below root (counted without recursion)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


class _SourceReport:
    """Reports the sanitiser's removals as warnings or errors at their element's line.

    The sanitiser names what it removes ('<script', 'onclick=', the URL), element after
    element in document order: each name is matched to the next element, in that order, that
    has it, so that the same tag on several lines is reported at each one's line.
    """

    def __init__(self, source: Source, diagnostics: Diagnostics, body: Element,
                 lines: dict[Element, int]):
        self.source, self.diagnostics = source, diagnostics
        self.names: list[tuple[set[str], int | None]] = [
            ({f"<{_local_name(element.tag)}"} | {f"{name}=" for name in element.attrib}
             | set(element.attrib.values()), lines.get(element))
            for element in body.iter() if element is not body]
        self.next = 0  # the sanitiser never goes back
        self.last: tuple[str, int | None] | None = None

    def _line(self, snippet: str) -> int | None:
        for index in range(self.next, len(self.names)):
            if snippet in self.names[index][0]:
                self.next = index
                self.names[index][0].discard(snippet)
                return self.names[index][1]
        return None

    def __call__(self, message: str, snippet: str) -> None:
        line = self._line(snippet)
        self.last = (snippet, line)
        self.diagnostics.warn(self.source.path, line, message)

    def error(self, message: str, snippet: str) -> None:
        # A dropped element that hides text is told twice: removed, then the error.
        last = self.last
        same = last is not None and snippet.startswith("<") and last[0] == snippet
        line = last[1] if last is not None and same else self._line(snippet)
        self.diagnostics.error(self.source.path, line, message)


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_content(element: Element) -> str:
    return "".join(element.itertext())
