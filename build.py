"""Build the handouts of the project in this folder: python build.py [command] [--help]."""

import importlib.util
import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"

if VENV.is_dir() and Path(sys.prefix).resolve() != VENV.resolve():
    # Started with the system Python: run in the environment `make build` made.
    python = VENV / "bin" / "python"
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])
if importlib.util.find_spec("weasyprint") is None:
    sys.exit("Handouts is not installed yet: run 'make build' once, then 'python build.py'.")

from handouts.cli import main  # noqa: E402  (after the environment is settled)

if __name__ == "__main__":
    sys.exit(main())
