"""The command line: handouts (or python build.py) [build|check|serve|links|new|import|init]."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import __version__
from .errors import BuildFailed, ContentError, Diagnostics, InFileOrder

EXIT_OK, EXIT_CONTENT_ERROR, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                         help="the project folder (default: the current folder)")
    parser = argparse.ArgumentParser(
        prog="handouts", parents=[project],
        description="Turn content/*.md into accessible HTML pages and tagged PDF/UA-1 "
        "handouts in dist/.")
    parser.add_argument("--version", action="version", version=f"Handouts {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser(
        "build", parents=[project], help="build every handout into dist/ (the default)",
        description="Build every handout into dist/, then check the PDFs it wrote.")
    build.add_argument("--strict", action="store_true",
                       help="treat the PDF checks' findings as errors: nothing is published")
    for command in (parser, build):
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                              help="print only errors and warnings")
        loudness.add_argument("--verbose", "-v", action="store_true",
                              default=argparse.SUPPRESS,
                              help="also print each PDF's pages, time and check findings")
        command.add_argument("--jobs", "-j", type=_positive, default=argparse.SUPPRESS,
                             metavar="N", help="PDFs rendered at once, in N processes "
                             "(default: the number of CPUs)")
        command.add_argument("--force", action="store_true", default=argparse.SUPPRESS,
                             help="render every PDF again, even those whose sources did not "
                             "change since the last build")
    check = commands.add_parser(
        "check", parents=[project], help="check built HTML pages and PDFs",
        description="Check HTML pages and PDFs: PDF/UA-1 document rules, the PDF structure "
        "tree against the HTML it came from, and structural HTML rules. Each finding is "
        "printed as 'file: rule: detail'; the exit status is 1 when any error is found.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or folders to check (default: everything in dist/)")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.add_argument("--browser", action="store_true",
                       help="also run axe-core in Chromium on each HTML page, when both exist")
    serve = commands.add_parser(
        "serve", parents=[project], help="preview dist/ in a browser, rebuilt on every save",
        description="Build, serve dist/ on 127.0.0.1 only, rebuild when content/, templates/, "
        "styles/ or handouts.toml change, and reload the open pages. Ctrl-C stops it.")
    serve.add_argument("--port", type=_port, default=8000,
                       help="the port, 1 to 65535, or 0 for any free one (default: 8000)")
    links = commands.add_parser(
        "links", parents=[project], help="check that every external link still works",
        description="Check every external link of every handout (HEAD, or GET where HEAD is "
        "refused; redirects followed and reported). Broken links are printed as path:line; "
        "the exit status is 1 when any is broken. The only command that uses the network.")
    links.add_argument("--jobs", type=_positive, default=8, metavar="N",
                       help="links checked at once (default 8)")
    links.add_argument("--timeout", type=_seconds, default=10.0,
                       help="seconds to wait for each server (default 10)")
    new = commands.add_parser(
        "new", parents=[project], help="start a new handout from the research-report outline",
        description="Write content/<slug>.md with the sections of a research report and a "
        "content-note placeholder. An existing file is never overwritten.")
    new.add_argument("slug", help="the handout's name, which becomes its web address, e.g. "
                     "security-council-study-guide")
    new.add_argument("--title", help="its title (default: made from the name)")
    new.add_argument("--committee", help="its committee, e.g. 'Security Council'")
    word = commands.add_parser(
        "import", parents=[project], help="turn a chair's Word document (.docx) into a handout",
        description="Write content/<slug>.md and its images in content/assets/<slug>/ from "
        "each Word document, and print what a person must check, line by line. An existing "
        "handout is never overwritten without --force. Reads nothing but the documents.")
    word.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                      help="a .docx file (from Word, Google Docs, LibreOffice)")
    word.add_argument("--slug", help="the handout's name (default: made from the file's name)")
    word.add_argument("--force", action="store_true",
                      help="replace content/<slug>.md and its images if they exist")
    init = commands.add_parser(
        "init", help="start a conference's repository: settings, two handouts, CI, a README",
        description="Write handouts.toml, content/ with a welcome letter and a research "
        "report outline, .gitignore, an example CI workflow that builds and publishes dist/ "
        "(.github/workflows/handouts.yml) and a README for staff. A folder that holds a "
        "project already is refused; a file already there is kept.")
    init.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                      help="where (default: the current folder, or --project); made if missing")
    init.add_argument("--name", help="the conference's name (default: the folder's name)")
    check.add_argument("--pages", action="store_true",
                       help="also write dist/pages.html: every page of every PDF as a "
                       "thumbnail, to review the layout in a minute (needs pdftoppm)")
    check.add_argument("--review", action="store_true",
                       help="also write dist/review.html: images beside their alternative "
                       "text, links beside their addresses, outlines, content notes and each "
                       "PDF's text in screen-reader order, for a person to judge")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit:
        return EXIT_USAGE if exit.code not in (0, None) else EXIT_OK
    project_dir = getattr(arguments, "project", Path("."))
    if arguments.command == "init":  # the only command whose folder need not exist yet
        return run_init(arguments.folder or project_dir, arguments.name)
    root = project_dir.resolve()
    if not root.is_dir():
        print(f"handouts: error: the project folder {project_dir} does not exist",
              file=sys.stderr)
        return EXIT_USAGE
    if arguments.command == "serve":
        from .serve import serve

        return serve(root, arguments.port)
    if arguments.command == "links":
        from .linkcheck import run_links

        return run_links(root, arguments.jobs, arguments.timeout)
    if arguments.command == "new":
        return run_new(root, arguments.slug, arguments.title, arguments.committee)
    if arguments.command == "import":
        from .word_import.command import run_import

        return run_import(root, arguments.paths, arguments.slug, arguments.force)
    if arguments.command == "check":
        return run_check(root, arguments.paths, arguments.json, arguments.browser,
                         arguments.review, arguments.pages)
    return run_build(root, strict=getattr(arguments, "strict", False),
                     quiet=getattr(arguments, "quiet", False),
                     verbose=getattr(arguments, "verbose", False),
                     jobs=getattr(arguments, "jobs", None),
                     force=getattr(arguments, "force", False))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535 (or 0: any free "
                                         f"one), not {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, at most 600, "
                                         f"not {text!r}")
    return seconds


def run_build(root: Path, strict: bool = False, quiet: bool = False,
              verbose: bool = False, jobs: int | None = None, force: bool = False) -> int:
    from .builder import build
    from .progress import make_progress
    from .project import Project

    diagnostics = Diagnostics()
    started = time.perf_counter()
    progress = make_progress(quiet, verbose)
    try:  # handouts.toml's problems are gathered, and the handouts checked with them
        project = Project.open(root, diagnostics.errors)
        result = build(project, progress=progress, diagnostics=diagnostics, strict=strict,
                       jobs=jobs, force=force)
    except ContentError as error:
        diagnostics.errors.append(error)
    except BuildFailed as failed:  # its errors are the diagnostics', or dist/'s own
        diagnostics.errors += [error for error in failed.errors
                               if error not in diagnostics.errors]
    finally:
        progress.close()
    for message in diagnostics.in_file_order():  # warnings among errors, file by file
        print(message.format(root), file=sys.stderr)
    if diagnostics.errors:
        print(f"Build failed: {len(diagnostics.errors)} error(s); dist/ was left as it was.",
              file=sys.stderr)
        return EXIT_CONTENT_ERROR
    pages = sum(result.pdf_pages.values())
    if quiet:
        return EXIT_OK
    packets = len(project.config.packets)
    made = f" and {packets} packet(s)" if packets else ""
    print(f"Built {len(result.handouts)} handout(s){made}, {pages} PDF page(s), into "
          f"{project.dist_dir.relative_to(root)}/ in {time.perf_counter() - started:.1f} s; "
          f"PDF checks: {len(result.findings)} finding(s).")
    return EXIT_OK


def run_new(root: Path, slug: str, title: str | None, committee: str | None) -> int:
    from .scaffold import ScaffoldError, new_handout

    project = _open_project(root)
    if project is None:
        return EXIT_CONTENT_ERROR
    try:
        path = new_handout(project, slug, title, committee)
    except ScaffoldError as error:
        print(f"handouts new: {error}", file=sys.stderr)
        return EXIT_CONTENT_ERROR
    print(path.relative_to(root))
    return EXIT_OK


def _open_project(root: Path):
    """The project in root, or None once every problem of its handouts.toml is printed."""
    from .project import Project

    problems: InFileOrder[ContentError] = InFileOrder()
    try:
        project = Project.open(root, problems)
    except ContentError as error:  # not TOML at all, or a settings file that may not be read
        problems.append(error)
    for problem in problems:
        print(problem.format(root), file=sys.stderr)
    return None if problems else project


def run_init(folder: Path, name: str | None) -> int:
    """Start a conference's repository; say what was written, what was kept, what is next."""
    import shlex

    from .scaffold import STAFF_GUIDE_BESIDE_README, ScaffoldError, init_project

    try:
        written, kept = init_project(folder, name)
    except (ScaffoldError, OSError) as error:  # OSError: a folder that cannot be made, say
        print(f"handouts init: {error}", file=sys.stderr)
        return EXIT_CONTENT_ERROR
    except ContentError as error:  # the settings it wrote, unreadable: a name it mangled
        print(error.format(folder), file=sys.stderr)
        return EXIT_CONTENT_ERROR
    root = folder.resolve()
    for path in written:
        print(path.relative_to(root))
    for path in kept:
        print(f"{path.relative_to(root)}: already there, kept as it was", file=sys.stderr)
    where = "" if root == Path.cwd() else f"cd {shlex.quote(str(folder))} && "
    guide = next((path.name for path in written
                  if path.name in ("README.md", STAFF_GUIDE_BESIDE_README)), None)
    print(f"Next: {where}handouts build, then open dist/index.html"
          f"{f'; {guide} says more' if guide else ''}. .github/workflows/handouts.yml is an "
          "example: read it before you push.", file=sys.stderr)
    return EXIT_OK


