"""Bounded cost (issue 13, requirement 5): small inputs never cost without bound.

A handout over a limit of limits.py is refused by its line before layout, most before
Markdown reads it; one just under the limits goes through every stage before the PDF; the
PDF check compares 10,000 headings in near-linear time. No timings are asserted but hang
guards: a quadratic step shows as the guard failing, or as the suite slowing down.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

import pytest
from testing_utils import handout, make_project, run_cli

from handouts.builder import prepare
from handouts.check import sequence_diff
from handouts.check.sequence_diff import differences
from handouts.check.structure_rules import _elements_match
from handouts.errors import Diagnostics
from handouts.limits import MAX_HEADINGS, MAX_LINE_CHARACTERS, MAX_LINKS
from handouts.project import Project

BUILD_FAILED = "Build failed: {} error(s); dist/ was left as it was."
SPLIT_IT = "split it into several handouts (a [[packet]] in handouts.toml prints them together)"
BODY_LINE = 4  # where handout()'s body starts in the file


def refused(root, body: str) -> list[str]:
    """The lines a build of content/a.md prints, after checking it failed cleanly."""
    make_project(root, {"content/a.md": handout("A", body)})
    result = run_cli("--project", root, "build")
    assert result.status == 1, result.err
    assert "Traceback" not in result.err
    assert not (root / "dist").exists()
    return result.err.splitlines()


@pytest.fixture
def markdown_unread(monkeypatch):
    """Fail the test if a handout's Markdown is parsed: the refusal must come before."""
    def not_parsed(*args, **kwargs):
        raise AssertionError("the Markdown was parsed before the handout was refused")

    monkeypatch.setattr("handouts.prepare.parse.markdown_to_html", not_parsed)


@pytest.mark.parametrize("paragraph, count, limit, kind", [
    ("## Heading {}", 10_000, MAX_HEADINGS, "heading"),
    ("[Source {0}](https://example.org/{0})", 20_000, MAX_LINKS, "link"),
], ids=["10000-headings", "20000-links"])
def test_many_headings_or_links_are_refused_at_the_first_over_the_limit(
        tmp_path, markdown_unread, paragraph, count, limit, kind):
    body = "".join(paragraph.format(number) + "\n\n" for number in range(count))
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + 2 * limit}: this is {kind} number {limit + 1:,} of "
        f"{count:,}; a handout may have at most {limit:,} {kind}s: {SPLIT_IT}",
        BUILD_FAILED.format(1)]


def test_headings_and_links_are_counted_however_they_are_written(tmp_path, markdown_unread):
    """Underlined and HTML headings; images, linked images, references, <a> and <https://…>."""
    headings = ("Underlined\n==========\n\n" * 700 + "<h3>In HTML</h3>\n\n" * 700
                + "#### Hashes\n\n" * 601)
    links = ("An ![image](assets/dot.png) is no link; a [![linked image](assets/dot.png)]"
             "(https://example.org/a) is.\n\n" + "[A reference][r] and <a href='b.html'>a</a>"
             " and <https://example.org/c>.\n\n" * 1667)
    body = headings + "[r]: https://example.org/r\n\n" + links
    heading_over = BODY_LINE + 3 * 700 + 2 * 700 + 2 * 600
    link_over = heading_over + 4 + 2 * 1667
    assert refused(tmp_path, body) == [
        f"content/a.md:{heading_over}: this is heading number 2,001 of 2,001; a handout may "
        f"have at most 2,000 headings: {SPLIT_IT}",
        f"content/a.md:{link_over}: this is link number 5,001 of 5,002; a handout may have at "
        f"most 5,000 links: {SPLIT_IT}",
        BUILD_FAILED.format(2)]


def test_headings_the_line_scan_misses_are_counted_once_parsed(tmp_path):
    """A heading in a list item is not seen by the scan before Markdown: the tree counts it."""
    body = "".join(f"- # Item heading {number}\n" for number in range(MAX_HEADINGS + 1))
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + MAX_HEADINGS}: this is heading number 2,001 of 2,001; a "
        f"handout may have at most 2,000 headings: {SPLIT_IT}",
        BUILD_FAILED.format(1)]


def test_a_line_too_long_is_refused_at_its_line(tmp_path, markdown_unread):
    long_line = "word " * (MAX_LINE_CHARACTERS // 5) + "end"
    assert len(long_line) == 100_003
    body = f"A short paragraph.\n\n{long_line}\n\nAnother.\n\n{'x' * MAX_LINE_CHARACTERS}\n"
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + 2}: this line is 100,003 characters long; a line may be "
        "at most 100,000: break it over several lines (a paragraph may span many)",
        BUILD_FAILED.format(1)]


