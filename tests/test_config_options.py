"""handouts.toml's options are declared once: the docs name the same keys, and the one reader
finds every declared key, at its line, in its table.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from handouts.config import OPTIONS, TABLES, Config, load_config

DOCS = Path(__file__).resolve().parent.parent / "docs"
# Every setting is in settings.md; the packets' and the logo's are beside their pictures.
SETTINGS_PAGES = ("settings.md", "packets.md")
# A value of the wrong TOML type for each kind an option holds.
WRONG = {"str": ("12", "int"), "bool": ('"yes"', "str"), "list": ('"a"', "str"),
         "date": ('"soon"', "str")}


def documented_keys() -> set[tuple[str, str]]:
    """(table, key) for each key the TOML examples of the settings pages write."""
    keys = set()
    for page in SETTINGS_PAGES:
        for block in re.findall(r"```toml\n(.*?)```", (DOCS / page).read_text(), re.DOTALL):
            for table, value in tomllib.loads(block).items():
                entries = value if isinstance(value, list) else [value]
                keys |= {(table, key) for entry in entries for key in entry}
    return keys


def test_the_docs_name_every_declared_key_and_no_other():
    declared = {(option.table, option.key) for _, option in OPTIONS}
    documented = documented_keys()
    assert sorted(declared - documented) == [], "declared, not in the docs"
    assert sorted(documented - declared) == [], "in the docs, not declared"


def test_every_declared_table_is_documented():
    assert {table for table, _ in documented_keys()} == {table.name for table in TABLES}


def test_each_declared_key_of_the_wrong_type_is_an_error_at_its_line(tmp_path):
    """A file that sets every declared key to the wrong type: one message a key, at the
    key's own line, naming its table, and each setting left at its default."""
    lines, expected = [], []
    for table in TABLES:
        lines += ["", f"[[{table.name}]]" if table.many else f"[{table.name}]"]
        for _, option in OPTIONS:
            if option.table == table.name:
                value, written = WRONG[option.kind.__name__]
                lines.append(f"{option.key} = {value}")
                expected.append((len(lines), f"'{option.key}' in {table.shown} must be a "
                                 f"{option.kind_name}, not {written}"))
    (tmp_path / "handouts.toml").write_text("\n".join(lines) + "\n")
    problems: list = []
    config = load_config(tmp_path, problems)
    assert [(problem.line, problem.message) for problem in problems] == expected
    assert (config.packets, config.name, config.profiles) == ([], Config().name, None)
