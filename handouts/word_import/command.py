"""The import command: Word documents in, content/<slug>.md and its images out, a review list."""

from __future__ import annotations

import itertools
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from ..assets import vet_asset
from ..errors import ContentError, InFileOrder
from ..project import Project
from ..scaffold import ScaffoldError, _check_name
from .front_matter import take_front_matter
from .inventory import take_inventory
from .marks import find_abbreviations, mark_languages
from .read import ImportRefused, nested_too_deeply, open_word_file
from .review import Imported, assemble, format_review
from .sections import headings_from_bold_lines, level_headings, mark_sections
from .to_html import Picture, to_html
from .to_markdown import Block, to_blocks

EXIT_OK, EXIT_CONTENT_ERROR, EXIT_USAGE = 0, 1, 2
CAPTION = re.compile(r"^(?:table|tableau|tabla)\s*\d*\s*[.:–—-]?\s+(?P<caption>\S.*)$",
                     re.IGNORECASE)
# Latin letters with no accent to take off (NFKD leaves them whole): spelled in plain letters.
LATIN_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                               "ß": "ss", "ẞ": "SS", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
                               "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"})
# mammoth's notes on styles it has no mapping for: the text is kept, as paragraphs.
HARMLESS = ("Unrecognised paragraph style", "Unrecognised run style", "Paragraph style with ID",
            "Run style with ID", "Table style with ID",
            "Unrecognised table style")


def run_import(root: Path, paths: list[Path], slug: str | None, force: bool) -> int:
    """Import each document in turn; 1 if any could not be imported, 2 for wrong usage."""
    if slug and len(paths) > 1:
        print("handouts import: error: --slug names one handout: import one document with "
              "it, or leave it out (each document's file name then gives its name)",
              file=sys.stderr)
        return EXIT_USAGE
    problems: InFileOrder[ContentError] = InFileOrder()
    try:
        project = Project.open(root, problems)
    except ContentError as error:
        problems.append(error)
    for problem in problems:
        print(problem.format(root), file=sys.stderr)
    if problems:
        return EXIT_CONTENT_ERROR
    status = EXIT_OK
    for path in paths:
        try:
            written, imported = import_document(project, path, slug, force)
        except RecursionError:  # lists in tables in lists …, nested past any real document
            refusal = nested_too_deeply(path.name, "they could not be followed")
            print(f"handouts import: {refusal}", file=sys.stderr)
            status = EXIT_CONTENT_ERROR
            continue
        except OSError as error:  # the folder cannot be written, say: no file was half-written
            print(f"handouts import: {path.name}: cannot write {error.filename or 'content/'}: "
                  f"{error.strerror}", file=sys.stderr)
            status = EXIT_CONTENT_ERROR
            continue
        except (ImportRefused, ScaffoldError) as error:
            named = str(error).startswith(path.name)  # most messages begin with the name
            print(f"handouts import: {'' if named else path.name + ': '}{error}",
                  file=sys.stderr)
            status = EXIT_CONTENT_ERROR
            continue
        shown = str(written.relative_to(project.root))
        print(f"Wrote {shown} from {path.name}.")
        for line in format_review(shown, imported.review):
            print(line)
        print(f"{len(imported.review)} thing(s) to check in {shown}; then run the build.")
    return status


def slug_from(stem: str) -> str:
    """A web address from a file name: 'Interpol – Research Report' -> interpol-research-report."""
    plain = unicodedata.normalize("NFKD", stem.translate(LATIN_LETTERS))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "imported"


def import_document(project: Project, path: Path, slug: str | None,
                    force: bool) -> tuple[Path, Imported]:
    """Read, convert and write one document; nothing is written unless all of it worked."""
    slug = slug or slug_from(path.stem)
    target, assets = _destination(project, slug, force)
    word = open_word_file(path)
    inventory = take_inventory(word)
    converted = to_html(word, slug)
    body = to_blocks(converted.html)
    meta, meta_review, blocks = take_front_matter(body.blocks, inventory.properties,
                                                  inventory.default_lang, path.stem)
    level_headings(blocks)
    headings_from_bold_lines(blocks)
    blocks = mark_sections(blocks)
    blocks = _captions(blocks)
    loose = body.review + mark_languages(blocks, inventory.foreign_runs)
    _review_pictures(blocks, converted.pictures, slug)
    loose += [f"mammoth, which reads the document, noted: {message}; compare this part with "
              "the Word document" for message in converted.messages
              if not message.startswith(HARMLESS)]
    imported = assemble(meta, meta_review, blocks, body.notes, find_abbreviations(blocks),
                        inventory.findings, loose)
    _write(project, target, assets, imported.text, converted.pictures)
    return target, imported


