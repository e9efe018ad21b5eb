"""Bad and hostile input in one place: each case's exact messages, exit status and dist/."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from testing_utils import DOT_PNG, REPO, handout, make_project, pdf_text, run_cli, snapshot

from handouts.errors import Diagnostics
from handouts.limits import MAX_HANDOUT_BYTES

BUILD_FAILED = "Build failed: {} error(s); dist/ was left as it was."
# The project every case starts from, built once: a case writes its files over it.
PACKET = '[[packet]]\nslug = "p"\ntitle = "P"\nhandouts = [{}]\n'
BASE_FILES = {"content/a.md": handout("Base", "Base text.\n"), "content/assets/dot.png": DOT_PNG}


@dataclass(frozen=True)
class Case:
    """One bad input. Adding a case is adding one of these to CASES.

    files: paths relative to the project (handouts.toml, content/…, templates/…, styles/…;
      '../x' is beside the project) -> text or bytes; None deletes the base project's file.
    expected: every line the build prints on stderr, in order ('{root}' stands for the
      project's folder), apart from the closing 'Build failed' line, which is checked too.
    status 1: dist/ must be byte for byte the base build's. status 0 (recoverable): dist/
      is rebuilt, passes `check`, and dist/a.html's <main> (or the PDF's text) holds each
      of html_has (pdf_has) and none of html_lacks.
    """

    id: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    status: int = 1
    html_has: tuple[str, ...] = ()
    html_lacks: tuple[str, ...] = ()
    pdf_has: tuple[str, ...] = ()


def body(text: str, **front_matter) -> dict[str, str]:
    """content/a.md with a title and text starting on line 4 (more with front matter keys)."""
    return {"content/a.md": handout("A", text, **front_matter)}


def front(yaml_lines: str) -> dict[str, str]:
    """content/a.md made of exactly this front matter text."""
    return {"content/a.md": yaml_lines}


KNOWN_KEYS = ("title, subtitle, committee, topic, authors, date, lang, summary, content_notes, "
              "status")
RAW_HTML_WARNING = "content/a.md:{}: warning: removed a <{}> element: raw HTML may not contain <{}>"
UNSAFE_URL = ("content/a.md:{}: warning: removed the unsafe URL {!r} from <a>: only http:, "
              "https:, mailto:, tel: and relative links are allowed")
NOT_IN_ASSETS = "the image {} is not in content/assets/: move it there and link to assets/…"
GOES_NOWHERE = ("the link to {} goes nowhere: link to another handout as <name>.html, or put "
                "the file in content/assets/ and link to assets/…")
REFUSED = "{}: refused to load {}: only files inside the project are read"
# The built-in print stylesheet, which a project's styles/print.css replaces.
PRINT_CSS = (REPO / "styles/print.css").read_text(encoding="utf-8")
TOO_DEEP = ("content/a.md:{}: this line is quoted or indented {} levels deep; more than 60 "
            "cannot be laid out on a page: flatten the nesting")

CASES = [
    # Front matter: the YAML, its keys and their types.
    Case("yaml-invalid", front("---\ntitle: A\n  bad: indentation\n---\n"), [
        "content/a.md:3: the front matter is not valid YAML: mapping values are not allowed "
        "here; a value that contains ': ' must be in quotes, e.g. title: \"Welcome: a guide\""]),
    Case("yaml-tab-indentation", front("---\ntitle: A\n\tcommittee: B\n---\n"), [
        "content/a.md:3: the front matter is not valid YAML: found character '\\t' that cannot "
        "start any token; indent with spaces, not tabs"]),
    Case("yaml-quote-never-closed", front('---\ntitle: "A\ncommittee: B\n---\n'), [
        "content/a.md:2: the front matter is not valid YAML: found unexpected end of stream; "
        "the quote that opens this value is never closed: close it on this line"]),
    Case("yaml-list-indented-unevenly",
         front("---\ntitle: A\nauthors:\n  - A. Chair\n - B. Chair\n---\n"), [
             "content/a.md:5: the front matter is not valid YAML: expected <block end>, but "
             "found '<block sequence start>'; this line is indented differently from the lines "
             "above it: give the items of one list ('- …'), or the keys under one key, the same "
             "indent"]),
    Case("yaml-bracket-never-closed", front("---\ntitle: A\ncommittee: [UN\n---\n"), [
        "content/a.md:3: the front matter is not valid YAML: expected ',' or ']', but got "
        "'<stream end>'; a list in [ ] (or a mapping in { }) must be closed on the same line: "
        "close it, or put a value holding [ or { in quotes"]),
    Case("yaml-quotes-inside-quotes", front('---\ntitle: "The "Best" Committee"\n---\n'), [
        "content/a.md:2: the front matter is not valid YAML: expected <block end>, but found "
        "'<scalar>'; the value goes on after a closing quote or bracket: a value holding quotes "
        "goes in the other kind (title: 'The \"Best\" Committee'; an apostrophe is written "
        "twice inside '…': 'Delegates'' Guide'), and one that starts with [ or { goes in "
        "quotes"]),
    Case("front-matter-never-closed", front("---\ntitle: A\n"), [
        "content/a.md:1: the front matter is never closed: add a line '---' after its last key"]),
    Case("no-front-matter", front("# Just Markdown\n"), [
        "content/a.md:1: the handout must start with front matter: a line '---', then at "
        "least 'title: …', then a line '---'"]),
    Case("front-matter-empty", front("---\n---\nText.\n"), [
        "content/a.md:2: the front matter is empty: add 'title: …'"]),
    Case("front-matter-a-list", front("---\n- title\n- A\n---\n"), [
        "content/a.md:2: the front matter must be 'key: value' lines"]),
    Case("unknown-key", front("---\ntitel: Hello\n---\n"), [
        "content/a.md:2: unknown front matter key 'titel' (did you mean 'title'?); known "
        f"keys: {KNOWN_KEYS}"]),
    Case("key-given-twice", front("---\ntitle: A\ntitle: B\n---\n"), [
        "content/a.md:3: 'title' is given twice: keep one"]),
    Case("no-title", front("---\nsubtitle: Hello\n---\n"), [
        "content/a.md:1: the front matter has no 'title': add 'title: …'"]),
    Case("title-a-list", front("---\ntitle: [A, B]\n---\n"), [
        "content/a.md:2: 'title' must be a non-empty text"]),
    Case("title-a-number", front("---\ntitle: 42\n---\n"), [
        "content/a.md:2: 'title' must be a non-empty text"]),
    Case("summary-a-mapping", front("---\ntitle: A\nsummary:\n  short: yes\n---\n"), [
        "content/a.md:3: 'summary' must be a text"]),
    Case("date-not-a-date", front("---\ntitle: A\ndate: tomorrow\n---\n"), [
        "content/a.md:3: 'date' must be an ISO date such as 2027-01-15"]),
    Case("date-impossible", front("---\ntitle: A\ndate: 2027-02-30\n---\n"), [
        "content/a.md:3: 'date' is not a real date (day is out of range for month): write an "
        "ISO date such as 2027-01-15"]),
    Case("content-notes-not-a-list", front("---\ntitle: A\ncontent_notes: violence\n---\n"), [
        "content/a.md:3: 'content_notes' must be a list of texts ('- …' lines)"]),
    Case("authors-unknown-field", front("---\ntitle: A\nauthors:\n  - {name: B, rank: 1}\n---\n"),
         ["content/a.md:4: 'authors' must be a list of names or of {name, role}, and 'rank' is "
          "neither"]),
    Case("authors-misspelt-field",
         front("---\ntitle: A\nauthors:\n  - A. Chair\n  - name: B. Chair\n    rol: Deputy\n---\n"),
         ["content/a.md:6: 'authors' must be a list of names or of {name, role}, and 'rol' is "
          "neither (did you mean 'role'?)"]),
    Case("status-unknown", front("---\ntitle: A\nstatus: ready\n---\n"), [
        "content/a.md:3: 'status' must be draft or final"]),
    Case("lang-not-a-tag", front("---\ntitle: A\nlang: english please\n---\n"), [
        "content/a.md:3: 'lang' must be a language tag such as en, fr or es-MX"]),

    # The file itself.
    Case("empty-file", front(""), [
        "content/a.md:1: the file is empty: a handout needs front matter with a title, then "
        "its Markdown text"]),
    Case("binary-file", {"content/a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, [
        "content/a.md: this is a binary file, not a Markdown handout; move it to "
        "content/assets/ if it is an asset"]),
    Case("invalid-utf8", {"content/a.md": b"---\ntitle: A\n---\n\nCaf" + b"\xe9 au lait\n"},
         ["content/a.md:5: the file is not valid UTF-8; save it as UTF-8 in your editor"]),
    Case("bom-and-crlf",
         {"content/a.md": ("\ufeff" + handout("Windows file", "## One\n\nText.\n")).replace(
             "\n", "\r\n")},
         [], status=0, html_has=('<h2 id="one">One</h2>', "Text.")),
    Case("reserved-name", {"content/index.md": handout()}, [
        "content/index.md: the name 'index' is taken by Handouts' own index.html: rename the "
        "file, e.g. to 'welcome.md'"]),
    Case("name-not-a-web-address", {"content/My Handout.md": handout()}, [
        "content/My Handout.md: a handout's file name becomes its web address: use letters, "
        "digits and '-' only, e.g. 'my-handout.md'"]),
    # Slugs are file stems, so two files cannot share one on Linux; the nearest case is two
    # names that differ in capitals, which are one page on Windows and macOS file systems.
    Case("same-slug-but-for-capitals", {"content/A.md": handout("Capital")}, [
        "content/a.md: the name 'a' differs from A.md only in capitals: on Windows and macOS "
        "both would be a.html; rename one of them"]),
    Case("no-handouts", {"content/a.md": None}, [
        "content: no handouts found in {root}/content: add a Markdown file such as "
        "content/welcome.md, or name the project with --project DIR"]),

    # Nesting.
    Case("quotes-1000-deep", body("> " * 1000 + "x\n"), [TOO_DEEP.format(4, 1000)]),
    Case("lists-1000-deep", body("".join("\t" * n + "- x\n" for n in range(1000))),
         [TOO_DEEP.format(65, 61)]),
    Case("deep-indentation-in-a-code-fence-is-fine",
         body("Code:\n\n```\n" + " " * 400 + "deeply indented\n```\n"), [], status=0,
         html_has=(" " * 400 + "deeply indented",)),
    Case("html-elements-100-deep", body("<div>" * 100 + "x" + "</div>" * 100 + "\n"), [
        "content/a.md: lists, quotes or HTML elements are nested 100 deep; more than 60 cannot "
        "be laid out on a page: flatten the nesting"]),
    # Found by a long hypothesis run: an item holding only a comment printed a lone bullet.
    Case("empty-list-item", body("- Text\n    - <!-- nothing -->\n"), [
        "content/a.md:5: warning: an empty list item was left out: write its text, or remove "
        "the line"], status=0, html_has=("<li>Text</li>",), html_lacks=("<li></li>", "<ul>\n</ul>")),
    Case("unclosed-code-fence", body("Text.\n\n```\ncode\n"), [
        "content/a.md:6: warning: this code fence is never closed: add a line ``` after the "
        "code"], status=0, html_has=("code",)),

    # Images.
    Case("image-missing", body("![A map](assets/missing.png)\n"), [
        "content/a.md:4: the image assets/missing.png does not exist: check the file name in "
        "content/assets/"]),
    Case("image-outside-the-project", {**body("![A map](../../outside.png)\n"),
                                       "../outside.png": DOT_PNG},
         ["content/a.md:4: " + NOT_IN_ASSETS.format("../../outside.png")]),
    Case("image-path-traversal", body("![Secrets](../../../../../../etc/passwd)\n"), [
        "content/a.md:4: " + NOT_IN_ASSETS.format("../../../../../../etc/passwd")]),
    Case("image-outside-assets", {**body("![A dot](pic.png)\n"), "content/pic.png": DOT_PNG},
         ["content/a.md:4: " + NOT_IN_ASSETS.format("pic.png")]),
    Case("image-remote", body("![A map](https://example.com/map.png)\n"), [
        "content/a.md:4: the image https://example.com/map.png is not a file in the project: "
        "Handouts never downloads; save it in content/assets/ and link to assets/…"]),
    Case("image-without-alt", body("![](assets/dot.png)\n"), [
        "content/a.md:4: the image assets/dot.png has no alternative text: describe it, "
        "![what the image shows](…), or mark an image that carries no information "
        "![](…){: .decorative }"]),
    Case("image-unreadable", {**body("![A dot](assets/bad.png)\n"),
                              "content/assets/bad.png": DOT_PNG[:33] + b"cut short"}, [
        "content/a.md:4: the image assets/bad.png could not be read: save it again as PNG, "
        "JPEG or SVG"]),
    Case("image-not-what-its-name-says", {**body("![A dot](assets/bad.png)\n"),
                                          "content/assets/bad.png": b"<html>a page</html>"}, [
        "content/assets/bad.png: bad.png is not a PNG image: its content does not begin as a "
        ".png file's does; replace it with a real PNG image, or remove it"]),

    # Blocks: glossary, timeline, tables, content notes.
    Case("glossary-without-definition-list", body("## Terms {: .glossary }\n\nJust text.\n"), [
        "content/a.md:4: the glossary section has no definition list: write each term on a "
        "line, then its definition on the next line after ':   '"]),
    Case("term-defined-twice", body("## Terms {: .glossary }\n\nA\n:   One.\n\na\n:   Two.\n"), [
        "content/a.md:6: warning: the term 'A' is defined but never used",
        "content/a.md:9: the term 'a' is defined twice (also at line 6): keep one definition, "
        "or list it as an alias above that definition"]),
    Case("shared-glossary-without-definition-list", {"content/glossary.md": "Just text.\n"}, [
        "content/glossary.md:1: content/glossary.md has no definition list: write each term "
        "on a line, then its definition on the next line after ':   '"]),
    Case("timeline-item-without-date",
         body("## Timeline {: .timeline }\n\n- 1923: Founded\n- Later: it grew\n"), [
             "content/a.md:7: the timeline item 'Later: it grew' does not begin with a date: "
             "write '- 1989-11-20: …' or '- 20 November 1989: …'"]),
    Case("timeline-day-with-a-full-stop",
         body("## Timeline {: .timeline }\n\n- 1923: Founded\n- 14. December 1990: Riyadh\n"), [
             "content/a.md:7: the timeline item 'December 1990: Riyadh' reads as a numbered "
             "list: a day followed by a full stop starts one; write '14 December 1990: …' "
             "without the dot"]),
    # A pipe table always has a header row (without its |---| line it is a paragraph):
    # only raw HTML can make a table without one.
    Case("table-without-header-row", body("<table><tr><td>a</td></tr></table>\n"), [
        "content/a.md:4: a table needs a header row: write the column names in its first row, "
        "then a row of |---|"]),
    Case("content-note-not-after-a-heading",
         body("## A\n\nText first.\n\n!!! content-note\n    Too late.\n"), [
             "content/a.md:8: a content note must stand right after a section's heading, "
             "before the section's text; for the whole handout, use content_notes: in the "
             "front matter"]),
    Case("content-note-empty", body("## A\n\n!!! content-note\n\nText.\n"), [
        "content/a.md:6: the content note is empty: write what the section contains on the "
        "next lines, indented by four spaces"]),

    # Links.
    Case("link-javascript", body("[Run me](javascript:alert(1)) now.\n"), [
        UNSAFE_URL.format(4, "javascript:alert(1)")], status=0,
         html_has=("<p><a>Run me</a> now.</p>",), html_lacks=("javascript", "href")),
    Case("link-file", body("[The passwords](file:///etc/passwd) here.\n"), [
        UNSAFE_URL.format(4, "file:///etc/passwd")], status=0,
         html_has=("<p><a>The passwords</a> here.</p>",), html_lacks=("file:", "passwd")),
    Case("link-data-html",
         body("[A page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) here.\n"), [
             UNSAFE_URL.format(4, "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")],
         status=0, html_has=("<p><a>A page</a> here.</p>",), html_lacks=("data:", "base64")),
    Case("link-without-text", body("See [](https://example.org).\n"), [
        "content/a.md:4: the link to https://example.org has no text: a screen reader would "
        "read out nothing; write where it goes, e.g. [Interpol's member countries]"
        "(https://example.org)"]),
    Case("link-to-a-missing-handout", body("See [the rules](missing.html).\n"), [
        "content/a.md:4: " + GOES_NOWHERE.format("missing.html")]),
    Case("link-out-of-the-project", body("See [the settings](../handouts.toml).\n"), [
        "content/a.md:4: " + GOES_NOWHERE.format("../handouts.toml")]),
    Case("link-to-a-missing-anchor", body("See [the part](#nowhere).\n"), [
        "content/a.md:4: the link to #nowhere goes nowhere: no heading or element in this "
        "handout has that id"]),
    Case("link-address-unreadable", body("See [the site](http://[x/a) here.\n"), [
        "content/a.md:4: the address 'http://[x/a' cannot be read (Invalid IPv6 URL): correct "
        "it"]),
    # Not a printed page's id (a million pages at most): an int() of 5,000 digits would fail.
    Case("link-to-a-page-number-too-long", body(f"See [the page](#page-{'1' * 5000}).\n"), [
        f"content/a.md:4: the link to #page-{'1' * 5000} goes nowhere: no heading or element "
        "in this handout has that id"]),
    Case("table-span-too-long",
         body(f'<table><tr><th colspan="{"9" * 5000}">a</th></tr></table>\n'), [
             "content/a.md:4: a table cell may span at most 100 rows or columns, not "
             "colspan='999999999999…': split the table"]),
    Case("link-to-a-missing-anchor-of-another-handout",
         {**body("See [the part](b.html#nowhere).\n"), "content/b.md": handout("B")}, [
             "content/a.md:4: the link to b.html#nowhere goes nowhere: b.html has no #nowhere"]),

    # Raw HTML: removed, with a warning at its line; the page is still built, and safe.
    Case("raw-script", body("Before.\n\n<script>alert(1)</script>\n\nAfter.\n"), [
        RAW_HTML_WARNING.format(6, "script", "script")], status=0,
         html_has=("Before.", "After."), html_lacks=("<script", "alert")),
    Case("raw-iframe", body("Before.\n\n<iframe src=\"https://example.com\"></iframe>\n"), [
        RAW_HTML_WARNING.format(6, "iframe", "iframe")], status=0,
         html_has=("Before.",), html_lacks=("<iframe", "example.com")),
    Case("raw-style", body("<style>body { background: url(http://example.com/x.png) }</style>\n"
                           "\nAfter.\n"), [
        RAW_HTML_WARNING.format(4, "style", "style")], status=0,
         html_has=("After.",), html_lacks=("<style", "example.com")),
    Case("onerror-attribute", body('<img src="assets/dot.png" onerror="alert(3)" alt="A dot">\n'), [
        "content/a.md:4: warning: removed the attribute onerror= from <img>: raw HTML may not "
        "carry scripts or inline styles"], status=0,
         html_has=('alt="A dot"',), html_lacks=("onerror", "alert")),
    Case("style-attribute-with-a-remote-url",
         body('<p style="background: url(http://example.com/y.png)">Styled</p>\n'), [
             "content/a.md:4: warning: removed the attribute style= from <p>: raw HTML may not "
             "carry scripts or inline styles"], status=0,
         html_has=("<p>Styled</p>",), html_lacks=("style=", "example.com")),
    Case("noscript-hiding-text", body("Before.\n\n<noscript>\n\n## Everything after\n\nis gone.\n"), [
        RAW_HTML_WARNING.format(6, "noscript", "noscript"),
        "content/a.md:6: a <noscript> element would hide the text after it: close it, or remove "
        "it from the handout"]),
    # Template syntax in content is text: printed as written, never evaluated.
    Case("jinja-in-content", {"content/a.md": handout(
        "A {{ 7*7 }}", "Text {{ 7*7 }} and {% if true %}x{% endif %}.\n\n{# note #}\n")},
         [], status=0,
         html_has=('<h1 id="title">A {{ 7*7 }}</h1>', "Text {{ 7*7 }} and {% if true %}x{% endif %}.",
                   "{# note #}"),
         html_lacks=("49",),
         pdf_has=("A {{ 7*7 }}", "Text {{ 7*7 }} and {% if true %}x{% endif %}.")),

    # The project's own stylesheets and templates.
    Case("remote-import-in-a-project-stylesheet", {
        "styles/print.css": "@import url(https://example.com/evil.css);\n" + PRINT_CSS
                            + "p { background: url(http://example.com/x.png); }\n"}, [
        REFUSED.format("styles/print.css:1", "https://example.com/evil.css"),
        REFUSED.format(f"styles/print.css:{PRINT_CSS.count(chr(10)) + 2}",
                       "http://example.com/x.png")]),
    Case("template-override-syntax-error", {
        "templates/handout.html": '{% extends "base.html" %}\n{% block main %}\n{{ meta.title }\n'},
         ["templates/handout.html:3: template syntax error: unexpected '}'"]),

    # handouts.toml.
    Case("settings-not-toml", {"handouts.toml": "[conference\nname = 1\n"}, [
        "handouts.toml:1: not valid TOML: Expected ']' at the end of a table declaration "
        "(column 12); close the table's name: [conference], [[packet]]"]),
    Case("settings-text-without-quotes", {"handouts.toml": "[conference]\nname = Model UN\n"}, [
        "handouts.toml:2: not valid TOML: Invalid value (column 8); a text must be in double "
        "quotes (name = \"Model UN\"); true, false, numbers and [lists] are written without"]),
    Case("settings-quote-never-closed", {"handouts.toml": '[conference]\nname = "Model UN\n'}, [
        "handouts.toml:2: not valid TOML: Illegal character '\\n' (column 17); a text's "
        "closing quote is missing: close it on the same line"]),
    Case("settings-unknown-key", {"handouts.toml": '[conference]\nname = "X"\npapr = "A4"\n'}, [
        "handouts.toml:3: unknown key 'papr' in [conference] (did you mean 'paper'?); known "
        "keys: name, short_name, lang, paper, logo, logo_alt, contact"]),
    Case("settings-wrong-paper", {"handouts.toml": '[conference]\npaper = "A5"\n'}, [
        'handouts.toml:2: paper must be "A4" or "Letter", not \'A5\'']),
    Case("settings-wrong-lang", {"handouts.toml": '[conference]\nlang = "English"\n'}, [
        "handouts.toml:2: lang must be a language tag such as en, fr or es-MX, not 'English'"]),
    Case("settings-wrong-type", {"handouts.toml": '[sources]\nqr = "yes"\n'}, [
        "handouts.toml:2: 'qr' in [sources] must be a bool, not str"]),
    Case("settings-conference-not-a-section", {"handouts.toml": 'conference = "X"\n'}, [
        "handouts.toml:1: conference must be a section: write [conference] on its own line, "
        "then its keys"]),
    Case("settings-packet-single-brackets", {"handouts.toml": '[packet]\nslug = "p"\n'}, [
        "handouts.toml:1: each packet is a [[packet]] section (two brackets), with slug, title "
        "and handouts"]),
    Case("settings-packet-incomplete", {"handouts.toml": '[[packet]]\ntitle = "P"\n'}, [
        "handouts.toml:1: a [[packet]] needs slug, handouts"]),
    # Its mistakes all at once, with the handouts' own, each bad value checked as its default.
    Case("settings-and-handout-errors-in-one-round", {
        "handouts.toml": '[conference]\npaper = "A5"\n\n[sources]\nqr = "yes"\n',
        **body("[](https://example.org)\n")}, [
        "content/a.md:4: the link to https://example.org has no text: a screen reader would "
        "read out nothing; write where it goes, e.g. [Interpol's member countries]"
        "(https://example.org)",
        'handouts.toml:2: paper must be "A4" or "Letter", not \'A5\'',
        "handouts.toml:5: 'qr' in [sources] must be a bool, not str"]),

    # Packets and the cover's logo.
    Case("packet-names-a-missing-handout", {"handouts.toml": PACKET.format('"a", "b"')}, [
        "handouts.toml:4: the packet 'p' lists 'b', but there is no content/b.md"]),
    Case("packet-names-a-handout-twice", {"handouts.toml": PACKET.format('"a",\n  "a"')}, [
        "handouts.toml:5: the packet 'p' lists 'a' twice: a handout is printed once per packet"]),
    Case("packet-without-handouts", {"handouts.toml": PACKET.format("")}, [
        "handouts.toml:4: the packet 'p' has no handouts: list their slugs, e.g. "
        'handouts = ["welcome", "rules-of-procedure"]']),
    Case("packet-path-traversal", {"handouts.toml": PACKET.format('"../../etc/passwd"')}, [
        "handouts.toml:4: the packet 'p' lists '../../etc/passwd', which is not a handout's "
        "slug: write the name of a file in content/ without '.md', e.g. \"welcome\" for "
        "content/welcome.md"]),
    Case("packet-slug-of-a-handout", {"handouts.toml": PACKET.replace('"p"', '"a"').format(
        '"a"')}, [
        "handouts.toml:1: the packet slug 'a' is taken by content/a.md (both would write "
        "dist/a.html): give the packet another slug"]),
    Case("logo-without-alt", {"handouts.toml": '[conference]\nlogo = "assets/dot.png"\n'}, [
        'handouts.toml:2: a logo needs its text alternative: add logo_alt = "…" under it (what '
        "the logo says, e.g. the conference's name), or logo_alt = \"\" when the name is "
        "printed beside it"]),
    Case("logo-missing", {"handouts.toml": '[conference]\nlogo = "assets/logo.png"\n'
                                           'logo_alt = "L"\n'}, [
        "handouts.toml:2: the logo 'assets/logo.png' does not exist: there is no "
        "content/assets/logo.png"]),
    Case("logo-outside-the-project", {"handouts.toml":
                                      '[conference]\nlogo = "../../../etc/passwd"\nlogo_alt = "L"\n'}, [
        "handouts.toml:2: the logo '../../../etc/passwd' is outside content/: put it in "
        'content/assets/ and write logo = "assets/<file>"']),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The base project, built: (its folder, its dist/ byte for byte)."""
    root = make_project(tmp_path_factory.mktemp("base") / "project", BASE_FILES)
    result = run_cli("--project", root, "--quiet")
    assert result.status == 0 and result.err == "", result.err
    return root, snapshot(root / "dist")


