"""`handouts serve`: start a Server, say where, stop it on Ctrl-C; one line for what stops it."""

from __future__ import annotations

import errno
import sys
import time
from pathlib import Path

from ..errors import BuildFailed
from .server import PortUnavailable, Server


def serve(root: Path, port: int) -> int:
    """Serve ``root``'s dist/ on ``port`` until Ctrl-C: 0, or 1 (dist/ refused), 2 (the port)."""
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
    except PortUnavailable as refused:
        other = port + 1 if port < 65535 else 8000
        why = ("is in use, by another serve or another program" if refused.error.errno ==
               errno.EADDRINUSE else f"cannot be opened ({refused.error.strerror})")
        print(f"serve: port {port} {why}: start this one on another, e.g. --port {other} "
              "(--port 0: any free one)", file=sys.stderr)
        return 2
    except OSError as error:  # dist/ that cannot be written, say: one line, not a traceback
        print(f"serve: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
    return 0
