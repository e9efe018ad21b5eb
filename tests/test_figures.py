"""Figures: readable in the dark scheme, and their text 18 pt in large print (or described)."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from checkers import outloud_errors, page_validation_failures
from testing_utils import (
    EXAMPLE_SLUG,
    REPO,
    handout,
    make_project,
    parse_html,
    pdf_structure,
    pdf_text,
    pdf_text_runs,
    run_cli,
    text_of,
)

from handouts.assets.svg_text import SVG_NS, read_drawing
from handouts.builder import prepare
from handouts.errors import Diagnostics
from handouts.project import Project

STUDY_GUIDE = "unesco-heritage-in-conflict"
SLUGS = [EXAMPLE_SLUG, STUDY_GUIDE, "welcome", "rules-of-procedure", "interpol-delegates"]
CHART = "assets/heritage-sites-by-region.svg"
CHART_SVG = (REPO / "content" / CHART).read_bytes()
CHART_ALT = "A bar chart of World Heritage sites by region"
CHART_LINE = f'![{CHART_ALT}]({CHART} "World Heritage sites by region, 2024")\n'
# Text 2 units high in a drawing 4,000 wide: 0.2 pt at the text's width, under 18 pt anywhere.
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4000 100" width="4000" '
            'height="100"><rect width="4000" height="100" fill="#eef1f5"/>'
            '<text x="10" y="50" font-size="2">A label two units high</text></svg>')
WIDE_ALT = "A strip 4,000 units wide, labelled in text 2 units high"
MIN_GLYPH_PIXELS = 20  # at 3 device pixels a CSS pixel: specks of antialiasing are smaller


def figure_runs(pdf):
    """Text drawn inside images: an SVG's own labels."""
    return [run for run in pdf_text_runs(pdf) if "/Figure" in run.tags]


def page_sizes(pdf) -> list[tuple[float, float]]:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return [(float(box[2] - box[0]), float(box[3] - box[1]))
                for box in (page.mediabox for page in document.pages)]


# -- Dark scheme: measured in Chromium --------------------------------------------------------

def luminance(pixel) -> float:
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(channel) for channel in pixel[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def textless_copy(dist, tmp_path, *svgs: str):
    """The built pages beside copies of their SVGs that draw no text."""
    # Where two screenshots differ are the glyphs; the copy shows what stands behind them.
    copy = tmp_path / "textless"
    shutil.copytree(dist / "_static", copy / "_static")
    shutil.copytree(dist / "assets", copy / "assets")
    for page in dist.glob("*.html"):
        shutil.copy(page, copy / page.name)
    hidden = "<style>text, tspan, textPath { visibility: hidden !important; }</style>"
    for svg in svgs:
        drawing = (copy / svg).read_text(encoding="utf-8")
        (copy / svg).write_text(drawing.replace("</svg>", hidden + "</svg>"), encoding="utf-8")
    return copy


def screenshot(browser, page_path, src: str, scheme: str, style: str | None):
    from PIL import Image

    page = browser.new_page(color_scheme=scheme, device_scale_factor=3,
                            viewport={"width": 900, "height": 900})
    try:
        page.goto(page_path.as_uri())
        if style:
            page.add_style_tag(content=style)
        # A collapsed section ([content_notes] collapse = true) shows its figure when opened.
        page.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
        image = page.locator(f'main img[src="{src}"]').first
        image.scroll_into_view_if_needed()
        return Image.open(io.BytesIO(image.screenshot(animations="disabled"))).convert("RGB")
    finally:
        page.close()


def glyph_contrasts(browser, dist, textless, name: str, src: str, scheme: str,
                    style: str | None = None) -> list[float]:
    """Per glyph the image of src draws: its most solid pixel's contrast with its backdrop."""
    # The backdrop is the same pixel in the screenshot of the copy that draws no text.
    drawn = screenshot(browser, dist / name, src, scheme, style)
    behind = screenshot(browser, textless / name, src, scheme, style)
    assert drawn.size == behind.size
    width, height = drawn.size
    drawn_pixels, behind_pixels = ([data[i:i + 3] for i in range(0, len(data), 3)]
                                   for data in (drawn.tobytes(), behind.tobytes()))
    glyph = {index for index, (a, b) in enumerate(zip(drawn_pixels, behind_pixels)) if a != b}
    contrasts = []
    while glyph:  # one connected shape of changed pixels at a time
        start = glyph.pop()
        shape, stack = [start], [start]
        while stack:
            index = stack.pop()
            x, y = index % width, index // width
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    neighbour = (y + dy) * width + x + dx
                    if 0 <= x + dx < width and 0 <= y + dy < height and neighbour in glyph:
                        glyph.remove(neighbour)
                        shape.append(neighbour)
                        stack.append(neighbour)
        if len(shape) >= MIN_GLYPH_PIXELS:
            contrasts.append(max(contrast(drawn_pixels[i], behind_pixels[i]) for i in shape))
    return contrasts


@pytest.fixture(scope="module")
def textless(example, tmp_path_factory):
    return textless_copy(example / "dist", tmp_path_factory.mktemp("figures"), CHART)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_chart_s_labels_are_readable_in_both_schemes(browser, example, textless, scheme):
    contrasts = glyph_contrasts(browser, example / "dist", textless, f"{STUDY_GUIDE}.html",
                                CHART, scheme)
    assert len(contrasts) >= 60  # the labels' letters and digits (some glyphs touch)
    assert min(contrasts) >= 4.5


def test_without_the_backdrop_the_dark_scheme_hides_the_labels(browser, example, textless):
    """The measurement finds what issue 14 reported: #1a1a1a on #121417, 1.06:1."""
    bare = "main img { background: none !important; padding: 0 !important; }"
    contrasts = glyph_contrasts(browser, example / "dist", textless, f"{STUDY_GUIDE}.html",
                                CHART, "dark", bare)
    assert len(contrasts) >= 60
    assert max(contrasts) < 1.1


def test_an_image_drawn_for_both_schemes_stands_bare(browser, tmp_path):
    follows = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" '
               'height="20"><style>rect { fill: #0a4f8f } @media (prefers-color-scheme: '
               'dark) { rect { fill: #9cc7ff } }</style><rect width="40" height="20"/></svg>')
    body = ("![A band that follows the scheme](assets/follows.svg)\n\n"
            "![A band drawn for both](assets/chart.svg){: .both-schemes }\n\n"
            "![A band drawn for paper](assets/chart.svg)\n")
    make_project(tmp_path, {"content/a.md": handout(body=body),
                            "content/assets/follows.svg": follows,
                            "content/assets/chart.svg": CHART_SVG,
                            "handouts.toml": '[build]\nprofiles = ["standard"]\n'})
    assert run_cli("--project", tmp_path).status == 0
    images = list(parse_html(tmp_path / "dist/a.html").iter("img"))
    assert [image.get("class") for image in images] == ["both-schemes", "both-schemes", None]
    assert backgrounds(browser, tmp_path / "dist/a.html", "main img") == [
        "rgba(0, 0, 0, 0)", "rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"]


