"""Run a build under an audit hook: print every file opened and every socket used, as JSON."""

import json
import sys

opened, sockets = set(), []


def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode() if isinstance(args[0], bytes) else args[0]
        opened.add(path)
    elif event.startswith("socket."):
        sockets.append(event)


sys.addaudithook(hook)

from handouts.cli import main  # noqa: E402  (after the hook, so imports are seen too)

status = main(sys.argv[1:])
print(json.dumps({"status": status, "opened": sorted(opened), "sockets": sockets}))
