"""A running serve: the HTTP server on 127.0.0.1 and the watcher thread, started and stopped."""

from __future__ import annotations

import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import cast

from ..output import check_output_folders
from ..progress import PlainProgress
from .handler import make_handler
from .rebuild import rebuild
from .state import BuildState
from .watch import source_fingerprint, watch


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    progress: PlainProgress

    def handle_error(self, request: object, client_address: object) -> None:
        """Outside a handler's own answer (a client gone while its request was read): one
        line, never the standard library's traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            self.progress.message(f"serve: a request failed: {error!r}")


# Seconds between two looks for a save: half of it is, on average, added to the time from a
# save to the reloaded page; a look at a project of 20 handouts takes about 0.35 ms.
WATCH_INTERVAL = 0.05


class PortUnavailable(Exception):
    """serve cannot listen on the port it was given."""

    def __init__(self, port: int, error: OSError) -> None:
        super().__init__(port, error)
        self.port, self.error = port, error


class Server:
    """A running serve: the HTTP server and the watcher, both stopped by stop()."""

    def __init__(self, root: Path, port: int = 8000, progress: PlainProgress | None = None,
                 interval: float = WATCH_INTERVAL) -> None:
        self.root = root
        self.progress = progress or PlainProgress()
        self.state = BuildState()
        self.interval = interval
        self.stopping = threading.Event()
        check_output_folders(root)  # raises BuildFailed for a dist/ that is a link or a file
        dist = root / "dist"
        dist.mkdir(exist_ok=True)
        # 127.0.0.1 only: a preview is for the author, never for the network.
        try:
            self.http = _HTTPServer(("127.0.0.1", port),
                                    make_handler(dist, self.state, self.progress))
        except OSError as error:  # taken, or a port only the system may open (below 1024)
            raise PortUnavailable(port, error) from None
        self.http.progress = self.progress
        self.threads = [threading.Thread(target=self.http.serve_forever, daemon=True),
                        threading.Thread(target=self._watch, daemon=True)]

    @property
    def url(self) -> str:
        # typeshed allows any socket address; this one is an IP one, (host, port)
        host, port = cast("tuple[str, int]", self.http.server_address)[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Server:
        # Taken before the first build: a save during it, or right after, is still seen.
        self.fingerprint = source_fingerprint(self.root)
        rebuild(self.root, self.state, self.progress)
        for thread in self.threads:
            thread.start()
        return self

    def _watch(self) -> None:
        watch(self.root, self.state, self.progress, self.fingerprint, self.stopping,
              self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.state.close()
        self.http.shutdown()
        self.http.server_close()
