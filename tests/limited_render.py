"""Render one page to PDF under small worker limits; print why it failed ('' if it did not).

Run as a script (tests/test_hostile_project.py): the PDF workers import it as their main
module, so they get the limits it sets: `time` (1 s of processor time) or `memory` (64 MB).
"""
import sys
from pathlib import Path

from handouts import limits

if sys.argv[1] == "time":
    limits.PDF_CPU_SECONDS = 1
else:
    limits.PDF_MEMORY_BYTES = 64 * 1024 ** 2

if __name__ == "__main__":
    from handouts.pdf.parallel import PdfJob, run_pdf_jobs
    from handouts.pdf.render import STANDARD_PROFILE

    page = Path(sys.argv[2])
    job = PdfJob("big", page, page.with_suffix(".pdf"), page.parent, "A4", "Big",
                 STANDARD_PROFILE)
    [done] = run_pdf_jobs([job], 1)
    print(done.failed)
