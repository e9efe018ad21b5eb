"""One request to serve: its Host checked, its file found, its answer with the safety headers."""

from __future__ import annotations

import mimetypes
import os
import secrets
import shutil
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import BinaryIO, cast

from ..progress import PlainProgress
from .paths import BadPath, Found, locate, request_path
from .policy import CSP, page_policy
from .reload import EVENTS_PATH, stream_events, with_reload
from .state import BuildState


def make_handler(dist: Path, state: BuildState,
                 progress: PlainProgress | None = None) -> type[BaseHTTPRequestHandler]:
    """The request handler class for serving ``dist`` (or the build ``state`` previews)."""
    terminal = progress or PlainProgress()

    class Handler(BaseHTTPRequestHandler):
        server_version = "Handouts"
        sys_version = ""
        policy = CSP
        responded = False

        # "format" shadows a builtin, but it is the standard library's name for it
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows builds, not every request

        def send_response(self, code: int, message: str | None = None) -> None:
            self.responded = True
            super().send_response(code, message)

        def end_headers(self) -> None:  # every response, errors too
            self.send_header("Content-Security-Policy", self.policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            self.policy = CSP
            try:
                self._route(body)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True  # the browser went away
            except Exception as error:  # noqa: BLE001 (one line on the terminal, never a traceback)
                self.close_connection = True
                terminal.message(f"serve: could not answer {self.command} "
                                 f"{self.path[:200]!r}: {error!r}")
                if not self.responded:
                    try:
                        self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error", body)
                    except OSError:
                        pass

        def _route(self, body: bool) -> None:
            if not self._host_is_ours():
                return self._plain(HTTPStatus.MISDIRECTED_REQUEST,
                                   "Misdirected Request: this server answers only to "
                                   "127.0.0.1, localhost or [::1] with its own port", body)
            try:
                names, query = request_path(self.path)
                if "/" + "/".join(names) == EVENTS_PATH:
                    return stream_events(self, state, query, body)
                generation = state.generation  # taken first: the page is this build's or newer
                found = locate(dist, state.preview, names)
            except BadPath as error:
                return self._plain(HTTPStatus.BAD_REQUEST, f"Bad Request: {error}", body)
            if found is None:
                return self._plain(HTTPStatus.NOT_FOUND, "Not Found", body)
            with found.file:
                if found.path.endswith(".html") and not found.relative.startswith(
                        "assets" + os.sep):
                    return self._page(found.file, generation, body)
                return self._file(found, body)

        def _host_is_ours(self) -> bool:
            hosts = self.headers.get_all("Host") or []
            # typeshed allows any socket address; serve's is an IP one, (host, port, ...)
            port = cast("tuple[str, int]", self.server.server_address)[1]
            return len(hosts) == 1 and hosts[0].strip().lower() in (
                f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}")

        def _plain(self, status: HTTPStatus, text: str, body: bool) -> None:
            data = (text + "\n").encode("utf-8")
            self._send(status, "text/plain; charset=utf-8", len(data),
                       lambda: self.wfile.write(data), body)

        def _send(self, status: HTTPStatus, kind: str, length: int,
                  write: Callable[[], object], body: bool) -> None:
            """The headers every answer has, then (unless HEAD) its body, by ``write``."""
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                write()

        def _file(self, found: Found, body: bool) -> None:
            kind = mimetypes.guess_type(found.path)[0] or "application/octet-stream"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            self._send(HTTPStatus.OK, kind, os.fstat(found.file.fileno()).st_size,
                       lambda: shutil.copyfileobj(found.file, self.wfile), body)

        def _page(self, file: BinaryIO, generation: int, body: bool) -> None:
            nonce = secrets.token_urlsafe(18)
            page, self.policy = page_policy(file.read().decode("utf-8", "replace"), nonce)
            data = with_reload(page, nonce, generation, state.errors).encode("utf-8")
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", len(data),
                       lambda: self.wfile.write(data), body)

    return Handler
