"""How a build reports its progress: a bar on a terminal, plain lines elsewhere, or nothing."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is loaded only for a bar
    from rich.progress import TaskID


class PlainProgress:
    """One line per step: for logs, CI and anything that is not a terminal."""

    def __init__(self, verbose: bool = False):
        self.verbose = verbose

    def message(self, text: str) -> None:
        print(text, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose:
            print(f"  {text}", flush=True)

    def handout(self, number: int, total: int, slug: str, kept: bool = False) -> None:
        print(f"[{number}/{total}] {slug}: PDF{' kept' if kept else ''}", flush=True)

    def close(self) -> None:
        pass


class QuietProgress(PlainProgress):
    def message(self, text: str) -> None:
        pass

    def detail(self, text: str) -> None:
        pass

    def handout(self, number: int, total: int, slug: str, kept: bool = False) -> None:
        pass


class BarProgress(PlainProgress):
    """A progress bar (rich) for the PDFs, which take most of a build's time."""

    def __init__(self, verbose: bool = False):
        super().__init__(verbose)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), transient=True)
        self.task: TaskID | None = None

    def message(self, text: str) -> None:
        self.bar.console.print(text)

    def detail(self, text: str) -> None:
        if self.verbose:
            self.bar.console.print(f"  {text}")

    def handout(self, number: int, total: int, slug: str, kept: bool = False) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("PDFs", total=total)
        self.bar.update(self.task, completed=number - 1, description=f"PDF: {slug}")

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()


def make_progress(quiet: bool = False, verbose: bool = False) -> PlainProgress:
    if quiet:
        return QuietProgress()
    if sys.stdout.isatty() and not os.environ.get("CI"):
        return BarProgress(verbose)
    return PlainProgress(verbose)
