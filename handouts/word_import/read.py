"""Open a Word document and vet it before any library parses it: kind, size, zip, parts."""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

# The bound on a file: a chair's report with photographs is well under 10 MB.
MAX_DOCX_BYTES = 50 * 1024 * 1024
# A zip bomb is a small file that unpacks to gigabytes. The central directory declares each
# part's unpacked size, and Python's zipfile never returns more than that size (a part that
# lies fails its CRC check), so these bounds, checked before mammoth reads anything, hold.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024   # all parts together
MAX_XML_PART_BYTES = 64 * 1024 * 1024    # one XML part: parsed whole, at several times its size
MAX_PARTS = 10_000

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

    def part(self, name: str) -> bytes | None:
        """A part's bytes, or None when the document has no such part."""
        try:
            return self.archive.read(name)
        except KeyError:
            return None

    def names(self) -> list[str]:
        return self.archive.namelist()


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
    largest_xml = max((entry.file_size for entry in entries
                       if entry.filename.endswith((".xml", ".rels"))), default=0)
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
        types = word.part("[Content_Types].xml")
        if types is None or word.part("word/document.xml") is None:
            raise ImportRefused(f"{shown} is not a Word document, or it is damaged: it has no "
                                "document text. Open it in Word and save it again")
        if b"macroenabled" in types.lower() or "word/vbaProject.bin" in word.names():
            raise ImportRefused(f"{shown} carries macros (it is a .docm renamed .docx): in "
                                "Word, save it as a Word Document (.docx), then import that")
        for name in word.names():
            if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in (word.part(name) or b""):
                # Office never writes one; entities are how XML parsers are attacked.
                raise ImportRefused(f"{shown} is damaged: its part {name} declares a "
                                    "DOCTYPE, which Word never writes")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError):
        raise ImportRefused(f"{shown} is damaged: its contents cannot be unpacked. Open it in "
                            "Word and save it again") from None
