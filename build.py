"""Build the handouts of the project in this folder: python build.py [command] [--help]."""

import sys

from handouts.cli import main

if __name__ == "__main__":
    sys.exit(main())
