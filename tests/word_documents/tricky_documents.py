"""Documents import must take, though they are unusual: see test_word_import.py."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from word_documents.bad_documents import nested, rewritten, with_body

MAIN = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def soft_breaks(folder: Path) -> Path:
    """Opening lines broken with Shift+Enter (a line break inside the paragraph)."""
    document = docx.Document()
    for style, before, after in (("Title", "Nuclear", "Non-Proliferation"),
                                 ("Subtitle", "A report", "for the Council"),
                                 (None, "Committee: Security", "Council"),
                                 (None, "Authors: Anna Chair", "Ben Deputy")):
        paragraph = document.add_paragraph(style=style)
        paragraph.add_run(before).add_break()
        paragraph.add_run(after)
    document.add_heading("Introduction", level=1)
    document.add_paragraph("The treaty entered into force in 1970.")
    path = folder / "breaks.docx"
    document.save(str(path))
    return path


def two_footnotes_one_number(folder: Path) -> Path:
    """Two footnotes with the same id, as a damaged file or another program may write."""
    document = docx.Document()
    document.add_paragraph("Title of the report", style="Title")
    document.add_paragraph("Resolution 1540 binds every state.")._p.append(docx.oxml.parse_xml(
        f'<w:r {MAIN}><w:footnoteReference w:id="1"/></w:r>'))
    path = folder / "notes.docx"
    document.save(str(path))
    notes = "".join(f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
                    for text in ("Adopted in 2003.", "Adopted in 2004."))
    with zipfile.ZipFile(path, "a") as archive:  # where mammoth looks when no relation says
        archive.writestr("word/footnotes.xml", f"<w:footnotes {MAIN}>{notes}</w:footnotes>")
    return path


def endnotes(folder: Path) -> Path:
    """python-docx writes no endnotes: the part is added as Word writes it, under another
    name its relationship gives (Word names it endnotes.xml; mammoth follows the relation)."""
    document = docx.Document()
    document.add_paragraph("Title of the report", style="Title")
    document.add_paragraph("Resolution 1540 binds every state.")._p.append(docx.oxml.parse_xml(
        f'<w:r {MAIN}><w:endnoteReference w:id="1"/></w:r>'))
    document.save(str(folder / "plain.docx"))
    relation = (b'<Relationship Id="rIdEnd" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/endnotes" Target="notes-at-end.xml"/>'
                b'</Relationships>')
    path = rewritten(folder / "plain.docx", folder / "notes.docx", {
        "word/_rels/document.xml.rels": lambda xml: xml.replace(b"</Relationships>",
                                                                relation)})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/notes-at-end.xml", f'<w:endnotes {MAIN}><w:endnote w:id="1">'
                         "<w:p><w:r><w:t>Adopted in 2004.</w:t></w:r></w:p></w:endnote>"
                         "</w:endnotes>")
    return path


def nested_tables(folder: Path, levels: int = 31) -> Path:
    """Tables in tables, as deep as Handouts reads them (100 levels of Word's XML)."""
    document = docx.Document()
    document.add_paragraph("Tables in tables", style="Title")
    document.save(str(folder / "plain.docx"))
    return with_body(folder / "plain.docx", folder / "tables.docx", nested("tables", levels))


# case: (make, lines the file holds, {review item: the line it points at})
TRICKY = {
    "soft-line-breaks-in-opening-lines": (soft_breaks, [
        "title: Nuclear Non-Proliferation", "subtitle: A report for the Council",
        "committee: Security Council", "authors:", "- Anna Chair", "- Ben Deputy"], {}),
    "endnotes-become-notes-after-the-footnotes-they-follow": (endnotes, [
        "Resolution 1540 binds every state.[^1]", "[^1]: Adopted in 2004."], {}),
    "two-footnotes-with-one-number": (two_footnotes_one_number, [
        "Resolution 1540 binds every state.[^1]", "[^1]: Adopted in 2004."], {
        "the footnote 'Adopted in 2003.' was left out": "[^1]: Adopted in 2004."}),
    "31-nested-tables": (nested_tables, ["| deep |"], {
        "a list or table inside a table cell": "| deep |"}),
}