def backgrounds(browser, path, selector: str) -> list[str]:
    """The background colour of each image the selector picks, in the dark scheme."""
    page = browser.new_page(color_scheme="dark")
    try:
        page.goto(path.as_uri())
        return page.eval_on_selector_all(
            selector, "images => images.map(i => getComputedStyle(i).backgroundColor)")
    finally:
        page.close()


# -- Large print: measured per glyph ----------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_every_glyph_inside_a_figure_is_at_least_18_pt_in_large_print(example, slug):
    runs = figure_runs(example / "dist/pdf/large-print" / f"{slug}.pdf")
    assert not runs or min(run.size for run in runs) >= 18
    if slug == STUDY_GUIDE:
        assert len(runs) >= 60  # the chart's labels are measured


def test_the_chart_is_turned_onto_a_landscape_page_of_its_own(example):
    pdf = example / "dist/pdf/large-print" / f"{STUDY_GUIDE}.pdf"
    pages = {run.page for run in figure_runs(pdf)}
    assert len(pages) == 1
    sizes = page_sizes(pdf)
    width, height = sizes[pages.pop() - 1]
    assert width > height  # A4 turned
    assert sum(w > h for w, h in sizes) == 1  # every other page stays upright
    assert "A bar chart: 545 World Heritage" not in pdf_text(pdf)  # fits: not described


def test_standard_print_is_unchanged(example):
    """9.6 pt, as before: the chart 32 em (384 pt) wide, as assets/svg_text.py reckons from its SVG."""
    pdf = example / "dist/pdf" / f"{STUDY_GUIDE}.pdf"
    assert {run.size for run in figure_runs(pdf)} == {9.6}
    assert round(read_drawing(CHART_SVG).text_pt(384), 2) == 9.6
    assert all(width < height for width, height in page_sizes(pdf))
    html = (example / "dist" / f"{STUDY_GUIDE}.html").read_text(encoding="utf-8")
    assert "figure-description" not in html