def apply_case(root: Path, files: dict[str, str | bytes | None]) -> None:
    for name, content in files.items():
        if content is None:
            (root / name).unlink()
        else:
            make_project(root, {name: content})


def test_the_corpus_is_large_and_its_ids_unique():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case, base, tmp_path):
    base_root, base_dist = base
    root = tmp_path / "project"
    shutil.copytree(base_root, root)
    apply_case(root, case.files)
    result = run_cli("--project", root, "--quiet")
    output = result.out + result.err
    assert "Traceback" not in output
    assert result.status == case.status, output
    expected = [line.replace("{root}", str(root)) for line in case.expected]
    if case.status == 0:
        assert result.err.splitlines() == expected
        assert result.out == ""
        assert snapshot(root / "dist") != base_dist
        checked = run_cli("--project", root, "check")
        assert checked.out.splitlines()[-1].endswith(": 0 error(s), 0 warning(s)."), checked.out
        main = (root / "dist/a.html").read_text(encoding="utf-8")
        main = main[main.index("<main"):main.index("</main>")]
        for text in case.html_has:
            assert text in main
        for text in case.html_lacks:
            assert text not in main
        printed = " ".join(pdf_text(root / "dist/pdf/a.pdf").split()) if case.pdf_has else ""
        for text in case.pdf_has:
            assert text in printed
    else:
        errors = [line for line in expected if ": warning: " not in line]
        assert result.err.splitlines() == expected + [BUILD_FAILED.format(len(errors))]
        assert snapshot(root / "dist") == base_dist


