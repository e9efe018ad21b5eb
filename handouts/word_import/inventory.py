"""What the document holds that mammoth does not carry, read from its XML with xml.etree.

Comments, tracked changes, text boxes, headers and footers, highlights and colours, language
marked on runs, charts and equations, linked images: each becomes a review item (or, for a
linked image, a refusal), so that nothing is dropped without a word.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .read import ImportRefused, WordFile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
IMAGE_TYPE = "/image"
PLAIN_COLOURS = {"auto", "000000", "none", ""}


@dataclass
class Finding:
    """Something a person must check; needle is text of the paragraph it concerns."""

    message: str
    needle: str = ""


@dataclass
class Inventory:
    properties: dict[str, str] = field(default_factory=dict)
    default_lang: str = ""
    findings: list[Finding] = field(default_factory=list)
    foreign_runs: list[tuple[str, str]] = field(default_factory=list)  # (text, lang)


def take_inventory(word: WordFile) -> Inventory:
    """The document's properties and what mammoth leaves out; refuses linked images."""
    _refuse_linked_images(word)
    found = Inventory(properties=_core_properties(word), default_lang=_default_lang(word))
    _check_notes(word, found)
    comments = _comments(word)
    for name in word.text_parts():
        root = _xml(word, name)
        if root is not None:
            _scan(root, found, comments)
    for name in sorted(word.names()):
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            root = _xml(word, name)
            if root is None:
                continue
            text = " ".join(_text(root).split())
            kind = "header" if "header" in name else "footer"
            if text:
                found.findings.append(Finding(
                    f"the page {kind} '{_short(text)}' was left out: Handouts prints its own "
                    f"running {kind}s; move anything the reader needs into the text"))
            if any(True for _ in root.iter(W + "drawing")) or \
                    any(True for _ in root.iter(W + "pict")):
                found.findings.append(Finding(
                    f"a picture in the page {kind} (a logo, say) was left out: add it to the "
                    "text if the reader needs it"))
    _main_language(found, len(_text(_xml(word, word.main))))
    # Word writes a text box twice (for new and old readers): one finding for both.
    unique = {(finding.message, finding.needle): finding for finding in found.findings}
    found.findings = list(unique.values())
    if comments:
        for author, text in comments.values():
            found.findings.append(Finding(f"a comment by {author} ('{_short(text)}') was left "
                                          "out: settle it with the author"))
    return found


def _main_language(found: Inventory, total: int) -> None:
    """The language most of the text is marked in, when no default says it or it says
    another (a French report typed from an English template): the document's language."""
    sizes: dict[str, int] = {}
    tags: dict[str, str] = {}
    for text, lang in found.foreign_runs:
        primary = lang.split("-")[0].lower()
        sizes[primary] = sizes.get(primary, 0) + len(text)
        tags.setdefault(primary, lang)
    if not sizes:
        return
    main = max(sizes, key=lambda primary: sizes[primary])
    if found.default_lang and sizes[main] * 2 <= total:
        return
    found.default_lang = tags[main]
    found.foreign_runs = [(text, lang) for text, lang in found.foreign_runs
                          if lang.split("-")[0].lower() != main]


def _xml(word: WordFile, name: str) -> ET.Element | None:
    data = word.part(name)
    if data is None:
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        raise ImportRefused(f"{word.path.name} is damaged: its part {name} is not well-formed "
                            "XML. Open it in Word and save it again") from None


