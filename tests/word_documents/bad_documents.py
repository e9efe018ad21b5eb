"""Documents import must refuse, each made from a good one: see test_word_import.py."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
from pathlib import Path

from word_documents.python_docx_report import png

FIXTURES = Path(__file__).parent


def rewritten(source: Path, target: Path, edits: dict) -> Path:
    """A copy of a .docx with some parts changed: edits maps a part's name to a function."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, edits.get(item.filename, lambda data: data)(data))
    return target


def linked_image(source: Path, target: Path) -> Path:
    secret = target.parent / "secret.png"
    secret.write_bytes(png(2, 2))

    def link(rels: bytes) -> bytes:
        return re.sub(rb'Target="media/image1.png"',
                      b'Target="' + secret.as_uri().encode() + b'" TargetMode="External"', rels)
    return rewritten(source, target, {"word/_rels/document.xml.rels": link,
                                      "word/document.xml":
                                      lambda xml: xml.replace(b"r:embed=", b"r:link=")})


def zip_bomb(source: Path, target: Path) -> Path:
    """A document whose directory says its text unpacks to 300 MB."""
    data = bytearray(source.read_bytes())
    name = b"word/document.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 24, 300 * 1024 * 1024)
        at = data.find(b"PK\x01\x02", at + 4)
    target.write_bytes(bytes(data))
    return target


SYSTEM_ENTITY = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
LAUGHS = b"<!DOCTYPE w:document [<!ENTITY a0 'ha'>" + b"".join(
    b"<!ENTITY a%d '%s'>" % (level, b"&a%d;" % (level - 1) * 10) for level in range(1, 9)) + \
    b"]>"


def with_body(source: Path, target: Path, xml: str) -> Path:
    """A copy of a .docx with xml (WordprocessingML, w: prefix) added at the end of its text."""
    return rewritten(source, target, {"word/document.xml": lambda data: data.replace(
        b"<w:sectPr", xml.encode() + b"<w:sectPr", 1)})


def nested(kind: str, levels: int) -> str:
    """A paragraph inside `levels` tables, content controls or links, one in another."""
    opening, closing = {
        "tables": ("<w:tbl><w:tr><w:tc>", "<w:p/></w:tc></w:tr></w:tbl>"),
        "content-controls": ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
        "links": ('<w:p><w:hyperlink w:anchor="a">', "</w:hyperlink></w:p>")}[kind]
    deepest = "<w:r><w:t>deep</w:t></w:r>" if kind == "links" else \
        "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    if kind == "links":  # links nest inside one paragraph
        opening, closing = opening[5:], closing[:-6]
        return "<w:p>" + opening * levels + deepest + closing * levels + "</w:p>"
    return opening * levels + deepest + closing * levels


def main_part_renamed(source: Path, target: Path, prolog: bytes) -> Path:
    """The text moved to word/doc.bin, prolog added, and the package pointed at it."""
    with zipfile.ZipFile(source) as old:
        text = old.read("word/document.xml")
        relations = old.read("word/_rels/document.xml.rels")
    rewritten(source, target, {"_rels/.rels": lambda rels: rels.replace(
        b'Target="word/document.xml"', b'Target="word/doc.bin"')})
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("word/doc.bin", text.replace(b"?>", b"?>" + prolog, 1))
        archive.writestr("word/_rels/doc.bin.rels", relations)
    return target


def _utf16_doctype(xml: bytes) -> bytes:
    text = re.sub(r"encoding=.UTF-8.", 'encoding="UTF-16"', xml.decode("utf-8"), count=1)
    return text.replace("?>", '?><!DOCTYPE w:document [<!ENTITY e "e">]>', 1).encode("utf-16")


DEEP = "nested inside one another too deeply to import: its part word/document.xml is"
BAD_INPUTS = {
    "not-a-docx": (lambda good, folder: _write(folder / "notes.txt", b"Notes"),
                   "is not a Word document: import takes .docx files"),
    "pdf-named-docx": (lambda good, folder: _write(folder / "report.docx", b"%PDF-1.7\n"),
                       "does not begin as a .docx file does"),
    "corrupt": (lambda good, folder: _write(folder / "cut.docx", good.read_bytes()[:3000]),
                "is damaged"),
    "password": (lambda good, folder: shutil.copy(FIXTURES / "password-protected.docx",
                                                  folder / "locked.docx"),
                 "is protected by a password"),
    "old-doc": (lambda good, folder: _write(folder / "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1"
                                            b"\x1a\xe1" + bytes(2000)),
                "old Word 97-2003 format"),
    "docm": (lambda good, folder: shutil.copy(good, folder / "macros.docm"),
             "macro-enabled Word document (.docm)"),
    "docm-renamed": (lambda good, folder: rewritten(good, folder / "renamed.docx", {
        "[Content_Types].xml": lambda xml: xml.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml")}), "carries macros"),
    "over-50-mb": (lambda good, folder: _sparse(folder / "huge.docx", 51 * 1024 * 1024),
                   "is 51 MB, more than the 50 MB Handouts imports"),
    "linked-image": (lambda good, folder: linked_image(good, folder / "linked.docx"),
                     "Handouts never fetches linked files"),
    "doctype": (lambda good, folder: rewritten(good, folder / "entities.docx", {
        "word/document.xml": lambda xml: xml.replace(
            b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "e">]>', 1)}),
        "declares a DOCTYPE, which Word never writes"),
    "zip-bomb": (lambda good, folder: zip_bomb(good, folder / "bomb.docx"),
                 "would unpack to 301 MB, more than the 256 MB"),
    # A part mammoth parses, whatever its name: the package may point at any part.
    "doctype-in-a-part-not-named-xml": (
        lambda good, folder: main_part_renamed(good, folder / "bin.docx", SYSTEM_ENTITY),
        "its part word/doc.bin declares a DOCTYPE, which Word never writes"),
    "billion-laughs-in-a-part-not-named-xml": (
        lambda good, folder: main_part_renamed(good, folder / "laughs.docx", LAUGHS),
        "its part word/doc.bin declares a DOCTYPE, which Word never writes"),
    "doctype-in-utf-16": (lambda good, folder: rewritten(good, folder / "utf16.docx", {
        "word/document.xml": _utf16_doctype}),
        "its part word/document.xml declares a DOCTYPE, which Word never writes"),
    "footnote-mark-without-its-footnote": (lambda good, folder: with_body(
        good, folder / "mark.docx", "<w:p><w:r><w:t>Claimed.</w:t></w:r><w:r>"
        '<w:footnoteReference w:id="7"/></w:r></w:p>'),
        "a footnote mark (in 'Claimed.') refers to a footnote the document does not have"),
    "3000-nested-tables": (lambda good, folder: with_body(
        good, folder / "tables.docx", nested("tables", 3000)), DEEP + " 9,00"),
    "3000-nested-content-controls": (lambda good, folder: with_body(
        good, folder / "controls.docx", nested("content-controls", 3000)), DEEP + " 6,00"),
    "3000-nested-links": (lambda good, folder: with_body(
        good, folder / "links.docx", nested("links", 3000)), DEEP + " 3,00"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)
    return path
