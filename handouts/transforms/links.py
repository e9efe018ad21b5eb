"""Links: text that says where a link goes, and no link that goes nowhere."""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..errors import line_of
from ..parse import Handout, text_content
from .headings import TEMPLATE_IDS
from . import Context, Transform

# Link texts that do not say where the link goes, in English, French and Spanish.
VAGUE_TEXTS = frozenset({
    "here", "click here", "link", "this", "read more", "more", "this link",
    "ici", "cliquez ici", "lien", "ce lien", "en savoir plus", "lire la suite",
    "aquí", "aqui", "haga clic aquí", "haz clic aquí", "enlace", "este enlace", "leer más",
})
LOOKS_LIKE_ADDRESS = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
# Where the text writes a link's address: [text](address "title") (one level of brackets
# inside, as in Wikipedia's addresses), a reference's [name]: address, <https://…>, href="…".
WRITTEN_ADDRESS = re.compile(
    r"""\]\([ \t]*<?((?:[^\s<>()]|\([^\s<>()]*\))+)"""
    r"""|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s<>]+)"""
    r"""|<((?:https?|ftp)://[^\s<>]+)>"""
    r"""|\bhref[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.IGNORECASE | re.MULTILINE)


class LinkRules(Transform):
    name = "links"
    priority = 32  # after every transform that adds ids, before sources number the links

    def __init__(self):
        self.ids: dict[str, set[str]] = {}

    def collect(self, handouts: list[Handout], context: Context) -> None:
        self.ids = {handout.slug: {e.get("id") for e in handout.body.iter() if e.get("id")}
                    | set(TEMPLATE_IDS) for handout in handouts}

    def apply(self, handout: Handout, context: Context) -> None:
        texts: dict[str, str] = {}
        lines = LinkLines(handout)
        for link in handout.body.iter("a"):
            href = link.get("href")
            if href is None or link.get("class"):
                continue  # links Handouts made itself carry a class
            text = " ".join(text_content(link).split())
            line = lines.meet(href)
            lint = context.diagnostics.error if context.strict else context.diagnostics.warn
            if not text and not any((image.get("alt") or "").strip()
                                    for image in link.iter("img")):
                context.diagnostics.error(
                    handout.source.path, line(),
                    f"the link to {href} has no text: a screen reader would read out nothing; "
                    f"write where it goes, e.g. [Interpol's member countries]({href})")
            elif text.casefold() in VAGUE_TEXTS:
                lint(handout.source.path, line(),
                     f"the link text '{text}' does not say where the link goes: describe the "
                     "destination, e.g. [Interpol's member countries](…)")
            elif LOOKS_LIKE_ADDRESS.match(text):
                lint(handout.source.path, line(),
                     f"the link text is a bare address ({text}): describe the destination "
                     "instead; the address is printed in the sources")
            if text and texts.setdefault(text.casefold(), href) != href:
                lint(handout.source.path, line(),
                     f"the link text '{text}' is used for two different addresses: make each "
                     "text say where its link goes")
            problem = self._problem(handout, href, context)
            if problem:
                context.diagnostics.error(handout.source.path, line(), problem)

    def _problem(self, handout: Handout, href: str, context: Context) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None  # external (the sanitiser already removed unsafe schemes)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
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


class LinkLines:
    """Each link's line, for messages: where the text writes its address.

    The k-th link met to an address is at the k-th place the text writes it (the last, if
    it is written fewer times: references). The places are found in one pass over the text,
    when a line is first asked for; an address written in a way that pass does not know is
    searched for, once.
    """

    def __init__(self, handout: Handout):
        self.source = handout.source
        self.written: dict[str, list[int]] | None = None
        self.met: dict[str, int] = {}

    def meet(self, href: str) -> Callable[[], int | None]:
        """The next link to href: a function giving its line."""
        count = self.met[href] = self.met.get(href, 0) + 1
        return lambda: self.line(href, count - 1)

    def line(self, href: str, index: int) -> int | None:
        if self.written is None:
            self.written = written_addresses(self.source.body, self.source.body_line)
        lines = self.written.get(href)
        if lines is None:
            lines = self.written[href] = [line_of(self.source.body, href,
                                                  self.source.body_line)]
        return lines[min(index, len(lines) - 1)]


def written_addresses(text: str, start_line: int = 1) -> dict[str, list[int]]:
    """Address -> the lines where text writes it as a link's, in order."""
    written: dict[str, list[int]] = {}
    line, counted = start_line, 0
    for match in WRITTEN_ADDRESS.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        address = next(group for group in match.groups() if group is not None)
        written.setdefault(address, []).append(line)
    return written