def long_handout(size: int) -> str:
    """A handout of sections of plain paragraphs, its file just over ``size`` bytes."""
    paragraph = "A sentence of a long handout, with *emphasis* and `code`, written again.\n\n"
    section = "## A section\n\n" + paragraph * 40
    return handout("Big", section * (size // len(section) + 1))


def five_mb_handout() -> str:
    return long_handout(5_000_000)


def test_a_5_mb_handout_is_refused_by_its_size_before_markdown_reads_it(tmp_path, monkeypatch):
    """5 MB of Markdown, some 1,500 pages: over MAX_HANDOUT_BYTES, refused by its size
    before anything is read (prepare/inputs.py)."""
    make_project(tmp_path, {"content/big.md": five_mb_handout()})
    assert (tmp_path / "content/big.md").stat().st_size > 5_000_000

    def not_parsed(*args, **kwargs):
        raise AssertionError("the Markdown of a handout over the size limit was parsed")

    monkeypatch.setattr("handouts.prepare.parse.markdown_to_html", not_parsed)
    result = run_cli("--project", tmp_path)
    assert result.status == 1
    assert "Traceback" not in result.err
    size = (tmp_path / "content/big.md").stat().st_size
    assert result.err.splitlines() == [
        f"content/big.md: this file is {size:,} bytes, more than the {MAX_HANDOUT_BYTES:,} "
        "Handouts reads for such a file: make it smaller, or split a handout in two",
        BUILD_FAILED.format(1)]
    assert not (tmp_path / "dist").exists()


@pytest.mark.skipif(not os.environ.get("HANDOUTS_SLOW_TESTS"),
                    reason="about 10 s: run with HANDOUTS_SLOW_TESTS=1")
def test_a_handout_just_under_the_size_limit_goes_through_every_stage_up_to_its_page(tmp_path):
    from handouts.builder import prepare
    from handouts.pages.render import make_environment, render_handout
    from handouts.project import Project

    make_project(tmp_path, {"content/big.md": long_handout(MAX_HANDOUT_BYTES - 10_000)})
    assert (tmp_path / "content/big.md").stat().st_size <= MAX_HANDOUT_BYTES
    project = Project.open(tmp_path)
    started = time.perf_counter()
    [big] = prepare(project, Diagnostics())
    page = render_handout(make_environment(project), big, project.config, big.labels)
    assert page.count("<h2") > 600
    assert time.perf_counter() - started < 120  # a hang guard: nothing grows quadratically
