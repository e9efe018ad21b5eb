"""Hostile input gets one message naming its file, line and key, never a traceback (issue 13).

Front matter and handouts.toml nested thousands deep or holding numbers thousands of digits
long; and ordered lists of more than 999 items, tagged right in the PDF.
"""

from __future__ import annotations

import pytest
from testing_utils import make_project, pdf_structure, run_cli

from handouts.check.files import check_pdf
from handouts.limits import MAX_NESTING

DEEP = 3_000
LONG_NUMBER = "9" * 5_000
FRONT_MATTER_TOO_DEEP = ("holds lists or mappings nested more than 100 deep, the most Handouts "
                         "reads: flatten them, or put the text in quotes")
SETTINGS_TOO_DEEP = ("holds arrays or tables nested more than 100 deep, the most Handouts "
                     "reads: flatten them")
A_HANDOUT = "---\ntitle: A\n---\n\nText.\n"


def errors_of(tmp_path, files: dict[str, str]) -> list[str]:
    """The build's error lines, once it has failed without a traceback."""
    make_project(tmp_path, files)
    result = run_cli("--project", tmp_path)
    assert result.status == 1, result.err
    assert "Traceback" not in result.err
    assert result.err.splitlines()[-1].startswith("Build failed: 1 error(s)")
    return result.err.splitlines()[:-1]


def front_matter_errors(tmp_path, front_matter: str) -> list[str]:
    return errors_of(tmp_path, {"content/a.md": f"---\n{front_matter}\n---\n\nText.\n"})


def settings_errors(tmp_path, settings: str) -> list[str]:
    return errors_of(tmp_path, {"content/a.md": A_HANDOUT, "handouts.toml": settings})


def test_limit_is_the_one_the_messages_name():
    assert MAX_NESTING == 100


# Front matter

def test_front_matter_flow_lists_3000_deep(tmp_path):
    errors = front_matter_errors(tmp_path, "title: x\nsummary: " + "[" * DEEP + "]" * DEEP)
    assert errors == [f"content/a.md:3: 'summary' {FRONT_MATTER_TOO_DEEP}"]


def test_front_matter_block_mappings_1500_deep(tmp_path):
    # One space more per level: 1,500 levels fit in a file under MAX_HANDOUT_BYTES (3,000
    # would not: that file is refused for its size first).
    nested = "".join(" " * level + f"k{level}:\n" for level in range(1, 1501))
    errors = front_matter_errors(tmp_path, "title: x\ndate: 2027-01-15\nsummary:\n" + nested)
    assert errors == [f"content/a.md:4: 'summary' {FRONT_MATTER_TOO_DEEP}"]


def test_front_matter_block_lists_3000_deep(tmp_path):
    # '- - - x' is a list in a list in a list, in block style.
    errors = front_matter_errors(tmp_path, "title: x\ncontent_notes:\n" + "- " * DEEP + "x")
    assert errors == [f"content/a.md:3: 'content_notes' {FRONT_MATTER_TOO_DEEP}"]


def test_front_matter_nesting_limit_is_max_nesting(tmp_path):
    allowed = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert front_matter_errors(tmp_path / "a", f"title: x\nsummary: {allowed}") == [
        "content/a.md:3: 'summary' must be a text"]
    refused = "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)
    assert front_matter_errors(tmp_path / "b", f"title: x\nsummary: {refused}") == [
        f"content/a.md:3: 'summary' {FRONT_MATTER_TOO_DEEP}"]


def test_front_matter_nesting_through_aliases(tmp_path):
    # Each list holds the one before it: 150 deep, though no line has more than one bracket.
    chain = "\n".join(f"a{n}: &a{n} [{f'*a{n - 1}' if n else 'x'}]" for n in range(150))
    assert front_matter_errors(tmp_path / "a", "title: x\n" + chain) == [
        f"content/a.md:103: 'a100' {FRONT_MATTER_TOO_DEEP}"]
    assert front_matter_errors(tmp_path / "b", "title: x\nsummary: &s [*s]") == [
        f"content/a.md:3: 'summary' {FRONT_MATTER_TOO_DEEP}"]


def test_front_matter_number_of_5000_digits_names_its_key(tmp_path):
    errors = front_matter_errors(tmp_path, f"title: x\ndate: 2027-01-15\nsummary: {LONG_NUMBER}")
    assert errors == ["content/a.md:4: 'summary' holds a number too long to read (5,000 "
                      "digits): put the text in quotes"]


def test_front_matter_number_of_5000_digits_inside_a_list(tmp_path):
    errors = front_matter_errors(
        tmp_path, f"title: x\ncontent_notes:\n  - Violence\n  - {LONG_NUMBER}\nstatus: draft")
    assert errors == ["content/a.md:3: 'content_notes' holds a number too long to read "
                      "(5,000 digits): put the text in quotes"]


