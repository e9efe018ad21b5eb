"""Page labels: each PDF page named as its printed folio, so a viewer's page N is "Page N"."""

# A page's label is the page number its folio prints ("Page 12 of 40" gives "12"), read
# from WeasyPrint's page boxes: the text laid out in the margin box whose content holds
# counter(page). A page that prints no folio (a packet's cover, an empty left-hand page, a
# booklet's padding) is labelled with the number the page counter gives it all the same,
# the number the folios around it count it as: the labels run 1, 2, 3 … without a gap, and
# a number typed in a viewer's page box always lands on the page that prints it.

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pikepdf
import pydyf

PAGE_COUNTER = "page"
# PDF 32000-1, 12.4.2: /S /D numbers a range in decimal from /St; /P is a literal prefix.
DECIMAL = "D"


def printed_labels(pages: Iterable) -> list[str]:
    """Each WeasyPrint page's label: the number its folio prints, else its counter's."""
    labels, counter = [], 0
    for page in pages:
        box = page._page_box  # WeasyPrint 70's laid-out page: its margin boxes and style
        counter = _counted(counter, box.style)
        printed = _printed_number(box)
        labels.append(printed if printed is not None else str(counter))
    return labels


def _counted(value: int, style) -> int:
    """The page counter after this page's counter-reset, -set and -increment."""
    # In WeasyPrint's order; it has added "page 1" to the increment of a page whose style
    # leaves the page counter alone.
    for prop in ("counter_reset", "counter_set"):
        for name, number in _counter_values(style[prop]):
            if name == PAGE_COUNTER:
                value = number
    for name, number in _counter_values(style["counter_increment"]):
        if name == PAGE_COUNTER:
            value += number
    return value


def _counter_values(values) -> tuple:
    return values if isinstance(values, tuple) else ()  # 'auto': nothing declared


def _printed_number(page_box) -> str | None:
    """The text that counter(page) printed in the page's folio, or None without a folio."""
    for box in page_box.children:
        if not hasattr(box, "at_keyword") or not getattr(box, "is_generated", False):
            continue  # the page's content, or a margin box that prints nothing
        content = box.style["content"]
        if not isinstance(content, tuple) or not any(map(_is_page_counter, content)):
            continue
        text = " ".join("".join(_texts(box)).split())
        if not text:
            continue
        match = re.fullmatch(_folio_pattern(content), text, re.DOTALL)
        if match is not None and match.group("page"):
            return match.group("page")
    return None


def _is_page_counter(token) -> bool:
    kind, value = token if isinstance(token, tuple) and len(token) == 2 else (None, None)
    return kind in ("counter()", "counters()") and isinstance(value, tuple) and \
        value[:1] == (PAGE_COUNTER,)


def _folio_pattern(content: tuple) -> str:
    """A pattern for a folio's text: its strings, its page number captured, the rest lazily."""
    pattern, captured = "", False
    for token in content:
        if token[0] == "string":
            # Spaces collapse, and may fall at a line break, when the text is laid out.
            pattern += r"\s*".join(re.escape(word) for word in str(token[1]).split(" "))
        elif _is_page_counter(token) and not captured:
            # Greedy: what follows may be generated text, matched lazily, which would leave
            # a lazy number one digit ("12 Test" read as "1").
            decimal = token[1][-1] in ("decimal", PAGE_COUNTER)
            pattern += r"(?P<page>-?\d+)" if decimal else r"(?P<page>\S+)"
            captured = True
        else:
            pattern += ".*?"
    return pattern


def _texts(box) -> Iterable[str]:
    if isinstance(getattr(box, "text", None), str):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def label_ranges(labels: list[str]) -> list[tuple[int, str | None, int]]:
    """The number tree's ranges: (first page index, literal label or None, decimal start)."""
    # Consecutive decimal labels share one range; any other label is a range of one page.
    ranges: list[tuple[int, str | None, int]] = []
    previous = None
    for index, label in enumerate(labels):
        number = _decimal(label)
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        ranges.append((index, None, number) if number is not None else (index, label, 0))
        previous = number
    return ranges


def _decimal(label: str) -> int | None:
    """A label a decimal range can give (/St is 1 or more, written without leading zeros)."""
    if label.isascii() and label.isdigit() and not label.startswith("0"):
        return int(label)
    return None


def pydyf_page_labels(labels: list[str]) -> pydyf.Dictionary:
    """The catalog's /PageLabels for WeasyPrint's writer."""
    nums = pydyf.Array()
    for index, literal, start in label_ranges(labels):
        nums.append(index)
        nums.append(pydyf.Dictionary(
            {"P": pydyf.String(literal)} if literal is not None else
            {"S": "/" + DECIMAL, **({"St": start} if start != 1 else {})}))
    return pydyf.Dictionary({"Nums": nums})


def set_page_labels(pdf: pikepdf.Pdf, labels: list[str]) -> None:
    """The catalog's /PageLabels, one label per page of pdf."""
    if len(labels) != len(pdf.pages):
        raise ValueError(f"{len(labels)} page labels for {len(pdf.pages)} pages")
    nums = pikepdf.Array()
    for index, literal, start in label_ranges(labels):
        nums.append(index)
        first: dict[str, Any] = {"St": start} if start != 1 else {}  # a keyword: /St
        nums.append(pikepdf.Dictionary(P=pikepdf.String(literal)) if literal is not None else
                    pikepdf.Dictionary(S=pikepdf.Name("/" + DECIMAL), **first))
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=nums)


def page_labels(pdf: pikepdf.Pdf) -> list[str]:
    """Each page's label as a viewer shows it (qpdf's reading of the number tree)."""
    return [page.label for page in pdf.pages]


def add_page_labels(document, pdf: pydyf.PDF) -> None:
    """A WeasyPrint ``finisher``: the labels of the document's printed folios."""
    pdf.catalog["PageLabels"] = pydyf_page_labels(printed_labels(document.pages))
