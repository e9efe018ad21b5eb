"""Every message points at the line of the thing it is about, and all come in one round.

Each case is a small project and the messages the build prints, in order, each as
"path:line" and the start of its text. The lines are where an author would look: the
repeated term, not the first; the vague link, not the first link to the same address; the
key in the table that holds it. content/zz.md always has an error, so that the build
stops before the PDFs; its message, last in file order, is left out here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from testing_utils import DOT_PNG, handout, make_project, prepare_messages, run_cli

STOP = {"content/zz.md": handout("Z", "A link with no text: [](https://example.org/z).\n")}


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes]
    expected: list[tuple[str, str]]  # (path:line, the message's first words), as printed:
    # warnings and errors in one list, in file and line order


def a(body: str, **front_matter) -> dict[str, str]:
    """content/a.md: three lines of front matter, so its text starts on line 4."""
    return {"content/a.md": handout("A", body, **front_matter)}


GLOSSARY = "## Terms {: .glossary }\n\n"

CASES = [
    Case("a term defined twice: at the second, and no false 'never used' for it",
         a("Use A here.\n\n" + GLOSSARY + "A\n:   One.\n\na\n:   Two.\n"), [
             ("content/a.md:11", "the term 'a' is defined twice (also at line 8)")]),
    Case("an alias defined again: at the alias written again",
         a("Use Alpha and Beta.\n\n" + GLOSSARY
           + "Alpha\nAlias\n:   One.\n\nBeta\n:   Two.\n\nAlias\n:   Three.\n"), [
             ("content/a.md:15", "the term 'Alias' is defined twice (also at line 9)")]),
    Case("the same term on two lines of the shared glossary",
         {**a("Use Gamma.\n"), "content/glossary.md": "Gamma\n:   One.\n\nDelta\n:   Two."
          "\n\nGamma\n:   Three.\n"}, [
             ("content/glossary.md:7", "the term 'Gamma' is defined twice (also at line 1)")]),
    Case("a term never used, after one used",
         a("Use Alpha.\n\n" + GLOSSARY + "Alpha\n:   One.\n\nBeta\n:   Two.\n"), [
             ("content/a.md:11", "warning: the term 'Beta' is defined but never used")]),
    Case("a glossary section without a list: at its heading",
         a("Text.\n\n" + GLOSSARY + "Just text.\n"), [
             ("content/a.md:6", "the glossary section has no definition list")]),
    Case("a vague link after a good one to the same address",
         a("See [the map](https://example.org/map).\n\nAgain, see\n[here](https://example.org/map).\n"),
         [("content/a.md:7", "warning: the link text 'here' does not say")]),
    Case("a vague link after the same address written as code",
         a("Write a link as `[the map](https://example.org/map)`.\n\n"
           "[here](https://example.org/map)\n"), [
             ("content/a.md:6", "warning: the link text 'here' does not say")]),
    Case("the same vague link on several lines: each at its own",
         a("[here](https://example.org/a)\n\n[here](https://example.org/a)\n\n"
           "- [here](https://example.org/a)\n"), [
             ("content/a.md:4", "warning: the link text 'here'"),
             ("content/a.md:6", "warning: the link text 'here'"),
             ("content/a.md:8", "warning: the link text 'here'")]),
    Case("the same vague link in two rows of a table, and in a later cell: each at its row",
         a("| A | B |\n|---|---|\n| [here](https://example.org/x) | 1 |\n"
           "| [here](https://example.org/x) | 2 |\n| x | [here](https://example.org/x) |\n"), [
             ("content/a.md:6", "warning: the link text 'here'"),
             ("content/a.md:7", "warning: the link text 'here'"),
             ("content/a.md:8", "warning: the link text 'here'")]),
    Case("two empty list items: each at its own line",
         a("- one\n- <!-- x -->\n- two\n- <!-- y -->\n"), [
             ("content/a.md:5", "warning: an empty list item was left out"),
             ("content/a.md:7", "warning: an empty list item was left out")]),
    Case("one text for two addresses: at the second link, in a quote",
         a("[the map](https://example.org/a)\n\n> Quoted:\n> [the map](https://example.org/b)\n"),
         [("content/a.md:7", "warning: the link text 'the map' is used for two")]),
    Case("a link with no text, a bare address, a link going nowhere",
         a("One [](https://example.org/x).\n\n1. item\n2. [https://example.org/y](https://exam"
           "ple.org/y)\n\nSee [the part](#nowhere).\n"), [
             ("content/a.md:4", "the link to https://example.org/x has no text"),
             ("content/a.md:7", "warning: the link text is a bare address"),
             ("content/a.md:9", "the link to #nowhere goes nowhere")]),
    Case("a vague link in a footnote: at the footnote's definition",
         a("Text.[^1]\n\nMore text.\n\n[^1]: See [here](https://example.org/n).\n"), [
             ("content/a.md:8", "warning: the link text 'here'")]),
    Case("a vague link in a table and in a definition",
         a("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | [here](https://example.org/t) |\n\n"
           "Word\n:   A [here](https://example.org/t) too.\n"), [
             ("content/a.md:7", "warning: the link text 'here'"),
             ("content/a.md:10", "warning: the link text 'here'")]),
    Case("identical images without alternative text on several lines",
         {**a("![](assets/dot.png)\n\nText.\n\n![](assets/dot.png)\n"),
          "content/assets/dot.png": DOT_PNG}, [
             ("content/a.md:4", "the image assets/dot.png has no alternative text"),
             ("content/a.md:8", "the image assets/dot.png has no alternative text")]),
    Case("a missing image after a fenced code block that shows one",
         a("```\n![Dot](assets/gone.png)\n```\n\n![Dot](assets/gone.png)\n"), [
             ("content/a.md:8", "the image assets/gone.png does not exist")]),
    Case("raw HTML: each removal at its own line, the same tag twice",
         a("Text.\n\n<div>\n<p>x</p>\n<script>a()</script>\n</div>\n\n<script>b()</script>\n\n"
           "A <a href=\"javascript:c()\">link</a>\nand <span onclick=\"d()\">this</span>.\n"), [
             ("content/a.md:8", "warning: removed a <script> element"),
             ("content/a.md:11", "warning: removed a <script> element"),
             ("content/a.md:13", "warning: removed the unsafe URL"),
             ("content/a.md:14", "warning: removed the attribute onclick=")]),
    Case("a table without a header row, in raw HTML",
         a("Text.\n\n<table>\n<tr><td>1</td></tr>\n</table>\n"), [
             ("content/a.md:6", "a table needs a header row")]),
    Case("timeline items without a date, the same text twice",
         a("## Timeline {: .timeline }\n\n- 1923: Founded\n- Later: it grew\n- Later: it grew\n"),
         [("content/a.md:7", "the timeline item 'Later: it grew' does not begin"),
          ("content/a.md:8", "the timeline item 'Later: it grew' does not begin")]),
    Case("an empty content note: at its marker",
         a("## Part\n\nText.\n\n## Hard part\n\n!!! content-note \"\"\n\nText.\n"), [
             ("content/a.md:10", "the content note is empty")]),
    Case("an empty list item: at the item, not at an earlier line that looks alike",
         a("```\n- \n```\n\n- one\n- <!-- later -->\n- two\n"), [
             ("content/a.md:9", "warning: an empty list item was left out")]),
    Case("front matter and body errors in one round, in line order",
         a("[](https://example.org/a)\n\n[](https://example.org/b)\n", summary="[1, 2]",
           colour="red"), [
             ("content/a.md:3", "'summary' must be a text"),
             ("content/a.md:4", "unknown front matter key 'colour'"),
             ("content/a.md:6", "the link to https://example.org/a has no text"),
             ("content/a.md:8", "the link to https://example.org/b has no text")]),
    Case("a front matter that is not YAML, and the text checked all the same",
         {"content/a.md": "---\ntitle: A\nsummary: \"open\nlang: en\n---\nText.\n\n"
          "[](https://example.org/a)\n"}, [
             ("content/a.md:3", "the front matter is not valid YAML"),
             ("content/a.md:8", "the link to https://example.org/a has no text")]),
    Case("lines counted past raw HTML with blank lines, code, and a quoted list",
         a("<div>\n\n<p>raw</p>\n\n</div>\n\n~~~\n[here](https://example.org/q)\n\n~~~\n\n"
           "    indented code [here](https://example.org/q)\n\n> - one\n>\n>     more\n"
           ">\n> - [here](https://example.org/q)\n\n!!! note\n    Text\n\n"
           "    - [here](https://example.org/q)\n"), [
             ("content/a.md:21", "warning: the link text 'here'"),
             ("content/a.md:26", "warning: the link text 'here'")]),
    Case("timeline days with a full stop, the same text twice",
         a("## Timeline {: .timeline }\n\n- 1923: Founded\n- 14. May: x\n\n"
           "Between.\n\n## Later {: .timeline }\n\n- 14. May: x\n"), [
             ("content/a.md:7", "the timeline item 'May: x' reads as a numbered list"),
             ("content/a.md:13", "the timeline item 'May: x' reads as a numbered list")]),
    Case("several files: by file, then line",
         {"content/b.md": handout("B", "[](https://example.org/b)\n"),
          **a("Text.\n\n[](https://example.org/a)\n\n[](https://example.org/c)\n")}, [
             ("content/a.md:6", "the link to https://example.org/a has no text"),
             ("content/a.md:8", "the link to https://example.org/c has no text"),
             ("content/b.md:4", "the link to https://example.org/b has no text")]),
    Case("an unknown key in a later handouts.toml table: at that table's line",
         {**a("Text.\n"), "handouts.toml": "[conference]\nname = \"C\"\nlang = \"en\"\n\n"
          "[glossary]\nsort = true\nname = \"G\"\n"}, [
             ("handouts.toml:7", "unknown key 'name' in [glossary]")]),
    Case("a wrong value in a later handouts.toml table: its own key's line",
         {**a("Text.\n"), "handouts.toml": "[conference]\nname = \"C\"\n# link = \"x\"\n\n"
          "[glossary]\nlink = \"sometimes\"\n"}, [
             ("handouts.toml:6", "link in [glossary] must be")]),
    Case("warnings among errors: one list, in line order",
         a("[here](https://example.org/1)\n\n[](https://example.org/2)\n\n"
           "[here](https://example.org/1)\n\n[](https://example.org/4)\n"), [
             ("content/a.md:4", "warning: the link text 'here'"),
             ("content/a.md:6", "the link to https://example.org/2 has no text"),
             ("content/a.md:8", "warning: the link text 'here'"),
             ("content/a.md:10", "the link to https://example.org/4 has no text")]),
    Case("three mistakes in three handouts.toml tables: together, in line order",
         {**a("Text.\n"), "handouts.toml": "[glossary]\nlink = \"sometimes\"\n\n"
          "[[packet]]\nslug = \"p\"\ntitle = \"P\"\nhandouts = [\"a\"]\nbooklet = \"yes\"\n\n"
          "[conference]\nname = \"C\"\npaper = \"A5\"\n"}, [
             ("handouts.toml:2", "link in [glossary] must be"),
             ("handouts.toml:8", "'booklet' in [[packet]] must be a bool, not str"),
             ("handouts.toml:12", 'paper must be "A4" or "Letter", not \'A5\'')]),
    Case("handouts.toml, front matter and body errors in one round, sorted",
         {**a("[](https://example.org/a)\n\n[here](https://example.org/h)\n", colour="red"),
          "handouts.toml": "[conference]\nname = \"C\"\nlang = \"English\"\n\n"
          "[sources]\nqr = \"yes\"\n"}, [
             ("content/a.md:3", "unknown front matter key 'colour'"),
             ("content/a.md:5", "the link to https://example.org/a has no text"),
             ("content/a.md:7", "warning: the link text 'here'"),
             ("handouts.toml:3", "lang must be a language tag"),
             ("handouts.toml:6", "'qr' in [sources] must be a bool, not str")]),
    Case("an unknown print profile, with the handouts' errors",
         {**a("[](https://example.org/a)\n"),
          "handouts.toml": "[build]\nprofiles = [\"standard\", \"huge\"]\n"}, [
             ("content/a.md:4", "the link to https://example.org/a has no text"),
             ("handouts.toml:2", "unknown profile 'huge' in [build] profiles")]),
    Case("a broken packet is left out: no packet check of it, whose message could mislead",
         {**a("Text.\n"), "handouts.toml": "[[packet]]\nslug = \"p\"\ntitle = \"P\"\n"
          "handouts = [\"a\", \"gone\"]\ndate = \"soon\"\n"}, [
             ("handouts.toml:5", "'date' in [[packet]] must be a date such as 2027-03-14")]),
    Case("handouts.toml that is not TOML: its one error, nothing else",
         {**a("[](https://example.org/a)\n"), "handouts.toml": "[conference\nname = 1\n"}, [
             ("handouts.toml:1", "not valid TOML")]),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_message_names_the_line_of_what_it_is_about(case, tmp_path):
    make_project(tmp_path, {**STOP, **case.files})
    result = run_cli("--project", tmp_path)
    assert "Traceback" not in result.err
    printed = [line for line in result.err.splitlines()
               if line.startswith(("content/", "handouts.toml")) and
               not line.startswith("content/zz.md")]
    assert len(printed) == len(case.expected), result.err
    for line, (where, start) in zip(printed, case.expected):
        assert line.startswith(f"{where}: {start}"), result.err
    order = [(line.split(":")[0], int(line.split(":")[1])) for line in printed]
    assert order == sorted(order)
    assert result.err.splitlines()[-1].startswith("Build failed: ")


def test_a_footnote_call_without_its_note_is_a_warning_at_the_call_s_line():
    """Python-Markdown prints an undefined [^2] as typed; code shows it as typed on purpose.
    The line is the call's, after a glossary term's link and in a glossary's definition."""
    body = ("## One\n\nText with a call.[^1] And\nanother one.[^2] *In [^3] em*.\n\n"
            "`code [^4]`\n\n    [^5] in a code block\n\nline one\nthe Delegate\nspeaks\n"
            "line three [^6]\n\n## Definition of Key Terms {: .glossary }\n\nChair\n"
            ":   Leads [^7].\n\n[^1]: The note.\n")
    messages = prepare_messages({"content/a.md": handout("A", body),
                                 "content/glossary.md": "Delegate\n:   One who speaks.\n"})
    assert [message for message in messages if "footnote call" in message] == [
        f"content/a.md:{line}: warning: the footnote call {call} has no note, so it is printed "
        f"as typed: write the note on a line of its own, '{call}: the note's text', remove the "
        "call, or, to show it as typed, put it in `code`"
        for line, call in ((7, "[^2]"), (7, "[^3]"), (16, "[^6]"), (21, "[^7]"))]


