"""The serve command: dist/ on 127.0.0.1, rebuilt when a source changes, pages reloaded.

What it answers, and how (docs/safety.md):
- only requests whose Host is 127.0.0.1, localhost or [::1] with its own port; anything
  else, a missing Host too, is 421 Misdirected Request (a DNS rebinding page cannot read it);
- only files whose real path, symbolic links followed and index.html added to a folder, is
  inside dist/ (or inside the staging folder of the build it previews); hidden names
  (.staging-*, the lock, the cache manifest) are not served; a path that cannot name a file
  (%00, invalid percent-encoding, a name over 255 bytes) is 400;
- every response carries the pages' Content-Security-Policy and X-Content-Type-Options:
  nosniff; a page gets its policy with one per-response nonce, the only script allowed: the
  reload script serve adds.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import re
import secrets
import shutil
import stat
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote_to_bytes

from .errors import BuildFailed, ContentError, Diagnostics
from .output import check_output_folders
from .progress import PlainProgress
from .project import Project
from .template_sandbox import CONTENT_SECURITY_POLICY

EVENTS_PATH = "/_handouts/events"
# The pages' own policy (templates/base.html and packet-print.html carry it as a meta
# element): the header of every response, and, with a nonce for serve's script, of each page.
CSP = CONTENT_SECURITY_POLICY
WATCHED = ("content", "templates", "styles", "handouts.toml")
NAME_MAX = 255  # bytes in one file name
PATH_MAX = 4096  # bytes in a whole path
BUILT = "Built: PDFs ready."
FAILED = "Build failed: serving the last good build from dist/ (your latest save is not shown)."
PREVIEWING = ("Pages built: reloaded, shown from the build's staging folder; dist/ is "
              "updated when the PDFs are ready.")
SUPERSEDED = "A newer save: its build starts now; the PDFs follow it."
CHANGE_SEEN = "Change seen: rebuilding…"

_CSP_META = re.compile(r"<meta\s[^>]*http-equiv\s*=\s*[\"']?content-security-policy\b[^>]*>",
                       re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class Preview(NamedTuple):
    """A build's staging folder while its PDFs render: the files staged with its pages."""
    root: str  # its real path
    files: frozenset  # paths relative to root, as staged when the pages were ready


