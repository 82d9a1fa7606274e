"""Values for string ``format``s, fitted to length bounds: ``make(fmt, rng, min_len, max_len)`` -> str or None."""

from __future__ import annotations

import base64
import ipaddress
import random
import string
import uuid
from collections.abc import Callable

_LOWER = string.ascii_lowercase
_TLDS = ("com", "org", "net", "io", "dev")
_WORDS = ("alpha", "beta", "delta", "echo", "nova", "orbit", "pixel", "river", "stone", "zephyr")


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_LOWER) for _ in range(max(n, 1)))


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1990, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def _email(rng: random.Random, lo: int, hi: int) -> str | None:
    domain = f"{rng.choice(_WORDS)}.{rng.choice(_TLDS)}"
    if hi < len(domain) + 2:
        domain = "x.io" if hi >= 6 else "x"
    if hi < len(domain) + 2:
        return None
    local = rng.choice(_WORDS) + str(rng.randint(1, 99))
    local = local[: max(1, hi - len(domain) - 1)]
    text = f"{local}@{domain}"
    if len(text) < lo:
        text = _word(rng, lo - len(text)) + text
    return text


def _hostname(rng: random.Random, lo: int, hi: int) -> str | None:
    host = f"{rng.choice(_WORDS)}.example.{rng.choice(_TLDS)}"
    if len(host) > hi:
        host = _word(rng, min(hi, 63)) if hi >= 1 else ""
    if len(host) < lo:
        labels = [_word(rng, 63) for _ in range(lo // 64 + 1)]
        host = ".".join(labels)[:lo].rstrip(".")
        host = host + "a" * (lo - len(host))
    return host or None


def _uri(rng: random.Random, lo: int, hi: int, scheme: bool = True) -> str | None:
    base = f"https://{rng.choice(_WORDS)}.example.com" if scheme else ""
    text = f"{base}/{rng.choice(_WORDS)}/{rng.randint(1, 999)}"
    if len(text) > hi:
        text = "urn:x" if scheme else "x"
        text = text + ":" * 0 + _word(rng, hi - len(text)) if hi > len(text) else text
    if len(text) < lo:
        text = text + "/" + _word(rng, lo - len(text) - 1)
    return text


def _byte(rng: random.Random, lo: int, hi: int) -> str | None:
    top = hi // 4
    if top < max(1, -(-lo // 4)) and lo > 0:
        return None
    chunks = rng.randint(-(-lo // 4), max(-(-lo // 4), min(top, 6)))
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(chunks * 3))).decode()


def _text(rng: random.Random, lo: int, hi: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    n = rng.randint(lo, max(lo, min(hi, lo + 12)))
    return "".join(rng.choice(alphabet) for _ in range(n))


_FIXED: dict[str, Callable[[random.Random], str]] = {
    "date": _date,
    "time": _time,
    "partial-time": lambda r: _time(r)[:-1],  # OpenAPI 2.0/3.0 validators read "time" as HH:MM:SS
    "date-time": lambda r: f"{_date(r)}T{_time(r)}",
    "duration": lambda r: f"P{r.randint(1, 30)}DT{r.randint(1, 23)}H",
    "ipv4": lambda r: str(ipaddress.IPv4Address(r.getrandbits(32) | 0x0A000000 & 0xFFFFFFFF)),
    "ipv6": lambda r: str(ipaddress.IPv6Address(r.getrandbits(128))),
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128), version=4)),
    "regex": lambda r: r.choice(("^[a-z]+$", "^\\d{3}$", "[A-Z]\\w*")),
    "json-pointer": lambda r: f"/{r.choice(_WORDS)}/{r.randint(0, 9)}",
    "relative-json-pointer": lambda r: f"{r.randint(0, 3)}/{r.choice(_WORDS)}",
    "uri-template": lambda r: f"https://{r.choice(_WORDS)}.example.com/{{id}}",
}

_FITTED: dict[str, Callable[[random.Random, int, int], str | None]] = {
    "email": _email,
    "idn-email": _email,
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "uri": _uri,
    "iri": _uri,
    "url": _uri,
    "uri-reference": lambda r, lo, hi: _uri(r, lo, hi, scheme=False),
    "iri-reference": lambda r, lo, hi: _uri(r, lo, hi, scheme=False),
    "byte": _byte,
    "binary": _text,
    "password": lambda r, lo, hi: _text(r, max(lo, min(8, hi)), hi, string.ascii_letters + string.digits + "!#%&*"),
}

KNOWN = frozenset(_FIXED) | frozenset(_FITTED)


def make(fmt: str, rng: random.Random, min_len: int = 0, max_len: int | None = None) -> str | None:
    """A string of format ``fmt`` within the bounds, or ``None`` (unknown format or cannot fit)."""
    hi = 10_000 if max_len is None else max_len
    if fmt in _FIXED:
        text = _FIXED[fmt](rng)
        return text if min_len <= len(text) <= hi else None
    if fmt in _FITTED:
        fitted = _FITTED[fmt](rng, min_len, hi)
        return fitted if fitted is not None and min_len <= len(fitted) <= hi else None
    return None
