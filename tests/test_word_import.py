"""handouts import: a chair's Word document in, a handout that builds, and a review list.

Documents from two writers: python-docx, in the test run (word_documents/python_docx_report.py),
and pandoc, committed (word_documents/*.docx, made by scripts/make_word_fixtures.sh).
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from testing_utils import run_cli
from word_documents.bad_documents import BAD_INPUTS, rewritten
from word_documents.python_docx_report import (
    COMMENT_TEXT,
    HEADER_TEXT,
    png,
    write_report,
)
from word_documents.tricky_documents import TRICKY

FIXTURES = Path(__file__).parent / "word_documents"
REVIEW_LINE = re.compile(r"^(content/[\w.-]+\.md):(\d+): (.*)$")


def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "content").mkdir(parents=True)
    return root


def files_under(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def imported(tmp_path: Path, document: Path, *options: str) -> tuple[Path, list[str], dict]:
    """Import into a fresh project: the new file's lines, and the review list by message."""
    root = project(tmp_path)
    run = run_cli("--project", root, "import", document, *options)
    assert run.status == 0, run.err
    written = next((root / "content").glob("*.md"))
    lines = written.read_text(encoding="utf-8").split("\n")
    review = {}
    for line in run.out.splitlines():
        match = REVIEW_LINE.match(line)
        if match:
            review.setdefault(match[3], []).append(int(match[2]))
    return root, lines, {"by_message": review, "out": run.out}


@pytest.fixture(scope="module")
def python_docx_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("word")
    (folder / "map.png").write_bytes(png())
    return write_report(folder / "Security Council report.docx", folder / "map.png")


def line_of_review(review: dict, fragment: str) -> int:
    found = [number for message, numbers in review["by_message"].items()
             if fragment in message for number in numbers]
    assert len(found) == 1, (fragment, review["out"])
    return found[0]


def test_front_matter_and_outline_from_python_docx(tmp_path, python_docx_report):
    root, lines, _ = imported(tmp_path, python_docx_report)
    text = "\n".join(lines)
    assert (root / "content" / "security-council-report.md").is_file()
    assert text.startswith("---\ntitle: Nuclear Non-Proliferation\n"
                           "subtitle: A research report for the Security Council\n"
                           "committee: Security Council\n"
                           "topic: Preventing the spread of nuclear weapons\n"
                           "authors:\n- Anna Chair\n")
    assert "\nlang: en-US\nstatus: draft\n---\n" in text
    headings = [line for line in lines if line.startswith("#")]
    assert headings == ["## Introduction", "### Background",
                        "## Definition of Key Terms {: .glossary }", "## Major Parties Involved",
                        "### The United States", "## Timeline of Key Events {: .timeline }"]
    assert "Enrichment\n:   Raising the share of uranium-235 in uranium.\n" in text
    assert "Safeguards\n:   Measures by which the IAEA verifies" in text
    assert "Table: Warheads by state\n\n| State | Warheads |\n|---|---|\n| Russia | 5,580 |" \
        in text
    assert "[the Agency's own pages](https://www.iaea.org/)" in text
    assert "<https://www.un.org/disarmament>" in text
    assert "France calls it [la dissuasion]{: lang=fr-FR }." in text
    assert "The treaty entered into force in 1970 and was extended in 1995." in text
    assert "1\\. Verification is the first point." in text  # not silently a list
    assert "> Trust, but verify." in lines
    assert "- 1968-07-01: The treaty opens for signature\n- 5 March 1970: The treaty" in text
    assert "*[IAEA]: International Atomic Energy Agency" in lines
    picture = root / "content" / "assets" / "security-council-report" / "image-1.png"
    assert picture.read_bytes() == png()
    assert "![](assets/security-council-report/image-1.png)" in lines
    assert HEADER_TEXT not in text and COMMENT_TEXT not in text


def test_review_list_points_at_the_lines_of_the_new_file(tmp_path, python_docx_report):
    _, lines, review = imported(tmp_path, python_docx_report)
    expected = {  # what the review item says -> what its line of the new file holds
        "a bold line was made a heading": "### Background",
        "has no description": "![](assets/security-council-report/image-1.png)",
        "a comment by Ben Deputy": "Its inspectors visited 180 countries in 2023.",
        "was coloured or highlighted": "Some states refuse inspections.",
        "tracked changes (1 insertion(s))": "The treaty entered into force in 1970",
        "a text box ('Did you know?": "Did you know? The first test was in 1945.",
        "numbering or a bullet typed by hand": "1\\. Verification is the first point.",
        "the abbreviation IAEA": "*[IAEA]: International Atomic Energy Agency",
        "the authors come from the document's properties": "authors:",
        "set status: final": "status: draft",
    }
    for fragment, start in expected.items():
        line = line_of_review(review, fragment)
        assert lines[line - 1].startswith(start), (fragment, line, lines[line - 1])
    assert f"content/security-council-report.md: the page header '{HEADER_TEXT}' was left " \
        "out" in review["out"]
    assert "content/security-council-report.md: a picture in the page footer (a logo, say) " \
        "was left out" in review["out"]


