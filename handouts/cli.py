"""The command line: python build.py [build] [--project DIR]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import BuildFailed, ContentError, Diagnostics

EXIT_OK, EXIT_CONTENT_ERROR, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handouts", description="Turn content/*.md into accessible HTML pages and "
        "tagged PDF/UA-1 handouts in dist/.")
    parser.add_argument("--version", action="version", version=f"Handouts {__version__}")
    parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                        help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build every handout into dist/ (the default)",
                                description="Build every handout into dist/.")
    build.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                       help="the project folder (default: the current folder)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit:
        return EXIT_USAGE if exit.code not in (0, None) else EXIT_OK
    root = arguments.project.resolve()
    if not root.is_dir():
        print(f"handouts: error: the project folder {arguments.project} does not exist",
              file=sys.stderr)
        return EXIT_USAGE
    return run_build(root)


def run_build(root: Path) -> int:
    from .builder import build
    from .project import Project

    diagnostics = Diagnostics()
    started = time.perf_counter()
    try:
        project = Project.open(root)
        result = build(project, progress=lambda message: print(message, flush=True),
                       diagnostics=diagnostics)
    except ContentError as error:
        diagnostics.errors.append(error)
    except BuildFailed:
        pass
    for warning in diagnostics.warnings:
        print(warning.format(root), file=sys.stderr)
    if diagnostics.errors:
        for error in diagnostics.errors:
            print(error.format(root), file=sys.stderr)
        print(f"Build failed: {len(diagnostics.errors)} error(s); dist/ was left as it was.",
              file=sys.stderr)
        return EXIT_CONTENT_ERROR
    pages = sum(result.pdf_pages.values())
    print(f"Built {len(result.handouts)} handout(s), {pages} PDF page(s), into "
          f"{project.dist_dir.relative_to(root)}/ in {time.perf_counter() - started:.1f} s.")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