def _text(element: ET.Element | None) -> str:
    """A paragraph's text as accepted: inserted text kept, deleted text left out."""
    if element is None:
        return ""
    return "".join(node.text or "" for node in element.iter(W + "t"))


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _refuse_linked_images(word: WordFile) -> None:
    """A picture linked to a file or address is never fetched: the import stops."""
    for name in word.names():
        if not name.endswith(".rels"):
            continue
        root = _xml(word, name)
        if root is None:
            continue
        for relation in root.iter(PR + "Relationship"):
            if relation.get("TargetMode") == "External" and \
                    (relation.get("Type") or "").endswith(IMAGE_TYPE):
                target = _short(relation.get("Target") or "", 80)
                raise ImportRefused(
                    f"{word.path.name} shows a picture linked to {target}, not saved in the "
                    "document: Handouts never fetches linked files. In Word, use File > Info > "
                    "Edit Links to Files, tick 'Save picture in document' and 'Break link', "
                    "save, and import it again")
    for name in word.text_parts():
        root = _xml(word, name)
        if root is None:
            continue
        for instruction in root.iter(W + "instrText"):
            if "INCLUDEPICTURE" in (instruction.text or "").upper():
                raise ImportRefused(
                    f"{word.path.name} shows a picture through an INCLUDEPICTURE field, "
                    "linked to a file or address: Handouts never fetches linked files. Paste "
                    "the picture itself into the document, save, and import it again")


def _check_notes(word: WordFile, found: Inventory) -> None:
    """Every note mark has its note (else mammoth fails), and no two notes share a number
    (mammoth keeps the last of them): the one left out is on the review list."""
    for kind in ("footnote", "endnote"):
        root = _xml(word, word.related.get(kind + "s", ""))
        notes: dict[str, list[str]] = {}
        for note in root.iter(W + kind) if root is not None else ():
            if note.get(W + "type") not in ("separator", "continuationSeparator"):
                notes.setdefault(note.get(W + "id") or "", []).append(
                    " ".join(_text(note).split()))
        for texts in notes.values():
            for text in texts[:-1]:
                found.findings.append(Finding(
                    f"two {kind}s had the same number in the document's file, and only the "
                    f"last was kept: the {kind} '{_short(text) or '(empty)'}' was left out; "
                    "add it back where it belongs", texts[-1]))
        for name in word.text_parts():
            part = _xml(word, name)
            for paragraph in part.iter(W + "p") if part is not None else ():
                for mark in paragraph.iter(W + kind + "Reference"):
                    if mark.get(W + "id") not in notes:
                        raise ImportRefused(
                            f"{word.path.name} is damaged: a {kind} mark (in "
                            f"'{_short(_text(paragraph)) or 'an empty paragraph'}') refers to a "
                            f"{kind} the document does not have. In Word, delete that mark "
                            "and insert the note again, save, and import it again")


def _core_properties(word: WordFile) -> dict[str, str]:
    root = _xml(word, "docProps/core.xml")
    properties: dict[str, str] = {}
    if root is None:
        return properties
    for key, tag in (("title", DC + "title"), ("creator", DC + "creator"),
                     ("language", DC + "language"), ("created", DCTERMS + "created"),
                     ("subject", DC + "subject")):
        element = root.find(tag)
        words = " ".join((element.text or "").split()) if element is not None else ""
        if words:
            properties[key] = words
    return properties


def _default_lang(word: WordFile) -> str:
    root = _xml(word, word.related.get("styles", "word/styles.xml"))
    if root is None:
        return ""
    lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return (lang.get(W + "val") or "") if lang is not None else ""


def _comments(word: WordFile) -> dict[str, tuple[str, str]]:
    root = _xml(word, word.related.get("comments", "word/comments.xml"))
    if root is None:
        return {}
    return {comment.get(W + "id") or "": (comment.get(W + "author") or "someone",
                                    " ".join(_text(comment).split()))
            for comment in root.iter(W + "comment")}