def test_the_imported_handout_builds_once_the_review_list_is_done(tmp_path, python_docx_report):
    root, _, review = imported(tmp_path, python_docx_report)
    image_line = line_of_review(review, "has no description")
    run = run_cli("--project", root, "build")
    errors = [line for line in run.err.splitlines()
              if REVIEW_LINE.match(line) and ": warning: " not in line]
    assert run.status == 1
    assert errors and all(line.startswith(f"content/security-council-report.md:{image_line}: "
                                          "the image") for line in errors), run.err
    path = root / "content" / "security-council-report.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "![](", "![A map of the test sites, marked with dots]("), encoding="utf-8")
    run = run_cli("--project", root, "build")
    assert run.status == 0, run.err
    assert (root / "dist" / "pdf" / "security-council-report.pdf").is_file()


def test_pandoc_report_footnotes_lists_images_and_table(tmp_path):
    root, lines, review = imported(tmp_path, FIXTURES / "pandoc-report.docx")
    text = "\n".join(lines)
    assert "authors:\n- Anna Chair\n- Ben Deputy\ndate: 2027-01-15\nlang: en-GB\n" in text
    assert "home computers[^1] and cheaper access to the " \
        "[World Wide Web](https://www.w3.org/History.html)" in text
    assert "[^1]: Personal computers became common in homes during the 1990s." in lines
    assert "[^2]: Based at University College Cork, Ireland." in lines
    assert "- Interpol\n    - Crimes against Children unit\n    - Specialists group\n" \
        "- Europol" in text
    assert "1. Detect\n2. Prosecute" in text
    described = ("![A map of Europe with the member countries of the project shaded]"
                 "(assets/pandoc-report/image-1.png")
    assert any(line.startswith(described) for line in lines)
    assert (root / "content" / "assets" / "pandoc-report" / "image-2.png").is_file()
    file_name_line = line_of_review(review, "has only a file name as its description")
    assert lines[file_name_line - 1].startswith("![](assets/pandoc-report/image-2.png")
    assert "| Level | Name | Description |\n|---|---|---|\n| 1 | Indicative |" in text
    assert "## Definition of Key Terms {: .glossary }\n\nChildren’s rights\n:   The rights" \
        in text
    assert "### Scale of the problem" in lines
    assert "- 1989-11-20: Convention on the Rights of the Child" in lines
    assert "*[COPINE]: Combating Paedophile Information Network in Europe" in lines
    assert "content/pandoc-report.md: the table of contents was left out" in review["out"]
    assert lines.count("## Introduction") == 1 and text.count("Introduction") == 1


def test_french_report_builds_with_glossary_table_and_chronology(tmp_path):
    root, lines, _ = imported(tmp_path, FIXTURES / "pandoc-rapport.docx")
    text = "\n".join(lines)
    assert "committee: UNESCO\ntopic: Protéger le patrimoine culturel en temps de guerre\n" \
        in text
    assert "lang: fr-FR" in lines
    assert "## Glossaire {: .glossary }\n\nPatrimoine\n:   Ce que les générations " \
        "transmettent.\n\nBouclier bleu\n:   L’emblème" in text
    assert "Terme" not in text  # the table's header row is not a term
    assert "- 14 mai 1954: La Convention de La Haye est adoptée" in lines
    assert "culturels. Voir <https://www.unesco.org/>.\n" in text
    run = run_cli("--project", root, "build")
    assert run.status == 0, run.err


def test_the_example_report_through_word_keeps_every_part_and_builds(tmp_path):
    """The example report, once a Word document, back through Word (pandoc) and import."""
    original = (Path(__file__).parents[1] / "content" /
                "interpol-cyber-child-abuse-material.md").read_text(encoding="utf-8")
    root, lines, _ = imported(tmp_path, FIXTURES / "pandoc-interpol.docx")
    text = "\n".join(lines)

    def count(pattern: str, markdown: str) -> int:
        body = markdown.split("\n---\n", 1)[1]
        return len(re.findall(pattern, body, flags=re.MULTILINE))
    for what, pattern in (("links", r"\]\(https?://"), ("table rows", r"^\| "),
                          ("list items", r"^\s*- "), ("headings", r"^##"),
                          ("definitions", r"^:   ")):
        assert count(pattern, text) == count(pattern, original), what
    for heading in ("## Definition of Key Terms {: .glossary }",
                    "## Timeline of Key Events {: .timeline }"):
        assert heading in lines
    assert "Table: The COPINE scale of severity of child abuse images (1997)" in lines
    for line in ("*[COPINE]: Combating Paedophile Information Network in Europe",
                 "*[ICSE DB]: International Child Sexual Exploitation image database",
                 "*[EPCTF]: European Chief of Police Task Force"):
        assert line in original.split("\n") and line in lines
    run = run_cli("--project", root, "build")
    assert run.status == 0, run.err


def test_spanish_opening_lines_and_key_terms(tmp_path):
    document = docx.Document()
    document.add_paragraph("Informe de investigación", style="Title")
    document.add_paragraph("Comisión: Consejo de Seguridad")
    document.add_paragraph("Tema: La no proliferación nuclear")
    document.add_paragraph("Fecha: 15 de enero de 2027")
    document.add_heading("Glosario", level=1)
    document.add_paragraph("Salvaguardias: Medidas de verificación del OIEA.")
    document.save(str(tmp_path / "informe.docx"))
    _, lines, _ = imported(tmp_path, tmp_path / "informe.docx", "--slug", "informe-cs")
    text = "\n".join(lines)
    assert "title: Informe de investigación\ncommittee: Consejo de Seguridad\n" \
        "topic: La no proliferación nuclear\ndate: 2027-01-15\n" in text
    assert "## Glosario {: .glossary }\n\nSalvaguardias\n:   Medidas de verificación" in text


def test_a_plain_first_row_and_a_metafile_picture_are_in_the_review_list(tmp_path):
    """A table whose first row Word never marked, and an EMF picture browsers cannot show."""
    (tmp_path / "logo.png").write_bytes(png())
    document = docx.Document()
    document.add_paragraph("Report", style="Title")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate((("Country", "Votes"), ("Chad", "3"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_picture(str(tmp_path / "logo.png"))
    document.save(str(tmp_path / "plain.docx"))
    emf = rewritten(tmp_path / "plain.docx", tmp_path / "metafile.docx", {
        "word/_rels/document.xml.rels": lambda xml: xml.replace(b"image1.png", b"image1.emf"),
        "[Content_Types].xml": lambda xml: xml.replace(
            b"<Default Extension=\"png\"", b"<Default Extension=\"emf\" "
            b"ContentType=\"image/x-emf\"/><Default Extension=\"png\""),
    })
    with zipfile.ZipFile(emf) as archive:
        names = archive.namelist()
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(emf) as old, zipfile.ZipFile(renamed, "w") as new:
        for name in names:
            new.writestr(name.replace("image1.png", "image1.emf"), old.read(name))
    root, lines, review = imported(tmp_path, renamed)
    header = line_of_review(review, "the table's first row was taken as its header row")
    assert lines[header - 1:header + 2] == ["| Country | Votes |", "|---|---|", "| Chad | 3 |"]
    picture = line_of_review(review, "is in Word as image/x-emf, which browsers cannot show")
    assert lines[picture - 1] == "![](assets/renamed/image-1.png)"
    assert not (root / "content" / "assets" / "renamed").exists()
    run = run_cli("--project", root, "build")
    errors = [line for line in run.err.splitlines()
              if REVIEW_LINE.match(line) and ": warning: " not in line]
    assert run.status == 1
    assert errors and all(line.startswith(f"content/renamed.md:{picture}: ") for line in errors)


LITERALS = ["*[FAKE]: not an abbreviation", "Use {: .glossary } here", "# not a heading",
            "<script>alert(1)</script> & &amp; stays", "A note mark [^1] typed",
            "!!! content-note", "- not a list", "under_scores and *stars* and `ticks`",
            "> not a quote", "+ plus", "see http://example.org/a_b_(c)"]


def test_text_that_looks_like_markup_reads_as_typed_in_the_page(tmp_path):
    document = docx.Document()
    document.add_paragraph("Literal text", style="Title")
    for text in LITERALS:
        document.add_paragraph(text)
    document.save(str(tmp_path / "literal.docx"))
    root, _, _ = imported(tmp_path, tmp_path / "literal.docx")
    run = run_cli("--project", root, "build")
    assert run.status == 0, run.err
    page = (root / "dist" / "literal.html").read_text(encoding="utf-8")
    main = page[page.index("<main"):page.index("</main>")]
    text = html.unescape(re.sub(r"<[^>]+>", "", main))
    for literal in LITERALS:
        assert literal in text
    assert '<a href="http://example.org/a_b_(c)"' in main


def test_a_report_typed_in_french_on_an_english_template_is_french(tmp_path):
    """Word marks each run fr-FR, the template's default being en-US: the handout is French."""
    document = docx.Document()
    document.add_paragraph("Rapport", style="Title")
    for text in ("La Convention protège les biens culturels.", "Le Bouclier bleu les marque."):
        paragraph = document.add_paragraph()
        paragraph._p.append(docx.oxml.parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>{text}</w:t></w:r>'))
    paragraph = document.add_paragraph("Elle dit ")
    paragraph._p.append(docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:rPr><w:lang w:val="de-DE"/></w:rPr><w:t>Kulturgut</w:t></w:r>'))
    document.save(str(tmp_path / "rapport.docx"))
    _, lines, _ = imported(tmp_path, tmp_path / "rapport.docx")
    assert "lang: fr-FR" in lines
    assert "La Convention protège les biens culturels." in lines  # not marked: the main language
    assert "Elle dit [Kulturgut]{: lang=de-DE }" in lines


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_unusual_documents_lose_nothing_silently(tmp_path, case):
    make, expected, review_items = TRICKY[case]
    folder = tmp_path / "in"
    folder.mkdir()
    _, lines, review = imported(tmp_path, make(folder))
    assert [line for line in expected if line not in lines] == [], "\n".join(lines)
    for fragment, start in review_items.items():
        assert lines[line_of_review(review, fragment) - 1] == start


def test_names_made_from_file_names_and_given_with_slug(tmp_path, python_docx_report):
    """Letters NFKD keeps whole are spelled out; --slug is checked as 'handouts new' checks."""
    document = tmp_path / "Ünïcødé Repört.docx"
    document.write_bytes(python_docx_report.read_bytes())
    root, _, _ = imported(tmp_path, document)
    assert (root / "content" / "unicode-report.md").is_file()
    for name in ("Bad Name", "review", "glossary", "Unicode-Report"):
        new = run_cli("--project", root, "new", name)
        run = run_cli("--project", root, "import", document, "--slug", name)
        assert run.status == new.status == 1
        assert run.err == new.err.replace("handouts new: ", f"handouts import: {document.name}: ")


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_message_and_nothing_written(tmp_path, python_docx_report, case):
    make, message = BAD_INPUTS[case]
    folder = tmp_path / "in"
    folder.mkdir()
    made = make(python_docx_report, folder)
    path = Path(made) if made else next(folder.iterdir())
    root = project(tmp_path)
    before = files_under(root)
    run = run_cli("--project", root, "import", path)
    assert run.status == 1
    assert message in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err
    assert files_under(root) == before


def test_an_existing_handout_is_replaced_only_with_force(tmp_path, python_docx_report):
    root = project(tmp_path)
    target = root / "content" / "report.md"
    target.write_text("---\ntitle: Kept\n---\n", encoding="utf-8")
    run = run_cli("--project", root, "import", python_docx_report, "--slug", "report")
    assert run.status == 1 and "content/report.md already exists: choose another name with " \
        "--slug, or replace it with --force" in run.err
    assert target.read_text(encoding="utf-8") == "---\ntitle: Kept\n---\n"
    run = run_cli("--project", root, "import", python_docx_report, "--slug", "report", "--force")
    assert run.status == 0, run.err
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: Nuclear")


def test_pictures_already_there_are_kept_without_force(tmp_path, python_docx_report):
    root = project(tmp_path)
    folder = root / "content" / "assets" / "report"
    folder.mkdir(parents=True)
    (folder / "image-1.png").write_bytes(b"the chair's own picture")
    run = run_cli("--project", root, "import", python_docx_report, "--slug", "report")
    assert run.status == 1 and "content/assets/report already holds files" in run.err
    assert (folder / "image-1.png").read_bytes() == b"the chair's own picture"
    assert not (root / "content" / "report.md").exists()
    run = run_cli("--project", root, "import", python_docx_report, "--slug", "report", "--force")
    assert run.status == 0 and (folder / "image-1.png").read_bytes() == png()


def test_writes_only_inside_content(tmp_path, python_docx_report):
    root = project(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("not to be touched", encoding="utf-8")
    os.symlink(outside, root / "content" / "linked.md")
    run = run_cli("--project", root, "import", python_docx_report, "--slug", "linked", "--force")
    assert run.status == 1 and "is a symbolic link" in run.err, run.err
    assert outside.read_text(encoding="utf-8") == "not to be touched"
    for slug in ("../escape", "index", "glossary"):
        run = run_cli("--project", root, "import", python_docx_report, "--slug", slug)
        assert run.status == 1 and "Traceback" not in run.err, run.err
    assert sorted(path.name for path in (root / "content").iterdir()) == ["linked.md"]
    run = run_cli("--project", root, "import", python_docx_report, python_docx_report,
                  "--slug", "two")
    assert run.status == 2 and "--slug names one handout" in run.err
