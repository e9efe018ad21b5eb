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

Where each part is: command.py (the command), server.py (the HTTP server and the watcher
thread), handler.py (one request: Host check, headers, answers), paths.py (from a request's
path to a file, never outside dist/), policy.py (the Content-Security-Policy and its nonce),
reload.py (the reload script, its event stream, the error alert), watch.py (what counts as a
save), rebuild.py (one build, previewed, then published), state.py (what they share).
"""

from .command import serve
from .policy import CSP
from .rebuild import BUILT, FAILED, PREVIEWING, SUPERSEDED
from .reload import EVENTS_PATH
from .server import Server
from .state import Preview
from .watch import CHANGE_SEEN, source_fingerprint

__all__ = ["BUILT", "CHANGE_SEEN", "CSP", "EVENTS_PATH", "FAILED", "PREVIEWING", "SUPERSEDED",
           "Preview", "Server", "serve", "source_fingerprint"]
