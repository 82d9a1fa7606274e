"""``MockWorker``: gunicorn's gthread worker, reading requests in its event loop so slow clients hold no thread.

gthread hands each connection to a thread that blocks reading it: four clients sending a byte a second hold the
four threads of a worker and nobody else is served (gunicorn's advice is a buffering proxy such as nginx in
front). This worker is that buffer. Its event loop reads each request without blocking (framing from
``specforge.mock.arrival``) and submits the connection to the thread pool only once the whole request -- head and
body -- is in memory. On top of that it

- gives each request ``request_seconds`` from accept (or from the keep-alive wake-up) to arrive, then answers
  408 and closes; a connection that sent nothing is closed silently;
- refuses what can never be served from the loop, without reading more: 400 (not HTTP, malformed chunks),
  413 (body over ``max_body_bytes``), 414 (request line over 8190 bytes), 431 (head over 64 KiB);
- answers gunicorn's own parse errors as ``application/problem+json`` (gunicorn writes HTML);
- closes connections with a lingering close inside the event loop, where gunicorn drains each closing socket
  for up to 2 s *on the main loop*, stalling every other connection of the worker meanwhile;
- stops on Ctrl+C when the arbiter says so (SIGQUIT), from its event loop, not from wherever the signal caught
  the main thread.
"""

from __future__ import annotations

import errno
import selectors
import signal
import socket
import sys
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from gunicorn import util
from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import TConn, ThreadWorker

from specforge.mock import problems
from specforge.mock.arrival import Arrival, Refusal
from specforge.mock.handler import DEFAULT_MAX_BODY_BYTES

#: Largest read the event loop makes from one connection at a time.
READ_BYTES = 256 * 1024
#: How long a closing connection is drained so that the client can read the last response.
LINGER_SECONDS = 2.0
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"

_STATUS_OF_PARSE_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (http_errors.LimitRequestLine, 414), (http_errors.LimitRequestHeaders, 431),
    (http_errors.ExpectationFailed, 417), (http_errors.UnsupportedTransferCoding, 501),
    (http_errors.ForbiddenProxyRequest, 403))
_SERVER_FAULTS = (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName,
                  http_errors.ConfigurationProblem)


