"""links: every external link checked against a server on 127.0.0.1 started by the test."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from testing_utils import handout, make_project, run_cli, serving

from handouts import linkcheck


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


@pytest.fixture(autouse=True)
def local_servers_allowed(monkeypatch):
    """The tests' servers are on 127.0.0.1, which links refuses to ask otherwise."""
    monkeypatch.setattr(linkcheck, "LOCAL_ADDRESSES_ALLOWED", True)


@pytest.fixture
def site():
    with serving(Site) as address:
        yield address


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


def test_offline_says_so_once_instead_of_every_link_broken(tmp_path, monkeypatch):
    def no_network(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    make_project(tmp_path, {"content/a.md": handout(
        "Links", "[One](https://one.example.org/a) and [two](https://two.example.org/b).\n")})
    result = run_cli("--project", tmp_path, "links")
    assert result.status == linkcheck.OFFLINE_STATUS == 3
    assert result.out == (
        "links: cannot reach the network: no server's name could be looked up, not even "
        "example.com (Name or service not known). None of the 2 link(s) was checked; connect "
        "this machine and run links again.\n")


def test_a_name_nobody_has_is_a_broken_link_when_online(tmp_path, monkeypatch):
    real_lookup = socket.getaddrinfo

    def only_some_names(host, *args, **kwargs):
        if host == "nobody.example.org":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if host == "example.com":  # the network is there
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 443))]
        return real_lookup(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", only_some_names)
    make_project(tmp_path, {"content/a.md": handout(
        "Links", "[Nobody](https://nobody.example.org/a).\n")})
    result = run_cli("--project", tmp_path, "links")
    assert result.status == 1
    assert result.out.splitlines() == [
        "content/a.md:4: broken link https://nobody.example.org/a (Name or service not known)",
        "Checked 1 link(s): 1 broken, 0 redirected."]


# The hostile-project corpus: servers that loop, trickle, never stop or answer garbage. Each is
# a broken link with its reason (or, for an endless body, a working one), never a hang or a
# traceback, and the rest of the report still runs.

class Hostile(BaseHTTPRequestHandler):
    """Each path a way for a server to misbehave."""

    endless_body_ended = threading.Event()
    endless_body_client_hung_up = False

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _raw(self, data: bytes):
        self.wfile.write(data)
        self.close_connection = True

    def _redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle(self, data: bytes):
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass  # the checker gave up, as it should
        self.close_connection = True

    def _endless_body(self):
        sent, cls = 0, type(self)
        try:
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            while sent < 64 * 1024 * 1024:  # so that a checker that never stops fails, not hangs
                self.wfile.write(b"x" * 65536)
                sent += 65536
        except OSError:
            cls.endless_body_client_hung_up = True
        finally:
            cls.endless_body_ended.set()
            self.close_connection = True

    def _answer(self):
        path, get = self.path, self.command == "GET"
        if path == "/ok":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path in ("/loop-a", "/loop-b"):
            self._redirect("/loop-b" if path == "/loop-a" else "/loop-a")
        elif path.startswith("/chain/"):
            left = int(path.removeprefix("/chain/"))  # redirects before an answer
            if left:
                self._redirect(str(left - 1))  # a relative Location
            else:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
        elif path.startswith("/to/"):
            self._redirect({"file": "file:///etc/passwd", "ftp": "ftp://127.0.0.1/x",
                            "data": "data:text/plain,hello",
                            "bad": "http://[::1/"}[path.removeprefix("/to/")])
        elif path in ("/trickle-body", "/endless-body", "/cut-short") and not get:
            self.send_response(405)  # so that the checker asks again with GET
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/trickle-head":
            self._trickle(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
        elif path == "/trickle-body":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 40\r\n\r\n")
            self._trickle(b"x" * 40)
        elif path == "/endless-body":
            self._endless_body()
        elif path == "/endless-header":
            try:
                self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Endless: ")
                for _ in range(1024):  # 64 MiB at most
                    self.wfile.write(b"a" * 65536)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/endless-continue":
            try:
                for _ in range(100_000):
                    self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n" * 100)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/garbage":
            self._raw(b"HELLO\r\n\r\n")
        elif path == "/hang-up":
            self.close_connection = True
        elif path == "/cut-short":
            self._raw(b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        elif path == "/bad-status":
            self._raw(b"HTTP/1.1 99999 Nope\r\n\r\n")
        elif path == "/many-headers":
            self._raw(b"HTTP/1.0 200 OK\r\n" + b"X-A: b\r\n" * 101 + b"\r\n")
        elif path == "/escape":
            self._raw(b"HTTP/1.0 404 \x1b[2J\x1b[31mGone\r\nContent-Length: 0\r\n\r\n")
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    do_HEAD = do_GET = _answer


@pytest.fixture
def hostile():
    with serving(Hostile) as address:
        yield address


def check_one(root, address: str, *options: str):
    """Run links on a project whose one handout links ``address`` (on its line 4)."""
    make_project(root, {"content/a.md": handout("Links", f"[There]({address}).\n")})
    result = run_cli("--project", root, "links", "--timeout", "5", *options)
    assert "Traceback" not in result.out + result.err
    assert result.err == ""
    return result


def assert_the_one_link_is_broken(root, address: str, reason: str) -> None:
    result = check_one(root, address)
    assert result.status == 1
    assert result.out.splitlines() == [
        f"content/a.md:4: broken link {address} ({reason})",
        "Checked 1 link(s): 1 broken, 0 redirected.",
    ]


@pytest.mark.parametrize(("path", "reason"), [
    ("/loop-a", "redirect loop"),
    ("/chain/6", "more than 5 redirects"),
    ("/to/file", "redirects to file:///etc/passwd, which is not http(s)"),
    ("/to/ftp", "redirects to ftp://127.0.0.1/x, which is not http(s)"),
    ("/to/data", "redirects to data:text/plain,hello, which is not http(s)"),
    ("/to/bad", "malformed address or header (Invalid IPv6 URL)"),
], ids=["redirect-loop", "six-redirects", "redirect-to-file", "redirect-to-ftp",
        "redirect-to-data", "redirect-to-malformed-address"])
def test_a_bad_redirect_is_a_broken_link(tmp_path, hostile, path, reason):
    assert_the_one_link_is_broken(tmp_path, hostile + path, reason)


def test_five_redirects_are_followed(tmp_path, hostile):
    result = check_one(tmp_path, hostile + "/chain/5")
    assert result.status == 0
    assert result.out.splitlines() == [
        f"content/a.md:4: warning: {hostile}/chain/5 redirects to {hostile}/chain/0; "
        "link to the new address",
        "Checked 1 link(s): 0 broken, 1 redirected.",
    ]


def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path, hostile, monkeypatch):
    monkeypatch.setattr(linkcheck, "DEADLINE", 1.0)
    body = f"[Head]({hostile}/trickle-head), [body]({hostile}/trickle-body), [ok]({hostile}/ok).\n"
    make_project(tmp_path, {"content/a.md": handout("Links", body)})
    started = time.monotonic()
    result = run_cli("--project", tmp_path, "links", "--jobs", "3", "--timeout", "5")
    assert time.monotonic() - started < 30  # the servers would take minutes
    assert "Traceback" not in result.out + result.err
    assert result.status == 1
    assert result.out.splitlines() == [
        f"content/a.md:4: broken link {hostile}/trickle-head (no complete answer within 1 s)",
        f"content/a.md:4: broken link {hostile}/trickle-body (no complete answer within 1 s)",
        "Checked 3 link(s): 2 broken, 0 redirected.",
    ]


def test_an_endless_body_is_not_read_to_its_end(tmp_path, hostile):
    Hostile.endless_body_ended.clear()
    Hostile.endless_body_client_hung_up = False
    result = check_one(tmp_path, hostile + "/endless-body")
    assert result.status == 0
    assert result.out == "Checked 1 link(s): 0 broken, 0 redirected.\n"
    # The checker hung up long before the server's 64 MiB (its limit is 64 KiB).
    assert Hostile.endless_body_ended.wait(30)
    assert Hostile.endless_body_client_hung_up


@pytest.mark.parametrize("path", ["/endless-header", "/endless-continue"])
def test_endless_headers_are_a_broken_link(tmp_path, hostile, path):
    result = check_one(tmp_path, hostile + path)
    assert result.status == 1
    assert result.out.splitlines() == [
        f"content/a.md:4: broken link {hostile}{path} (headers longer than 64 KiB)",
        "Checked 1 link(s): 1 broken, 0 redirected.",
    ]


@pytest.mark.parametrize(("path", "reason"), [
    ("/garbage", "not an HTTP answer: 'HELLO'"),
    ("/hang-up", "the server closed the connection without answering"),
    ("/cut-short", "the answer was cut short"),
    ("/bad-status", "not an HTTP answer: 'HTTP/1.1 99999 Nope'"),
    ("/many-headers", "malformed answer (got more than 100 headers)"),
    ("/escape", "404 \\x1b[2J\\x1b[31mGone"),
])
def test_a_malformed_answer_is_a_broken_link(tmp_path, hostile, path, reason):
    assert_the_one_link_is_broken(tmp_path, hostile + path, reason)


def test_one_hostile_server_does_not_stop_the_report(tmp_path, hostile, site):
    body = (f"[Garbage]({hostile}/garbage),\n[loop]({hostile}/loop-a),\n"
            f"[gone]({site}/gone) and\n[fine]({site}/ok).\n")
    make_project(tmp_path, {"content/a.md": handout("Links", body)})
    result = run_cli("--project", tmp_path, "links", "--timeout", "5")
    assert result.status == 1
    assert result.err == ""
    assert result.out.splitlines() == [
        f"content/a.md:4: broken link {hostile}/garbage (not an HTTP answer: 'HELLO')",
        f"content/a.md:5: broken link {hostile}/loop-a (redirect loop)",
        f"content/a.md:6: broken link {site}/gone (404 Not Found)",
        "Checked 4 link(s): 3 broken, 0 redirected.",
    ]


def test_many_links_are_found_on_their_lines(tmp_path):
    lines = [f"[Link {number}](https://example.org/{number % 50})." for number in range(2000)]
    make_project(tmp_path, {"content/a.md": handout("Links", "\n".join(lines) + "\n")})
    project = linkcheck.Project.open(tmp_path)
    links = linkcheck.external_links(project, linkcheck.Diagnostics())
    assert len(links) == 50
    assert [line for _, line in links["https://example.org/7"].uses] == [
        4 + number for number in range(7, 2000, 50)]


def test_local_and_private_addresses_are_never_asked(tmp_path, site, hostile, monkeypatch):
    """A handout's link, or a redirect, to the builder's own network (localhost, a cloud's
    metadata address) is refused before any connection."""
    monkeypatch.setattr(linkcheck, "LOCAL_ADDRESSES_ALLOWED", False)
    asked = []
    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect",
                        lambda self, address: asked.append(address) or real_connect(self, address))
    make_project(tmp_path, {"content/a.md": handout("A", (
        f"[Local]({site}/ok) and [Metadata](http://169.254.169.254/latest/meta-data/) "
        "and [Private](http://10.1.2.3/) and [Six](http://[::1]/x).\n"))})
    result = run_cli("--project", tmp_path, "links", "--timeout", "5")
    assert result.status == 1 and asked == []
    assert sorted(result.out.splitlines()[:-1]) == sorted([
        f"content/a.md:4: broken link {site}/ok (127.0.0.1 is at 127.0.0.1, a local or "
        "private address: links checks only public servers)",
        "content/a.md:4: broken link http://169.254.169.254/latest/meta-data/ (169.254.169.254 "
        "is at 169.254.169.254, a local or private address: links checks only public servers)",
        "content/a.md:4: broken link http://10.1.2.3/ (10.1.2.3 is at 10.1.2.3, a local or "
        "private address: links checks only public servers)",
        "content/a.md:4: broken link http://[::1]/x (::1 is at ::1, a local or private "
        "address: links checks only public servers)"])
