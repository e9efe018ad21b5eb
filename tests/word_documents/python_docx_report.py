"""A chair's research report as python-docx writes it: the first of two Word writers in the tests.

Built in the test run (python-docx is a test dependency), so each test sees the exact
document. What python-docx has no call for (a hyperlink, a tracked change, a language on a
run, a highlight, a text box) is written as the WordprocessingML Word itself writes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches

HEADER_TEXT = "Draft for the chairs only"
COMMENT_TEXT = "Is this figure from 2019?"


def png(width: int = 4, height: int = 3) -> bytes:
    """A small grey PNG: the picture a chair pasted in."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _hyperlink(paragraph, text: str, address: str) -> None:
    """A link as Word writes it: a relationship to the address, and a run inside w:hyperlink."""
    relation = paragraph.part.relate_to(
        address, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "hyperlink", is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{relation}"><w:r><w:rPr>'
        f'<w:rStyle w:val="Hyperlink"/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>'))


def _run_xml(paragraph, inner: str) -> None:
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}>{inner}</w:r>'))


def write_report(path: Path, image: Path) -> Path:
    """A research report with what chairs write: see the tests for what each part checks."""
    document = docx.Document()
    document.core_properties.author = "Anna Chair"
    document.core_properties.title = ""
    document.sections[0].header.paragraphs[0].text = HEADER_TEXT
    document.sections[0].footer.paragraphs[0].add_run().add_picture(str(image))  # a logo
    document.add_paragraph("Nuclear Non-Proliferation", style="Title")
    document.add_paragraph("A research report for the Security Council", style="Subtitle")
    document.add_paragraph("Committee: Security Council")
    document.add_paragraph("Topic: Preventing the spread of nuclear weapons")
    document.add_heading("Introduction", level=1)
    intro = document.add_paragraph("The International Atomic Energy Agency (IAEA) inspects "
                                   "reactors; see ")
    _hyperlink(intro, "the Agency's own pages", "https://www.iaea.org/")
    intro.add_run(" or https://www.un.org/disarmament for more.")
    remark = document.add_paragraph("Its inspectors visited 180 countries in 2023.")
    document.add_comment(remark.runs, text=COMMENT_TEXT, author="Ben Deputy")
    marked = document.add_paragraph("Some states ")
    marked.add_run("refuse inspections").font.highlight_color = WD_COLOR_INDEX.YELLOW
    marked.add_run(". France calls it ")
    _run_xml(marked, '<w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>la dissuasion</w:t>')
    marked.add_run(".")
    changed = document.add_paragraph("The treaty entered into force in 1970")
    changed._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="90" w:author="Ben Deputy" w:date="2027-01-02T00:00:00Z">'
        '<w:r><w:t xml:space="preserve"> and was extended in 1995</w:t></w:r></w:ins>'))
    changed.add_run(".")
    bold = document.add_paragraph()
    bold.add_run("Background").bold = True
    document.add_paragraph("Nine states hold nuclear weapons.")
    document.add_paragraph("1. Verification is the first point.")
    document.add_paragraph("Bullet one", style="List Bullet")
    document.add_paragraph("Trust, but verify.", style="Quote")
    document.add_heading("Definition of Key Terms", level=1)
    document.add_paragraph("Enrichment: Raising the share of uranium-235 in uranium.")
    term = document.add_paragraph()
    term.add_run("Safeguards").bold = True
    document.add_paragraph("Measures by which the IAEA verifies that nuclear material is not "
                           "diverted.")
    document.add_heading("Major Parties Involved", level=1)
    document.add_heading("The United States", level=2)
    document.add_paragraph("Table 1: Warheads by state")
    table = document.add_table(rows=3, cols=2)
    for row, (state, count) in enumerate((("State", "Warheads"), ("Russia", "5,580"),
                                          ("United States", "5,044"))):
        for column, text in enumerate((state, count)):
            cell = table.cell(row, column).paragraphs[0]
            cell.add_run(text).bold = row == 0
    document.add_paragraph("A map of the test sites:")
    document.add_picture(str(image), width=Inches(1))
    box = document.add_paragraph("Sidebar follows.")
    _run_xml(box, '<w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="box1">'
                  '<v:textbox><w:txbxContent><w:p><w:r><w:t>Did you know? The first test '
                  'was in 1945.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
                  '</w:pict>')
    document.add_heading("Timeline of Key Events", level=1)
    for text in ("1968-07-01: The treaty opens for signature",
                 "5 March 1970: The treaty enters into force"):
        document.add_paragraph(text, style="List Bullet")
    document.save(str(path))
    _ = qn  # the namespaces module, for readers extending this document
    return path
