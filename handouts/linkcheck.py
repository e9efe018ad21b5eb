"""The links command: are the handouts' external links still there? (The only command that goes online.)

Every server is taken to be hostile: redirects are followed here, not by urllib, and only to
http(s), at most MAX_REDIRECTS of them and never in a loop; one address gets DEADLINE seconds in
all (every redirect and every byte read included); at most MAX_RESPONSE_BYTES of each answer are
read; and whatever a server sends back, a malformed answer is a broken link, never a traceback.
"""

from __future__ import annotations

import bisect
import errno
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from .errors import ContentError, Diagnostics
from .prepare.inputs import unsafe_inputs
from .prepare.load import load_source
from .prepare.parse import parse
from .project import Project

EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)
USER_AGENT = "Handouts link checker (+https://pypi.org/project/handouts/)"
DEADLINE = 20.0  # seconds for one address: every redirect and every byte of every answer
MAX_REDIRECTS = 5  # redirects followed from one address
MAX_RESPONSE_BYTES = 64 * 1024  # bytes read of one answer, its headers included
READ_CHUNK = 1024  # the body is read this much at a time, so the limits are checked often
REDIRECTS = (301, 302, 303, 307, 308)
REFUSE_HEAD = (403, 405, 501)  # some servers answer only GET
SHOWN_CHARACTERS = 200  # of a server's text (reason phrase, Location) in the report
LOCAL_ADDRESSES_ALLOWED = False  # the tests' servers are on 127.0.0.1: they allow it
OFFLINE_STATUS = 3  # links' exit status when the network cannot be reached (1: broken links)
# A name that always exists (RFC 2606), looked up only when no link's server could be found:
# if it cannot be found either, the machine is offline, not every link broken.
ALWAYS_THERE = "example.com"
NETWORK_ERRORS = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN)
# Printable ASCII but the space: left as they are in a request target; the rest is %-encoded.
TARGET_SAFE = "".join(chr(code) for code in range(0x21, 0x7F))


@dataclass
class LinkResult:
    url: str
    uses: list[tuple[Path, int | None]] = field(default_factory=list)
    status: int | None = None
    reason: str = ""
    final_url: str = ""
    unreachable: bool = False  # no server found or no route to it: perhaps the machine is offline

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400


def external_links(project: Project, diagnostics: Diagnostics) -> dict[str, LinkResult]:
    """Every distinct external address of every handout, with where it is written."""
    links: dict[str, LinkResult] = {}
    for path in project.handout_paths():
        try:
            handout = parse(load_source(path, project.config.lang), diagnostics)
        except ContentError as error:
            diagnostics.errors.append(error)
            continue
        searched_from: dict[str, int] = {}  # each use of an address at its own line
        source = handout.source
        # Where each line ends, found once: a use's line is then a binary search, not a count
        # of the newlines before it (which made many links in a long handout quadratic).
        newlines = [match.start() for match in re.finditer("\n", source.body)]
        for link in handout.body.iter("a"):
            url = link.get("href") or ""
            if not EXTERNAL.match(url):
                continue
            index = source.body.find(url, searched_from.get(url, 0))
            searched_from[url] = index + 1 if index >= 0 else 0
            line = source.body_line + bisect.bisect_left(newlines, index) if index >= 0 else None
            links.setdefault(url, LinkResult(url)).uses.append((path, line))
    return links


class LinkProblem(Exception):
    """Why an address is a broken link, in words for the report."""


class DeadlinePassed(TimeoutError):
    """The address's DEADLINE came before its whole answer."""


class TooLong(http.client.HTTPException):
    """An answer went on past MAX_RESPONSE_BYTES."""