def test_the_glyph_measurement_catches_a_chart_left_at_the_text_width(tmp_path):
    """Without its landscape page the chart's labels are 11.5 pt, as issue 14 reported."""
    stylesheet = (REPO / "styles/profiles/large-print.css").read_text(encoding="utf-8")
    undone = ("\nimg.large-print-width { width: 100% !important; }\n"
              ".large-print-landscape-a4 { page: auto !important; margin: 0 0 1em; }\n")
    make_project(tmp_path, {"content/a.md": handout(body=CHART_LINE),
                            "content/assets/heritage-sites-by-region.svg": CHART_SVG,
                            "styles/profiles/large-print.css": stylesheet + undone,
                            "handouts.toml": '[build]\nprofiles = ["large-print"]\n'})
    assert run_cli("--project", tmp_path).status == 0
    sizes = {run.size for run in figure_runs(tmp_path / "dist/pdf/large-print/a.pdf")}
    assert sizes == {11.46}
    assert round(read_drawing(CHART_SVG).text_pt(458.55), 2) == 11.46


WIDE_BODY = f"""\
Write a figure like this:

```
![{WIDE_ALT}](assets/wide.svg "A strip")
```

![{WIDE_ALT}](assets/wide.svg "A strip")

Text with the strip inline, ![{WIDE_ALT}](assets/wide.svg), too.
"""


def too_small(where, figure, src, size, width, pt, enough, widest) -> str:
    return (f"{where}: warning: the {figure} ({src}): its smallest text, {size} px high in a "
            f"drawing {width} px wide, is {pt} pt in large print, not the 18 pt large print "
            "promises; large print prints its description beneath it. Make that text at least "
            f"{enough} px high, or the drawing at most {widest} px wide")


def test_a_figure_whose_text_cannot_reach_18_pt_is_warned_about_and_described(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Wide figures", WIDE_BODY),
                            "content/assets/wide.svg": WIDE_SVG})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    # Each at the line the parser met it on: not the code block's copy above it.
    warnings = [line for line in result.err.splitlines() if "warning:" in line]
    assert warnings == [
        too_small("content/a.md:10", 'figure "A strip"', "assets/wide.svg", "2", "4,000", "0.2",
                  "99.6", "80"),
        too_small("content/a.md:12", f'image "{WIDE_ALT}"', "assets/wide.svg", "2", "4,000",
                  "0.2", "157.0", "51")]
    assert "PDF checks: 0 finding(s)" in result.out + result.err
    large = tmp_path / "dist/pdf/large-print/a.pdf"
    text = " ".join(pdf_text(large).split())
    # Beneath the figure and after the inline image (and in the code block, as written).
    assert text.count(WIDE_ALT) == 3
    assert " ".join(pdf_text(tmp_path / "dist/pdf/a.pdf").split()).count(WIDE_ALT) == 1
    assert outloud_errors(large) == []
    assert page_validation_failures(large) == []


def test_a_handout_in_a_packet_keeps_its_pages_upright(tmp_path):
    settings = ('[conference]\nname = "A conference"\n\n[[packet]]\nslug = "pack"\n'
                'title = "A packet"\nhandouts = ["a"]\nbooklet = true\n')
    make_project(tmp_path, {"content/a.md": handout("In a packet", "Text.\n\n" + CHART_LINE),
                            "content/b.md": handout("On its own", "Text.\n\n" + CHART_LINE),
                            "content/assets/heritage-sites-by-region.svg": CHART_SVG,
                            "handouts.toml": settings})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    warnings = [line for line in result.err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].startswith("content/a.md:6: warning: the figure")
    assert "a landscape page of its own would fit it, but a handout in a packet keeps every " \
        "page upright" in warnings[0]
    large = tmp_path / "dist/pdf/large-print"
    for name in ("a.pdf", "pack.pdf", "pack-booklet.pdf"):
        assert len(set(page_sizes(large / name))) == 1, name
    assert sum(w > h for w, h in page_sizes(large / "b.pdf")) == 1
    assert min(run.size for run in figure_runs(large / "b.pdf")) >= 18


def test_on_letter_paper_the_chart_is_too_wide_even_turned(tmp_path):
    make_project(tmp_path, {"content/a.md": handout(body=CHART_LINE),
                            "content/assets/heritage-sites-by-region.svg": CHART_SVG,
                            "handouts.toml": '[conference]\npaper = "Letter"\n\n'
                                             '[build]\nprofiles = ["large-print"]\n'})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err
    assert result.err.splitlines()[0] == too_small(
        "content/a.md:4", 'figure "World Heritage sites by region, 2024"', CHART, "13", "520",
        "11.9", "13.9", "486")
    assert CHART_ALT in pdf_text(tmp_path / "dist/pdf/large-print/a.pdf")


def prepared(tmp_path, body: str, svg: str | bytes):
    """The body after every transform, and the warnings; with an emblem that writes no text."""
    make_project(tmp_path, {"content/a.md": handout(body=body), "content/assets/a.svg": svg,
                            "content/assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/'
                            'svg" width="100%"><circle r="5"/></svg>'})
    [page] = prepare(Project.open(tmp_path), diagnostics := Diagnostics())
    return page.body, [warning.format(tmp_path) for warning in diagnostics.warnings]


