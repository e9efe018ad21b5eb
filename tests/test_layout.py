"""The code's layout, as a new maintainer meets it: folders by phase, modules of one concern."""

from __future__ import annotations

import ast
from pathlib import Path

HANDOUTS = Path(__file__).resolve().parent.parent / "handouts"
# Each phase's folder, and the module of it that builder.py calls.
PHASES = {"prepare": "stage", "pages": "render", "packets": "stage", "pdf": "stage",
          "page_numbers": "stage", "epub": "stage"}


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(HANDOUTS)): lines for path in HANDOUTS.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_each_phase_is_a_folder_with_the_module_builder_calls():
    builder = (HANDOUTS / "builder.py").read_text(encoding="utf-8")
    for phase, module in PHASES.items():
        assert (HANDOUTS / phase / f"{module}.py").is_file(), phase
        assert f"from .{phase}.{module} import" in builder, phase


def test_a_phase_folders_init_holds_its_docstring_only():
    """Importing one module of a phase never runs the phase's others: a low-level module
    (config, project) may then import a phase's module without an import cycle. And what a
    phase does is in a module named for it, never hidden in an __init__.py."""
    for phase in [*PHASES, "check"]:  # check: run in each PDF's worker and by `check`
        tree = ast.parse((HANDOUTS / phase / "__init__.py").read_text(encoding="utf-8"))
        assert [type(node).__name__ for node in tree.body] == ["Expr"], phase