def test_front_matter_impossible_date_outside_date_names_its_key(tmp_path):
    errors = front_matter_errors(tmp_path, "title: x\ndate: 2027-01-15\nsummary: 2027-02-30")
    assert errors == ["content/a.md:4: 'summary' holds 2027-02-30, which YAML reads as a date "
                      "that does not exist (day is out of range for month): put the text in "
                      "quotes"]


def test_front_matter_impossible_date_still_names_date(tmp_path):
    errors = front_matter_errors(tmp_path, "title: x\nsummary: A summary\ndate: 2027-02-30")
    assert errors == ["content/a.md:4: 'date' is not a real date (day is out of range for "
                      "month): write an ISO date such as 2027-01-15"]


# handouts.toml

def test_settings_number_of_5000_digits(tmp_path):
    errors = settings_errors(tmp_path, '[conference]\nname = "X"\n\n[build]\n'
                                       f"profiles = {LONG_NUMBER}\n")
    assert errors == ["handouts.toml:5: 'profiles' in [build] holds a number too long to read "
                      "(5,000 digits): put the text in quotes"]


def test_settings_arrays_3000_deep(tmp_path):
    errors = settings_errors(tmp_path, '[conference]\nname = "X"\n\n[build]\n'
                                       f"profiles = {'[' * DEEP}{']' * DEEP}\n")
    assert errors == [f"handouts.toml:5: 'profiles' in [build] {SETTINGS_TOO_DEEP}"]


def test_settings_arrays_3000_deep_over_many_lines(tmp_path):
    brackets = "\n".join("[ # a comment with ] and \"quotes\"" for _ in range(DEEP))
    errors = settings_errors(tmp_path, '[conference]\nname = """a\nname\n"""\n\n[[packet]]\n'
                                       f"handouts = {brackets}\n{']' * DEEP}\n")
    assert errors == [f"handouts.toml:7: 'handouts' in [[packet]] {SETTINGS_TOO_DEEP}"]


def test_settings_inline_tables_3000_deep(tmp_path):
    errors = settings_errors(tmp_path, "[glossary]\nsort = " + "{a = " * DEEP + "1"
                             + "}" * DEEP + "\n")
    assert errors == [f"handouts.toml:2: 'sort' in [glossary] {SETTINGS_TOO_DEEP}"]


def test_settings_dotted_keys_3000_deep(tmp_path):
    errors = settings_errors(tmp_path, "[sources]\n" + ".".join(["qr"] * DEEP) + " = true\n")
    assert errors == [f"handouts.toml:2: 'qr' in [sources] {SETTINGS_TOO_DEEP}"]


def test_settings_nesting_limit_is_max_nesting(tmp_path):
    allowed = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert settings_errors(tmp_path / "a", f"[build]\nprofiles = {allowed}\n") == [
        'handouts.toml:2: profiles in [build] must list profile names, such as '
        '["standard", "large-print"]']
    refused = "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)
    assert settings_errors(tmp_path / "b", f"[build]\nprofiles = {refused}\n") == [
        f"handouts.toml:2: 'profiles' in [build] {SETTINGS_TOO_DEEP}"]


def test_settings_brackets_and_digits_in_strings_and_comments_are_text(tmp_path):
    make_project(tmp_path, {"content/a.md": A_HANDOUT, "handouts.toml": (
        f'[conference]\nname = "{"[" * DEEP}"\nshort_name = \'\'\'\n{"{" * DEEP}\'\'\'\n'
        f'# {"[" * DEEP}\nlogo_alt = "{LONG_NUMBER}"\n[build]\nprofiles = ["standard"]\n')})
    result = run_cli("--project", tmp_path)
    assert result.status == 0, result.err


# Ordered lists of more than 999 items

@pytest.fixture(scope="module")
def long_list(tmp_path_factory):
    root = tmp_path_factory.mktemp("long-list")
    items = "\n".join(f"1. Item {n}" for n in range(1, 1051))
    make_project(root, {"content/l.md": f"---\ntitle: A long list\n---\n\n{items}\n",
                        "handouts.toml": '[build]\nprofiles = ["standard"]\n'})
    result = run_cli("--project", root)
    assert result.status == 0, result.err
    return root, result


def test_items_past_999_have_their_number_in_lbl_and_text_in_lbody(long_list):
    root, _ = long_list
    lists = [node for node in pdf_structure(root / "dist/pdf/l.pdf").iter() if node.type == "L"]
    assert len(lists) == 1
    items = lists[0].children
    assert [item.type for item in items] == ["LI"] * 1050
    for number in (1, 999, 1000, 1050):
        label, body = items[number - 1].children
        assert (label.type, body.type) == ("Lbl", "LBody")
        assert label.text().strip() == f"{number}."
        assert body.text().strip() == f"Item {number}"


def test_the_check_finds_nothing_in_a_list_of_1050_items(long_list):
    root, result = long_list
    assert "PDF check" not in result.err
    assert check_pdf(root / "dist/pdf/l.pdf") == []
