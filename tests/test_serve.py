"""serve: dist/ on 127.0.0.1 only, rebuilt on save, errors shown on the page, no way out of dist/."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from testing_utils import handout, make_project

from handouts.progress import QuietProgress
from handouts.serve import (
    BUILT,
    CHANGE_SEEN,
    CSP,
    EVENTS_PATH,
    FAILED,
    PREVIEWING,
    SUPERSEDED,
    Preview,
    Server,
)


class Messages(QuietProgress):
    def __init__(self):
        super().__init__()
        self.said: list[str] = []

    def message(self, text: str) -> None:
        self.said.append(text)


@pytest.fixture
def served(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("First title", "## One\n\nText.\n")})
    server = Server(tmp_path, port=0, progress=Messages(), interval=0.1).start()
    yield tmp_path, server
    server.stop()


def fetch(server, path):
    with urllib.request.urlopen(server.url + path.lstrip("/"), timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def save(path, text: str) -> None:
    """Written whole, as an editor saves: the watcher never sees half a file."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_serves_dist_on_loopback_only_with_a_reload_script(served):
    _, server = served
    assert server.http.server_address[0] == "127.0.0.1"
    status, page = fetch(server, "a.html")
    assert status == 200 and "First title" in page
    assert f"new EventSource('{EVENTS_PATH}?since=" in page
    status, index = fetch(server, "/")
    assert status == 200 and "a.html" in index


def test_refuses_paths_out_of_dist(served):
    root, server = served
    (root / "secret.txt").write_text("secret")
    host, port = server.http.server_address[:2]
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/pdf/../../secret.txt"):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path)  # sent as written, not normalised by a client
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 404 and b"secret" not in body, path


def test_a_save_rebuilds_and_tells_open_pages_to_reload(served):
    root, server = served
    host, port = server.http.server_address[:2]
    events = http.client.HTTPConnection(host, port, timeout=60)
    events.request("GET", EVENTS_PATH)
    stream = events.getresponse()
    received = []
    reader = threading.Thread(target=lambda: received.append(stream.fp.readline()), daemon=True)
    reader.start()
    save(root / "content/a.md", handout("Second title", "## One\n\nText.\n"))
    reader.join(timeout=60)
    events.close()
    assert received and received[0].startswith(b"data: ")
    assert "Second title" in fetch(server, "a.html")[1]


def test_a_content_error_is_shown_on_the_page_and_the_server_recovers(served):
    root, server = served
    generation = server.state.generation
    save(root / "content/a.md", "---\ntitel: Broken\n---\n")
    assert wait_for(lambda: server.state.generation > generation)
    page = fetch(server, "a.html")[1]
    assert '<div role="alert" class="build-errors"' in page
    assert "content/a.md:2: unknown front matter key &#x27;titel&#x27;" in page
    assert "First title" in page  # the last good page is still served
    assert server.progress.said[-1] == FAILED
    generation = server.state.generation
    save(root / "content/a.md", handout("Fixed title", "Text.\n"))
    assert wait_for(lambda: server.state.generation > generation)
    page = fetch(server, "a.html")[1]
    assert "Fixed title" in page and 'role="alert"' not in page
    assert wait_for(lambda: server.progress.said[-1:] == [BUILT])


def test_the_command_serves_until_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys

    from testing_utils import REPO

    make_project(tmp_path, {"content/a.md": handout("Served", "Text.\n")})
    # SIGINT left as Ctrl-C leaves it, even where this test runs with it ignored.
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project",
                                str(tmp_path), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = ""
        while not line.startswith("Serving "):
            line = process.stdout.readline()
            assert line, "serve stopped before serving"
        url = line.split()[1]
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "a.html", timeout=10) as response:
            assert "Served" in response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            # A bound for a hung process, not a measure of speed: on a machine running four
            # test suites at once, a serve stopped this way once took over a minute to exit.
            output, _ = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()  # never left running
            process.communicate()
            raise
    assert process.returncode == 0
    assert output.strip().endswith("Stopped.")


