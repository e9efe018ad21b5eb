"""Small helpers for the tests: make projects, run the command line, read HTML and PDFs."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import subprocess
import tempfile
import textwrap
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

import tinyhtml5

from handouts.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SLUG = "interpol-cyber-child-abuse-material"
# The smallest valid PNG: one transparent pixel.
DOT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


@dataclass
class Run:
    status: int
    out: str
    err: str


@contextlib.contextmanager
def serving(handler):
    """The address of a server on 127.0.0.1 answering with ``handler``, while in the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_cli(*args: str | Path) -> Run:
    """Run the command line in this process; capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in args])
    return Run(status, out.getvalue(), err.getvalue())


def handout(title: str = "A handout", body: str = "Some text.\n", **front_matter) -> str:
    """The text of a handout file with the given front matter."""
    lines = ["---", f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in front_matter.items()]
    lines += ["---", ""]
    return "\n".join(lines) + textwrap.dedent(body)


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project folder holding the given files (paths relative to the root)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def render_page(body: str, title: str = "A handout", **front_matter):
    """The element tree of a handout's page, made as a build makes it (every transform, the
    templates), but without PDFs, page numbers or dist/: as Python-Markdown's
    assertMarkdownRenders, for tests of the page alone. A content error raises BuildFailed."""
    from handouts.errors import Diagnostics
    from handouts.pages.render import make_environment, render_handout, templates_digest
    from handouts.prepare.stage import prepare
    from handouts.project import Project

    with tempfile.TemporaryDirectory(prefix="render-page-") as folder:
        root = make_project(Path(folder), {"content/page.md": handout(title, body,
                                                                      **front_matter)})
        project = Project.open(root)
        [page] = prepare(project, Diagnostics())
        environment = make_environment(project, templates_digest(project))
        html = render_handout(environment, page, project.config, page.labels, "pdf/page.pdf")
    return tinyhtml5.parse(html, namespace_html_elements=False)


def prepare_messages(files: dict[str, str | bytes]) -> list[str]:
    """What reading, parsing and transforming the given project files says (every error and
    warning, as a build prints them), without pages, PDFs or dist/: for tests of messages."""
    from handouts.errors import BuildFailed, ContentError, Diagnostics
    from handouts.prepare.stage import prepare
    from handouts.project import Project

    with tempfile.TemporaryDirectory(prefix="prepare-") as folder:
        root = make_project(Path(folder), files)
        diagnostics = Diagnostics()
        try:
            prepare(Project.open(root, diagnostics.errors), diagnostics)
        except BuildFailed:
            pass  # its errors are the diagnostics'
        except ContentError as error:  # handouts.toml unreadable: the build stops there
            diagnostics.errors.append(error)
        return [message.format(root) for message in diagnostics.in_file_order()]


def tag_html(html: str):
    """The tagged PDF (handouts.check.pdf_reader's TaggedPdf) WeasyPrint, patched as the build
    patches it, makes of ``html`` with print.css: the tagger alone, as WeasyPrint's tests'
    render_pages. A fragment is put in a page of its own."""
    from handouts.check.pdf_reader import read_tagged_pdf
    from handouts.defaults import STYLES
    from handouts.pdf.render import render_pdf

    if "<html" not in html:
        html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
                '<link rel="stylesheet" href="base.css"><link rel="stylesheet" '
                f'href="print.css" media="print"></head><body><main>{html}</main></body></html>')
    with tempfile.TemporaryDirectory(prefix="tag-html-") as folder:
        root = Path(folder)
        for name in ("base.css", "print.css"):
            shutil.copyfile(STYLES / name, root / name)
        page = root / "page.html"
        page.write_text(html, encoding="utf-8")
        render_pdf(page, root / "page.pdf", root, "A4", "T")
        return read_tagged_pdf(root / "page.pdf")


def copy_example(root: Path) -> Path:
    """A copy of the repository's example project (content and settings)."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "handouts.toml", root / "handouts.toml")
    return root


def reader_pdfs(root: Path) -> list[Path]:
    """Every PDF a reader opens of a built project: each handout and packet, in each profile;
    not the imposed booklets, which are the print shop's."""
    pdfs = [path for path in sorted((root / "dist" / "pdf").rglob("*.pdf"))
            if not path.name.endswith("-booklet.pdf")]
    assert pdfs
    return pdfs


def parse_html(path: Path):
    return tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class StructNode:
    """One element of a PDF structure tree, as poppler's pdfinfo -struct-text prints it."""

    type: str
    children: list[StructNode] = field(default_factory=list)
    parts: list[str | StructNode] = field(default_factory=list)  # text and children, in order

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text() for part in self.parts)