def problem_response(status: int, detail: str) -> bytes:
    """A complete ``Connection: close`` HTTP/1.1 response carrying a problem document."""
    body = orjson.dumps(problems.problem(status, detail))
    head = (f"HTTP/1.1 {status} {problems.phrase(status)}\r\nContent-Type: {problems.PROBLEM_JSON}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


@dataclass
class _Reading:
    """A connection whose request is still arriving."""

    arrival: Arrival
    deadline: float
    continued: bool = False  # ``100 Continue`` sent


class _Connection(TConn):
    """gunicorn's connection, closed gracefully by the worker's event loop instead of a blocking drain."""

    linger: Any = None  # set by the worker: ``linger(sock)``

    def close(self, graceful: bool = False) -> None:
        if graceful and self.linger is not None:
            self.linger(self.sock)
        else:
            super().close()


class MockWorker(ThreadWorker):
    """See the module docstring; ``configured(...)`` makes the class gunicorn is given."""

    request_seconds: float = 10.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def configured(cls, *, request_seconds: float, max_body_bytes: int) -> type[MockWorker]:
        return type(cls.__name__, (cls,), {"request_seconds": request_seconds, "max_body_bytes": max_body_bytes})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arriving: dict[TConn, _Reading] = {}  # in deadline order (insertion order, one timeout for all)
        self.lingering: dict[socket.socket, float] = {}

    def init_signals(self) -> None:
        """The handlers of gunicorn, but SIGINT ignored: Ctrl+C reaches the whole process group, and the arbiter
        answers it with a SIGQUIT to each worker. A worker leaving on the SIGINT itself could be gone before the
        arbiter saw the signal, be replaced, and the replacement, still booting, missed the SIGQUIT: a 5 s
        wait for the arbiter's SIGKILL (6% of the corpus stops).
        """
        super().init_signals()
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def handle_quit(self, sig: int, frame: Any) -> None:
        """SIGQUIT, the quick stop: leave from the event loop, at once.

        gunicorn raises ``SystemExit`` in the handler itself, wherever the main thread is; when that is a
        finaliser, Python prints it as an ignored exception with a traceback on every such Ctrl+C.
        """
        self.alive = False
        self.cfg.worker_int(self)
        self.tpool.shutdown(wait=False)
        self.method_queue.defer(sys.exit, 0)  # run by the loop's next wake-up, which this write causes

    # -- connections in, requests to threads -----------------------------------------------------------------

    def accept(self, listener: socket.socket) -> None:
        try:
            sock, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = _Connection(self.cfg, sock, address, listener.getsockname())
        conn.linger = self._linger
        self.enqueue_req(conn)

    def enqueue_req(self, conn: TConn) -> None:
        """Submit ``conn`` to a thread once a whole request is buffered; until then read it in the loop."""
        if self.cfg.is_ssl:  # a TLS handshake blocks: gunicorn's own way
            super().enqueue_req(conn)
            return
        conn.init()  # the parser, which gets the buffered request
        reading = _Reading(Arrival(self.max_body_bytes), time.monotonic() + self.request_seconds)
        pipelined = conn.parser.unreader.take_buffered()
        if pipelined and self._advance(conn, reading, pipelined):
            return
        if self._receive(conn, reading):  # kept-alive connections are readable already: no poller round trip
            return
        self.arriving[conn] = reading
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: TConn, _sock: socket.socket) -> None:
        reading = self.arriving.get(conn)
        if reading is not None:
            self._receive(conn, reading)

    def _receive(self, conn: TConn, reading: _Reading) -> bool:
        """Read what the client has sent; True when the connection has left the loop."""
        try:
            chunk = conn.sock.recv(READ_BYTES, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        if not chunk:  # the client left; nobody to answer
            self._stop_reading(conn)
            self.nr_conns -= 1
            conn.close()
            return True
        return self._advance(conn, reading, chunk)

    def _advance(self, conn: TConn, reading: _Reading, chunk: bytes) -> bool:
        """Feed the request; True when the connection has left the loop (to a thread, or refused)."""
        verdict = reading.arrival.feed(chunk)
        if verdict is False:
            if reading.arrival.expects_continue and not reading.continued:
                reading.continued = True
                self._send(conn.sock, CONTINUE)
            return False
        self._stop_reading(conn)
        if isinstance(verdict, Refusal):
            self._refuse(conn, verdict.status, verdict.detail)
            return True
        conn.parser.unreader.unread(bytes(reading.arrival.data))
        super().enqueue_req(conn)
        return True

    def _stop_reading(self, conn: TConn) -> None:
        if self.arriving.pop(conn, None) is not None:
            self.poller.unregister(conn.sock)

    def _refuse(self, conn: TConn, status: int, detail: str) -> None:
        self.log.warning("Refused a request from ip=%s: %s %s", _ip(conn.client), status, detail)
        self._send(conn.sock, problem_response(status, detail))
        self.nr_conns -= 1
        self._linger(conn.sock)

    @staticmethod
    def _send(sock: socket.socket, data: bytes) -> None:
        try:
            sock.send(data, socket.MSG_DONTWAIT)
        except OSError:
            pass  # best effort: the connection closes next anyway, or the client reads no more

    # -- closing ------------------------------------------------------------------------------------------------

    def _linger(self, sock: socket.socket) -> None:
        """Half-close, then discard what the client still sends until it closes (or ``LINGER_SECONDS``)."""
        try:
            sock.shutdown(socket.SHUT_WR)
            self.poller.register(sock, selectors.EVENT_READ, self._drain)
        except (OSError, ValueError, KeyError):
            util.close(sock)
            return
        self.lingering[sock] = time.monotonic() + LINGER_SECONDS

    def _drain(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(READ_BYTES, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close_lingering(sock)

    def _close_lingering(self, sock: socket.socket) -> None:
        self.lingering.pop(sock, None)
        try:
            self.poller.unregister(sock)
        except (KeyError, ValueError, OSError):
            pass
        util.close(sock)

    def murder_keepalived(self, force: bool = False) -> None:
        """The keep-alive expiry of gunicorn, plus requests past their deadline and lingering closes past theirs.

        Both dicts are in deadline order (one timeout each), so the live loop looks at expired entries only.
        """
        super().murder_keepalived(force)
        now = time.monotonic()
        if self.alive and not force:
            while self.arriving:
                conn, reading = next(iter(self.arriving.items()))
                if reading.deadline > now:
                    break
                self._expire(conn, reading)
        else:  # stopping: what sent nothing yet goes now, a request on its way gets its time (or ``force``)
            for conn, reading in list(self.arriving.items()):
                if force or reading.deadline <= now or not reading.arrival.started:
                    self._expire(conn, reading)
        while self.lingering:
            sock, deadline = next(iter(self.lingering.items()))
            if deadline > now and not force:
                break
            self._close_lingering(sock)

    def _expire(self, conn: TConn, reading: _Reading) -> None:
        self._stop_reading(conn)
        if reading.arrival.started:
            self._refuse(conn, 408, f"the request did not arrive within {self.request_seconds:g} s")
        else:
            self.nr_conns -= 1
            conn.close()

    # -- gunicorn's parse errors ----------------------------------------------------------------------------------

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: BaseException) -> None:
        """A malformed request: problem+json with gunicorn's status; anything else is gunicorn's 500."""
        if not isinstance(exc, http_errors.ParseException) or isinstance(exc, _SERVER_FAULTS):
            super().handle_error(req, client, addr, exc)
            return
        status = next((code for kind, code in _STATUS_OF_PARSE_ERROR if isinstance(exc, kind)), 400)
        self.log.warning("Invalid request from ip=%s: %s", _ip(addr), exc)
        try:
            util.write_nonblock(client, problem_response(status, str(exc) or type(exc).__name__))
        except OSError:
            self.log.debug("Failed to send error message.")


def _ip(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else ""
