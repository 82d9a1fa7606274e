"""Has a whole HTTP/1.1 request arrived yet? A scanner over the bytes received so far.

The server worker (``specforge.mock.worker``) feeds it what a connection sends and hands the connection to a
thread only once the head and the body are complete, so a slow client never holds a thread. It reads only the
framing (request line, ``Content-Length``, ``Transfer-Encoding``, ``Expect``, chunk sizes); everything else is
left to the server's parser, which rejects malformed requests without reading further.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Longest request line (method, target, version): gunicorn's largest ``limit_request_line``.
MAX_REQUEST_LINE = 8190
#: Longest head (request line and header fields).
MAX_HEAD_BYTES = 64 * 1024
#: Longest chunk-size line (size and extensions) of a chunked body.
MAX_CHUNK_LINE = 1024

_METHOD = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_REQUEST_LINE = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \S+ HTTP/[0-9]\.[0-9]")
_HEX = re.compile(rb"[0-9A-Fa-f]+")
_BARE_LF = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class Refusal:
    """The request cannot be served whatever comes next: answer ``status`` and close."""

    status: int
    detail: str


class Arrival:
    """The bytes of one request as they come in; ``feed`` says whether they are complete."""

    def __init__(self, max_body_bytes: int) -> None:
        self.data = bytearray()
        self.max_body_bytes = max_body_bytes
        self.head_end: int | None = None  # offset of the body
        self.expects_continue = False  # ``Expect: 100-continue``: the client waits for a go-ahead
        self._body_end: int | None = None  # Content-Length bodies: offset where the request ends
        self._chunk_at: int | None = None  # chunked bodies: offset of the next chunk-size line
        self._chunked_size = 0
        self._trailers = False
        self._scanned = 0

    @property
    def started(self) -> bool:
        return bool(self.data)

    def feed(self, chunk: bytes) -> bool | Refusal:
        """True when a complete request (or one the server's parser rejects at once) is buffered."""
        self.data += chunk
        if self.head_end is None:
            head = self._scan_head()
            if head is not True:
                return head
        if self._body_end is not None:
            return len(self.data) >= self._body_end
        if self._chunk_at is not None:
            return self._scan_chunks()
        return True

    def _scan_head(self) -> bool | Refusal:
        data = self.data
        if data == b"\r":
            return False
        start = 2 if data.startswith(b"\r\n") else 0  # RFC 9112 2.2: one empty line before the request is allowed
        line_end = data.find(b"\n", start)
        first = data[start:line_end if line_end >= 0 else len(data)]
        method = first.split(b" ", 1)[0]
        if method and not _METHOD.fullmatch(method) or (line_end < 0 and len(first) > 32 and b" " not in first):
            return Refusal(400, "not an HTTP/1.x request")
        if line_end < 0:
            if len(first) > MAX_REQUEST_LINE:
                return Refusal(414, f"the request line is longer than {MAX_REQUEST_LINE} bytes")
            return False
        if line_end - start > MAX_REQUEST_LINE + 1:
            return Refusal(414, f"the request line is longer than {MAX_REQUEST_LINE} bytes")
        if line_end - start <= 1 or data[line_end - 1:line_end] != b"\r":
            return True  # an empty request line or a bare LF: the parser answers 400 straight away
        if not _REQUEST_LINE.fullmatch(data, start, line_end - 1):
            return Refusal(400, "not an HTTP/1.x request line (method, target, HTTP version)")
        end = data.find(b"\r\n\r\n", max(start, self._scanned - 3))
        if end < 0:
            if _BARE_LF.search(data, max(line_end + 1, self._scanned - 1)):
                return True  # a bare LF in a header line: the parser answers 400 straight away
            self._scanned = len(data)
            if len(data) > MAX_HEAD_BYTES:
                return Refusal(431, f"the request head is larger than {MAX_HEAD_BYTES} bytes")
            return False
        self.head_end = end + 4
        if self.head_end > MAX_HEAD_BYTES:
            return Refusal(431, f"the request head is larger than {MAX_HEAD_BYTES} bytes")
        return self._read_framing(bytes(data[start:end]))

    def _read_framing(self, head: bytes) -> bool | Refusal:
        lengths: list[bytes] = []
        codings: list[bytes] = []
        request_line, *fields = head.split(b"\r\n")
        for line in fields:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                lengths.append(value.strip())
            elif name == b"transfer-encoding":
                codings.append(value.strip().lower())
            elif name == b"expect":
                self.expects_continue = value.strip().lower() == b"100-continue" and request_line.endswith(b"/1.1")
        if codings:
            if lengths or b",".join(codings).rsplit(b",", 1)[-1].strip() != b"chunked":
                return True  # conflicting or unsupported framing: the parser refuses it (400 or 501)
            self._chunk_at = self.head_end
            return self._scan_chunks()
        if lengths:
            if len(lengths) > 1 or not lengths[0].isdigit():
                return True  # the parser refuses it (400)
            size = int(lengths[0])
            if size > self.max_body_bytes:
                return Refusal(413, f"body of {size} bytes exceeds the limit of {self.max_body_bytes} bytes")
            assert self.head_end is not None
            self._body_end = self.head_end + size
            return len(self.data) >= self._body_end
        return True

    def _scan_chunks(self) -> bool | Refusal:
        data = self.data
        at = self._chunk_at
        assert at is not None
        while at <= len(data):
            if self._trailers:  # after the last chunk: trailer fields, then an empty line
                if len(data) < at + 2:
                    break
                if data[at:at + 2] == b"\r\n" or data.find(b"\r\n\r\n", at) >= 0:
                    return True
                break
            line_end = data.find(b"\r\n", at)
            if line_end < 0:
                if len(data) - at > MAX_CHUNK_LINE:
                    return Refusal(400, "malformed chunked body: chunk-size line too long")
                break
            size_text = bytes(data[at:line_end]).split(b";", 1)[0].rstrip(b" \t")
            if not _HEX.fullmatch(size_text):
                return Refusal(400, f"malformed chunked body: chunk size {size_text[:20]!r} is not hexadecimal")
            size = int(size_text, 16)
            self._chunked_size += size
            if self._chunked_size > self.max_body_bytes:
                return Refusal(413, f"body exceeds the limit of {self.max_body_bytes} bytes")
            if size == 0:
                self._trailers = True
                at = line_end + 2
                continue
            data_end = line_end + 2 + size
            if not b"\r\n".startswith(data[data_end:data_end + 2]):
                return Refusal(400, "malformed chunked body: chunk data is not followed by CRLF")
            if len(data) < data_end + 2:
                self._chunked_size -= size  # counted again when the line is read next time
                break
            at = data_end + 2
        self._chunk_at = at
        return False
