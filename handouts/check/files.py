"""What `check` runs on built files: each PDF against its page, each HTML page by its rules."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from ..project import PARTS
from .findings import Finding


def html_source_for(pdf_path: Path) -> Path | None:
    """dist/pdf/<slug>.pdf and dist/pdf/<profile>/<slug>.pdf come from dist/<slug>.html;
    a packet's from dist/_packets/<slug>.html (dist/<slug>.html only lists its handouts)."""
    for folder in (pdf_path.parent.parent, pdf_path.parent.parent.parent):
        for candidate in (folder / "_packets" / f"{pdf_path.stem}.html",
                          folder / f"{pdf_path.stem}.html"):
            if candidate.is_file():
                return candidate
    return None


def check_pdf(pdf_path: Path, html_path: Path | None = None,
              hidden_classes: frozenset[str] | None = None,
              html_root: Element | None = None) -> list[Finding]:
    """The PDF's findings; its HTML's elements of hidden_classes are not expected in it.

    ``html_root``: the HTML page already parsed (the build has it from WeasyPrint, which
    parsed the same text; changed here, as the hidden elements are taken out).

    hidden_classes default to those of the profile the PDF was built in (its folder names it,
    and the build copied its stylesheet to _static/profiles/), else the standard profile's.
    """
    import pikepdf

    from ..pdf.booklet import is_imposed
    from ..pdf.profiles import STANDARD_HIDDEN, for_pdf
    from .document_rules import check_pdf_document
    from .expected_structure import without_classes
    from .pdf_reader import read_tagged_pdf
    from .structure_rules import check_pdf_against_html

    try:
        with pikepdf.open(pdf_path) as opened:
            if is_imposed(opened):
                return []  # a booklet imposed for the print shop; its packet PDF is checked
            pdf = read_tagged_pdf(pdf_path, opened)
    except (pikepdf.PdfError, OSError) as error:
        return [Finding(str(pdf_path), "pdf-unreadable", f"the PDF cannot be read: {error}")]
    html_path = html_path or html_source_for(pdf_path)
    if html_root is None and html_path:
        html_root = parse_html(html_path)
    findings = list(check_pdf_document(pdf, html_root.get("lang") if html_root is not None
                                       else None))
    if html_root is not None:
        if hidden_classes is None:
            hidden_classes = (for_pdf(pdf_path, html_path) if html_path else None) \
                or STANDARD_HIDDEN
        findings += check_pdf_against_html(pdf, without_classes(html_root, hidden_classes))
    return findings


def check_html_file(html_path: Path) -> list[Finding]:
    from .html_rules import check_html
    from .page_markers import check_page_markers

    document = parse_html(html_path)
    return [*check_html(html_path, document), *check_page_markers(html_path, document)]


def parse_html(path: Path) -> Element:
    import tinyhtml5

    return tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)


def collect_files(paths: list[Path]) -> list[Path]:
    """The HTML pages and PDFs in the given files and folders, sorted."""
    files = []
    for path in paths:
        if path.is_dir():
            # Authors' own files in assets/ are theirs, not Handouts' output; a packet's
            # parts are checked as the packet they are assembled into.
            files += [p for p in path.rglob("*") if p.suffix in (".html", ".pdf")
                      and not any(part.startswith(".") or part == "assets"
                                  for part in p.relative_to(path).parts)
                      and not _in_packet_parts(p.relative_to(path.parent))
                      and p.name not in ("review.html", "pages.html")]
        elif path.suffix in (".html", ".pdf"):
            files.append(path)
    return sorted(files)


def _in_packet_parts(path: Path) -> bool:
    folders = PARTS.split("/")
    return any(list(path.parts[index:index + len(folders)]) == folders
               for index in range(len(path.parts)))


def check_files(files: list[Path]) -> list[Finding]:
    findings = []
    for path in files:
        findings += check_pdf(path) if path.suffix == ".pdf" else check_html_file(path)
    return findings
