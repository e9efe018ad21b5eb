"""PDF rules: PDF/UA-1 document requirements, and the structure tree compared with its HTML."""

from __future__ import annotations

import bisect
import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from . import Finding
from ..profiles import ALWAYS_HIDDEN
from ..html_classes import class_names, has_class
from ..semantics import (PAGE_NUMBER_TITLE, STRUCTURE_TYPES, described_image, header_scope,
                         inherited_lang, is_contents_list, is_decorative, is_footnote_list,
                         parent_map)
from .pdf_reader import Element, MarkedContent, TaggedPdf

# Hidden in print by every profile; what else a profile hides, check_pdf removes from the
# HTML first (without_classes).
PRINT_HIDDEN_CLASSES = ALWAYS_HIDDEN
# What each HTML element must become in the PDF: one element of this type, whatever the
# pages. Inline elements (Span, Code, Quote) are checked through the text of their blocks.
EXPECTED_TYPES = {tag: kind for tag, kind in STRUCTURE_TYPES.items()
                  if kind not in ("Span", "Code", "Quote", "Part", "Art", "Div", "THead",
                                  "TBody", "TFoot")}
EXPECTED_TYPES.update({"note": "Note", "contents": "TOC", "contents item": "TOCI"})
HTML_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "br", "img"})
# What CSS list markers look like: bullets, numbers, single letters, roman numerals.
LIST_MARKER = re.compile(
    r"^\s*([•◦▪‣·\-–—*]|\(?([0-9]+|[a-zA-Z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})[.)])\s*$")


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").split())


def shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# The HTML side

def _hidden_in_print(element) -> bool:
    classes = set(class_names(element))
    return bool(classes & PRINT_HIDDEN_CLASSES) or element.get("hidden") is not None \
        or element.tag in ("head", "script", "style", "template")


_is_artifact = is_decorative