@pytest.mark.parametrize("root, inner, why", [
    ('width="100%"', "", 'it has no viewBox, and its width is "100%"'),
    ('viewBox="0 0 9 3"', 'transform="scale(0)"', "a transform shrinks some of its text to "
     "nothing (scale(0), or a matrix of zeros)"),
    ('viewBox="0 0 9 3"', f'class="{"x " * 3000}"', "the class attribute of one of its <g> "
     "elements is 6,000 characters long; at most 4,096 are read"),
])
def test_unmeasurable_text_is_warned_about_and_described(tmp_path, root, inner, why):
    svg = f'<svg xmlns="{SVG_NS}" {root}><g {inner}><text font-size="9">Label</text></g></svg>'
    body, warnings = prepared(tmp_path, '![Two bars](assets/a.svg "Bars")\n\nAn emblem, '
                              "![Our emblem](assets/logo.svg), inline.\n", svg)
    assert len(warnings) == 1 and warnings[0].startswith(
        f'content/a.md:4: warning: the figure "Bars" (assets/a.svg): its text could not be '
        f"measured for large print ({why}); large print prints its description beneath it. ")
    assert [text_of(element) for element in body.iter()
            if element.get("class") == "figure-description"] == ["Two bars"]


def test_a_caption_that_fills_the_page_leaves_the_figure_its_width_and_says_so(tmp_path):
    caption = " ".join(["A caption that goes on."] * 150)  # some 80 lines at 18 pt
    body, warnings = prepared(tmp_path, f'![{CHART_ALT}](assets/a.svg "{caption}")\n', CHART_SVG)
    assert warnings == [f'content/a.md:4: warning: the figure "{caption[:59]}…" (assets/a.svg): '
                        "its caption, 3,599 characters, fills a large-print page and leaves no "
                        "room for the drawing above it; large print prints its description "
                        "beneath it. Shorten the caption (the text around the figure can say the "
                        "rest)"]  # once "-56.9 pt": a negative width
    assert body.find(".//img").get("style") is None  # the text's width, as the CSS says


# -- The second project (tests/second_project/) ------------------------------------------

def svg_images(dist) -> list[tuple[str, str]]:
    """(page, src) of every SVG that writes text, on a page's main content."""
    return [(page.name, image.get("src")) for page in sorted(dist.glob("*.html"))
            for image in parse_html(page).iter("img")
            if (image.get("src") or "").endswith(".svg") and image.get("alt")
            and read_drawing((dist / image.get("src")).read_bytes()).smallest_text]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_second_project_s_drawings_are_readable_in_both_schemes(browser, second,
                                                                   tmp_path, scheme):
    dist = second / "dist"
    images = svg_images(dist)
    assert images
    textless = textless_copy(dist, tmp_path, *{src for _, src in images})
    for name, src in images:
        contrasts = glyph_contrasts(browser, dist, textless, name, src, scheme)
        assert contrasts and min(contrasts) >= 4.5, (name, src)


def test_the_second_project_s_raster_charts_stand_on_a_light_backdrop(browser, second):
    dist = second / "dist"
    pages = [page for page in sorted(dist.glob("*.html"))
             if any((image.get("src") or "").endswith(".png")
                    for image in parse_html(page).iter("img"))]
    assert pages
    for path in pages:
        found = backgrounds(browser, path, 'main img[src$=".png"]:not(.both-schemes)')
        assert found and set(found) == {"rgb(255, 255, 255)"}, path.name


def test_the_second_project_s_figures_reach_18_pt_or_are_described(second):
    """Every glyph in a figure 18 pt in large print, or the figure's description printed."""
    dist = second / "dist"
    described = [" ".join(text_of(element).split()) for page in dist.glob("*.html")
                 for element in parse_html(page).iter()
                 if "figure-description" in (element.get("class") or "").split()]
    # A booklet is its packet imposed two pages a side: read in the packet's own PDF.
    for pdf in sorted((dist / "pdf/large-print").glob("*.pdf")):
        if pdf.stem.endswith("-booklet"):
            continue
        small = [run for run in figure_runs(pdf) if run.size < 18]
        if small:
            # Read in the structure tree: a description may go over a page, and the page's
            # running header and folio, artifacts, must not part it. (Poppler drops the
            # spaces that end a line: compared without spaces.)
            text = squashed(" ".join(part for node in pdf_structure(pdf).iter()
                                     for part in node.parts if isinstance(part, str)))
            assert described and any(squashed(description) in text
                                     for description in described), pdf
    for pdf in sorted((dist / "pdf").glob("*.pdf")):
        text = " ".join(pdf_text(pdf).split())
        assert not any(description in text for description in described), pdf


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)