def test_every_limit_a_handout_is_over_is_reported_at_once(tmp_path, markdown_unread):
    body = ("## Heading\n\n" * (MAX_HEADINGS + 1) + "x" * (MAX_LINE_CHARACTERS + 1) + "\n\n"
            + "`code`\n\n" + "y" * (MAX_LINE_CHARACTERS + 5) + "\n")
    long_line = BODY_LINE + 2 * (MAX_HEADINGS + 1)
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + 2 * MAX_HEADINGS}: this is heading number 2,001 of 2,001; "
        f"a handout may have at most 2,000 headings: {SPLIT_IT}",
        f"content/a.md:{long_line}: this line is 100,001 characters long; a line may be at "
        "most 100,000: break it over several lines (a paragraph may span many)",
        f"content/a.md:{long_line + 4}: this line is 100,005 characters long; a line may be "
        "at most 100,000: break it over several lines (a paragraph may span many)",
        BUILD_FAILED.format(3)]


def test_headings_and_links_in_code_fences_are_not_counted(tmp_path):
    body = ("```\n" + "# a comment\n[x](y)\n" * (MAX_LINKS + 1) + "```\n\n## One heading\n\n"
            "A [link](https://example.org).\n")
    make_project(tmp_path, {"content/a.md": handout("A", body)})
    [page] = prepare(Project.open(tmp_path), Diagnostics())
    assert page.body.find(".//pre") is not None


def test_a_handout_at_the_limits_goes_through_every_stage_before_its_pdf(tmp_path):
    """2,000 headings and 5,000 links: loaded, parsed and transformed, sources numbered."""
    sections = []
    for number in range(MAX_HEADINGS):
        links = " and ".join(f"[page {number}-{link}](https://example.org/{number}/{link})"
                             for link in range(3 if number < MAX_LINKS - 2 * MAX_HEADINGS else 2))
        sections.append(f"## Part {number}\n\nSee {links}.\n\n")
    make_project(tmp_path, {"content/a.md": handout("At the limits", "".join(sections))})
    diagnostics = Diagnostics()
    started = time.perf_counter()
    [page] = prepare(Project.open(tmp_path), diagnostics)
    assert time.perf_counter() - started < 60  # a hang guard: this takes a few seconds
    assert diagnostics.errors == [] and diagnostics.warnings == []
    assert len(page.body.findall(".//h2")) == MAX_HEADINGS + 1  # and the sources' heading
    sources = page.body.find(".//ol[@class='sources']")
    assert len(sources) == MAX_LINKS
    assert sources[-1].find("a").get("href") == f"https://example.org/{MAX_HEADINGS - 1}/1"
    assert len(page.body.findall(".//sup[@class='source-ref print-only']")) == MAX_LINKS


def test_the_pdf_check_compares_10000_headings_of_the_same_text(tmp_path):
    """difflib compares these in about a minute; the check's comparison in a moment."""
    html = ["Heading"] * 10_000
    pdf = ["Heading"] * 5_000 + ["Heading, changed"] + ["Heading"] * 4_999
    started = time.perf_counter()
    findings = list(_elements_match("a.pdf", {"H2": html}, {"H2": pdf}))
    assert [finding.detail for finding in findings] == [
        "H2: the PDF reads '…Heading, changed…' where the HTML has '…Heading…'"]
    findings = list(_elements_match("a.pdf", {"H2": html}, {"H2": html[1:] + ["Extra"]}))
    assert [finding.detail for finding in findings] == [
        "H2: the PDF reads '…Extra…' where the HTML has '…Heading…'"]
    shifted = ["Heading", "Section"] * 5_000
    findings = list(_elements_match("a.pdf", {"H2": shifted}, {"H2": shifted[1:] + ["X"]}))
    assert findings  # no two items found once in each side: one long difference
    assert time.perf_counter() - started < 60  # a hang guard


def test_the_pdf_checks_comparison_finds_what_difflib_finds(monkeypatch):
    """A text's words, or headings of a few repeated texts, with a few local differences: as
    many differences as difflib finds, as long (where an item stands beside one like it,
    either may be the one left out)."""
    random.seed(13)
    vocabulary = [f"word{rank}" for rank in range(1, 2_000)]
    text = random.choices(vocabulary, weights=[1 / rank for rank in range(1, 2_000)], k=3_000)
    headings = random.choices(["Summary", "Discussion", "Questions", "Key points"], k=1_500)

    def found(a, b, exact):
        monkeypatch.setattr(sequence_diff, "EXACT_COMPARISON", 10 ** 12 if exact else 0)
        spans = differences(a, b)
        return len(spans), sum(a1 - a0 + b1 - b0 for a0, a1, b0, b1 in spans)

    for words in (text, headings):
        for _ in range(20):
            changed = list(words)
            for place in sorted(random.sample(range(10, len(words) - 10, 50), 3), reverse=True):
                edit = random.choice(("insert", "delete", "replace"))
                if edit == "insert":
                    changed[place:place] = ["new", "words"]
                elif edit == "delete":
                    del changed[place:place + 3]
                else:
                    changed[place] = "other"
            assert found(words, changed, exact=False) == found(words, changed, exact=True)


