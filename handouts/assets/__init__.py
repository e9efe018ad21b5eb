"""What may be published from content/assets/: each file vetted before it is copied to dist/.

A shared repository is hostile ground, and dist/assets/ is served from the handouts' own
origin: an HTML page, a script or an SVG with a script in it would run there as if Handouts
had written it. So only the kinds a handout uses are published (images, PDFs, fonts), each
file's content must be what its suffix says, and an SVG, which is a document rather than a
picture, is read element by element.

An SVG that could run code, reach outside itself or expand without end is refused, not
cleaned: rewriting an author's drawing silently would change it, so each message says what
to remove. Refused in an SVG:

- a DOCTYPE with an internal subset, and any entity (``<!ENTITY``): billion laughs;
- ``<script>``, ``on…`` event-handler attributes, ``<foreignObject>``, HTML elements;
- ``href``/``xlink:href`` other than ``#id`` (or, for an image, an embedded
  ``data:image/png|jpeg|gif|webp``): ``http:``, ``file:``, ``javascript:``, other files;
- CSS (``<style>``, ``style=``, presentation attributes) loading anything but ``url(#id)``,
  ``@import``, ``javascript:``; an ``<?xml-stylesheet?>`` instruction; ``xml:base``;
- ``<set>``/``<animate…>`` changing ``href`` or an event handler;
- a ``<use>`` cycle, and more than MAX_SVG_ELEMENTS elements once every ``<use>`` is
  expanded (a 1.6 kB drawing fanning out 10 ways per level, 6 levels deep, costs
  WeasyPrint minutes and gigabytes).

Where each part is: vet.py (vet_asset, the entry: suffix, size, content), formats.py (what
each suffix must hold), pixels.py (a raster image's size from its header), svg.py (an SVG
read element by element), svg_style.py (CSS in it), svg_expansion.py (<use> cycles and
fan-out), svg_drawing.py (what one SVG's reading keeps), problems.py (how problems are said).
"""

from .formats import ALLOWED_SUFFIXES
from .problems import Problem
from .svg import SVG_NS, svg_parser
from .vet import vet_asset

__all__ = ["ALLOWED_SUFFIXES", "SVG_NS", "Problem", "svg_parser", "vet_asset"]