def without_classes(html_root, classes: frozenset[str]):
    """The HTML tree without the elements of these classes (a print profile's hidden ones),
    nor the printed descriptions of images, which the PDF reads as their Figure's /Alt.

    Changes the tree it is given, and returns it; an element's tail text stays in place.
    """
    parent_of = parent_map(html_root)
    for parent in list(html_root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or not (
                    set(class_names(child)) & classes
                    or described_image(child, parent_of) is not None):
                continue
            if child.tail:
                previous = None
                for sibling in parent:
                    if sibling is child:
                        break
                    previous = sibling
                if previous is not None:
                    previous.tail = (previous.tail or "") + child.tail
                else:
                    parent.text = (parent.text or "") + child.tail
            parent.remove(child)
    return html_root


def readable_elements(root):
    """Elements a reader of the PDF meets, in order: none hidden in print, none decorative."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or _hidden_in_print(element) or _is_artifact(element):
            continue
        yield element
        stack.extend(reversed(list(element)))


def html_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not _hidden_in_print(child) and not _is_artifact(child):
            text = html_text(child)
            block = child.tag in HTML_BLOCKS or has_class(child, "footnote-print")
            parts.append(f" {text} " if block else text)
        parts.append(child.tail or "")
    return "".join(parts)


def _definition_groups(dl):
    """Each group of terms and their definitions, as one text."""
    groups, current, previous = [], None, None
    for child in dl:
        if child.tag not in ("dt", "dd") or _hidden_in_print(child):
            continue
        if child.tag == "dt" and previous != "dt":
            current = []
            groups.append(current)
        if current is None:
            current = []
            groups.append(current)
        current.append(html_text(child))
        previous = child.tag
    return [normalise(" ".join(group)) for group in groups]


def expected_structure(html_root, parent_of) -> dict[str, list[str]]:
    """Type -> texts of the elements of that type the PDF must have, in order."""
    expected = defaultdict(list)
    for element in readable_elements(html_root):
        kind = EXPECTED_TYPES.get(element.tag)
        if element.tag == "a" and not element.get("href"):
            kind = None
        if element.tag == "li" and parent_of.get(element) is not None \
                and parent_of[element].tag not in ("ul", "ol"):
            kind = None
        if is_footnote_list(element, parent_of):
            kind = None  # footnotes: each item is a Note, not a list item
        if element.tag == "li" and is_footnote_list(parent_of.get(element), parent_of):
            kind = "Note"
        if has_class(element, "footnote-print"):
            kind = "Note"
        if is_contents_list(element, parent_of):
            kind = "TOC"
        if element.tag == "li" and is_contents_list(parent_of.get(element), parent_of):
            kind = "TOCI"
        if element.tag == "img":
            expected["Figure"].append("")  # an image is read by its /Alt, it has no text
            continue
        text = normalise(html_text(element))
        if kind and (text or element.tag in ("th", "td")
                     or any(image.tag == "img" for image in readable_elements(element))):
            expected[kind].append(text)  # an element with nothing to read is not tagged
        if element.tag == "dl":
            expected["LI"].extend(_definition_groups(element))
    return expected


# The PDF side

def reading_text(element: Element) -> str:
    """An element's text as read aloud, without list bullets and numbers."""
    parts = []
    # A figure is read by its /Alt: text drawn inside it (an SVG chart's labels) is not read.
    drawn_text_is_read = not (element.type == "Figure" and "Alt" in element.attributes)
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            if drawn_text_is_read:
                parts.append(kid.text)
        elif isinstance(kid, Element):
            if kid.type == "Lbl" and LIST_MARKER.match(kid.text()):
                continue
            if kid.attributes.get("T") == PAGE_NUMBER_TITLE:
                continue  # made by CSS at print time, so not in the HTML's text
            text = reading_text(kid) if "ActualText" not in kid.attributes else kid.text()
            parts.append(f" {text} " if kid.type not in ("Span", "Link", "Code", "Quote")
                         else text)
    return "".join(parts)


def actual_structure(pdf: TaggedPdf) -> dict[str, list[str]]:
    actual = defaultdict(list)
    for element in pdf.root.iter() if pdf.root else ():
        if element.type in EXPECTED_TYPES.values():
            actual[element.type].append(normalise(reading_text(element)))
    return actual


# The rules

def check_pdf_document(pdf: TaggedPdf, html_lang: str | None = None) -> Iterator[Finding]:
    """The document-level requirements of PDF/UA-1."""
    name = str(pdf.path)
    if not pdf.marked or pdf.root is None:
        yield Finding(name, "pdf-tagged", "the PDF is not tagged (no MarkInfo or structure tree)")
    if not pdf.catalog_lang:
        yield Finding(name, "pdf-lang", "the PDF has no document language (/Lang)")
    elif html_lang and pdf.catalog_lang.lower() != html_lang.lower():
        yield Finding(name, "pdf-lang",
                      f"the PDF's language is {pdf.catalog_lang}, its HTML's is {html_lang}")
    if not pdf.title.strip():
        yield Finding(name, "pdf-title", "the PDF has no title in its XMP metadata")
    if not pdf.display_doc_title:
        yield Finding(name, "pdf-title", "the viewer is not told to show the title "
                      "(ViewerPreferences /DisplayDocTitle)")
    if pdf.pdfua_part != "1":
        yield Finding(name, "pdf-xmp", "the XMP metadata does not declare PDF/UA-1 "
                      "(pdfuaid:part)")
    for font in pdf.unembedded_fonts:
        yield Finding(name, "pdf-fonts", f"the font {font} is not embedded")
    for page in pdf.pages_without_tab_order:
        yield Finding(name, "pdf-tab-order",
                      f"page {page} has annotations but no structure tab order (/Tabs /S)")
    for number, page in enumerate(pdf.pages, start=1):
        orphans = [mcid for mcid, text in page.marked.items()
                   if text.strip() and (number - 1, mcid) not in pdf.referenced]
        if pdf.root is not None and orphans:
            yield Finding(name, "pdf-untagged-content",
                          f"page {number}: {len(orphans)} marked-content sequence(s) belong to no "
                          f"structure element: '{shorten(normalise(page.marked[orphans[0]]))}'")
        if page.untagged_text:
            yield Finding(name, "pdf-untagged-content",
                          f"page {number}: text neither tagged nor an artifact: "
                          f"'{shorten(normalise(' '.join(page.untagged_text)))}'")


def check_pdf_against_html(pdf: TaggedPdf, html_root) -> Iterator[Finding]:
    """Points 1 to 6: the PDF's structure says exactly what the HTML says."""
    from .reading_rules import check_reading_structure  # it reads the HTML with this module

    name = str(pdf.path)
    if pdf.root is None:
        return
    parent_of = parent_map(html_root)
    yield from _elements_match(name, expected_structure(html_root, parent_of),
                               actual_structure(pdf))
    yield from _reading_order(name, pdf, html_root)
    yield from _links(name, pdf)
    yield from _definition_lists(name, pdf, html_root)
    yield from _table_headers(name, pdf, html_root, parent_of)
    yield from _languages(name, pdf, html_root, parent_of)
    yield from check_reading_structure(name, pdf, html_root, parent_of)


def _elements_match(name, expected, actual) -> Iterator[Finding]:
    for kind in sorted(set(expected) | set(actual), key=str):
        wanted, found = expected.get(kind, []), actual.get(kind, [])
        if wanted == found:
            continue
        for a0, a1, b0, b1 in differences(wanted, found):
            if a1 - a0 == b1 - b0:  # the same elements, with different text
                for html_text_, pdf_text in zip(wanted[a0:a1], found[b0:b1]):
                    yield Finding(name, "pdf-structure",
                                  f"{kind}: the PDF reads {_difference(html_text_, pdf_text)}")
                continue
            html_side, pdf_side = _listing(wanted[a0:a1]), _listing(found[b0:b1])
            yield Finding(name, "pdf-structure",
                          f"{kind}: the HTML has {a1 - a0} ({html_side}), "
                          f"the PDF has {b1 - b0} ({pdf_side})")


# Up to this many pairs of items (len(a) * len(b)), two sequences are compared by difflib,
# whose time grows with that product (more where items repeat: 10,000 headings of the same
# text take it a minute); beyond, by differences() in near-linear time.
EXACT_COMPARISON = 1_000_000
REGION_COMPARISON = 10_000  # a region between anchors difflib compares
LONG_RUN = 8  # equal items in a row that stay matched where every item repeats
FEWEST_DIFFERENCES_WORK = 1_000_000  # steps of _fewest_differences, in one region


def differences(a: list, b: list) -> list[tuple[int, int, int, int]]:
    """Where b differs from a: (a0, a1, b0, b1) for each of a[a0:a1] that b has as b[b0:b1].

    difflib.SequenceMatcher's non-equal opcodes, for sequences up to EXACT_COMPARISON. For
    longer ones, a patience diff, which finds as many differences as difflib, as long, where
    they are few and local (where an item stands beside one like it, either may be the one
    reported): the common start and end set aside, the items found once in each side anchor
    the comparison in the longest run they keep in the same order (_anchors), and each
    region between anchors is compared again, by difflib once it is small; a region whose
    every item repeats, by _repeated_items. The work is at most a few passes over the
    sequences: a region left when it is spent is one difference.
    """
    if len(a) * len(b) <= EXACT_COMPARISON:
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        return [(a0, a1, b0, b1) for operation, a0, a1, b0, b1 in matcher.get_opcodes()
                if operation != "equal"]
    blocks: list[tuple[int, int, int]] = []  # (i, j, size): a[i:i+size] == b[j:j+size]
    budget = 8 * (len(a) + len(b))
    regions = [(0, len(a), 0, len(b))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if ahi < end:
            blocks.append((ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= REGION_COMPARISON:
            matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
            blocks += [(alo + i, blo + j, size)
                       for i, j, size in matcher.get_matching_blocks() if size]
            continue
        budget -= (ahi - alo) + (bhi - blo)
        if budget < 0:
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if not anchors:  # every item repeats (headings of one text): few differences, or one
            found = _repeated_items(a, alo, ahi, b, blo, bhi, budget)
            if found is None:
                budget = 0  # spent: what is left of the region is one difference
            else:
                budget -= found.pop()[2]
                blocks += found
            continue
        blocks += [(i, j, 1) for i, j in anchors]
        for (i0, j0), (i1, j1) in zip([(alo - 1, blo - 1)] + anchors, anchors + [(ahi, bhi)]):
            if i1 > i0 + 1 or j1 > j0 + 1:
                regions.append((i0 + 1, i1, j0 + 1, j1))
    found, i, j = [], 0, 0
    for ai, bj, size in sorted(blocks) + [(len(a), len(b), 0)]:
        if i < ai or j < bj:
            found.append((i, ai, j, bj))
        i, j = ai + size, bj + size
    return found


def _anchors(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int) -> list[tuple[int, int]]:
    """(i, j) of the items found once in a[alo:ahi] and once in b[blo:bhi], the longest run
    of them in the same order on both sides."""
    in_a = Counter(a[alo:ahi])
    only_in_b: dict = {}
    for j in range(blo, bhi):
        only_in_b[b[j]] = -1 if b[j] in only_in_b else j
    pairs = [(i, only_in_b[a[i]]) for i in range(alo, ahi)
             if in_a[a[i]] == 1 and only_in_b.get(a[i], -1) >= 0]
    # The longest run increasing in j (i increases already): patience sorting.
    tails, tail_pair, previous = [], [], []
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_pair.append(index)
        else:
            tails[length], tail_pair[length] = j, index
        previous.append(tail_pair[length - 1] if length else -1)
    run, index = [], tail_pair[-1] if tail_pair else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _repeated_items(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int,
                    budget: int) -> list[tuple[int, int, int]] | None:
    """The matching blocks of a region whose items all repeat, then (0, 0, the work done);
    None if the work would pass budget.

    The fewest differences' long runs are kept, each grown along its diagonal as far as
    items are equal (the longest first), and what lies between them is compared by difflib:
    as difflib would, the longest runs found first, and a difference held together where
    the fewest differences may split it round an item like those beside it.
    """
    found = _fewest_differences(a, alo, ahi, b, blo, bhi, min(budget, FEWEST_DIFFERENCES_WORK))
    if found is None:
        return None
    snakes, work = found
    runs = sorted(snake for snake in snakes if snake[2] >= LONG_RUN)
    for run in sorted(range(len(runs)), key=lambda run: -runs[run][2]):
        i, j, size = runs[run]
        low = (runs[run - 1][0] + runs[run - 1][2],
               runs[run - 1][1] + runs[run - 1][2]) if run else (alo, blo)
        high = runs[run + 1][:2] if run + 1 < len(runs) else (ahi, bhi)
        while i > low[0] and j > low[1] and a[i - 1] == b[j - 1]:
            i, j, size = i - 1, j - 1, size + 1
        while i + size < high[0] and j + size < high[1] and a[i + size] == b[j + size]:
            size += 1
        runs[run] = (i, j, size)
    blocks = list(runs)
    for (i0, j0, size), (i1, j1, _) in zip([(alo, blo, 0)] + runs, runs + [(ahi, bhi, 0)]):
        i0, j0 = i0 + size, j0 + size
        if (i1 - i0) * (j1 - j0) <= REGION_COMPARISON:
            matcher = difflib.SequenceMatcher(a=a[i0:i1], b=b[j0:j1], autojunk=False)
            blocks += [(i0 + i, j0 + j, size)
                       for i, j, size in matcher.get_matching_blocks() if size]
            continue
        for i, j, size in snakes:  # their parts between the two runs
            start, end = max(i, i0, i + j0 - j), min(i + size, i1, i + j1 - j)
            if start < end:
                blocks.append((start, j + start - i, end - start))
    return blocks + [(0, 0, work)]


def _fewest_differences(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int,
                        budget: int) -> tuple[list[tuple[int, int, int]], int] | None:
    """The runs of equal items along the fewest insertions and deletions turning a[alo:ahi]
    into b[blo:bhi], and the work done; None if it would pass budget.

    Myers' greedy algorithm: its work grows with the items times the differences, its
    memory with the differences squared (both within budget).
    """
    n, m = ahi - alo, bhi - blo
    most = min(n + m, math.isqrt(budget) + 1)  # differences the budget may allow
    furthest = [0] * (2 * most + 3)  # diagonal k = x - y, at k + most + 1: the furthest x
    history, work = [], 0
    for d in range(most + 1):
        history.append(furthest[most - d: most + d + 3])  # diagonals -d - 1 … d + 1
        for k in range(-d, d + 1, 2):
            at = k + most + 1
            if k == -d or (k != d and furthest[at - 1] < furthest[at + 1]):
                x = furthest[at + 1]  # down: an item of b inserted
            else:
                x = furthest[at - 1] + 1  # right: an item of a deleted
            y, start = x - k, x
            while x < n and y < m and a[alo + x] == b[blo + y]:
                x, y = x + 1, y + 1
            work += 1 + x - start
            furthest[at] = x
            if x >= n and y >= m:
                return _snakes(history, n, m, alo, blo), work
        if work > budget:
            return None
    return None


def _snakes(history: list[list[int]], n: int, m: int, alo: int,
            blo: int) -> list[tuple[int, int, int]]:
    """The runs of equal items along the path _fewest_differences found, walked back."""
    blocks, x, y = [], n, m
    for d in range(len(history) - 1, -1, -1):
        k = x - y
        if d == 0:
            start_x = previous_x = previous_y = 0
        else:
            furthest = history[d]  # before step d: diagonal k at k + d + 1
            down = k == -d or (k != d and furthest[k + d] < furthest[k + d + 2])
            previous_k = k + 1 if down else k - 1
            previous_x = furthest[previous_k + d + 1]
            previous_y = previous_x - previous_k
            start_x = previous_x if down else previous_x + 1  # one step, then equal items
        if x > start_x:
            blocks.append((alo + start_x, blo + start_x - k, x - start_x))
        x, y = previous_x, previous_y
    return blocks


def _listing(texts: list[str], most: int = 10) -> str:
    """Texts for a finding: the first few of them, each shortened."""
    listed = " | ".join(shorten(text, 40) for text in texts[:most]) or "nothing"
    return listed + (f" | … {len(texts) - most} more" if len(texts) > most else "")


def _difference(html: str, pdf: str) -> str:
    """Where two texts part: "'…x…' where the HTML has '…y…'"."""
    start = next((i for i, (a, b) in enumerate(zip(html, pdf)) if a != b), min(len(html), len(pdf)))
    left = max(0, start - 25)
    return f"'…{pdf[left:start + 25]}…' where the HTML has '…{html[left:start + 25]}…'"


def _reading_order(name, pdf, html_root) -> Iterator[Finding]:
    body = html_root.find("body")
    html_words = normalise(html_text(body)).split(" ") if body is not None else []
    pdf_words = normalise(reading_text(pdf.root)).split(" ")
    if pdf_words == html_words:
        return
    found = differences(html_words, pdf_words)
    for a0, a1, b0, b1 in found[:5]:
        yield Finding(name, "pdf-reading-order",
                      f"the PDF reads '{shorten(' '.join(pdf_words[b0:b1]), 50)}' where the HTML "
                      f"has '{shorten(' '.join(html_words[a0:a1]), 50)}' "
                      f"(after '{shorten(' '.join(html_words[max(0, a0 - 4):a0]), 40)}')")
    if len(found) > 5:
        yield Finding(name, "pdf-reading-order",
                      f"{len(found) - 5} more differences in reading order")


def _links(name, pdf) -> Iterator[Finding]:
    for link in pdf.elements("Link"):
        annotations = link.annotations()
        text = shorten(normalise(reading_text(link)), 40)
        if not annotations:
            yield Finding(name, "pdf-links", f"the Link '{text}' has no annotation (OBJR)")
        for annotation in annotations:
            if not annotation.contents.strip():
                yield Finding(name, "pdf-links",
                              f"the annotation of the Link '{text}' has no /Contents")
            if not annotation.flags & 4:
                yield Finding(name, "pdf-links",
                              f"the annotation of the Link '{text}' does not print")
    tagged = sum(len(link.annotations()) for link in pdf.elements("Link"))
    links = [a for a in pdf.annotations if a.subtype == "/Link"]
    if len(links) != tagged:
        yield Finding(name, "pdf-links", f"{len(links)} link annotations, but {tagged} of them "
                      "belong to a Link element")


def _definition_lists(name, pdf, html_root) -> Iterator[Finding]:
    wanted = [len(_definition_groups(dl)) for dl in readable_elements(html_root)
              if dl.tag == "dl"]
    lists = [element for element in pdf.elements("L")
             if any(len(item.children()) == 2 and item.children()[0].type == "Lbl"
                    and not LIST_MARKER.match(item.children()[0].text())
                    for item in element.children())]
    for element in lists:
        for item in element.children():
            kinds = [kid.type for kid in item.children()]
            if kinds != ["Lbl", "LBody"]:
                yield Finding(name, "pdf-definition-list",
                              f"a definition list item holds {kinds}, not [Lbl, LBody]")
    if len(lists) < len(wanted):
        yield Finding(name, "pdf-definition-list",
                      f"the HTML has {len(wanted)} definition lists, the PDF "
                      f"{len(lists)} lists of Lbl and LBody pairs")


def _table_headers(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    html_headers = [(header_scope(th, parent_of), normalise(html_text(th)))
                    for th in readable_elements(html_root) if th.tag == "th"]
    pdf_headers = pdf.elements("TH")
    if len(html_headers) != len(pdf_headers):
        yield Finding(name, "pdf-table-headers", f"the HTML has {len(html_headers)} header "
                      f"cells, the PDF {len(pdf_headers)} TH")
        return
    for (scope, text), header in zip(html_headers, pdf_headers):
        if header.attributes.get("Scope") != scope:
            yield Finding(name, "pdf-table-headers",
                          f"the TH '{shorten(text, 40)}' has /Scope "
                          f"{header.attributes.get('Scope', 'missing')}, the HTML says {scope}")
        if not header.attributes.get("ID"):
            yield Finding(name, "pdf-table-headers", f"the TH '{shorten(text, 40)}' has no /ID")
    ids = {header.attributes.get("ID") for header in pdf_headers}
    for table in pdf.elements("Table"):
        has_headers = any(e.type == "TH" for e in table.iter())
        for cell in (e for e in table.iter() if e.type == "TD"):
            headers = cell.attributes.get("Headers", [])
            if has_headers and not headers:
                yield Finding(name, "pdf-table-headers",
                              f"the TD '{shorten(normalise(reading_text(cell)), 40)}' has no "
                              "/Headers")
            for header in headers:
                if header not in ids:
                    yield Finding(name, "pdf-table-headers",
                                  f"a TD names the header {header}, which no TH has")


def _languages(name, pdf, html_root, parent_of) -> Iterator[Finding]:
    document_lang = html_root.get("lang") or ""
    wanted = [(element.get("lang"), normalise(html_text(element)))
              for element in readable_elements(html_root)
              if element.get("lang") and element is not html_root
              and element.get("lang") != inherited_lang(parent_of.get(element), parent_of,
                                                        document_lang)]
    found = {(element.attributes["Lang"], normalise(reading_text(element)))
             for element in pdf.root.iter() if "Lang" in element.attributes}
    for lang, text in wanted:
        if (lang, text) not in found:
            yield Finding(name, "pdf-lang-parts",
                          f"the passage '{shorten(text, 40)}' in {lang} has no element with "
                          f"/Lang {lang}")
