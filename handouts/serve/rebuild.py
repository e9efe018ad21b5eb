"""One build for serve: the pages previewed at once, dist/ published only when all succeeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import BuildFailed, ContentError, Diagnostics
from ..progress import PlainProgress
from ..project import Project
from .state import BuildState

BUILT = "Built: PDFs ready."
FAILED = "Build failed: serving the last good build from dist/ (your latest save is not shown)."
PREVIEWING = ("Pages built: reloaded, shown from the build's staging folder; dist/ is "
              "updated when the PDFs are ready.")
SUPERSEDED = "A newer save: its build starts now; the PDFs follow it."


def rebuild(root: Path, state: BuildState, progress: PlainProgress,
            superseded: Callable[[], bool] = lambda: False) -> None:
    """Build. The pages reload as soon as they are staged, shown from the build's staging
    folder while the PDFs render; dist/ changes only when the whole build succeeds. A failed
    build, or one a save made while the PDFs render stops (``superseded``: the watcher starts
    the next), leaves dist/ as it was, and serve goes back to it."""
    from ..builder import build
    from ..pdf.parallel import Superseded

    diagnostics = Diagnostics()
    reloaded: list[bool] = []

    def pages_ready(staging_root: Path) -> None:  # the pages are new: preview them; PDFs follow
        state.preview_from(staging_root)
        progress.message(PREVIEWING)
        reloaded.append(True)
        state.finished([])

    failed = False
    try:
        build(Project.open(root, diagnostics.errors), progress=progress,
              diagnostics=diagnostics, pages_ready=pages_ready, superseded=superseded)
    except Superseded:
        progress.message(SUPERSEDED)
        return
    except ContentError as error:
        diagnostics.errors.append(error)
        failed = True
    except BuildFailed as stopped:  # its errors are the diagnostics', or dist/'s own
        diagnostics.errors += [error for error in stopped.errors
                               if error not in diagnostics.errors]
        failed = True
    finally:
        state.end_preview()  # published into dist/, or deleted with its build: dist/ it is
    messages = [error.format(root) for error in diagnostics.errors]
    for message in diagnostics.in_file_order():
        progress.message(message.format(root))
    progress.message(FAILED if failed or messages else BUILT)
    if failed or messages or not reloaded:  # a built page reloaded already is not reloaded again
        state.finished(messages)
