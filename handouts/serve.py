"""The serve command: dist/ on 127.0.0.1, rebuilt when a source changes, pages reloaded."""

from __future__ import annotations

import html
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildFailed, ContentError, Diagnostics
from .progress import PlainProgress
from .project import Project

EVENTS_PATH = "/_handouts/events"
RELOAD_SCRIPT = (
    "<script>/* Handouts serve: reload when the build changes */"
    f"new EventSource('{EVENTS_PATH}').onmessage = function () {{ location.reload(); }};"
    "</script>")
WATCHED = ("content", "templates", "styles", "handouts.toml")


class BuildState:
    """The outcome of the latest build, and a generation number that pages wait on."""

    def __init__(self):
        self.generation = 0
        self.errors: list[str] = []
        self.changed = threading.Condition()

    def finished(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
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
                stat = file.stat()
            except FileNotFoundError:  # removed while we looked: the next look sees it
                continue
            entries.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def _editor_file(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith("~")


def rebuild(root: Path, state: BuildState, progress: PlainProgress,
            superseded=lambda: False) -> None:
    """Build; the pages reload as soon as they are written, the PDFs follow. A save made
    while the PDFs render (``superseded``) stops this build, and the watcher starts the next."""
    from .builder import build
    from .parallel import Superseded

    diagnostics = Diagnostics()
    reloaded = []

    def pages_ready() -> None:  # the pages are new: reload them; the PDFs follow
        progress.message("Pages built: reloaded; the PDFs follow.")
        reloaded.append(True)
        state.finished([])

    try:
        build(Project.open(root), progress=progress, diagnostics=diagnostics,
              pages_ready=pages_ready, superseded=superseded)
    except Superseded:
        progress.message("A newer save: its build starts now; the PDFs follow it.")
        return
    except ContentError as error:
        diagnostics.errors.append(error)
    except BuildFailed:
        pass
    messages = [error.format(root) for error in diagnostics.errors]
    for line in [warning.format(root) for warning in diagnostics.warnings] + messages:
        progress.message(line)
    progress.message("Build failed: the last good pages are still served." if messages
                     else "Built: PDFs ready.")
    if messages or not reloaded:  # a page already reloaded for this build is not reloaded again
        state.finished(messages)


def make_handler(dist: Path, state: BuildState):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(dist), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
            pass  # the terminal shows builds, not every request

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS_PATH:
                return self._events()
            target = (dist / path.lstrip("/")).resolve()
            if not target.is_relative_to(dist.resolve()):
                return self.send_error(HTTPStatus.NOT_FOUND, "Not inside dist/")
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._page(target)
            return super().do_GET()

        def _page(self, target: Path) -> None:
            page = target.read_text(encoding="utf-8")
            alert = ""
            if state.errors:
                items = "".join(f"<li>{html.escape(error)}</li>" for error in state.errors)
                alert = ('<div role="alert" class="build-errors" style="border:3px solid #a30000;'
                         'padding:0.5em 1em;margin:0;background:#fff;color:#1a1a1a">'
                         "<p><strong>The last build failed</strong>; this page is the last good "
                         f"one. Fix these and save:</p><ul>{items}</ul></div>")
            page = page.replace("<body>", "<body>" + alert, 1)
            page = page.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            data = page.encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = state.generation
            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(lambda: state.generation != seen, timeout=15)
                    if state.generation != seen:
                        seen = state.generation
                        self.wfile.write(f"data: {seen}\n\n".encode())
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


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
        dist = root / "dist"
        dist.mkdir(parents=True, exist_ok=True)
        # 127.0.0.1 only: a preview is for the author, never for the network.
        self.http = ThreadingHTTPServer(("127.0.0.1", port), make_handler(dist, self.state))
        self.http.daemon_threads = True
        self.threads = [threading.Thread(target=self.http.serve_forever, daemon=True),
                        threading.Thread(target=self._watch, daemon=True)]

    @property
    def url(self) -> str:
        host, port = self.http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "Server":
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
                    self.progress.message("Change seen: rebuilding…")
                    rebuild(self.root, self.state, self.progress,
                            lambda: _changed_since(self.root, started_from))
            except Exception as error:  # noqa: BLE001 (shown, and the server keeps serving)
                message = f"the build stopped on an unexpected error: {error!r}"
                self.progress.message(message)
                self.state.finished([message])

    def stop(self) -> None:
        self.stopping.set()
        self.http.shutdown()
        self.http.server_close()


def serve(root: Path, port: int) -> int:
    server = Server(root, port).start()
    print(f"Serving {server.url} (127.0.0.1 only). Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.stop()
    return 0
