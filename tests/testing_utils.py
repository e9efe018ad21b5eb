"""Small helpers for the tests: make projects, run the command line, read HTML and PDFs."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
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


def copy_example(root: Path) -> Path:
    """A copy of the repository's example project (content and settings)."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "handouts.toml", root / "handouts.toml")
    return root


def parse_html(path: Path):
    return tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class StructNode:
    """One element of a PDF structure tree, as poppler's pdfinfo -struct-text prints it."""

    type: str
    children: list["StructNode"] = field(default_factory=list)
    parts: list["str | StructNode"] = field(default_factory=list)  # text and children, in order

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
        else:
            node = StructNode(re.split(r"[ (]", content, maxsplit=1)[0])
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
