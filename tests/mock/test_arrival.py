"""``Arrival``: when the bytes received so far make a whole request, fed in every possible split."""

from __future__ import annotations

import pytest

from specforge.mock.arrival import MAX_HEAD_BYTES, MAX_REQUEST_LINE, Arrival, Refusal

LIMIT = 1000
GET = b"GET /v1/pets HTTP/1.1\r\nHost: x\r\n\r\n"
POST = b"POST /v1/pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
CHUNKED = b"POST /o HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

#: (request bytes, what the complete bytes give, how many leading bytes are still "wait for more")
COMPLETE = {
    "no body": GET,
    "one empty line first": b"\r\n" + GET,
    "content-length body": POST + b'{"name":"a"}\n',
    "chunked body": CHUNKED + b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
    "chunked with trailers": CHUNKED + b"2\r\nhi\r\n0\r\nX-Sum: 1\r\n\r\n",
    "lowercase, odd spacing": b"POST / HTTP/1.1\r\ncontent-length:  2 \r\n\r\nok",
}


def _feed_in_pieces(data: bytes, size: int) -> list[bool | Refusal]:
    arrival = Arrival(LIMIT)
    return [arrival.feed(data[i:i + size]) for i in range(0, len(data), size)]


@pytest.mark.parametrize("name", list(COMPLETE))
@pytest.mark.parametrize("piece", [1, 3, 7, 4096])
def test_complete_only_with_the_last_byte(name, piece):
    verdicts = _feed_in_pieces(COMPLETE[name], piece)
    assert verdicts[-1] is True
    assert all(v is False for v in verdicts[:-1])


def test_pipelined_bytes_after_a_complete_request_stay_in_the_buffer():
    arrival = Arrival(LIMIT)
    assert arrival.feed(GET + b"GET /v1/pets/1 HT") is True
    assert bytes(arrival.data).endswith(b"GET /v1/pets/1 HT")


@pytest.mark.parametrize("data, status", [
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400),  # a TLS ClientHello
    (b"GETGETGETGETGETGETGETGETGETGETGETGET", 400),
    (b"\r\n\r\nGET / HTTP/1.1\r\n", 400),  # two empty lines first (RFC 9112 allows one)
    (b"GET /\r\n", 400),  # HTTP/0.9
    (b"EHLO example.com\r\n", 400),
    (b"GET / HTTP/1.1 extra\r\n", 400),
    (b"GET /" + b"a" * MAX_REQUEST_LINE + b" HTTP/1.1\r\n", 414),
    (b"GET /" + b"a" * (MAX_REQUEST_LINE + 10), 414),
    (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * MAX_HEAD_BYTES, 431),
    (b"POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413),
    (CHUNKED + b"3e9\r\n", 413),  # 1001 bytes declared by one chunk, refused before its data arrives
    (CHUNKED + b"zz\r\n", 400),
    (CHUNKED + b"2\r\nhiX", 400),  # chunk data not followed by CRLF
    (CHUNKED + b"1" * 2000, 400),  # chunk-size line that never ends
])
def test_what_can_never_be_served_is_refused_at_once(data, status):
    verdict = Arrival(LIMIT).feed(data)
    assert isinstance(verdict, Refusal) and verdict.status == status


@pytest.mark.parametrize("data", [
    b"GET / HTTP/1.1\nHost: x\n",  # bare LF
    b"GET / HTTP/1.1\r\nHost: x\nX: y",
    b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
])
def test_malformed_framing_goes_to_the_parser_without_waiting_for_more(data):
    assert Arrival(LIMIT).feed(data) is True  # gunicorn's parser answers 400 or 501 from these bytes alone


def test_expect_continue_is_noticed_once_the_head_is_complete():
    arrival = Arrival(LIMIT)
    assert arrival.feed(POST.replace(b"Host: x", b"Expect: 100-continue")) is False
    assert arrival.expects_continue
    http10 = Arrival(LIMIT)
    http10.feed(POST.replace(b"HTTP/1.1", b"HTTP/1.0").replace(b"Host: x", b"Expect: 100-continue"))
    assert not http10.expects_continue  # RFC 9110 10.1.1: ignored in HTTP/1.0
