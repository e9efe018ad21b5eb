"""The EPUB 3 editions (issue 18): what a reader finds in a book app, measured in the files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from epub_checkers import ace, epubcheck, epubcheck_each

from handouts.epub.book import EpubSource, epub_bytes

NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HANDOUT = "unesco-heritage-in-conflict"  # a figure, footnotes, French passages, a glossary
PACKET = ("interpol-delegates", ["welcome", "rules-of-procedure",
                                 "interpol-cyber-child-abuse-material"])
MODIFIED = "2027-01-15T00:00:00Z"


def marker(number: int) -> str:
    """A page marker as the HTML page carries it (its label in another language here)."""
    return (f'<span class="page-marker" role="doc-pagebreak" id="page-{number}" '
            f'aria-label="Seite {number}">{number}</span>')


MARKER = re.compile(r'<span class="page-marker"[^>]*>[^<]*</span>')


def with_markers(html: str) -> str:
    """Page 1 at the article's start, page 2 mid-paragraph, page 3 at a later heading, and
    a "Pages" list, as the build puts them (in place of the build's own, if any: their
    places are known here)."""
    html = MARKER.sub("", html)
    html = re.sub(r"(<article[^>]*>)", lambda match: match.group(1) + marker(1), html, count=1)
    paragraph = [match for match in re.finditer(r"<p>([^<]{40,})", html)][1]
    cut = paragraph.start(1) + 20
    html = html[:cut] + marker(2) + html[cut:]
    heading = next(match.start() for match in re.finditer(r"<h2", html) if match.start() > cut)
    html = html[:heading] + marker(3) + html[heading:]
    pages = "".join(f'<li><a href="#page-{n}">{n}</a></li>' for n in (1, 2, 3))
    return html.replace('<article class="handout">', '<article class="handout">'
                        f'<nav class="page-list" aria-label="Seiten"><ol>{pages}</ol></nav>', 1)


def source(dist: Path, slug: str, markers: str = "hand", **extra) -> EpubSource:
    """The built page with markers: "hand" (ours), "none", or "built" (the build's own)."""
    html = (dist / f"{slug}.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'<img[^>]* src="([^"]+)"', html))
    html = {"hand": with_markers, "none": lambda page: MARKER.sub("", page),
            "built": lambda page: page}[markers](html)
    return EpubSource(slug=slug, page_html=html,
                      resources={url: (dist / url).read_bytes() for url in shown},
                      page_source=f"{slug}.pdf", modified=MODIFIED, **extra)


class Book:
    """An EPUB's files, its package document and its XHTML documents, parsed."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.opf = self.xml("EPUB/package.opf")
        self.nav = self.xml("EPUB/nav.xhtml")

    def xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(name))

    def spine(self) -> list[str]:
        hrefs = {item.get("id"): item.get("href")
                 for item in self.opf.iterfind("opf:manifest/opf:item", NS)}
        return [hrefs[ref.get("idref")] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)
                if ref.get("linear") != "no"]

    def meta(self, prop: str) -> list[str]:
        return [meta.text for meta in self.opf.iterfind("opf:metadata/opf:meta", NS)
                if meta.get("property") == prop]

    def nav_links(self, kind: str) -> list[ElementTree.Element]:
        nav = next(nav for nav in self.nav.iter(f"{{{NS['h']}}}nav") if nav.get(EPUB_TYPE) == kind)
        return list(nav.iter(f"{{{NS['h']}}}a"))

    def target(self, href: str) -> ElementTree.Element:
        """The element a link in the navigation document leads to (fails when none)."""
        name, _, fragment = href.partition("#")
        document = self.xml(f"EPUB/{name}")
        if not fragment:
            return document
        found = [element for element in document.iter() if element.get("id") == fragment]
        assert len(found) == 1, f"{href}: {len(found)} targets"
        return found[0]

    def text(self, name: str) -> str:
        return self.zip.read(f"EPUB/{name}").decode()


@pytest.fixture(scope="module")
def handout_book(example) -> Book:
    return Book(epub_bytes(source(example / "dist", HANDOUT)))


@pytest.fixture(scope="module")
def packet_book(example) -> Book:
    dist = example / "dist"
    slug, parts = PACKET
    return Book(epub_bytes(source(dist, slug, markers="none", is_packet=True,
                                  parts=tuple(source(dist, part) for part in parts))))


def test_page_list_leads_to_each_page_break_in_order(handout_book):
    """'Go to page 2' lands where page 2 of the PDF begins, mid-paragraph, between the
    same letters as in the HTML page; the page's own list of pages is not in the book."""
    entries = handout_book.nav_links("page-list")
    assert [entry.text for entry in entries] == ["1", "2", "3"]
    for entry in entries:
        target = handout_book.target(entry.get("href"))
        assert target.get(EPUB_TYPE) == "pagebreak"
        assert target.get("role") == "doc-pagebreak"
        assert target.get("aria-label") == entry.text  # the number alone (DAISY KB)
        assert target.get("id") == f"page-{entry.text}"
    page = handout_book.text(f"{HANDOUT}.xhtml")
    assert re.search(r"<p>Sites are unevenly s<span [^>]*id=\"page-2\"[^>]*/>pread", page)
    assert "Seite" not in page and "Seiten" not in page


def test_page_list_has_one_entry_per_marker_the_build_wrote(example):
    dist = example / "dist"
    html = (dist / f"{HANDOUT}.html").read_text(encoding="utf-8")
    markers = re.findall(r'<span class="page-marker"[^>]* id="(page-\d+)"', html)
    book = Book(epub_bytes(source(dist, HANDOUT, markers="built")))
    entries = [entry.get("href") for entry in book.nav_links("page-list")] if markers else []
    assert entries == [f"{HANDOUT}.xhtml#{marker}" for marker in markers]
    assert ("printPageNumbers" in book.meta("schema:accessibilityFeature")) == bool(markers)


def test_contents_and_landmarks_lead_to_what_they_name(handout_book, example):
    html = (example / "dist" / f"{HANDOUT}.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    headings = re.findall(r'<h[23][^>]* id="([^"]+)"', article)
    toc = handout_book.nav_links("toc")
    toc_ids = [entry.get("href").partition("#")[2] for entry in toc]
    assert [heading for heading in headings if heading != "toc-label"] == toc_ids[1:]
    for entry in toc:
        target = handout_book.target(entry.get("href"))
        assert entry.text.strip()
        if target.tag != f"{{{NS['h']}}}html":
            assert "".join(target.itertext()).strip().startswith(entry.text.split(" (")[0][:5])
    landmarks = {entry.get(EPUB_TYPE): entry.get("href")
                 for entry in handout_book.nav_links("landmarks")}
    assert {"toc", "bodymatter", "glossary", "bibliography"} <= set(landmarks)
    assert handout_book.target(landmarks["glossary"]).text == "Key Terms"
    assert handout_book.target(landmarks["toc"]).get(EPUB_TYPE) == "toc"


def test_accessibility_metadata_says_what_the_book_has(handout_book, packet_book, example):
    book = handout_book
    assert book.meta("schema:accessMode") == ["textual", "visual"]  # a chart
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert {"printPageNumbers", "pageNavigation", "structuralNavigation", "tableOfContents",
            "alternativeText", "readingOrder", "displayTransformability"} <= set(
        book.meta("schema:accessibilityFeature"))
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert "no third-party" in book.meta("a11y:certifiedBy")[0]
    assert book.meta("dcterms:modified") == [MODIFIED]
    assert f"{HANDOUT}.pdf" in book.meta("schema:accessibilitySummary")[0]
    page_source = book.opf.find("opf:metadata/dc:source", NS)
    assert page_source.text == f"{HANDOUT}.pdf"
    assert book.meta("source-of") == ["pagination"]
    assert book.opf.findtext("opf:metadata/dc:creator", namespaces=NS) == "The UNESCO Chairs"
    # Without page markers, no promise of print pages; without images, no visual mode.
    plain = Book(epub_bytes(source(example / "dist", "welcome", markers="none")))
    features = set(plain.meta("schema:accessibilityFeature"))
    assert not {"printPageNumbers", "pageNavigation", "alternativeText"} & features
    assert plain.meta("schema:accessMode") == ["textual"]
    assert plain.opf.find("opf:metadata/dc:source", NS) is None


def test_languages_of_the_book_and_its_passages(handout_book):
    assert handout_book.opf.findtext("opf:metadata/dc:language", namespaces=NS) == "en"
    page = handout_book.xml(f"EPUB/{HANDOUT}.xhtml")
    assert page.get("lang") == page.get(XML_LANG) == "en"
    french = [element for element in page.iter() if element.get("lang") == "fr"]
    assert len(french) == 2
    assert all(element.get(XML_LANG) == "fr" for element in french)
    assert "patrimoine en péril" in "".join(french[0].itertext())


def test_glossary_footnotes_and_their_way_back(handout_book):
    page = handout_book.xml(f"EPUB/{HANDOUT}.xhtml")
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    glossary = [element for element in page.iter() if element.get(EPUB_TYPE) == "glossary"]
    assert len(glossary) == 1 and glossary[0].get("role") == "doc-glossary"
    terms = [element for element in glossary[0].iter() if element.get(EPUB_TYPE) == "glossterm"]
    definitions = [element for element in glossary[0].iter()
                   if element.get(EPUB_TYPE) == "glossdef"]
    assert len(terms) == len(definitions) >= 2
    backlinks = [link for link in page.iter(f"{{{NS['h']}}}a")
                 if link.get("role") == "doc-backlink"]
    assert backlinks and all(link.get("href")[1:] in ids for link in backlinks)
    noterefs = [link for link in page.iter(f"{{{NS['h']}}}a")
                if link.get(EPUB_TYPE) == "noteref"]
    assert len(noterefs) == 2
    for link in noterefs:
        note = next(element for element in page.iter()
                    if element.get("id") == link.get("href")[1:])
        assert note.tag == f"{{{NS['h']}}}aside"
        assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"


def test_no_web_chrome_and_every_link_in_the_book_resolves(handout_book, packet_book):
    for book in (handout_book, packet_book):
        for name in book.spine():
            text = book.text(name)
            for chrome in ("Skip to content", "Download the PDF", "site-nav", "screen.css",
                           "print-only", "Made with Handouts", "<script"):
                assert chrome not in text, (name, chrome)
            page = book.xml(f"EPUB/{name}")
            for link in page.iter(f"{{{NS['h']}}}a"):
                href = link.get("href", "")
                if not re.match(r"https?:|mailto:", href):
                    book.target(href if not href.startswith("#") else name + href)


def test_content_notes_come_first_with_working_skip_links(example):
    slug = "interpol-cyber-child-abuse-material"
    book = Book(epub_bytes(source(example / "dist", slug)))
    text = book.text(f"{slug}.xhtml")
    assert text.index('class="content-notes"') < text.index('id="introduction"')
    skip = re.search(r'<a href="#([^"]+)" class="skip">Skip this section</a>', text)
    assert skip and book.target(f"{slug}.xhtml#{skip.group(1)}").tag.endswith("h2")


def test_figures_keep_their_alt_text_and_images_and_the_font_is_embedded(handout_book):
    page = handout_book.xml(f"EPUB/{HANDOUT}.xhtml")
    images = list(page.iter(f"{{{NS['h']}}}img"))
    manifest = {item.get("href"): item.get("media-type")
                for item in handout_book.opf.iterfind("opf:manifest/opf:item", NS)}
    assert images
    for image in images:
        assert image.get("alt", "").startswith("A bar chart")
        assert manifest[image.get("src")] == "image/svg+xml"
        assert handout_book.zip.read(f"EPUB/{image.get('src')}").startswith(b"<")
    fonts = [name for name in manifest if name.endswith(".ttf")]
    assert len(fonts) == 4 and all(manifest[name] == "font/ttf" for name in fonts)
    style = handout_book.text("style.css")
    assert all(f'url("{name}")' in style for name in fonts)
    assert "SIL Open Font License" in handout_book.text("fonts/OFL.txt")
    assert not re.search(r"(?<!-)color\s*:", style)  # the reading system's themes apply


def test_packet_opens_on_its_cover_then_its_handouts_in_order(packet_book):
    slug, parts = PACKET
    assert packet_book.spine() == [f"{slug}.xhtml"] + [f"{part}.xhtml" for part in parts]
    cover = packet_book.xml(f"EPUB/{slug}.xhtml")
    text = " ".join("".join(cover.itertext()).split())
    assert "Interpol: delegate packet" in text and "Example Model United Nations 2027" in text
    links = [link.get("href") for link in cover.iter(f"{{{NS['h']}}}a")]
    assert links == [f"{part}.xhtml" for part in parts]
    landmarks = {entry.get(EPUB_TYPE) for entry in packet_book.nav_links("landmarks")}
    assert {"cover", "toc", "bodymatter", "glossary"} <= landmarks
    # Each part's page markers, in reading order.
    pages = [entry.get("href") for entry in packet_book.nav_links("page-list")]
    assert pages == [f"{part}.xhtml#page-{n}" for part in parts for n in (1, 2, 3)]


def test_same_source_same_bytes_with_mimetype_first_and_stored(example, handout_book):
    again = epub_bytes(source(example / "dist", HANDOUT))
    assert again == handout_book.data
    entries = handout_book.zip.infolist()
    assert entries[0].filename == "mimetype"
    assert entries[0].compress_type == zipfile.ZIP_STORED and not entries[0].extra
    assert handout_book.data[30:38] == b"mimetype"
    assert {entry.date_time for entry in entries} == {(2027, 1, 15, 0, 0, 0)}


def test_epubcheck_and_ace_find_nothing(handout_book, packet_book, tmp_path):
    """EPUBCheck: 0 errors and 0 warnings; Ace by DAISY: 0 violations."""
    paths = []
    for name, book in (("handout", handout_book), ("packet", packet_book)):
        paths.append(tmp_path / f"{name}.epub")
        paths[-1].write_bytes(book.data)
    assert epubcheck_each(paths) == {path: [] for path in paths}
    for path in paths:
        assert ace(path) == []


def test_second_project_raster_figure_and_spanish_passage(second, tmp_path):
    slug = "unhcr-disaster-displacement"
    data = epub_bytes(source(second / "dist", slug))
    book = Book(data)
    manifest = {item.get("href"): item.get("media-type")
                for item in book.opf.iterfind("opf:manifest/opf:item", NS)}
    assert manifest["assets/disaster-displacement.png"] == "image/png"
    page = book.xml(f"EPUB/{slug}.xhtml")
    assert any(element.get(XML_LANG) == "es" for element in page.iter())
    path = tmp_path / f"{slug}.epub"
    path.write_bytes(data)
    assert epubcheck(path) == []
    assert ace(path) == []


ODD_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Guide – Conférence</title>
<meta name="author" content="Le secrétariat"><meta name="author" content="Les présidents">
<script>alert(1)</script></head>
<body><a class="skip-link" href="#main">Aller au contenu</a>
<main id="main"><article class="handout"><h1 id="title">Guide</h1>
<p>Voir <a href="#nowhere">une ancre perdue</a>, <a href="autre.html#x">un autre guide</a>,
<a href="pdf/guide.pdf">le PDF</a> et <a href="https://example.org/">un site</a>.</p>
<h2>Sans identifiant</h2>
<figure><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 viewBox="0 0 10 10" role="img" aria-label="Un carré"><defs><rect id="r" width="5"
 height="5"/></defs><use xlink:href="#r"/></svg><figcaption>Un carré</figcaption></figure>
<p><img src="https://example.org/remote.png" alt="Une image distante"></p>
<p><img src="../../etc/passwd.png" alt="Hors du projet"></p>
</article></main></body></html>"""


def test_what_the_book_cannot_hold_becomes_words_and_it_still_validates(tmp_path):
    """Links to what the book lacks become plain words, images from elsewhere their alt
    text; an inline SVG keeps its namespace; the navigation speaks the page's language."""
    data = epub_bytes(EpubSource(
        slug="guide", page_html=ODD_PAGE,
        resources={"../../etc/passwd.png": b"\x89PNG", "assets/unused.svg": b"<svg/>"},
        page_source="guide.pdf", modified="2027-03-01"))
    book = Book(data)
    page = book.xml("EPUB/guide.xhtml")
    hrefs = [link.get("href") for link in page.iter(f"{{{NS['h']}}}a")]
    assert hrefs == ["https://example.org/"]
    text = " ".join("".join(page.itertext()).split())
    assert "une ancre perdue, un autre guide, le PDF et un site" in text
    assert "Une image distante" in text and "Hors du projet" in text
    assert not list(page.iter(f"{{{NS['h']}}}img"))
    assert not any(name.endswith(("passwd.png", "unused.svg")) for name in book.zip.namelist())
    assert page.find(".//{http://www.w3.org/2000/svg}use") is not None
    assert "alert" not in book.text("guide.xhtml") and "Aller au contenu" not in text
    toc = book.nav_links("toc")
    assert [entry.text for entry in toc] == ["Guide", "Sans identifiant"]
    book.target(toc[1].get("href"))  # a heading without an id was given one
    assert book.nav.find(".//{http://www.w3.org/1999/xhtml}h2").text == "Sommaire"
    assert [creator.text for creator in book.opf.iterfind("opf:metadata/dc:creator", NS)] == [
        "Le secrétariat", "Les présidents"]
    assert book.meta("dcterms:modified") == ["2027-03-01T00:00:00Z"]
    path = tmp_path / "guide.epub"
    path.write_bytes(data)
    assert epubcheck(path) == []
