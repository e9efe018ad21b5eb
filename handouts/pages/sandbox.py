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
import resource
import threading
from contextlib import contextmanager
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
MAX_PAGE_CHARACTERS = 50_000_000  # one rendered page
TEMPLATE_MEMORY_BYTES = 1024 ** 3  # what the process may grow by while a template renders
PLAIN_TYPES = (str, int, float, bool, type(None), list, tuple, dict, set, frozenset,
               datetime.date, Markup)
# A tag's attributes, each value quoted in full: an unclosed quote would swallow what follows.
_ATTRIBUTES = r"""(?:\s+[^\s"'<>=/]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*"""
_PAGE_START = re.compile(rf"\s*<!doctype html>\s*<html{_ATTRIBUTES}>\s*<head{_ATTRIBUTES}>\s*"
                         r"""(?:<meta charset=(["']?)utf-8\1\s*/?>\s*)?""", re.IGNORECASE)


class TemplateTooCostly(Exception):
    """A template ran past TEMPLATE_SECONDS."""


class PageWithoutHead(Exception):
    """A page that does not begin with a doctype, <html> and <head>: no place for the policy."""


class TemplateSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options):
        super().__init__(finalize=_printable, **options)

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


def _printable(value):
    """What ``{{ … }}`` may print: text, numbers and dates; an object would print its
    insides (a settings object its file's path on the builder's machine)."""
    if value is None or isinstance(value, (str, int, float, datetime.date, jinja2.Undefined)):
        return value
    raise jinja2.sandbox.SecurityError(f"a template may print only text, numbers and dates, "
                                       f"not a {type(value).__name__}")


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
        with _memory_limited():
            page = template.render(**context)
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
    if len(page) > MAX_PAGE_CHARACTERS:
        raise jinja2.sandbox.SecurityError(f"the page is {len(page):,} characters long, more "
                                           f"than the {MAX_PAGE_CHARACTERS:,} a page may have")
    return with_policy(page)


@contextmanager
def _memory_limited():
    """While a template renders, this process may grow by at most TEMPLATE_MEMORY_BYTES: a
    template that builds a huge text gets a MemoryError (told as a content error)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            used = next(int(line.split()[1]) * 1024 for line in status
                        if line.startswith("VmSize:"))
    except (OSError, StopIteration):  # not Linux: no measure, no limit
        yield
        return
    limit = used + TEMPLATE_MEMORY_BYTES
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already limited more tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY
                                            else min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def with_policy(page: str) -> str:
    """The page with the policy first in its head, before anything that could run.

    Found by the page's very beginning (a doctype, <html>, <head>, and its charset), which
    no comment or script can stand before; the built-in templates already write it there.
    A second policy a template writes can only narrow this one, never widen it.
    """
    start = _PAGE_START.match(page)
    if start is None:
        raise PageWithoutHead
    if page.startswith(POLICY_META, start.end()):
        return page
    return page[:start.end()] + POLICY_META + "\n" + page[start.end():]


def has_policy(page: str) -> bool:
    """Whether the page begins as with_policy leaves it: its policy first in its head."""
    start = _PAGE_START.match(page)
    return start is not None and page.startswith(POLICY_META, start.end())