def test_a_save_while_the_pdfs_render_starts_its_own_build(tmp_path, monkeypatch):
    """The PDFs of a save no longer wanted are not waited for: the next save's build starts
    when the PDF rendering now is done, not when all of them are. While they render, the
    new pages are previewed from the build's staging folder; dist/ is left as it was."""
    import handouts.builder

    next_saved = threading.Event()

    class HeldProgress(Messages):
        """Says each PDF made among the messages; holds the build at the second build's
        first PDF, until the next save: no race between the save and the rendering."""
        def __init__(self):
            super().__init__()
            self.pdfs = 0

        def handout(self, number: int, total: int, slug: str, kept: bool = False) -> None:
            self.pdfs += 1
            self.said.append(f"PDF {slug}")
            if self.pdfs == 5:
                next_saved.wait(timeout=120)

        def builds(self) -> list[list[str]]:
            """What each build said, one list a build (the watcher says when one starts)."""
            builds = [[]]
            for text in list(self.said):
                if text == CHANGE_SEEN:
                    builds.append([])
                builds[-1].append(text)
            return builds

    def pdfs_of(build: list[str]) -> list[str]:
        return [text for text in build if text.startswith("PDF ")]

    monkeypatch.setattr(handouts.builder, "default_jobs", lambda: 1)  # one PDF at a time
    config = '[conference]\nname = "{name}"\n\n[build]\nprofiles = ["standard"]\n'
    make_project(tmp_path, {"handouts.toml": config.format(name="First MUN"),
                            **{f"content/{slug}.md": handout(slug.upper())
                               for slug in ("a", "b", "c", "d")}})
    progress = HeldProgress()
    server = Server(tmp_path, port=0, progress=progress, interval=0.05).start()
    try:
        assert progress.pdfs == 4
        save(tmp_path / "handouts.toml", config.format(name="Second MUN"))
        assert wait_for(lambda: progress.pdfs == 5)  # its pages are ready, its PDFs render
        assert progress.said.count(PREVIEWING) >= 2  # the first build's, and this one's
        assert "Second MUN" in fetch(server, "a.html")[1]  # from the staging folder
        assert "First MUN" in (tmp_path / "dist/a.html").read_text()  # nothing published
        assert "First MUN" in fetch(server, "index.html")[1]  # not staged yet: dist/'s
        save(tmp_path / "handouts.toml", config.format(name="Third MUN"))
        next_saved.set()
        assert wait_for(lambda: progress.said[-1:] == [BUILT]
                        and "Third MUN" in fetch(server, "a.html")[1])
    finally:
        next_saved.set()
        server.stop()
    first, second, *_, last = progress.builds()
    assert pdfs_of(first) == ["PDF a", "PDF b", "PDF c", "PDF d"]
    # The second build stopped after the PDF it was rendering (or the one after it, which
    # had started), and said so; the last, the third save's, made all four and published.
    assert SUPERSEDED in second and BUILT not in second
    assert pdfs_of(second) in (["PDF a"], ["PDF a", "PDF b"])
    assert sorted(pdfs_of(last)) == ["PDF a", "PDF b", "PDF c", "PDF d"]
    assert last[-1] == BUILT
    assert "Third MUN" in (tmp_path / "dist/a.html").read_text()
    assert all((tmp_path / "dist/pdf" / f"{slug}.pdf").is_file() for slug in "abcd")
    assert "Third MUN" in (tmp_path / "dist/a.html").read_text()
    assert not list((tmp_path / "dist").glob(".staging-*"))


def test_editors_swap_and_backup_files_are_not_saves(tmp_path):
    from handouts.serve import source_fingerprint

    make_project(tmp_path, {"content/a.md": handout("A")})
    before = source_fingerprint(tmp_path)
    (tmp_path / "content/.a.md.swp").write_bytes(b"vim")
    (tmp_path / "content/a.md~").write_text("backup")
    assert source_fingerprint(tmp_path) == before
    (tmp_path / "content/a.md").write_text(handout("A, saved"))
    assert source_fingerprint(tmp_path) != before


