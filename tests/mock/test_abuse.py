"""The real server under abuse: malformed, oversized, flooding, slow and non-HTTP clients get a 4xx (always
``application/problem+json``) or are cut off, and never keep other clients waiting.

One server serves the module: ``--request-timeout 2``, one worker with gunicorn's 4 threads, so 4 clients
holding a thread each would be enough to starve everyone else. After every test a normal request must still
be answered within a second.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest
from mock_support import PETSTORE3, Answer, Server, exchange, http_request, read_answer

from specforge.mock.handler import DEFAULT_MAX_BODY_BYTES as LIMIT

REQUEST_SECONDS = 2.0
#: The event loop checks deadlines at least once a second.
CUT_OFF_SLACK = 1.5
ORDERS = "/v1/store/orders"
JSON = ("Content-Type", "application/json")


@pytest.fixture(scope="module")
def server():
    server = Server(PETSTORE3, "--request-timeout", str(REQUEST_SECONDS), base="/v1")
    yield server
    server.stop()


def assert_served_promptly(server: Server) -> None:
    started = time.monotonic()
    answer = exchange(server.port, http_request("GET", "/v1/pets/1"))
    assert answer.status == 200 and json.loads(answer.body)["id"] == 1
    assert time.monotonic() - started < 1.0


@pytest.fixture(autouse=True)
def still_serving(server):
    yield
    assert server.proc.poll() is None, server.log()
    assert_served_promptly(server)
    assert "Traceback" not in server.log()


def _connect(server: Server, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def _read_to_close(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


# -- bodies ------------------------------------------------------------------------------------------------------

def test_invalid_json_is_400(server):
    answer = exchange(server.port, http_request("POST", ORDERS, [JSON], b'{"petId": 1,'))
    error = answer.problem()["errors"][0]
    assert answer.status == 400
    assert error["location"] == ["body"] and error["message"].startswith("body is not valid JSON")


@pytest.mark.parametrize("content_type", ["text/csv", "application/xml", "multipart/form-data; boundary=x", None])
def test_a_content_type_the_operation_does_not_declare_is_415(server, content_type):
    headers = [("Content-Type", content_type)] if content_type else []
    answer = exchange(server.port, http_request("POST", ORDERS, headers, b"petId=1&quantity=1"))
    assert answer.status == 415
    assert answer.problem()["detail"].endswith("send one of: application/json, application/x-www-form-urlencoded")
    assert answer.headers["accept-post"] == "application/json, application/x-www-form-urlencoded"


def test_a_body_over_the_limit_is_413_before_any_of_it_is_sent(server):
    started = time.monotonic()
    answer = exchange(server.port, http_request("POST", ORDERS, [JSON, ("Content-Length", str(LIMIT + 1))]))
    assert answer.status == 413
    assert answer.problem()["detail"] == f"body of {LIMIT + 1} bytes exceeds the limit of {LIMIT} bytes"
    assert time.monotonic() - started < 1.0


def test_a_body_at_the_limit_is_read_and_validated(server):
    filler = LIMIT - len(b'{"petId": 1, "quantity": 1, "note": ""}')
    body = b'{"petId": 1, "quantity": 1, "note": "' + b"a" * filler + b'"}'
    assert len(body) == LIMIT
    answer = exchange(server.port, http_request("POST", ORDERS, [JSON], body), timeout=30)
    assert answer.status == 422
    assert [e["location"] for e in answer.problem()["errors"]] == [["body", "/note"]]


def test_a_chunked_body_over_the_limit_is_413(server):
    piece = b"a" * 65536
    chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
    with _connect(server) as sock:
        sock.sendall(http_request("POST", ORDERS, [JSON, ("Transfer-Encoding", "chunked")]))
        try:
            for _ in range(LIMIT // len(piece) + 1):
                sock.sendall(chunk)
        except OSError:
            pass  # the server may stop listening once it has answered
        answer = read_answer(sock)
    assert answer.status == 413
    assert answer.problem()["detail"] == f"body exceeds the limit of {LIMIT} bytes"


def test_a_chunk_declared_larger_than_the_limit_is_413_before_its_data(server):
    head = http_request("POST", ORDERS, [JSON, ("Transfer-Encoding", "chunked")])
    answer = exchange(server.port, head + b"%x\r\n" % (LIMIT + 1))
    assert answer.status == 413


@pytest.mark.parametrize("chunks", [b"zz\r\n{}\r\n0\r\n\r\n", b"2\r\n{}XX0\r\n\r\n"])
def test_malformed_chunked_framing_is_400(server, chunks):
    head = http_request("POST", ORDERS, [JSON, ("Transfer-Encoding", "chunked")])
    answer = exchange(server.port, head + chunks)
    assert answer.status == 400 and answer.problem()["detail"].startswith("malformed chunked body")


def test_expect_continue_gets_100_then_the_answer(server):
    body = b'{"petId": 1, "quantity": 2}'
    with _connect(server) as sock:
        sock.sendall(http_request("POST", ORDERS, [JSON, ("Expect", "100-continue"),
                                                   ("Content-Length", str(len(body)))]))
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        answer = read_answer(sock)
    assert answer.status == 201 and "petId" in json.loads(answer.body)


def test_expect_continue_over_the_limit_gets_413_instead(server):
    with _connect(server) as sock:
        sock.sendall(http_request("POST", ORDERS, [JSON, ("Expect", "100-continue"),
                                                   ("Content-Length", str(LIMIT + 1))]))
        assert sock.recv(100).startswith(b"HTTP/1.1 413 ")


# -- heads ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, target, headers, status", [
    ("3000 header fields", "/v1/pets", [(f"X-Flood-{i}", "1") for i in range(3000)], 431),
    ("one 100 KB header", "/v1/pets", [("X-Big", "a" * 100_000)], 431),
    ("100 KB of headers", "/v1/pets", [(f"X-Part-{i}", "a" * 2000) for i in range(50)], 431),
    ("a 9 KB request line", "/v1/pets?q=" + "a" * 9000, [], 414),
    ("a 1 MB URL", "/v1/pets?q=" + "a" * 1_000_000, [], 414),
])
def test_header_floods_and_huge_request_lines_are_refused(server, name, target, headers, status):
    answer = exchange(server.port, http_request("GET", target, headers))
    assert answer.status == status
    answer.problem()


def test_a_long_url_under_the_limit_is_served(server):
    answer = exchange(server.port, http_request("GET", "/v1/pets?q=" + "a" * 8000))
    assert answer.status == 200


# -- slow and stubborn clients ------------------------------------------------------------------------------------

SLOW_HEAD = b"GET /v1/pets HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 2000
SLOW_BODY = http_request("POST", ORDERS, [JSON, ("Content-Length", "2000")]) + b'{"note": "' + b"a" * 2000


@pytest.mark.parametrize("sent", [SLOW_HEAD, SLOW_BODY], ids=["head a byte at a time", "body a byte at a time"])
def test_slow_clients_hold_no_thread_and_get_408_after_the_request_timeout(server, sent):
    slow = []
    for _ in range(50):
        slow.append((_connect(server), time.monotonic()))
    stop = threading.Event()

    def drip() -> None:
        for i in range(len(sent)):
            for sock, _ in slow:
                try:
                    sock.send(sent[i:i + 1])
                except OSError:
                    pass
            if stop.wait(0.05):
                return

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(0.5)
        for _ in range(5):
            assert_served_promptly(server)
        for sock, opened in slow:
            data = _read_to_close(sock)
            lasted = time.monotonic() - opened
            assert data.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), data[:100]
            assert b'"detail":"the request did not arrive within 2 s"' in data
            assert REQUEST_SECONDS - 0.1 < lasted < REQUEST_SECONDS + CUT_OFF_SLACK
    finally:
        stop.set()
        dripper.join()
        for sock, _ in slow:
            sock.close()


def test_a_connection_that_sends_nothing_is_closed_silently(server):
    with _connect(server) as sock:
        opened = time.monotonic()
        assert _read_to_close(sock) == b""
        assert REQUEST_SECONDS - 0.1 < time.monotonic() - opened < REQUEST_SECONDS + CUT_OFF_SLACK


def test_clients_that_never_close_do_not_stall_the_server(server):
    # gunicorn's gthread closes a connection by draining it for up to 2 s *on its event loop*: 20 such
    # clients stalled every request of the worker for 40 s.
    stubborn = [_connect(server) for _ in range(20)]
    try:
        for sock in stubborn:
            sock.sendall(http_request("GET", "/v1/pets", [("Connection", "close")]))
        time.sleep(0.3)
        assert_served_promptly(server)
        for sock in stubborn:
            assert read_answer(sock).status == 200
    finally:
        for sock in stubborn:
            sock.close()


def test_pipelined_requests_are_answered_in_order(server):
    with _connect(server) as sock:
        sock.sendall(http_request("GET", "/v1/pets/1") + http_request("GET", "/v1/pets/mine")
                     + http_request("POST", ORDERS, [JSON, ("Connection", "close")], b'{"petId": 1, "quantity": 1}'))
        data = _read_to_close(sock)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"401", b"201"]


def test_a_pipelined_request_that_stops_halfway_gets_408_after_the_first_is_answered(server):
    with _connect(server) as sock:
        sock.sendall(http_request("GET", "/v1/pets/1") + b"GET /v1/pets/2 HTTP/1.1\r\nHost: x\r\nX-Half: ")
        data = _read_to_close(sock)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"408"]


# -- not HTTP, or HTTP with bytes it must not have ---------------------------------------------------------------

@pytest.mark.parametrize("data", [
    bytes.fromhex("16030100a5010000a10303") + bytes(range(32)),
    bytes((i * 97 + 13) % 256 for i in range(512)),
    b"\x00" * 64,
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"GET /\r\n",
    b"    \r\n\r\n",
    b"EHLO example.com\r\n",
    b"GET /v1/pets HTTP/1.1\nHost: x\n\n",
], ids=["TLS ClientHello", "random bytes", "NUL bytes", "HTTP/2 preface", "HTTP/0.9", "spaces", "SMTP", "bare LF"])
def test_bytes_that_are_not_http_get_400_and_the_connection_closes(server, data):
    with _connect(server, timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(data)
        answer = read_answer(sock)
        assert answer.status == 400
        answer.problem()
        assert _read_to_close(sock) == b""
        assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("target, status, location", [
    (b"/v1/pets/%00", 400, ["path", "petId"]),
    (b"/v1/pets/%ff%fe", 400, ["path", "petId"]),
    (b"/v1/pets/%ED%A0%80", 400, ["path", "petId"]),  # an encoded UTF-16 surrogate
    (b"/v1/pets/%zz", 400, ["path", "petId"]),
    (b"/v1/pets/%", 400, ["path", "petId"]),
    (b"/v1/pets?limit=%00", 400, ["query", "limit"]),
    (b"/v1/pets?limit=%zz", 400, ["query", "limit"]),
    (b"/v1/pets?tags=%ff", 400, ["query", "tags"]),
    (b"/v1/pets?tags=%E2%82", 400, ["query", "tags"]),  # UTF-8 cut short
    (b"/v1/pets?undeclared=%c0%af", 400, ["query", "undeclared"]),  # overlong UTF-8
    (b"/v1/pets/\x00", 400, None),  # raw bytes: refused by the HTTP parser
    (b"/v1/pets/\xff\xfe", 400, None),
    (b"/v1/pets?limit=\x00", 400, None),
    (b"/v1/pe%00ts", 404, None),
])
def test_nul_bytes_bad_utf8_and_bad_percent_escapes_are_4xx(server, target, status, location):
    answer = exchange(server.port, http_request("GET", target))
    assert answer.status == status
    doc = answer.problem()
    if location is not None:
        assert [e["location"] for e in doc["errors"]] == [location]


def test_percent_encoded_utf8_is_accepted(server):
    answer = exchange(server.port, http_request("GET", "/v1/pets?tags=caf%C3%A9&tags=%F0%9F%90%95"))
    assert answer.status == 200


@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\x7fb"])
def test_control_characters_in_a_header_are_400(server, value):
    answer: Answer = exchange(server.port, http_request("GET", "/v1/pets/1", [("X-Request-ID", value)]))
    assert answer.status == 400
    answer.problem()