class _Budget:
    """The time and the bytes one address may still take."""

    def __init__(self, deadline: float, timeout: float):
        self.deadline, self.timeout = deadline, timeout

    def seconds(self) -> float:
        """The socket timeout for the next step: never past the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlinePassed
        return min(remaining, self.timeout)


class _LimitedSocket:
    """A connected socket whose every read is bounded by the deadline and the byte limit."""

    def __init__(self, sock, budget: _Budget):
        self.sock, self.budget, self.received = sock, budget, 0
        self.readers = 0  # as a socket's makefile(): closed once its last reader is too
        self.closing = False

    def sendall(self, data) -> None:
        self.sock.settimeout(self.budget.seconds())
        self.sock.sendall(data)

    def recv_into(self, buffer) -> int:
        if self.received >= MAX_RESPONSE_BYTES:
            raise TooLong
        self.sock.settimeout(self.budget.seconds())
        with memoryview(buffer) as view:
            count = self.sock.recv_into(view[:MAX_RESPONSE_BYTES - self.received])
        self.received += count
        return count

    def makefile(self, mode: str = "rb", *args, **kwargs):
        self.readers += 1
        return io.BufferedReader(_Reader(self), READ_CHUNK)

    def close(self) -> None:
        self.closing = True
        if not self.readers:
            self.sock.close()

    def reader_closed(self) -> None:
        self.readers -= 1
        if self.closing and not self.readers:
            self.sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _LimitedSocket):
        self.sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self.sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self.sock.reader_closed()
        super().close()


def _public_connection(address: tuple[str, int], timeout: float | None = None,
                       source_address=None) -> socket.socket:
    """A connection to the server named, only at an address on the public internet: a
    handout's link (or a redirect) must not make the builder, a CI machine with secrets in
    reach, ask its own network (localhost, 10.x, a cloud's 169.254.169.254)."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not LOCAL_ADDRESSES_ALLOWED:
        for *_, sockaddr in infos:
            # An IPv4 or IPv6 address (SOCK_STREAM): a string; typeshed allows an int too.
            if not ipaddress.ip_address(str(sockaddr[0]).split("%")[0]).is_global:
                raise LinkProblem(f"{_shown(host)} is at {sockaddr[0]}, a local or private "
                                  "address: links checks only public servers")
    # The address just checked is the one connected to: a second look-up could differ.
    family, kind, proto, _, sockaddr = infos[0]
    connection = socket.socket(family, kind, proto)
    try:
        connection.settimeout(timeout)
        connection.connect(sockaddr)
    except BaseException:
        connection.close()
        raise
    return connection


class _Connection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None, budget: _Budget):
        super().__init__(host, port, timeout=budget.seconds())
        self.budget = budget
        self._create_connection = _public_connection

    def connect(self) -> None:
        super().connect()
        self.sock = _LimitedSocket(self.sock, self.budget)


class _SecureConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, budget: _Budget):
        # The TLS handshake is bounded as a whole by the socket's timeout, set here.
        super().__init__(host, port, timeout=budget.seconds(),
                         context=ssl.create_default_context())
        self.budget = budget
        self._create_connection = _public_connection

    def connect(self) -> None:
        super().connect()
        self.sock = _LimitedSocket(self.sock, self.budget)


def _shown(text: str) -> str:
    """A server's text made safe to print: no control characters, no terminal escapes, short."""
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + "…"
    return "".join(character if character.isprintable()
                   else character.encode("unicode_escape").decode("ascii")
                   for character in text)