class BuildState:
    """The outcome of the latest build, a generation number that pages wait on, and the
    staging folder previewed while a build renders its PDFs."""

    def __init__(self):
        self.generation = 0
        self.errors: list[str] = []
        self.preview: Preview | None = None
        self.closing = False
        self.changed = threading.Condition()

    def finished(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()

    def preview_from(self, staging_root: Path) -> None:
        """Serve the files now in ``staging_root`` (the pages, _static/, assets/) before dist/'s."""
        root = os.path.realpath(staging_root)
        files = set()
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    if stat.S_ISREG(os.lstat(path).st_mode):  # never a link the build did not make
                        files.add(os.path.relpath(path, root))
                except OSError:
                    continue
        self.preview = Preview(root, frozenset(files))

    def end_preview(self) -> None:
        self.preview = None

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


def source_fingerprint(root: Path) -> tuple:
    """Every watched file with its modification time and size: changes when any of them do.

    Editors' swap and backup files (".a.md.swp", "a.md~") are left out: no build reads them,
    and a swap file rewritten as the author types must not count as a save.
    """
    entries = []
    for name in WATCHED:
        path = root / name
        try:
            files = [path] if path.is_file() else sorted(
                p for p in path.rglob("*") if p.is_file() and not _editor_file(p))
        except FileNotFoundError:  # a folder removed as we looked: the next look sees it
            files = []
        for file in files:
            try:
                stat_result = file.stat()
            except FileNotFoundError:  # removed while we looked: the next look sees it
                continue
            entries.append((str(file), stat_result.st_mtime_ns, stat_result.st_size))
    return tuple(entries)


def _editor_file(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith("~")


def rebuild(root: Path, state: BuildState, progress: PlainProgress,
            superseded=lambda: False) -> None:
    """Build. The pages reload as soon as they are staged, shown from the build's staging
    folder while the PDFs render; dist/ changes only when the whole build succeeds. A failed
    build, or one a save made while the PDFs render stops (``superseded``: the watcher starts
    the next), leaves dist/ as it was, and serve goes back to it."""
    from .builder import build
    from .parallel import Superseded

    diagnostics = Diagnostics()
    reloaded = []

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


class BadPath(ValueError):
    """A request path that cannot name a file: answered 400."""


def request_path(target: str) -> tuple[list[str], str]:
    """The decoded names in a request's path, and its query. Raises BadPath."""
    if not target.startswith("/") or not target.isascii():
        raise BadPath("the path must start with / and be percent-encoded")
    raw, _, query = target.partition("#")[0].partition("?")
    if _BAD_PERCENT.search(raw):
        raise BadPath("invalid percent-encoding")
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise BadPath("the path is not UTF-8") from None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in path):
        raise BadPath("a control character (such as %00) in the path")
    if len(path.encode()) > PATH_MAX:
        raise BadPath("the path is too long")
    names = [name for name in path.split("/") if name]
    if any(len(name.encode()) > NAME_MAX for name in names):
        raise BadPath("a name in the path is too long")
    return names, query


def _inside(base: str, real: str) -> bool:
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _find(base: str, names: list[str]) -> str | None:
    """The real path of the file ``names`` leads to from ``base`` (a real path), index.html
    for a folder, if it is a regular file inside ``base``; else None."""
    if any(name.startswith(".") for name in names):  # "..", and hidden files: never served
        return None
    real = os.path.realpath(os.path.join(base, *names))
    if os.path.isdir(real):
        real = os.path.realpath(os.path.join(real, "index.html"))
    if not _inside(base, real) or not os.path.isfile(real):
        return None
    return real


def _open(real: str):
    """The file at ``real``, opened for reading if it is still a regular file; else None."""
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise BadPath("a name in the path is too long") from None
        return None  # removed, replaced by a link, unreadable: not found
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


class Found(NamedTuple):
    file: object  # open, binary
    path: str  # its real path
    relative: str  # its path in dist/ (or in the staging folder)


def locate(dist: Path, preview: Preview | None, names: list[str]) -> Found | None:
    """The file a request names: the previewed staging folder's if it staged it (and it is
    still there), else dist/'s. Raises BadPath."""
    if preview is not None:
        real = _find(preview.root, names)
        if real is not None:
            relative = os.path.relpath(real, preview.root)
            if relative in preview.files:
                file = _open(real)
                if file is not None:
                    return Found(file, real, relative)
        # Not staged, or deleted (a failed or superseded build) or published since: dist/'s.
    if os.path.islink(dist):  # made a link since serve started: never followed
        return None
    base = os.path.realpath(dist)
    real = _find(base, names)
    if real is None:
        return None
    file = _open(real)
    return Found(file, real, os.path.relpath(real, base)) if file is not None else None


def page_policy(page: str, nonce: str) -> tuple[str, str]:
    """The page with each Content-Security-Policy meta element allowing the script of
    ``nonce``, and the policy for its header (its first meta element's, else CSP)."""
    policies = []

    def rewrite(match: re.Match) -> str:
        content = _CONTENT.search(match[0])
        policy = with_nonce(html.unescape(content[1] if content[1] is not None else content[2])
                            if content else CSP, nonce)
        policies.append(policy)
        written = html.escape(policy, quote=False).replace('"', "&quot;")  # 'self' kept as is
        return f'<meta http-equiv="Content-Security-Policy" content="{written}">'

    page = _CSP_META.sub(rewrite, page)
    return page, policies[0] if policies else with_nonce(CSP, nonce)


def with_nonce(policy: str, nonce: str) -> str:
    """``policy`` with its script-src (and script-src-elem) allowing only ``nonce``'s script."""
    directives = [directive.strip() for directive in policy.split(";") if directive.strip()]
    allowed = f"'nonce-{nonce}'"
    names = [directive.split()[0].lower() for directive in directives]
    if "script-src" not in names:
        directives.append("script-src")
        names.append("script-src")
    return "; ".join(f"{name} {allowed}" if name in ("script-src", "script-src-elem")
                     else directive for name, directive in zip(names, directives))


def reload_script(nonce: str, generation: int) -> str:
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


def make_handler(dist: Path, state: BuildState, progress: PlainProgress | None = None):
    progress = progress or PlainProgress()

    class Handler(BaseHTTPRequestHandler):
        server_version = "Handouts"
        sys_version = ""
        policy = CSP
        responded = False

        def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
            pass  # the terminal shows builds, not every request

        def send_response(self, code, message=None):
            self.responded = True
            super().send_response(code, message)

        def end_headers(self):  # every response, errors too
            self.send_header("Content-Security-Policy", self.policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def do_GET(self):
            self._answer(body=True)

        def do_HEAD(self):
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            self.policy = CSP
            try:
                self._route(body)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True  # the browser went away
            except Exception as error:  # noqa: BLE001 (one line on the terminal, never a traceback)
                self.close_connection = True
                progress.message(f"serve: could not answer {self.command} "
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
                    return self._events(query, body)
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
            port = self.server.server_address[1]
            return len(hosts) == 1 and hosts[0].strip().lower() in (
                f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}")

        def _plain(self, status: HTTPStatus, text: str, body: bool) -> None:
            data = (text + "\n").encode("utf-8")
            self._send(status, "text/plain; charset=utf-8", len(data),
                       lambda: self.wfile.write(data), body)

        def _send(self, status: HTTPStatus, kind: str, length: int, write, body: bool) -> None:
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

        def _page(self, file, generation: int, body: bool) -> None:
            nonce = secrets.token_urlsafe(18)
            page, self.policy = page_policy(file.read().decode("utf-8", "replace"), nonce)
            errors = state.errors
            if errors:
                opening = re.search(r"<body\b[^>]*>", page, re.IGNORECASE)
                at = opening.end() if opening else 0
                page = page[:at] + error_alert(errors) + page[at:]
            head, closing, tail = page.rpartition("</body>")
            script = reload_script(nonce, generation)
            page = head + script + closing + tail if closing else page + script
            data = page.encode("utf-8")
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", len(data),
                       lambda: self.wfile.write(data), body)

        def _events(self, query: str, body: bool) -> None:
            since = re.search(r"(?:^|&)since=(\d{1,18})(?:&|$)", query)
            seen = int(since[1]) if since else state.generation
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not body:
                return
            self.wfile.flush()
            while True:
                with state.changed:
                    state.changed.wait_for(
                        lambda seen=seen: state.generation != seen or state.closing,
                        timeout=15)
                if state.closing:
                    return
                if state.generation != seen:
                    seen = state.generation
                    self.wfile.write(f"data: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()

    return Handler


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    progress: PlainProgress

    def handle_error(self, request, client_address):
        """Outside a handler's own answer (a client gone while its request was read): one
        line, never the standard library's traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            self.progress.message(f"serve: a request failed: {error!r}")


def _changed_since(root: Path, fingerprint: tuple) -> bool:
    try:
        return source_fingerprint(root) != fingerprint
    except OSError:  # a file an editor is replacing: a save is under way
        return True


class Server:
    """A running serve: the HTTP server and the watcher, both stopped by stop()."""

    def __init__(self, root: Path, port: int = 8000, progress: PlainProgress | None = None,
                 interval: float = 0.1):
        self.root = root
        self.progress = progress or PlainProgress()
        self.state = BuildState()
        self.interval = interval
        self.stopping = threading.Event()
        check_output_folders(root)  # raises BuildFailed for a dist/ that is a link or a file
        dist = root / "dist"
        dist.mkdir(exist_ok=True)
        # 127.0.0.1 only: a preview is for the author, never for the network.
        self.http = _HTTPServer(("127.0.0.1", port),
                                make_handler(dist, self.state, self.progress))
        self.http.progress = self.progress
        self.threads = [threading.Thread(target=self.http.serve_forever, daemon=True),
                        threading.Thread(target=self._watch, daemon=True)]

    @property
    def url(self) -> str:
        host, port = self.http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Server:
        # Taken before the first build: a save during it, or right after, is still seen.
        self.fingerprint = source_fingerprint(self.root)
        rebuild(self.root, self.state, self.progress)
        for thread in self.threads:
            thread.start()
        return self

    def _watch(self) -> None:
        fingerprint = self.fingerprint
        while not self.stopping.wait(self.interval):
            try:
                current = source_fingerprint(self.root)
                if current != fingerprint:
                    fingerprint = started_from = current
                    self.progress.message(CHANGE_SEEN)
                    rebuild(self.root, self.state, self.progress,
                            lambda since=started_from: _changed_since(self.root, since))
            except Exception as error:  # noqa: BLE001 (shown, and the server keeps serving)
                message = f"the build stopped on an unexpected error: {error!r}"
                self.progress.message(message)
                self.progress.message(FAILED)
                self.state.finished([message])

    def stop(self) -> None:
        self.stopping.set()
        self.state.close()
        self.http.shutdown()
        self.http.server_close()


def serve(root: Path, port: int) -> int:
    server = None
    try:  # Ctrl-C at any moment, even right after "Serving", stops it cleanly
        server = Server(root, port).start()
        print(f"Serving {server.url} (127.0.0.1 only). Press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.")
    except BuildFailed as failed:  # dist/ or the build cache is a link: nothing is served
        for error in failed.errors:
            print(error.format(root), file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"serve: port {port} is in use, by another serve or another program: start "
              f"this one on another, e.g. --port {port + 1}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
    return 0
