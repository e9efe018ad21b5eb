"""Run a build under an audit hook: print every file opened, written, renamed or removed, and
every network socket used, as JSON; the PDF workers' too.

Each process of the build (this one, and every PDF worker, which imports this file as its
main module) writes what it does, one JSON line an event, to a file of its own in
HANDOUTS_AUDIT_DIR; this process gathers them when the build is over.
"""

import json
import os
import socket
import sys
from pathlib import Path

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_log = open(Path(os.environ["HANDOUTS_AUDIT_DIR"]) / f"{os.getpid()}.jsonl", "a",  # noqa: SIM115
            buffering=1, encoding="utf-8")


def _text(value):
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value if isinstance(value, str) else os.fspath(value) if isinstance(
        value, os.PathLike) else None


def _record(kind, *paths):
    _log.write(json.dumps([kind, *paths]) + "\n")


def hook(event, args):
    if event == "open" and args:
        path = _text(args[0])
        if path is None:
            return
        mode, flags = (args[1] if len(args) > 1 else None), (args[2] if len(args) > 2 else 0)
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        _record("write" if writes else "read", path)
    elif event in ("os.rename", "os.remove", "os.rmdir", "shutil.rmtree", "os.mkdir",
                   "os.truncate", "os.symlink", "os.link", "os.chmod"):
        if event in ("os.remove", "os.rmdir") and args[1] is not None:
            return  # a name inside a folder shutil.rmtree removes: its own event names it
        paths = [_text(arg) for arg in args[:2]]
        _record(event, *[path for path in paths if isinstance(path, str)])
    elif event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family != socket.AF_UNIX:  # the PDF workers' own channel to their server
            _record("socket", str(family))
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"):
        address = args[1] if len(args) > 1 else args[0]
        if not isinstance(address, (str, bytes)) or event == "socket.getaddrinfo":
            _record("socket", repr(address))


sys.addaudithook(hook)

from handouts.cli import main  # noqa: E402  (after the hook, so imports are seen too)

if __name__ == "__main__":
    status = main(sys.argv[1:])
    events = []
    for path in sorted(Path(os.environ["HANDOUTS_AUDIT_DIR"]).glob("*.jsonl")):
        events += [json.loads(line) for line in path.read_text().splitlines() if line]
    print(json.dumps({
        "status": status,
        "opened": sorted({event[1] for event in events if event[0] == "read"}),
        "written": sorted({tuple(event) for event in events
                           if event[0] not in ("read", "socket")}),
        "sockets": [event[1] for event in events if event[0] == "socket"]}))
