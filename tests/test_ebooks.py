"""The build's EPUBs: one per handout, listed, with the PDF's pages, kept while unchanged."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from testing_utils import handout, make_project, parse_html, run_cli, text_of

import handouts.epub.stage


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])


def page_list(epub: Path) -> list[str]:
    """The page-list entries of the EPUB's navigation document, as a reading system lists them."""
    with zipfile.ZipFile(epub) as book:
        nav_name = next(name for name in book.namelist() if name.endswith("nav.xhtml"))
        nav = book.read(nav_name).decode()
    listed = re.search(r'<nav[^>]*epub:type="page-list".*?</nav>', nav, re.DOTALL)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", listed)


def test_each_handout_and_packet_has_an_epub_with_an_entry_for_each_pdf_page(project):
    dist = project / "dist"
    handouts = [path.stem for path in (project / "content").glob("*.md")
                if path.stem != "glossary"]
    packets = re.findall(r'^slug = "([^"]+)"', (project / "handouts.toml").read_text(),
                         re.MULTILINE)
    assert packets
    slugs = sorted(handouts + packets)
    assert sorted(path.stem for path in (dist / "epub").glob("*.epub")) == slugs
    for slug in slugs:  # a packet's: its cover, contents and blank pages too
        pages = pdf_pages(dist / "pdf" / f"{slug}.pdf")
        assert page_list(dist / "epub" / f"{slug}.epub") == [str(n) for n in range(1, pages + 1)]


def test_the_index_lists_each_epub_with_its_size(example):
    index = parse_html(example / "dist" / "index.html")
    links = [link for link in index.iter("a") if (link.get("href") or "").startswith("epub/")]
    assert len(links) == 5  # four handouts and the packet
    for link in links:
        text = " ".join(text_of(link).split())
        size = (example / "dist" / link.get("href")).stat().st_size
        assert text.startswith("EPUB e-book")
        pages = pdf_pages(example / "dist" / "pdf" / link.get("href")
                          .removeprefix("epub/").replace(".epub", ".pdf"))
        assert re.search(rf", {pages} pages?, \d+ kB$", text), text  # the PDF's pages
        assert abs(int(re.search(r"(\d+) kB$", text)[1]) - size / 1000) <= 1


def test_an_unchanged_handout_keeps_its_epub_and_a_changed_one_is_made_again(tmp_path,
                                                                           monkeypatch):
    root = make_project(tmp_path, {"content/a.md": handout("A", body="## One\n\nText.\n"),
                                   "content/b.md": handout("B", body="## Two\n\nText.\n")})
    assert run_cli("--project", root).status == 0
    first = {path.name: path.read_bytes() for path in (root / "dist" / "epub").iterdir()}
    made = []
    real = handouts.epub.stage.epub_bytes
    monkeypatch.setattr(handouts.epub.stage, "epub_bytes",
                        lambda source: made.append(source.slug) or real(source))
    assert run_cli("--project", root).status == 0
    assert made == []  # a build with nothing changed makes no EPUB
    assert {path.name: path.read_bytes()
            for path in (root / "dist" / "epub").iterdir()} == first
    (root / "content" / "b.md").write_text(handout("B", body="## Two\n\nNew text.\n"),
                                            encoding="utf-8")
    assert run_cli("--project", root).status == 0
    assert made == ["b"]
    (root / "content" / "b.md").unlink()
    assert run_cli("--project", root).status == 0
    assert sorted(path.name for path in (root / "dist" / "epub").iterdir()) == ["a.epub"]


def test_epubs_are_the_same_bytes_from_another_folder_and_other_jobs(example,
                                                                     example_elsewhere):
    books = sorted((example / "dist" / "epub").glob("*.epub"))
    assert len(books) == 5
    for epub in books:
        again = example_elsewhere / "dist" / "epub" / epub.name
        assert again.read_bytes() == epub.read_bytes(), epub.name


def test_an_epub_follows_a_change_of_an_image_it_shows(tmp_path):
    root = make_project(tmp_path, {
        "content/a.md": handout("A", body="## One\n\n![A red square](assets/square.svg)\n"),
        "content/assets/square.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                     'height="10"><rect width="10" height="10" fill="red"/></svg>'})
    assert run_cli("--project", root).status == 0
    epub = root / "dist" / "epub" / "a.epub"
    with zipfile.ZipFile(epub) as book:
        assert any(b'fill="red"' in book.read(name) for name in book.namelist()
                   if name.endswith(".svg"))
    svg = root / "content" / "assets" / "square.svg"
    svg.write_text(svg.read_text().replace("red", "blue"), encoding="utf-8")
    assert run_cli("--project", root).status == 0
    with zipfile.ZipFile(epub) as book:
        assert any(b'fill="blue"' in book.read(name) for name in book.namelist()
                   if name.endswith(".svg"))


def test_epubcheck_and_ace_find_nothing_in_any_epub_the_example_built(example):
    """W3C's EPUBCheck 5: 0 errors and 0 warnings; Ace by DAISY: 0 violations."""
    from epub_checkers import ace, epubcheck_each

    books = sorted((example / "dist" / "epub").glob("*.epub"))
    assert len(books) == 5
    assert epubcheck_each(books) == {book: [] for book in books}
    for book in books:
        assert ace(book) == [], book.name
