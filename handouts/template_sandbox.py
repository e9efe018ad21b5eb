"""Templates from a shared repository render with no reach and no unbounded cost.

Jinja's sandbox stops a template from reaching Python through underscored attributes; this
one also lets it read only plain values and Handouts' own objects (never a path, whose
methods read and write files), change nothing, build no string or list past a size, and
run for at most a time. Every page it renders carries the Content-Security-Policy, whatever
the template wrote: a template cannot publish a script that runs.
"""

from __future__ import annotations

import ctypes
import datetime
import re
import threading
from pathlib import PurePath

import jinja2.sandbox
from markupsafe import Markup

# The pages' policy: no script (serve adds only its own, by a nonce), no plugin, no form
# target; inline style and data: images (the sources' QR codes) are the pages' own.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'")
POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
TEMPLATE_SECONDS = 60  # one page's render: Handouts' own templates take milliseconds
MAX_BUILT_LENGTH = 1_000_000  # a string or list a template makes with * (characters, items)
PLAIN_TYPES = (str, int, float, bool, type(None), list, tuple, dict, set, frozenset,
               datetime.date, Markup)
_DOCTYPE = re.compile(r"^\s*<!doctype[^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)


class TemplateTooCostly(Exception):
    """A template ran past TEMPLATE_SECONDS."""


class TemplateSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(value, PurePath):
            return False
        plain = isinstance(obj, PLAIN_TYPES) or type(obj).__module__.startswith(
            ("handouts.", "jinja2."))  # Handouts' objects, and Jinja's own (loop, macros)
        return plain and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise jinja2.sandbox.SecurityError(f"a power of {right} is too large to compute")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and \
                        len(sequence) * times > MAX_BUILT_LENGTH:
                    raise jinja2.sandbox.SecurityError(
                        f"repeating {len(sequence):,} items {times:,} times would build more "
                        f"than {MAX_BUILT_LENGTH:,}")
        return super().call_binop(context, operator, left, right)


def render_within_time(template: jinja2.Template, context: dict) -> str:
    """template.render(**context), stopped with TemplateTooCostly after TEMPLATE_SECONDS.

    The render runs in this thread (the build's; serve builds in a thread of its own): a
    timer raises the exception in it, between two of the template's Python steps.
    """
    thread = threading.get_ident()
    lock, state = threading.Lock(), {"done": False}

    def stop() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                                           ctypes.py_object(TemplateTooCostly))

    timer = threading.Timer(TEMPLATE_SECONDS, stop)
    timer.daemon = True
    timer.start()
    try:
        page = template.render(**context)
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
    return with_policy(page)


def with_policy(page: str) -> str:
    """The page with the policy before anything that could run: kept where the template
    wrote it first, else put right after the doctype."""
    at = page.find(POLICY_META)
    script = _SCRIPT.search(page)
    if at >= 0 and (script is None or script.start() > at):
        return page
    doctype = _DOCTYPE.match(page)
    where = doctype.end() if doctype else 0
    return page[:where] + POLICY_META + page[where:]