def request(server, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """The status, headers and body of a request sent as written, Host as given (if any)."""
    host, port = server.http.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in (headers if headers is not None else
                            {"Host": f"127.0.0.1:{port}"}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_answers_only_requests_to_its_own_host_and_port(served):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends
    Host: evil.example, and is refused."""
    _, server = served
    port = server.http.server_address[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                 f"localhost.evil.example:{port}", f"127.0.0.1:{port}.evil.example"):
        for path in ("/a.html", EVENTS_PATH):
            status, _, body = request(server, path, {"Host": host})
            assert status == 421 and b"First title" not in body, (host, path)
    status, _, _ = request(server, "/a.html", {})  # no Host at all
    assert status == 421
    with socket.create_connection(server.http.server_address[:2], timeout=10) as raw:
        raw.sendall(b"GET /a.html HTTP/1.0\r\n\r\n")  # HTTP/1.0, which may leave Host out
        assert raw.makefile("rb").readline().split()[1] == b"421"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, _, body = request(server, "/a.html", {"Host": host})
        assert status == 200 and b"First title" in body, host


def test_a_link_in_dist_to_a_file_outside_is_not_served(served, tmp_path_factory):
    root, server = served
    outside = tmp_path_factory.mktemp("outside") / "passwd"
    outside.write_text("root:SECRET-OUTSIDE:0:0")
    (root / "secret.txt").write_text("SECRET-PROJECT")
    dist = root / "dist"
    (dist / "sub").mkdir()
    (dist / "sub/index.html").symlink_to(outside)
    (dist / "leak.txt").symlink_to(root / "secret.txt")
    (dist / "away").symlink_to(outside.parent, target_is_directory=True)
    for path in ("/sub/", "/sub", "/sub/index.html", "/leak.txt", "/away/passwd"):
        status, _, body = request(server, path)
        assert status == 404 and b"SECRET" not in body, path
    # A link that stays inside dist/ is followed.
    (dist / "b.html").symlink_to(dist / "a.html")
    assert fetch(server, "b.html")[0] == 200


def test_hidden_files_in_dist_are_not_served(served):
    root, server = served
    (root / "dist/.staging-x").mkdir()
    (root / "dist/.staging-x/a.html").write_text("<p>staged</p>")
    for path in ("/.handouts-cache.json", "/.handouts.lock", "/.staging-x/a.html", "/./a.html"):
        assert request(server, path)[0] == 404, path


def test_paths_that_cannot_name_a_file_are_400_never_a_traceback(served, capfd):
    _, server = served
    for path in ("/%00", "/a.html%00", "/a%00.html", "/" + "x" * 300, "/" + "x" * 300 + ".html",
                 "/%zz", "/a%2", "/%e9.html", "/%C0%AE%C0%AE/secret",
                 "/" + "/".join(["y" * 250] * 20), "/a%0a.html"):
        status, headers, body = request(server, path)
        assert status == 400, path
        assert headers["X-Content-Type-Options"] == "nosniff"
    for path in ("a.html", "http://127.0.0.1/a.html", "//evil.example/a.html"):
        assert request(server, path)[0] in (400, 404), path
    assert request(server, "/a.html")[0] == 200  # and the server still answers
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err


def test_every_response_carries_the_policy_and_nosniff(served):
    root, server = served
    make_project(root, {"dist/assets/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg">'
                                                "<script>alert(1)</script></svg>",
                        "dist/assets/evil.html": "<script>alert(1)</script>"})
    for path in ("/assets/evil.svg", "/assets/evil.html", "/_static/base.css", "/nowhere",
                 "/pdf/a.pdf"):
        status, headers, body = request(server, path)
        assert headers["Content-Security-Policy"] == CSP, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
    status, headers, body = request(server, "/assets/evil.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"EventSource" not in body  # an asset is not a page: served as it is
    assert request(server, "/assets/evil.svg")[1]["Content-Type"] == "image/svg+xml"
    assert request(server, "/pdf/a.pdf")[1]["Content-Type"] == "application/pdf"
    assert request(server, "/a.html", method="HEAD")[2] == b""


def test_a_page_s_policy_allows_only_serve_s_own_script_by_a_nonce(served):
    """The built page's meta says script-src 'none'; served, it allows the reload script
    alone, by a nonce new for each response, in the meta element and the header alike."""
    root, server = served
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in \
        (root / "dist/a.html").read_text()  # the templates' policy is serve's
    nonces = set()
    for _ in range(2):
        status, headers, body = request(server, "/a.html")
        page = body.decode()
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">',
                           page)
        assert len(metas) == 1 and metas[0] == headers["Content-Security-Policy"]
        nonce = re.fullmatch(r"default-src 'self'; script-src 'nonce-([A-Za-z0-9_-]{20,})'; "
                             r"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                             r"object-src 'none'; "
                             r"base-uri 'none'; form-action 'none'", metas[0])[1]
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert scripts == [f'<script nonce="{nonce}">'], scripts
        assert headers["X-Content-Type-Options"] == "nosniff"
        nonces.add(nonce)
    assert len(nonces) == 2


def test_a_build_that_fails_at_the_pdf_stage_leaves_dist_as_it_was(tmp_path):
    """A stylesheet that imports a remote file: the pages build, and are previewed while the
    PDFs render; then the PDF stage refuses the import and fails. Nothing of that build is
    in dist/, and the last good build is served again, with its errors."""
    from testing_utils import REPO

    served_while_rendering = []
    started = threading.Event()

    class Watching(Messages):
        def handout(self, number: int, total: int, slug: str,
                    kept: bool = False) -> None:  # a PDF is made or kept
            if started.is_set():
                served_while_rendering.append(fetch(server, "a.html")[1])

    make_project(tmp_path, {"content/a.md": handout("First title", "## One\n\nText.\n")})
    progress = Watching()
    server = Server(tmp_path, port=0, progress=progress, interval=0.1).start()
    try:
        dist = tmp_path / "dist"

        def files():
            return {str(path.relative_to(dist)): path.read_bytes() for path in dist.rglob("*")
                    if path.is_file() and path.name != ".handouts.lock"}

        before = files()
        assert progress.said[-1] == BUILT
        started.set()
        # Each build from now on has the import: whichever of the two saves it sees, it fails.
        save(tmp_path / "styles/print.css", "@import url(https://example.com/evil.css);\n"
             + (REPO / "styles/print.css").read_text(encoding="utf-8"))
        save(tmp_path / "content/a.md", handout("Second title", "## One\n\nText.\n"))
        assert wait_for(lambda: any("Second title" in page for page in served_while_rendering)
                        and progress.said[-1:] == [FAILED])
        this_build = progress.said[progress.said.index(CHANGE_SEEN):]
        assert PREVIEWING in this_build  # its pages were built: the PDF stage failed
        assert "styles/print.css:1: refused to load https://example.com/evil.css: only files " \
            "inside the project are read" in this_build
        assert files() == before
        assert not list(dist.glob(".staging-*"))
        assert server.state.preview is None
        page = fetch(server, "a.html")[1]
        assert "First title" in page and "Second title" not in page
        assert '<div role="alert" class="build-errors"' in page
        assert "refused to load https://example.com/evil.css" in page
        assert "evil.css" not in fetch(server, "_static/print.css")[1]
    finally:
        server.stop()


def test_a_staging_folder_removed_while_previewed_falls_back_to_dist(served,
                                                                     tmp_path_factory):
    """The preview serves only what its build staged, inside its staging folder, and dist/
    when the folder is gone (a failed or superseded build removes it)."""
    root, server = served
    outside = tmp_path_factory.mktemp("outside") / "secret.html"
    outside.write_text("SECRET-OUTSIDE")
    staging = root / "dist/.staging-test"
    make_project(staging, {"a.html": "<p>Staged page</p>", "new.html": "<p>New page</p>",
                           "sub/index.html": "<p>Staged index</p>"})
    (staging / "leak.html").symlink_to(outside)
    server.state.preview_from(staging)
    assert "leak.html" not in server.state.preview.files  # a link is not a staged file
    assert "Staged page" in fetch(server, "a.html")[1]
    assert "Staged index" in fetch(server, "sub/")[1]
    assert "First title" in fetch(server, "/")[1]  # not staged: dist/'s index
    # Even if it were listed, a link out of the staging folder is not followed.
    server.state.preview = Preview(server.state.preview.root,
                                   server.state.preview.files | {"leak.html"})
    status, _, body = request(server, "/leak.html")
    assert status == 404 and b"SECRET" not in body
    shutil.rmtree(staging)
    status, page = fetch(server, "a.html")
    assert status == 200 and "First title" in page
    assert request(server, "/new.html")[0] == 404
    server.state.end_preview()


def test_the_reload_script_runs_under_the_policy_in_a_browser(served):
    """In Chromium: no policy violation; a content error reloads the page with its styled
    alert, and the fix reloads it again."""
    pytest.importorskip("playwright")
    from checkers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    root, server = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            console = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(server.url + "a.html")
            assert page.locator("h1").inner_text() == "First title"
            save(root / "content/a.md", "---\ntitel: Broken\n---\n")
            alert = page.locator("[role=alert]")
            alert.wait_for(timeout=60_000)
            assert alert.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
            assert page.locator("h1").inner_text() == "First title"
            save(root / "content/a.md", handout("Fixed title", "Text.\n"))
            page.locator("h1", has_text="Fixed title").wait_for(timeout=60_000)
            assert page.locator("[role=alert]").count() == 0
            # The stylesheets and fonts load ('self'): waited for, as the reloaded page may be
            # shown before its stylesheet has arrived on a busy machine. Not wait_for_function:
            # a string predicate is compiled by eval, which the page's policy rightly refuses.
            expect(page.locator("body")).to_have_css(
                "font-family", re.compile(r'^"Atkinson Hyperlegible"'), timeout=60_000)
        finally:
            browser.close()
    assert not [line for line in console if "Content Security Policy" in line], console


def test_a_busy_port_is_one_line_naming_another(tmp_path):
    import socket

    from testing_utils import handout, make_project, run_cli

    make_project(tmp_path, {"content/a.md": handout("A")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--project", tmp_path, "serve", "--port", str(port))
    assert result.status == 2
    assert result.err.splitlines() == [
        f"serve: port {port} is in use, by another serve or another program: start this one "
        f"on another, e.g. --port {port + 1 if port < 65535 else 8000} (--port 0: any free one)"]
