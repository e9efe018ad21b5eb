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
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)
    return path
