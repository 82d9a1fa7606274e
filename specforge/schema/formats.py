"""Format checks for strings (``format`` keyword); unknown formats always pass."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import re
import uuid
from collections.abc import Callable

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$", re.ASCII)  # 3.0 omits offsets
_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", re.ASCII
)
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$", re.ASCII)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_URI_REF = re.compile(r"^[^\s]*$")
_JSON_POINTER = re.compile(r"^(/([^/~]|~[01])*)*$")
_REL_POINTER = re.compile(r"^(0|[1-9][0-9]*)(#|(/([^/~]|~[01])*)*)$", re.ASCII)
_TEMPLATE = re.compile(r"^([^{}\s]|\{[^{}\s]+\})*$")


def _date(s: str) -> bool:
    if not _DATE.match(s):
        return False
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def _time(s: str) -> bool:
    m = _TIME.match(s)
    return m is not None and int(m[1]) < 24 and int(m[2]) < 60 and int(m[3]) < 61


def _date_time(s: str) -> bool:
    head, sep, tail = s.partition("T") if "T" in s else s.partition("t")
    has_offset = tail[-1:] in ("Z", "z") or tail[-6:-5] in ("+", "-")
    return bool(sep) and _date(head) and _time(tail) and has_offset


def _email(s: str) -> bool:
    local, at, domain = s.rpartition("@")
    return bool(at and local and domain) and " " not in s


def _hostname(s: str) -> bool:
    return 0 < len(s) <= 253 and all(_HOST_LABEL.match(label) for label in s.rstrip(".").split("."))


def _ip(version: int) -> Callable[[str], bool]:
    def check(s: str) -> bool:
        try:
            return ipaddress.ip_address(s).version == version and "%" not in s
        except ValueError:
            return False

    return check


def _uuid(s: str) -> bool:
    try:
        return len(s) == 36 and str(uuid.UUID(s)) == s.lower()
    except ValueError:
        return False


def _byte(s: str) -> bool:
    try:
        base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(s) % 4 == 0


def _regex(s: str) -> bool:
    try:
        re.compile(s)
    except re.error:
        return False
    return True


CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _date,
    "time": _time,
    "date-time": _date_time,
    "duration": lambda s: bool(_DURATION.match(s)),
    "email": _email,
    "idn-email": _email,
    "hostname": _hostname,
    "idn-hostname": lambda s: 0 < len(s) <= 253 and " " not in s,
    "ipv4": _ip(4),
    "ipv6": _ip(6),
    "uri": lambda s: bool(_URI.match(s)),
    "iri": lambda s: bool(_URI.match(s)),
    "uri-reference": lambda s: bool(_URI_REF.match(s)),
    "iri-reference": lambda s: bool(_URI_REF.match(s)),
    "uri-template": lambda s: bool(_TEMPLATE.match(s)),
    "uuid": _uuid,
    "byte": _byte,
    "regex": _regex,
    "json-pointer": lambda s: bool(_JSON_POINTER.match(s)),
    "relative-json-pointer": lambda s: bool(_REL_POINTER.match(s)),
}


def check_format(fmt: str, value: str) -> bool:
    """True when ``value`` has format ``fmt`` (or the format is unknown)."""
    check = CHECKS.get(fmt)
    return check is None or check(value)