def test_pipe_rows_not_read_as_a_table_are_a_warning_at_their_first_line():
    """Python-Markdown prints pipe rows as a paragraph of text when the header row is
    missing, or when the row of dashes has another number of cells."""
    body = ("## One\n\nTable: Reported incidents by year\n\n|------|-------|\n| 2023 | 120 |\n"
            "| 2024 | 130 |\n\nA | pipe | in text.\n\n| Year | Count |\n|---|---|\n| 2023 | 1 |\n"
            "\n| a | b |\n|---|---|---|\n| 1 | 2 |\n")
    assert prepare_messages({"content/a.md": handout("A", body)}) == [
        f"content/a.md:{line}: warning: these lines look like a table but are not read as one, "
        "so they are printed as text: a table's first row names its columns, the next is a row "
        "of |---| with one cell for each column, then the rows" for line in (8, 18)]


def test_numbers_in_other_digits_are_not_read_as_numbers():
    """'²' is a digit to str.isdigit() and not to int(): no traceback, no message."""
    body = ('## One\n\n<table><tr><th colspan="²">a</th></tr></table>\n\n'
            '![A dot](assets/dot.png){: data-handouts-line="²" }\n')
    assert prepare_messages({"content/a.md": handout("A", body),
                             "content/assets/dot.png": DOT_PNG}) == []