def run_check(root: Path, paths: list[Path], as_json: bool, browser: bool,
              review: bool = False, pages: bool = False) -> int:
    from .check.files import check_files, collect_files

    if not paths or review or pages:  # dist/, read or written: a link could lead anywhere
        from .output import check_output_folders

        try:
            check_output_folders(root)
        except BuildFailed as failed:
            for error in failed.errors:
                print(error.format(root), file=sys.stderr)
            return EXIT_CONTENT_ERROR
    targets = [path if path.is_absolute() else root / path for path in paths] or [root / "dist"]
    missing = [str(path) for path in targets if not path.exists()]
    if missing:
        advice = "" if paths else ("; run 'handouts build' (in Handouts' own clone: python "
                                   "build.py) first")
        print(f"handouts check: error: {', '.join(missing)} does not exist{advice}",
              file=sys.stderr)
        return EXIT_USAGE
    files = collect_files(targets)
    findings = check_files(files)
    axe_pages = None
    if browser:
        from .check.browser import axe_findings

        axe_results, axe_pages = axe_findings([path for path in files if path.suffix == ".html"])
        findings += axe_results
        # axe's findings beside the page's own, file after file, as the rest are printed
        order = {str(path): number for number, path in enumerate(files)}
        findings.sort(key=lambda finding: order.get(finding.file, len(files)))
    if review:
        from .check.review import write_review

        project = _open_project(root)
        if project is None:
            return EXIT_CONTENT_ERROR
        try:
            written = write_review(project, files)
        except ContentError as error:  # the project's review.html override, say
            print(error.format(root), file=sys.stderr)
            return EXIT_CONTENT_ERROR
        print(f"Wrote {written.relative_to(root)}: open it in a browser to review.",
              file=sys.stderr)
    if pages:
        from .check.pages import write_pages

        try:
            written = write_pages(root / "dist", files)
        except ContentError as error:
            print(error.format(root), file=sys.stderr)
            return EXIT_CONTENT_ERROR
        print(f"Wrote {written.relative_to(root)}: every page of every PDF, to review the "
              "layout.", file=sys.stderr)
    errors = sum(1 for finding in findings if finding.severity == "error")
    if as_json:
        report = {"files": [str(path) for path in files], "errors": errors,
                  "warnings": len(findings) - errors,
                  "findings": [finding.as_dict() for finding in findings]}
        if axe_pages is not None:
            report["axe_pages"] = axe_pages
        print(json.dumps(report, indent=2))
    else:
        for finding in findings:
            print(finding.format(root))
        if axe_pages is not None:
            print(f"axe-core in Chromium checked {axe_pages} page(s), in the light and the dark "
                  "scheme.")
        print(f"Checked {len(files)} file(s): {errors} error(s), "
              f"{len(findings) - errors} warning(s).")
    return EXIT_CONTENT_ERROR if errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