# Measured in a fresh process whose one child is the build: its peak memory alone.
PEAK_MEMORY = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                        text=True)
print(status.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(status.stderr, end="")
"""
FAN_OUT = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<g id="l0"><rect width="1" height="1"/></g>' + "".join(
               f'<g id="l{level}">' + f'<use xlink:href="#l{level - 1}"/>' * 10 + "</g>"
               for level in range(1, 7)) + '<use xlink:href="#l6"/></svg>')


@pytest.mark.parametrize("name, write", [
    ("10,000 headings", lambda root: (root / "content/a.md").write_text(handout(
        "A", "".join(f"## Heading {number}\n\n" for number in range(10_000))))),
    ("20,000 links", lambda root: (root / "content/a.md").write_text(handout("A", "".join(
        f"[Source {number}](https://example.org/{number})\n\n" for number in range(20_000))))),
    ("a 3 GB handout", lambda root: (root / "content/a.md").open("w").truncate(3 * 10 ** 9)),
    ("the <use> bomb", lambda root: (root / "content/assets/bomb.svg").write_text(FAN_OUT)),
])
def test_large_inputs_are_refused_within_the_documented_bounds(tmp_path, name, write):
    """Each refused by its limit, the build's whole run within 1 GB and 120 s (a hang
    guard: each takes a second or two)."""
    root = make_project(tmp_path, {"content/a.md": handout("A", "Words.\n"),
                                   "content/assets/.keep": ""})
    write(root)
    result = subprocess.run([sys.executable, "-c", PEAK_MEMORY, sys.executable, "-m",
                             "handouts", "--project", str(root), "--quiet"],
                            capture_output=True, text=True, timeout=120)
    status, peak_kilobytes = map(int, result.stdout.splitlines()[0].split())
    errors = result.stdout.splitlines()[1:]
    assert status == 1 and "Traceback" not in result.stdout
    assert errors[-1] == BUILD_FAILED.format(1) and len(errors) == 2, errors
    assert peak_kilobytes < 1024 ** 2, f"{name}: {peak_kilobytes / 1024:.0f} MB"


def test_a_paragraph_of_unclosed_brackets_is_refused_at_its_first_line(tmp_path):
    """Python-Markdown's time grows with the square of a paragraph's unclosed brackets: 8,000
    took 10 s. The paragraph is refused before Markdown reads it."""
    body = "Fine.\n\n" + "[" * 600 + "\n" + "<b " * 600 + "\n"
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + 2}: this paragraph holds more than 1,000 unclosed '[' and "
        "'<', the most one may have: close them, or split it with blank lines",
        BUILD_FAILED.format(1)]


def test_too_many_abbreviations_with_the_shared_glossary_are_refused(tmp_path):
    make_project(tmp_path, {"content/glossary.md": "".join(
        f"*[AB{number}]: Expansion {number}\n" for number in range(501))})
    result_lines = refused(tmp_path, "AB1 is short.\n")
    assert result_lines == [
        "content/glossary.md:501: this is abbreviation number 501 of 501 (with the "
        "shared glossary's); a handout may have at most 500: keep the ones readers meet",
        BUILD_FAILED.format(1)]


def test_too_many_glossary_terms_are_refused(tmp_path):
    make_project(tmp_path, {"content/glossary.md": "".join(
        f"Term{number}\n:   Definition {number}.\n\n" for number in range(1_001))})
    assert refused(tmp_path, "Term1 is used.\n") == [
        "content/glossary.md: the glossary defines 1,001 terms (with the shared glossary's), "
        "more than the 1,000 a handout may have: keep the ones readers meet",
        BUILD_FAILED.format(1)]


def test_a_table_cell_spanning_thousands_of_rows_is_refused(tmp_path):
    body = ('<table><tr><th>A</th></tr>\n<tr><td colspan="1000" rowspan="65534">x</td></tr>'
            "</table>\n")
    assert refused(tmp_path, body) == [
        f"content/a.md:{BODY_LINE + 1}: a table cell may span at most 100 rows or columns, not "
        "colspan='1000': split the table",
        f"content/a.md:{BODY_LINE + 1}: a table cell may span at most 100 rows or columns, not "
        "rowspan='65534': split the table",
        BUILD_FAILED.format(2)]


def test_closing_brackets_written_first_do_not_hide_open_ones(tmp_path):
    """']' before '[' closes nothing: 1,500 of each still leave 1,500 open."""
    assert refused(tmp_path, "]" * 1_500 + " [w" * 1_500 + "\n") == [
        f"content/a.md:{BODY_LINE}: this paragraph holds more than 1,000 unclosed '[' and "
        "'<', the most one may have: close them, or split it with blank lines",
        BUILD_FAILED.format(1)]


def test_a_long_list_of_links_with_tags_is_not_taken_for_open_brackets(tmp_path):
    lines = "".join(f"- [Link {number}](https://example.org/{number}) <b>x</b>\n"
                    for number in range(1_500))
    make_project(tmp_path, {"content/a.md": handout("A", lines)})
    [page] = prepare(Project.open(tmp_path), Diagnostics())
    assert len(page.body.find(".//ul").findall("li")) == 1_500  # (the sources list follows)
