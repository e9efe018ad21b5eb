"""What keeps a page current: the reload script, its event stream, the last build's errors."""

from __future__ import annotations

import html
import re
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

from .state import BuildState

EVENTS_PATH = "/_handouts/events"


def with_reload(page: str, nonce: str, generation: int, errors: list[str]) -> str:
    """``page`` with the errors of a failed build at its top and the reload script at its end."""
    if errors:
        opening = re.search(r"<body\b[^>]*>", page, re.IGNORECASE)
        at = opening.end() if opening else 0
        page = page[:at] + error_alert(errors) + page[at:]
    head, closing, tail = page.rpartition("</body>")
    script = reload_script(nonce, generation)
    return head + script + closing + tail if closing else page + script


def reload_script(nonce: str, generation: int) -> str:
    """The page's one script: reload when a build newer than ``generation`` finishes."""
    # since: the build the page is from; a build finished before the script connects is seen.
    return (f'<script nonce="{nonce}">/* Handouts serve: reload when the build changes */'
            f"new EventSource('{EVENTS_PATH}?since={generation}').onmessage = "
            "function () { location.reload(); };</script>")


def error_alert(errors: list[str]) -> str:
    """The last build's errors, at the top of the page (style= is allowed: style-src has
    'unsafe-inline', which the pages' own <style> needs)."""
    items = "".join(f"<li>{html.escape(error)}</li>" for error in errors)
    return ('<div role="alert" class="build-errors" style="border:3px solid #a30000;'
            'padding:0.5em 1em;margin:0;background:#fff;color:#1a1a1a">'
            "<p><strong>The last build failed</strong>; this page is the last good "
            f"one. Fix these and save:</p><ul>{items}</ul></div>")


def stream_events(handler: BaseHTTPRequestHandler, state: BuildState, query: str,
                  body: bool) -> None:
    """Answer EVENTS_PATH: one event each time a build finishes, until serve stops."""
    since = re.search(r"(?:^|&)since=(\d{1,18})(?:&|$)", query)
    seen = int(since[1]) if since else state.generation
    handler.send_response(HTTPStatus.OK)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Cache-Control", "no-store")
    handler.end_headers()
    if not body:
        return
    handler.wfile.flush()
    while True:
        with state.changed:
            state.changed.wait_for(partial(state.news_since, seen), timeout=15)
        if state.closing:
            return
        if state.generation != seen:
            seen = state.generation
            handler.wfile.write(f"data: {seen}\n\n".encode())
        else:
            handler.wfile.write(b": still here\n\n")  # ignored: finds a tab closed since
        handler.wfile.flush()