def _scan(root: ET.Element, found: Inventory, comments: dict) -> None:
    """Each paragraph: its changes, comments, text boxes, colours, languages, objects."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for paragraph in root.iter(W + "p"):
        if any(ancestor.tag == W + "txbxContent"
               for ancestor in _ancestors(paragraph, parents)):
            continue  # a text box's paragraphs are reported with the text box
        needle = _text(paragraph)
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and re.fullmatch(r"(?i)toc\s?\d|tocheading",
                                              style.get(W + "val") or ""):
            found.findings.append(Finding("the table of contents was left out: Handouts makes "
                                          "its own from the headings"))
            continue
        _changes(paragraph, needle, found)
        for reference in paragraph.iter(W + "commentRangeStart"):
            comment = comments.pop(reference.get(W + "id"), None)
            if comment:
                found.findings.append(Finding(
                    f"a comment by {comment[0]} ('{_short(comment[1])}') was left out: "
                    "settle it with the author", needle))
        for box in paragraph.iter(W + "txbxContent"):
            boxed = " ".join(_text(box).split())
            if boxed:  # mammoth writes a text box's text after its paragraph
                found.findings.append(Finding(
                    f"a text box ('{_short(boxed)}') was placed here, after the paragraph "
                    "that held it: move it where it belongs, or remove it",
                    " ".join(_text(box.find(W + "p")).split())))
        _objects(paragraph, needle, found)
        _runs(paragraph, parents, needle, found)


def _ancestors(element, parents):
    while element in parents:
        element = parents[element]
        yield element


def _changes(paragraph: ET.Element, needle: str, found: Inventory) -> None:
    inserted = sum(1 for _ in paragraph.iter(W + "ins")) + \
        sum(1 for _ in paragraph.iter(W + "moveTo"))
    deleted = sum(1 for _ in paragraph.iter(W + "del")) + \
        sum(1 for _ in paragraph.iter(W + "moveFrom"))
    restyled = sum(1 for tag in ("rPrChange", "pPrChange") for _ in paragraph.iter(W + tag))
    if inserted or deleted or restyled:
        kinds = [f"{count} {what}" for count, what in ((inserted, "insertion(s)"),
                 (deleted, "deletion(s)"), (restyled, "formatting change(s)")) if count]
        found.findings.append(Finding(
            f"tracked changes ({', '.join(kinds)}) were taken as accepted: check this "
            "paragraph with the author", needle))


def _objects(paragraph: ET.Element, needle: str, found: Inventory) -> None:
    graphic = {data.get("uri", "") for data in paragraph.iter(A + "graphicData")}
    what = []
    if any(uri.endswith("/chart") for uri in graphic):
        what.append("a chart")
    if any(uri.endswith("/diagram") for uri in graphic):
        what.append("a SmartArt diagram")
    if any(True for _ in paragraph.iter(W + "object")):
        what.append("an embedded object")
    if any(True for _ in paragraph.iter(M + "oMath")):
        what.append("an equation")
    for thing in what:
        found.findings.append(Finding(
            f"{thing} was left out: save it as a picture (PNG) in content/assets/ and add it "
            "with a description", needle))


def _runs(paragraph: ET.Element, parents: dict, needle: str, found: Inventory) -> None:
    marked = []
    for run in paragraph.iter(W + "r"):
        text = "".join(node.text or "" for node in run.iter(W + "t"))
        properties = run.find(W + "rPr")
        if not text.strip() or properties is None:
            continue
        in_link = any(ancestor.tag == W + "hyperlink" for ancestor in _ancestors(run, parents))
        style = properties.find(W + "rStyle")
        if style is not None and "hyperlink" in (style.get(W + "val") or "").lower():
            in_link = True
        highlight = properties.find(W + "highlight")
        colour = properties.find(W + "color")
        shading = properties.find(W + "shd")
        if (highlight is not None and highlight.get(W + "val") not in PLAIN_COLOURS) or \
                (shading is not None and (shading.get(W + "fill") or "").lower()
                 not in PLAIN_COLOURS) or \
                (not in_link and colour is not None and
                 (colour.get(W + "val") or "").lower() not in PLAIN_COLOURS):
            marked.append(text)
        lang = properties.find(W + "lang")
        value = lang.get(W + "val") if lang is not None else None
        if value and value.split("-")[0].lower() != found.default_lang.split("-")[0].lower():
            if found.foreign_runs and found.foreign_runs[-1][1] == value and \
                    found.foreign_runs[-1][0] + text in needle:
                found.foreign_runs[-1] = (found.foreign_runs[-1][0] + text, value)
            else:
                found.foreign_runs.append((text, value))
    if marked:
        found.findings.append(Finding(
            f"'{_short(' '.join(marked))}' was coloured or highlighted in Word, which the "
            "handout does not show: if the colour carried meaning, say it in words", needle))
