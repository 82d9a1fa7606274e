"""Generators for scalar types (string, integer, number) from a merged view; each returns ``fn(rng, depth)``."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from specforge.fake import formats, hints
from specforge.fake.regex import RegexStrings
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.formats import check_format
from specforge.schema.patterns import compile_pattern, is_risky
from specforge.schema.validate import is_multiple

Fn = Callable[[random.Random, int], Any]
_TRIES = 24
_POOL = 48
_POOLED = 0.85
_WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore "
    "magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo"
).split()
_URI_FORMATS = frozenset({"uri", "url", "iri", "uri-reference", "iri-reference"})
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1), "int8": (-128, 127),
               "uint8": (0, 255), "int16": (-(2**15), 2**15 - 1)}


def string_fn(m: dict, name: str | None, locale: str, dialect: str = "oas3.1") -> Fn:
    """Strings honouring length, every ``pattern`` and ``format``; realistic when a hint fits."""
    lo, hi = m.get("minLength", 0), m.get("maxLength")
    patterns, fmts = m.get("patterns", []), m.get("formats", [])
    regexes = [compile_pattern(p) for p in patterns]

    def ok(s: str) -> bool:
        return (lo <= len(s) and (hi is None or len(s) <= hi) and all(r.search(s) for r in regexes)
                and all(check_format(f, s) for f in fmts))

    # values not built from the pattern may make a backtracking regex take exponential time: skip them then
    risky = any(is_risky(p) for p in patterns)
    candidates = [] if risky else _realistic(m, name, locale, ok)
    if candidates:
        n = len(candidates)
        return lambda rng, depth: candidates[int(rng.random() * n)]
    makers: list[Callable[[random.Random], str | None]] = []
    if fmts and fmts[0] in formats.KNOWN:
        fmt = "partial-time" if fmts[0] == "time" and dialect != "oas3.1" else fmts[0]
        makers.append(lambda rng: formats.make(fmt, rng, lo, hi))
    if patterns:
        source = RegexStrings(patterns[0])
        makers.append(lambda rng: source.sample(rng, lo, hi))
        if fmts and fmts[0] in _URI_FORMATS and not patterns[0].startswith(("^", "\\A")):
            # a pattern matched anywhere (".+/v1$") and a URI format: the pattern's value as the URI's path
            makers.append(lambda rng: _under_uri(source.sample(rng, 0, None), lo, hi))
    where = ("pattern",) if patterns else ("format",) if makers else ("maxLength",)
    if not makers:
        makers.append(lambda rng: _text(rng, lo, hi))

    def make(rng: random.Random) -> str | None:
        for maker in makers:
            s = maker(rng)
            if s is not None and ok(s):
                return s
        return None

    def live(rng: random.Random) -> str:
        for _ in range(_TRIES):
            s = make(rng)
            if s is not None and ok(s):
                return s
        raise UnsatisfiableSchema(where, "could not generate a string meeting pattern/format/length together")

    if where == ("maxLength",):
        return lambda rng, depth: live(rng)
    # regex and format values are costly: pre-generate a pool once (seeded by the constraints), pick mostly from it
    seeder = random.Random(zlib.crc32(repr((patterns, fmts, lo, hi)).encode()))
    pool = list(dict.fromkeys(s for s in (make(seeder) for _ in range(_POOL)) if s is not None and ok(s)))
    if not pool:
        live(seeder)  # raises UnsatisfiableSchema when nothing fits
    n = len(pool)

    def gen(rng: random.Random, depth: int) -> str:
        if rng.random() < _POOLED:
            return pool[int(rng.random() * n)]
        return live(rng)

    return gen


def _under_uri(sample: str | None, lo: int, hi: int | None) -> str | None:
    if sample is None:
        return None
    value = "https://example.com/" + sample.lstrip("/")
    return value if lo <= len(value) and (hi is None or len(value) <= hi) else None


def _realistic(m: dict, name: str | None, locale: str, ok: Callable[[str], bool]) -> list:
    examples = [e for e in m.get("examples", ()) if isinstance(e, str) and ok(e)]
    method = m.get("hint")
    hint = ("faker", method) if method else (None if m.get("patterns") else hints.string_hint(name))
    values: list = []
    if hint and hint[0] == "faker" and (not m.get("formats") or method or m["formats"][0] in ("email", "uri", "url")):
        values = [v for v in hints.pool(locale, hint[1]) if isinstance(v, str) and ok(v)]
    elif hint and hint[0] == "format" and not m.get("formats"):
        rng = random.Random(hint[1])
        values = [v for v in (formats.make(hint[1], rng) for _ in range(64)) if v is not None and ok(v)]
    return values + examples if values else examples * 4 if len(examples) >= 1 and not m.get("formats") else values


def _text(rng: random.Random, lo: int, hi: int | None) -> str:
    top = lo + 24 if hi is None else min(hi, max(lo, 24) if lo <= 24 else lo + 8)
    n = rng.randint(lo, max(lo, top)) if top > 6 else rng.randint(lo, max(lo, top))
    if n == 0:
        return "" if hi == 0 or rng.random() < 0.05 else _text(rng, max(lo, 1), hi)
    words: list[str] = []
    size = 0
    while size < n:
        word = _WORDS[int(rng.random() * len(_WORDS))]
        words.append(word)
        size += len(word) + 1
    text = " ".join(words)[:n].rstrip()
    text = text + "x" * (n - len(text))
    return text[0].upper() + text[1:]


def integer_fn(m: dict, name: str | None) -> Fn:
    """Integers within bounds (inclusive or exclusive), multiples of every ``multipleOf``, in format range."""
    lo, hi = _int_bounds(m)
    step = _step(m.get("multipleOf", []), integer=True)
    lo, hi = _default_range(lo, hi, hints.number_hint(name), 0, 1000)
    klo, khi = math.ceil(Fraction(lo) / step), math.floor(Fraction(hi) / step)
    if klo > khi:
        raise UnsatisfiableSchema(("multipleOf",), f"no multiple of {step} between {lo} and {hi}")
    factors = m.get("multipleOf", [])
    if all(is_multiple(int(k * step), f) for k in (klo, khi) for f in factors) and step.denominator == 1:
        s = int(step)
        return lambda rng, depth: rng.randint(klo, khi) * s

    def gen(rng: random.Random, depth: int) -> int:
        for _ in range(_TRIES):
            value = int(rng.randint(klo, khi) * step)
            if all(is_multiple(value, f) for f in factors):
                return value
        raise UnsatisfiableSchema(("multipleOf",), "could not find a suitable multiple")

    return gen


def number_fn(m: dict, name: str | None) -> Fn:
    """Floats within bounds; ``multipleOf`` (also 0.01-like) checked the way JSON Schema validators do."""
    flo, fhi = m.get("lo"), m.get("hi")
    hint = hints.number_hint(name)
    lo, hi = _default_range(flo[0] if flo else None, fhi[0] if fhi else None, hint, 0.0, 1000.0)
    xlo, xhi = bool(flo and flo[1] and flo[0] == lo), bool(fhi and fhi[1] and fhi[0] == hi)
    factors = m.get("multipleOf", [])
    decimals = hint[2] if hint else 2

    def inside(v: float) -> bool:
        return (lo < v if xlo else lo <= v) and (v < hi if xhi else v <= hi) and math.isfinite(v)

    if factors:
        step = _step(factors, integer=False)
        klo, khi = math.ceil(Fraction(lo) / step), math.floor(Fraction(hi) / step)

        def gen_multiple(rng: random.Random, depth: int) -> float | int:
            for _ in range(_TRIES * 2):
                k = rng.randint(klo, khi) if klo <= khi else klo
                exact = k * step
                value: float | int = int(exact) if exact.denominator == 1 else float(exact)
                if inside(value) and all(is_multiple(value, f) for f in factors):
                    return value
            for k in range(klo, min(khi, klo + 500) + 1):
                exact = k * step
                value = int(exact) if exact.denominator == 1 else float(exact)
                if inside(value) and all(is_multiple(value, f) for f in factors):
                    return value
            raise UnsatisfiableSchema(("multipleOf",), f"no multiple of {factors} in [{lo}, {hi}]")

        gen_multiple(random.Random(0), 0)
        return gen_multiple

    def gen(rng: random.Random, depth: int) -> float:
        value = round(rng.uniform(lo, hi), decimals)
        if inside(value):
            return value
        for candidate in (round((lo + hi) / 2, decimals), (lo + hi) / 2, math.nextafter(lo, math.inf)):
            if inside(candidate):
                return candidate
        raise UnsatisfiableSchema(("minimum",), f"no number in ({lo}, {hi})")

    gen(random.Random(0), 0)
    return gen


def _int_bounds(m: dict) -> tuple[int | None, int | None]:
    lo = hi = None
    if "lo" in m:
        v, excl = m["lo"]
        lo = math.floor(v) + 1 if excl or v != math.floor(v) else int(v)
    if "hi" in m:
        v, excl = m["hi"]
        hi = math.ceil(v) - 1 if excl or v != math.ceil(v) else int(v)
    for fmt in m.get("formats", ()):
        if fmt in _INT_RANGES:
            flo, fhi = _INT_RANGES[fmt]
            lo, hi = max(lo, flo) if lo is not None else flo, min(hi, fhi) if hi is not None else fhi
    if lo is not None and hi is not None and lo > hi:
        raise UnsatisfiableSchema(("minimum",), f"no integer in [{lo}, {hi}]")
    return lo, hi


def _default_range(lo: Any, hi: Any, hint: tuple | None, dlo: float, dhi: float) -> tuple:
    if hint:
        hlo, hhi = hint[0], hint[1]
        nlo = hlo if lo is None else max(lo, hlo)
        nhi = hhi if hi is None else min(hi, hhi)
        if nlo <= nhi:
            return (type(dlo)(nlo) if isinstance(dlo, int) else nlo), (type(dhi)(nhi) if isinstance(dhi, int) else nhi)
    if lo is None and hi is None:
        return dlo, dhi
    if lo is None:
        return (dlo if hi > dlo else hi - (dhi - dlo)), hi
    if hi is None:
        return lo, (dhi if lo < dhi else lo + (dhi - dlo))
    if isinstance(dlo, int) and hi - lo > 10**6 and lo <= dlo <= dhi <= hi:
        return dlo, dhi  # huge ranges (int64) read better small
    return lo, hi


def _step(factors: list, integer: bool) -> Fraction:
    step = Fraction(1) if integer else None
    for f in factors:
        frac = Fraction(str(f)) if isinstance(f, float) else Fraction(f)
        step = frac if step is None else _lcm(step, frac)
    return step if step is not None else Fraction(1)


def _lcm(a: Fraction, b: Fraction) -> Fraction:
    num = a.numerator * b.numerator // math.gcd(a.numerator, b.numerator)
    den = math.gcd(a.denominator, b.denominator)
    return Fraction(num, den)
