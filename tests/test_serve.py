"""serve: dist/ on 127.0.0.1 only, rebuilt on save, errors shown on the page, no way out of dist/."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request

import pytest

from handouts.progress import QuietProgress
from handouts.serve import EVENTS_PATH, Server
from testing_utils import handout, make_project


@pytest.fixture
def served(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("First title", "## One\n\nText.\n")})
    server = Server(tmp_path, port=0, progress=QuietProgress(), interval=0.1).start()
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


def test_serves_dist_on_loopback_only_with_a_reload_script(served):
    _, server = served
    assert server.http.server_address[0] == "127.0.0.1"
    status, page = fetch(server, "a.html")
    assert status == 200 and "First title" in page
    assert f"new EventSource('{EVENTS_PATH}')" in page
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
    make_project(root, {"content/a.md": handout("Second title", "## One\n\nText.\n")})
    reader.join(timeout=60)
    events.close()
    assert received and received[0].startswith(b"data: ")
    assert "Second title" in fetch(server, "a.html")[1]


def test_a_content_error_is_shown_on_the_page_and_the_server_recovers(served):
    root, server = served
    generation = server.state.generation
    make_project(root, {"content/a.md": "---\ntitel: Broken\n---\n"})
    assert wait_for(lambda: server.state.generation > generation)
    page = fetch(server, "a.html")[1]
    assert '<div role="alert" class="build-errors"' in page
    assert "content/a.md:2: unknown front matter key &#x27;titel&#x27;" in page
    assert "First title" in page  # the last good page is still served
    generation = server.state.generation
    make_project(root, {"content/a.md": handout("Fixed title", "Text.\n")})
    assert wait_for(lambda: server.state.generation > generation)
    page = fetch(server, "a.html")[1]
    assert "Fixed title" in page and 'role="alert"' not in page


def test_the_command_serves_until_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys

    from testing_utils import REPO

    make_project(tmp_path, {"content/a.md": handout("Served", "Text.\n")})
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project",
                                str(tmp_path), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
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
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert output.strip().endswith("Stopped.")


class Messages(QuietProgress):
    def __init__(self):
        super().__init__()
        self.said: list[str] = []

    def message(self, text: str) -> None:
        self.said.append(text)


def test_a_save_while_the_pdfs_render_starts_its_own_build(tmp_path, monkeypatch):
    """The PDFs of a save no longer wanted are not waited for: the next save's build starts
    when the PDF rendering now is done, not when all of them are."""
    import handouts.builder
    import handouts.parallel

    rendered = []
    render = handouts.parallel.render_and_check

    def slow_render(job):
        rendered.append(job.name)
        time.sleep(0.5)  # a long PDF: time for a second save to come in
        return render(job)

    monkeypatch.setattr(handouts.parallel, "render_and_check", slow_render)
    monkeypatch.setattr(handouts.builder, "default_jobs", lambda: 1)  # in this process
    config = '[conference]\nname = "{name}"\n\n[build]\nprofiles = ["standard"]\n'
    make_project(tmp_path, {"handouts.toml": config.format(name="First MUN"),
                            **{f"content/{slug}.md": handout(slug.upper())
                               for slug in ("a", "b", "c", "d")}})
    progress = Messages()
    server = Server(tmp_path, port=0, progress=progress, interval=0.05).start()
    try:
        assert len(rendered) == 4
        (tmp_path / "handouts.toml").write_text(config.format(name="Second MUN"))
        assert wait_for(lambda: "Second MUN" in fetch(server, "a.html")[1])
        (tmp_path / "handouts.toml").write_text(config.format(name="Third MUN"))
        assert wait_for(lambda: "Built: PDFs ready." in progress.said[-1:]
                        and "Third MUN" in fetch(server, "a.html")[1])
    finally:
        server.stop()
    assert "A newer save: its build starts now; the PDFs follow it." in progress.said
    # The second build stopped after one or two of its four PDFs; the third made all four.
    assert 4 + 1 + 4 <= len(rendered) < 4 + 4 + 4
    assert all((tmp_path / "dist/pdf" / f"{slug}.pdf").is_file() for slug in "abcd")


def test_editors_swap_and_backup_files_are_not_saves(tmp_path):
    from handouts.serve import source_fingerprint

    make_project(tmp_path, {"content/a.md": handout("A")})
    before = source_fingerprint(tmp_path)
    (tmp_path / "content/.a.md.swp").write_bytes(b"vim")
    (tmp_path / "content/a.md~").write_text("backup")
    assert source_fingerprint(tmp_path) == before
    (tmp_path / "content/a.md").write_text(handout("A, saved"))
    assert source_fingerprint(tmp_path) != before
