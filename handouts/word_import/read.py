"""Open a Word document and vet it before any library parses it: kind, size, zip, parts."""

from __future__ import annotations

import io
import os
import posixpath
import stat
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# The bound on a file: a chair's report with photographs is well under 10 MB.
MAX_DOCX_BYTES = 50 * 1024 * 1024
# A zip bomb is a small file that unpacks to gigabytes. The central directory declares each
# part's unpacked size, and Python's zipfile never returns more than that size (a part that
# lies fails its CRC check), so these bounds, checked before mammoth reads anything, hold.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024   # all parts together
MAX_XML_PART_BYTES = 64 * 1024 * 1024    # one XML part: parsed whole, at several times its size
MAX_PARTS = 10_000
# Tables in tables, content controls in content controls, links in links: mammoth reads them
# by recursion, which Python stops at about 1,000 calls (some 150 levels of links). Word's own
# documents are under 30 levels deep (a picture in a table in a table), so 100 is ample.
MAX_NESTING = 100

# A DOCTYPE, in each encoding an XML parser reads: entities are how XML parsers are attacked.
DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le",
                                                               "utf-16-be"))
PACKAGE_RELS = "_rels/.rels"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Relationships to parts that are only ever copied as bytes, never parsed: pictures, sound,
# fonts, embedded objects (an embedded web page may well hold "<!DOCTYPE html>").
BYTES_ONLY = ("/image", "/thumbnail", "/media", "/video", "/audio", "/font", "/oleObject",
              "/package")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .doc, or encrypted
ZIP_MAGIC = b"PK\x03\x04"


class ImportRefused(Exception):
    """The document cannot be imported; the message says why and what to do."""


@dataclass
class WordFile:
    """A vetted .docx: its bytes, held in memory, and its zip directory."""

    path: Path
    data: bytes
    archive: zipfile.ZipFile
    # The parts mammoth reads, found as it finds them (through the relationships).
    main: str = "word/document.xml"
    related: dict[str, str] = field(default_factory=dict)  # footnotes, endnotes, comments …

    def part(self, name: str) -> bytes | None:
        """A part's bytes, or None when the document has no such part."""
        try:
            return self.archive.read(name)
        except KeyError:
            return None

    def names(self) -> list[str]:
        return self.archive.namelist()

    def text_parts(self) -> list[str]:
        """The main text, then its footnotes and endnotes: the parts that carry the words."""
        return [self.main] + [self.related[kind] for kind in ("footnotes", "endnotes")
                              if kind in self.related]


def open_word_file(path: Path) -> WordFile:
    """The document at path, vetted; ImportRefused with one clear message otherwise."""
    shown = path.name
    suffix = path.suffix.lower()
    if suffix == ".docm":
        raise ImportRefused(f"{shown} is a macro-enabled Word document (.docm): Handouts does "
                            "not open documents that carry macros. In Word, save it as a "
                            "Word Document (.docx), then import that")
    if suffix == ".doc":
        raise ImportRefused(f"{shown} is in the old Word 97-2003 format (.doc): in Word, save "
                            "it as a Word Document (.docx), then import that")
    if suffix != ".docx":
        raise ImportRefused(f"{shown} is not a Word document: import takes .docx files (in "
                            "Google Docs: File > Download > Microsoft Word (.docx))")
    try:
        info = os.stat(path)
    except OSError as error:
        raise ImportRefused(f"{shown} cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(f"{shown} is not a file")
    if info.st_size > MAX_DOCX_BYTES:  # before reading a byte of it
        raise ImportRefused(f"{shown} is {info.st_size / 1024 / 1024:.0f} MB, more than the "
                            f"{MAX_DOCX_BYTES // 1024 // 1024} MB Handouts imports: its images "
                            "are likely very large; in Word use File > Compress Pictures, then "
                            "import it again")
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_DOCX_BYTES + 1)
    except OSError as error:
        raise ImportRefused(f"{shown} cannot be read: {error.strerror}") from None
    if len(data) > MAX_DOCX_BYTES:  # it grew since: the bound holds all the same
        raise ImportRefused(f"{shown} is more than {MAX_DOCX_BYTES // 1024 // 1024} MB")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data[:1024 * 1024]:
            raise ImportRefused(f"{shown} is protected by a password: Handouts cannot read it. "
                                "In Word, open it, remove the password (File > Info > Protect "
                                "Document > Encrypt with Password, and clear it), save, and "
                                "import it again")
        raise ImportRefused(f"{shown} is in the old Word 97-2003 format, though named .docx: "
                            "in Word, save it as a Word Document (.docx), then import that")
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused(f"{shown} is not a Word document, or it is damaged: it does not "
                            "begin as a .docx file does. Open it in Word and save it again")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(f"{shown} is damaged: its contents cannot be unpacked. Open it in "
                            "Word and save it again") from None
    _check_sizes(shown, entries)
    word = WordFile(path, data, archive)
    _check_parts(shown, word)
    return word