@functools.cache
def pdf_structure(pdf: Path) -> StructNode:
    """The structure tree with its text, read by poppler (not by our own code).

    Cached: poppler takes seconds per file, and tests treat the result as read-only.
    """
    output = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], check=True,
                            capture_output=True, text=True).stdout
    root = StructNode("StructTreeRoot")
    stack = [(-1, root)]
    for line in output.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        content = line.strip()
        while stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]
        if content.startswith('"'):
            parent.parts.append(content[1:-1])
        elif content.startswith("/"):
            continue  # an attribute of the element above ("L (block):" then "/ListNumbering")
        else:
            # "TD:" and "L (block):" end in a colon when attribute lines follow.
            node = StructNode(re.split(r"[ (]", content, maxsplit=1)[0].rstrip(":"))
            parent.children.append(node)
            parent.parts.append(node)
            stack.append((depth, node))
    return root


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder with its bytes, to compare before and after."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@dataclass
class TextRun:
    """Text drawn by one show-text operator of a PDF page, with its size on the paper."""

    page: int
    font: str
    size: float     # in points: the font size times the text matrix and CTM's vertical scale
    tags: tuple     # the marked-content tags around it (/Span, /Artifact, /Figure …)
    mcid: int | None = None  # of the innermost marked-content sequence that has one


def pdf_text_runs(pdf: Path) -> list[TextRun]:
    """Every piece of text drawn in the PDF, Form XObjects (an SVG's drawing) included.

    Read from the content streams with pikepdf: Tf gives the size, and the text matrix
    (Tm, Td, TD, T*) times the graphics state's CTM (cm, q, Q, a form's /Matrix) scales it.
    """
    import pikepdf

    document = pikepdf.open(pdf)
    runs: list[TextRun] = []
    for number, page in enumerate(document.pages, start=1):
        _text_runs(page.obj, page.obj.get("/Resources"), pikepdf.Matrix(), number, [], runs)
    return runs


def _text_runs(holder, resources, ctm, page: int, tags: list, runs: list) -> None:
    import math

    import pikepdf

    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    font, size, leading = None, 0.0, 0.0
    line = text = pikepdf.Matrix()
    saved, tags, mcids = [], list(tags), [None]
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop()
        elif op == "cm":
            ctm = pikepdf.Matrix(*map(float, operands)) @ ctm
        elif op in ("BDC", "BMC"):
            tags.append(str(operands[0]))
            properties = operands[1] if op == "BDC" else None
            mcids.append(int(properties["/MCID"]) if isinstance(properties, pikepdf.Dictionary)
                         and "/MCID" in properties else mcids[-1])
        elif op == "EMC":
            tags.pop()
            mcids.pop()
        elif op == "BT":
            line = text = pikepdf.Matrix()
        elif op == "Tf":
            font, size = fonts.get(str(operands[0])), float(operands[1])
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            line = text = pikepdf.Matrix(*map(float, operands))
        elif op in ("Td", "TD"):
            line = text = pikepdf.Matrix(1, 0, 0, 1, *map(float, operands)) @ line
            leading = -float(operands[1]) if op == "TD" else leading
        elif op in ("T*", "'", '"'):
            line = text = pikepdf.Matrix(1, 0, 0, 1, 0, -leading) @ line
        if op in ("Tj", "TJ", "'", '"'):
            scale = text @ ctm
            runs.append(TextRun(page, str(font.get("/BaseFont")) if font is not None else "?",
                                round(math.hypot(scale.c, scale.d) * size, 2), tuple(tags),
                                mcids[-1]))
        elif op == "Do":
            form = xobjects.get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                matrix = pikepdf.Matrix(*map(float, form.get("/Matrix", [1, 0, 0, 1, 0, 0])))
                _text_runs(form, form.get("/Resources", resources), matrix @ ctm, page, tags,
                           runs)


def marked_content_types(pdf: Path) -> dict[tuple[int, int], tuple[str, ...]]:
    """(page, MCID) -> the types of the structure elements holding it, outermost first."""
    import pikepdf

    document = pikepdf.open(pdf)
    pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
    found = {}

    def walk(element, page, types):
        if isinstance(element, int):
            found[page, element] = types
        elif isinstance(element, pikepdf.Array):
            for kid in element:
                walk(kid, page, types)
        elif isinstance(element, pikepdf.Dictionary):
            page = pages.get(element.Pg.objgen, page) if "/Pg" in element else page
            if element.get("/Type") == "/MCR":
                found[page, int(element.MCID)] = types
            elif "/S" in element:
                walk(element.get("/K", pikepdf.Array()), page, types + (str(element.S)[1:],))

    walk(document.Root.StructTreeRoot.K, None, ())
    return found


def word_boxes(pdf: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """Each word poppler finds: (page, xMin, yMin, xMax, yMax, page width, page height, text)."""
    output = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    words, number, width, height = [], 0, 0.0, 0.0
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" '
                             r'yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             output):
        if match[1]:
            number, width, height = number + 1, float(match[1]), float(match[2])
        else:
            words.append((number, *map(float, match.group(3, 4, 5, 6)), width, height, match[7]))
    return words


def header_scopes(table) -> list[tuple[str, str]]:
    """(text, /Scope) of each TH in a Table structure element, in reading order."""
    from handouts.check.pdf_text import reading_text
    from handouts.check.text import normalise

    return [(normalise(reading_text(cell)), cell.attributes["Scope"]) for cell in table.iter()
            if cell.type == "TH"]
