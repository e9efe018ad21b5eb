"""check --review: what no program can judge, laid out for a person to judge quickly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..html_classes import has_class
from ..output import write_tool_page
from .html_rules import accessible_name, text_of
from .pdf_reader import Element, read_tagged_pdf
from .pdf_text import reading_text
from .text import normalise

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# PDF elements read out as one line each in the screen-reader view.
SPOKEN_BLOCKS = ("H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "TOCI", "Caption", "TH",
                 "TD", "BlockQuote", "Figure")


@dataclass
class HandoutReview:
    title: str
    html_name: str
    pdf_name: str | None
    images: list[tuple[str, str]] = field(default_factory=list)     # (src, alt)
    links: list[tuple[str, str]] = field(default_factory=list)      # (text, href)
    outline: list[tuple[int, str]] = field(default_factory=list)    # (level, text)
    content_notes: list[str] = field(default_factory=list)
    spoken: list[tuple[str, str]] = field(default_factory=list)     # (role, text)


def review_page(html_path: Path, html_root, pdf_path: Path | None) -> HandoutReview:
    title = html_root.find("head/title")
    review = HandoutReview(text_of(title) if title is not None else html_path.name,
                           html_path.name, pdf_path.name if pdf_path else None)
    body = html_root.find("body")
    for element in body.iter():
        if element.tag == "img":
            review.images.append((element.get("src") or "", element.get("alt")))
        elif element.tag == "a" and element.get("href"):
            review.links.append((accessible_name(element), element.get("href")))
        elif element.tag in HEADINGS:
            review.outline.append((int(element.tag[1]), text_of(element)))
        elif has_class(element, "content-note") or \
                has_class(element, "content-notes"):
            review.content_notes.append(text_of(element))
    if pdf_path is not None:
        review.spoken = spoken_lines(read_tagged_pdf(pdf_path).root)
    return review


def spoken_text(element: Element) -> str:
    """reading_text, with images read by their alternative text as a screen reader does."""
    if element.type == "Figure":
        alt = element.attributes.get("Alt", "no alternative text")
        return f" [image: {alt}] " + reading_text(element)
    if not any(kid.type == "Figure" for kid in element.iter() if kid is not element):
        return reading_text(element)
    parts = []
    for kid in element.kids:
        if isinstance(kid, Element):
            parts.append(spoken_text(kid))
        elif hasattr(kid, "text"):
            parts.append(kid.text)
    return "".join(parts)


def spoken_lines(root: Element | None) -> list[tuple[str, str]]:
    """The PDF's text in the order a screen reader reads it, one block per line."""
    lines = []

    def visit(element):
        if element.type in SPOKEN_BLOCKS:
            lines.append((element.type, normalise(spoken_text(element))))
            return
        for child in element.children():
            visit(child)

    if root is not None:
        visit(root)
    return lines


def write_review(project, files: list[Path]) -> Path:
    """dist/review.html for every handout page among files (and its PDF)."""
    from .. import __version__
    from ..labels import Labels
    from ..pages.render import STATIC, make_environment, render_template
    from .files import parse_html

    dist = project.dist_dir
    reviews = []
    for html_path in (path for path in files if path.suffix == ".html"
                      and path.parent == dist and path.stem not in ("index", "review")):
        pdf_path = dist / "pdf" / f"{html_path.stem}.pdf"
        reviews.append(review_page(html_path, parse_html(html_path),
                                   pdf_path if pdf_path.is_file() else None))
    config = project.config
    page = render_template(
        make_environment(project), "review.html", lang=config.lang, conference=config,
        labels=Labels(config.lang), static=STATIC,
        version=__version__, reviews=reviews, pdf_href=None, current="review", draft=False)
    target = dist / "review.html"
    write_tool_page(target, page)
    return target
