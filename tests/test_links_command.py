"""links: every external link checked against a server on 127.0.0.1 started by the test."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from testing_utils import handout, make_project, run_cli


class Site(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass

    def _answer(self, body: bool):
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
        elif self.path == "/only-get" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
        elif self.path in ("/ok", "/only-get"):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")
        else:
            self.send_response(404)
            self.end_headers()

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_broken_links_are_listed_with_file_and_line(tmp_path, site):
    body = (f"## Links\n\n[Works]({site}/ok), [moved]({site}/moved),\n"
            f"[get only]({site}/only-get) and [gone]({site}/gone).\n\n"
            f"[Gone again]({site}/gone).\n")
    make_project(tmp_path, {"content/a.md": handout("Links", body)})
    result = run_cli("--project", tmp_path, "links", "--jobs", "2", "--timeout", "5")
    assert result.status == 1
    assert result.out.splitlines() == [
        f"content/a.md:6: warning: {site}/moved redirects to {site}/ok; link to the new address",
        f"content/a.md:7: broken link {site}/gone (404 Not Found)",
        f"content/a.md:9: broken link {site}/gone (404 Not Found)",
        "Checked 4 link(s): 1 broken, 1 redirected.",
    ]


def test_all_good_links_exit_0(tmp_path, site):
    make_project(tmp_path, {"content/a.md": handout("Links", f"[Works]({site}/ok).\n")})
    result = run_cli("--project", tmp_path, "links")
    assert result.status == 0
    assert result.out == "Checked 1 link(s): 0 broken, 0 redirected.\n"


def test_an_unreachable_server_is_a_broken_link(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Links", "[Nobody](http://127.0.0.1:9/x).\n")})
    result = run_cli("--project", tmp_path, "links", "--timeout", "2")
    assert result.status == 1
    assert result.out.splitlines()[0].startswith("content/a.md:4: broken link http://127.0.0.1:9/x (")
