"""WeasyPrint is patched by one explicit install(), never by importing Handouts."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import weasyprint.document, weasyprint.pdf
from weasyprint import draw
from weasyprint.pdf.stream import Stream
originals = (weasyprint.pdf.add_tags, draw.draw_stacking_context, Stream.marked,
             weasyprint.document.original_get_image_from_uri)
def current():
    return (weasyprint.pdf.add_tags, draw.draw_stacking_context, Stream.marked,
            weasyprint.document.original_get_image_from_uri)
import handouts.builder, handouts.pdf.render, handouts.pdf.tagging, handouts.check.files  # noqa
assert current() == originals, "importing Handouts patched WeasyPrint"
from handouts.pdf import weasyprint_patches
weasyprint_patches.install()
patched = current()
assert all(new is not old for new, old in zip(patched, originals)), "install() left one out"
weasyprint_patches.install()
assert current() == patched, "a second install() patched again"
print("ok")
"""


def test_importing_handouts_leaves_weasyprint_alone_and_install_patches_it_once():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
