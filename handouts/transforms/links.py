"""Links: text that says where a link goes, and no link that goes nowhere."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ..html_classes import has_class
from ..page_numbers.markers import PAGE_MARKER_ID
from ..pdf.semantics import printed_footnote_links
from ..prepare.parse import Handout, text_content
from . import Context, Transform
from .headings import TEMPLATE_IDS

# Link texts that do not say where the link goes, in English, French and Spanish.
VAGUE_TEXTS = frozenset({
    "here", "click here", "link", "this", "read more", "more", "this link",
    "ici", "cliquez ici", "lien", "ce lien", "en savoir plus", "lire la suite",
    "aquí", "aqui", "haga clic aquí", "haz clic aquí", "enlace", "este enlace", "leer más",
})
LOOKS_LIKE_ADDRESS = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


class LinkRules(Transform):
    name = "links"

    def __init__(self):
        self.ids: dict[str, set[str]] = {}

    def collect(self, handouts: list[Handout], context: Context) -> None:
        self.ids = {handout.slug: {e.get("id") or "" for e in handout.body.iter() if e.get("id")}
                    | set(TEMPLATE_IDS) for handout in handouts}

    def apply(self, handout: Handout, context: Context) -> None:
        texts: dict[str, str] = {}
        # A footnote's print copy (footnotes.py) repeats its links: they are checked once.
        copies = printed_footnote_links(handout.body)
        for link in handout.body.iter("a"):
            href = link.get("href")
            if href is None or link in copies or _made_by_handouts(handout, link):
                continue
            text = " ".join(text_content(link).split())
            line = handout.line(link)
            lint = context.diagnostics.error if context.strict else context.diagnostics.warn
            if not text and not any((image.get("alt") or "").strip()
                                    for image in link.iter("img")):
                context.diagnostics.error(
                    handout.source.path, line,
                    f"the link to {href} has no text: a screen reader would read out nothing; "
                    f"write where it goes, e.g. [Interpol's member countries]({href})")
            elif text.casefold() in VAGUE_TEXTS:
                lint(handout.source.path, line,
                     f"the link text '{text}' does not say where the link goes: describe the "
                     "destination, e.g. [Interpol's member countries](…)")
            elif LOOKS_LIKE_ADDRESS.match(text):
                lint(handout.source.path, line,
                     f"the link text is a bare address ({text}): describe the destination "
                     "instead; the address is printed in the sources")
            if text and texts.setdefault(text.casefold(), href) != href:
                lint(handout.source.path, line,
                     f"the link text '{text}' is used for two different addresses: make each "
                     "text say where its link goes")
            problem = self._problem(handout, href, context)
            if problem:
                context.diagnostics.error(handout.source.path, line, problem)

    def _problem(self, handout: Handout, href: str, context: Context) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None  # external (the sanitiser already removed unsafe schemes)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if PAGE_MARKER_ID.fullmatch(fragment):
            fragment = ""  # a page of the PDF: its mark is written after the PDF is laid out
        if not path:
            if fragment and fragment not in self.ids.get(handout.slug, set()):
                return (f"the link to #{fragment} goes nowhere: no heading or element in this "
                        "handout has that id")
            return None
        slug = path[:-5] if path.endswith(".html") else None
        if slug in self.ids:
            if fragment and fragment not in self.ids[slug]:
                return f"the link to {href} goes nowhere: {path} has no #{fragment}"
            return None
        if path == "index.html" or (path.startswith("pdf/") and path[4:-4] in self.ids
                                    and path.endswith(".pdf")):
            return None
        if "\0" in path:
            return f"the link to {href} goes nowhere: a file name cannot hold %00"
        target = (handout.source.path.parent / path).resolve()
        assets = (handout.source.path.parent / "assets").resolve()
        if target.is_relative_to(assets) and target.is_file():
            return None
        return (f"the link to {href} goes nowhere: link to another handout as <name>.html, "
                "or put the file in content/assets/ and link to assets/…")


def _made_by_handouts(handout: Handout, link) -> bool:
    """A link the transforms added (no line in the author's file), or a footnote's call or
    return link, which Markdown makes from the author's [^1]: not the author's to word.

    Not decided by a class: an author's [here](…){: .screen-only } is checked like any link.
    """
    return handout.line(link) is None or has_class(link, "footnote-ref") \
        or has_class(link, "footnote-backref")