def _destination(project: Project, slug: str, force: bool) -> tuple[Path, Path]:
    """content/<slug>.md and content/assets/<slug>/, checked before anything is read."""
    try:
        _check_name(project, slug)
    except ScaffoldError:
        existing = project.content_dir / f"{slug}.md"
        if existing not in project.handout_paths():
            raise  # a reserved name, a packet's, not a web address, another case of one
        if not force:
            raise ImportRefused(f"{existing.relative_to(project.root)} already exists: choose "
                                "another name with --slug, or replace it with --force") from None
    content = project.content_dir
    target = content / f"{slug}.md"
    assets = content / "assets" / slug
    for path in (content, content / "assets", assets, target):
        if os.path.islink(path):
            raise ImportRefused(f"{path.relative_to(project.root)} is a symbolic link: import "
                                "writes only into the project's own content/ folder")
    if os.path.lexists(target) and not target.is_file():
        raise ImportRefused(f"{target.relative_to(project.root)} is not a file")
    if os.path.lexists(assets) and not assets.is_dir():
        raise ImportRefused(f"{assets.relative_to(project.root)} is not a folder")
    if not force and assets.is_dir() and any(assets.iterdir()):
        raise ImportRefused(f"{assets.relative_to(project.root)} already holds files: choose "
                            "another name with --slug, or replace them with --force")
    if not force and os.path.lexists(target):
        raise ImportRefused(f"{target.relative_to(project.root)} already exists: choose "
                            "another name with --slug, or replace it with --force")
    return target, assets


def _captions(blocks: list[Block]) -> list[Block]:
    """'Table 1: …' right above a table becomes its caption, 'Table: …'; a caption right
    under a picture alone in its paragraph becomes the figure's caption (its title)."""
    for before, table in itertools.pairwise(blocks):
        if table.kind == "table" and before.kind == "para":
            match = CAPTION.match(before.text)
            if match:
                before.text = "Table: " + match["caption"]
            elif before.style == "docx-caption":
                before.text = "Table: " + before.text
    kept: list[Block] = []
    for block in blocks:
        previous = kept[-1] if kept else None
        if block.style == "docx-caption" and previous is not None and \
                previous.kind == "image" and previous.text.endswith(")") and \
                '"' not in block.plain and "\n" not in previous.text:
            previous.text = previous.text[:-1] + f' "{block.plain}")'
            previous.review += block.review
            continue
        kept.append(block)
    return kept


def _review_pictures(blocks: list[Block], pictures: list[Picture], slug: str) -> None:
    """A picture in a format browsers cannot show, or that may not be published: noted."""
    for picture in pictures:
        src = f"assets/{slug}/{picture.name}"
        block = next((block for block in blocks if f"({src})" in block.text), None)
        if picture.publishable:
            problems = [message for _, message in vet_asset(Path(picture.name), picture.data)]
        else:
            kind = picture.content_type or "a format without a name"
            problems = [(f"the image {src} is in Word as {kind}, which browsers cannot "
                         "show, so it was not saved: save it from Word as a PNG as "
                         f"content/{src}")]
        if block is not None:
            block.review += problems


def _write(project: Project, target: Path, assets: Path, text: str,
           pictures: list[Picture]) -> None:
    """The images, then the handout; each file whole (written aside, then moved in place)."""
    content = project.content_dir.resolve()
    if not content.is_relative_to(project.root.resolve()):
        raise ImportRefused("content/ leads outside the project: import writes only inside it")
    kept = [picture for picture in pictures if picture.publishable]
    if kept:
        assets.mkdir(parents=True, exist_ok=True)
    for picture in kept:
        _write_file(assets / picture.name, picture.data)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_file(target, text.encode("utf-8"))


def _write_file(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".import-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # replaces a file, never follows a link in its place
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
