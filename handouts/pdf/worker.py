"""Loaded once by the server that PDF workers fork from, so that each starts ready.

Every PDF renders in a fresh worker (pdf/parallel.py: one job a process, under limits); what
they all need is done here once: WeasyPrint, pikepdf and the check imported, and a first
page laid out, which sets up the system's fonts and text shaping.
"""

import weasyprint

from ..check import files  # noqa: F401 (loaded to share)
from ..packets import pdf as packet_pdf  # noqa: F401
from . import assemble, booklet, render, weasyprint_patches  # noqa: F401

weasyprint_patches.install()
weasyprint.HTML(string="<p>Handouts</p>").write_pdf()