def _check_sizes(shown: str, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from its directory, before anything is unpacked."""
    if len(entries) > MAX_PARTS:
        raise ImportRefused(f"{shown} holds {len(entries):,} parts, more than the "
                            f"{MAX_PARTS:,} a Word document has: it is not one Handouts imports")
    total = sum(entry.file_size for entry in entries)
    # Every part, whatever its name: a relationship can have mammoth parse word/doc.bin.
    largest_xml = max((entry.file_size for entry in entries), default=0)
    if total > MAX_UNPACKED_BYTES or largest_xml > MAX_XML_PART_BYTES:
        raise ImportRefused(f"{shown} would unpack to {total / 1024 / 1024:,.0f} MB, more than "
                            f"the {MAX_UNPACKED_BYTES // 1024 // 1024} MB Handouts unpacks (or "
                            f"one part over {MAX_XML_PART_BYTES // 1024 // 1024} MB): it is "
                            "not a document Handouts imports")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ImportRefused(f"{shown} is protected by a password: Handouts cannot read it")


def _check_parts(shown: str, word: WordFile) -> None:
    """A Word document's parts: its main text, no macros, XML without a DOCTYPE."""
    try:
        named_xml = [name for name in word.names() if name.endswith((".xml", ".rels"))]
        _refuse_doctype(shown, word, named_xml)  # before any of them is parsed
        targets = _relationship_targets(shown, word)
        copied = {name for name, kinds in targets.items()
                  if kinds and all(kind.endswith(BYTES_ONLY) for kind in kinds)}
        # Every other part, whatever its name: a relationship may have mammoth parse it.
        _refuse_doctype(shown, word, [name for name in word.names()
                                      if name not in named_xml and name not in copied])
        _find_parts(shown, word)
        types = word.part("[Content_Types].xml")
        if types is None or word.part(word.main) is None:
            raise ImportRefused(f"{shown} is not a Word document, or it is damaged: it has no "
                                "document text. Open it in Word and save it again")
        if b"macroenabled" in types.lower() or "word/vbaProject.bin" in word.names():
            raise ImportRefused(f"{shown} carries macros (it is a .docm renamed .docx): in "
                                "Word, save it as a Word Document (.docx), then import that")
        for name in word.names():
            if name not in copied:
                _check_nesting(shown, name, word.part(name) or b"")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError):
        raise ImportRefused(f"{shown} is damaged: its contents cannot be unpacked. Open it in "
                            "Word and save it again") from None


def _refuse_doctype(shown: str, word: WordFile, names: list[str]) -> None:
    for name in names:
        data = word.part(name) or b""
        if any(doctype in data for doctype in DOCTYPES):
            # Office never writes one; entities are how XML parsers are attacked.
            raise ImportRefused(f"{shown} is damaged: its part {name} declares a "
                                "DOCTYPE, which Word never writes")


def _relationships(shown: str, word: WordFile, name: str) -> list[tuple[str, str]]:
    """(type, part) of each relationship a .rels part declares, the part's name made as
    mammoth makes it (no '..' resolved; external ones too, as mammoth does not skip them)."""
    data = word.part(name)
    if data is None:
        return []
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise ImportRefused(f"{shown} is damaged: its part {name} is not well-formed XML. "
                            "Open it in Word and save it again") from None
    # word/_rels/document.xml.rels speaks of parts beside word/document.xml, in word/.
    base = posixpath.dirname(posixpath.dirname(name))
    found = []
    for relation in root.iter(f"{{{RELS}}}Relationship"):
        target = relation.get("Target") or ""
        if target:
            part = target if target.startswith("/") or not base else f"{base}/{target}"
            found.append((relation.get("Type") or "", part.lstrip("/")))
    return found


def _relationship_targets(shown: str, word: WordFile) -> dict[str, set[str]]:
    """Each part some relationship names, with the kinds of relationship that name it."""
    targets: dict[str, set[str]] = {}
    for name in word.names():
        if name.endswith(".rels"):
            for kind, part in _relationships(shown, word, name):
                targets.setdefault(part, set()).add(kind)
    return targets


def _find_parts(shown: str, word: WordFile) -> None:
    """The main text and its notes and comments, where mammoth looks for them: the first
    relationship whose part exists, else Word's usual name."""
    names = set(word.names())
    main = [part for kind, part in _relationships(shown, word, PACKAGE_RELS)
            if kind == OFFICE + "officeDocument" and part in names]
    word.main = main[0] if main else "word/document.xml"
    folder, base = posixpath.split(word.main)
    relations = _relationships(shown, word, posixpath.join(folder, "_rels", base + ".rels"))
    for kind in ("footnotes", "endnotes", "comments", "styles", "numbering"):
        parts = [part for relation, part in relations
                 if relation == OFFICE + kind and part in names]
        fallback = f"word/{kind}.xml"
        if parts or fallback in names:
            word.related[kind] = parts[0] if parts else fallback


def _check_nesting(shown: str, name: str, data: bytes) -> None:
    """A part nested deeper than MAX_NESTING is refused before mammoth recurses into it."""
    depth = deepest = 0
    try:
        for event, _ in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
    except (ET.ParseError, LookupError, ValueError):
        pass  # not XML (a picture, say), or damaged: mammoth or the inventory says so
    if deepest > MAX_NESTING:
        raise nested_too_deeply(shown, f"its part {name} is {deepest:,} levels deep, and the "
                                f"most Handouts reads is {MAX_NESTING}")


def nested_too_deeply(shown: str, detail: str) -> ImportRefused:
    """The refusal for tables in tables (or lists, content controls, links) past reading."""
    return ImportRefused(f"{shown} has tables (or lists, content controls or links) nested "
                         f"inside one another too deeply to import: {detail}. In Word, take "
                         "the text out of the nested tables or boxes, save, and import it "
                         "again")