def _request(method: str, url: str, budget: _Budget) -> tuple[int, str, str | None]:
    """One request: the status, the reason phrase and the Location, at most a bounded body read."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise LinkProblem(f"{_shown(url)} names no server")
    secure = parts.scheme.lower() == "https"
    # The port given always, or http.client would read the end of an IPv6 address as one.
    port = parts.port or (443 if secure else 80)
    connection = (_SecureConnection if secure else _Connection)(parts.hostname, port, budget)
    try:
        target = quote(parts.path or "/", safe=TARGET_SAFE)
        if parts.query:
            target += "?" + quote(parts.query, safe=TARGET_SAFE)
        connection.request(method, target, headers={"User-Agent": USER_AGENT,
                                                    "Accept-Encoding": "identity"})
        try:
            response = connection.getresponse()
        except TooLong:
            raise LinkProblem(f"headers longer than {MAX_RESPONSE_BYTES // 1024} KiB") from None
        try:
            while response.read(READ_CHUNK):  # a bounded body: the status needs none of it
                pass
        except TooLong:
            pass  # enough of the body
        else:
            if response.length:  # http.client does not raise IncompleteRead here
                raise http.client.IncompleteRead(b"", response.length)
        finally:
            response.close()
        return response.status, response.reason, response.getheader("Location")
    finally:
        connection.close()


def _follow(result: LinkResult, budget: _Budget) -> None:
    """HEAD, or GET where a server refuses HEAD, following redirects to http(s) only."""
    url, method, redirects = result.url, "HEAD", 0
    seen = {(method, url)}
    while True:
        status, reason, location = _request(method, url, budget)
        if status in REDIRECTS:
            if location is None:
                raise LinkProblem(f"{status} {_shown(reason)} without a Location")
            # Headers come as Latin-1; a raw UTF-8 address is %-encoded as browsers do.
            location = quote(location.strip().encode("latin-1", "replace"), safe=TARGET_SAFE)
            following = urljoin(url, location)
            if urlsplit(following).scheme.lower() not in ("http", "https"):
                raise LinkProblem(f"redirects to {_shown(following)}, which is not http(s)")
            redirects += 1
            if (method, following) in seen:
                raise LinkProblem("redirect loop")
            if redirects > MAX_REDIRECTS:
                raise LinkProblem(f"more than {MAX_REDIRECTS} redirects")
            url = following
            seen.add((method, url))
            continue
        if method == "HEAD" and status in REFUSE_HEAD:
            method = "GET"
            seen.add((method, url))
            continue
        result.status, result.reason, result.final_url = status, _shown(reason), url
        return


def _problem(error: BaseException, budget: _Budget) -> str:
    """In words, why an address could not be checked."""
    if isinstance(error, LinkProblem):
        return str(error)
    if isinstance(error, TimeoutError):
        if isinstance(error, DeadlinePassed) or time.monotonic() >= budget.deadline - 0.1:
            return f"no complete answer within {DEADLINE:g} s"
        return f"no answer within {budget.timeout:g} s"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.BadStatusLine):
        line = str(error.args[0] if error.args else "").strip()
        return f"not an HTTP answer: {_shown(line)!r}"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(error, http.client.HTTPException):
        return f"malformed answer ({_shown(str(error) or type(error).__name__)})"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({_shown(str(error.reason or error))})"
    if isinstance(error, OSError):
        return _shown(error.strerror or str(error) or type(error).__name__)
    if isinstance(error, ValueError):  # UnicodeError too
        return f"malformed address or header ({_shown(str(error))})"
    return f"{type(error).__name__} ({_shown(str(error))})"


def check_link(result: LinkResult, timeout: float) -> LinkResult:
    """Check one address within DEADLINE seconds; ``timeout`` bounds each wait for the server."""
    budget = _Budget(time.monotonic() + DEADLINE, timeout)
    try:
        _follow(result, budget)
    except Exception as error:  # noqa: BLE001 - a hostile answer breaks this link, not the report
        result.status, result.reason = None, _problem(error, budget)
        result.unreachable = isinstance(error, socket.gaierror) or (
            isinstance(error, OSError) and error.errno in NETWORK_ERRORS)
    return result


def network_unreachable(results: list[LinkResult]) -> str | None:
    """Why the network cannot be reached, when no link got through and a known name fails too."""
    if not results or not all(result.unreachable for result in results):
        return None
    try:
        socket.getaddrinfo(ALWAYS_THERE, 443, type=socket.SOCK_STREAM)
    except OSError as error:
        return (f"no server's name could be looked up, not even {ALWAYS_THERE} "
                f"({_shown(error.strerror or str(error))})")
    return None


def check_links(links: dict[str, LinkResult], workers: int = 8,
                timeout: float = 10.0) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda result: check_link(result, timeout), links.values()))


def run_links(root: Path, workers: int = 8, timeout: float = 10.0) -> int:
    diagnostics = Diagnostics()
    try:
        project = Project.open(root, diagnostics.errors)
        diagnostics.errors += unsafe_inputs(project.root)
        links = {} if diagnostics.errors else external_links(project, diagnostics)
    except ContentError as error:
        diagnostics.errors.append(error)
        links = {}
    for problem in diagnostics.errors:
        print(problem.format(root))
    if diagnostics.errors:
        return 1
    results = check_links(links, workers, timeout)
    offline = network_unreachable(results)
    if offline:
        print(f"links: cannot reach the network: {offline}. None of the {len(results)} "
              "link(s) was checked; connect this machine and run links again.")
        return OFFLINE_STATUS
    broken = redirected = 0
    for result in results:
        for path, line in result.uses:
            where = ContentError(path, line, "").location(root)
            if result.broken:
                status = f"{result.status} {result.reason}" if result.status else result.reason
                print(f"{where}: broken link {result.url} ({status})")
            elif result.final_url and result.final_url != result.url:
                print(f"{where}: warning: {result.url} redirects to {_shown(result.final_url)}; "
                      "link to the new address")
        broken += result.broken
        redirected += bool(not result.broken and result.final_url != result.url)
    print(f"Checked {len(results)} link(s): {broken} broken, {redirected} redirected.")
    return 1 if broken else 0
