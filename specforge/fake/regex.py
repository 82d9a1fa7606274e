"""Generate strings FROM a regular expression, by walking Python's parse tree (``re._parser``).

``RegexStrings(pattern).sample(rng, min_len, max_len)`` returns a string that ``re.search`` accepts and whose
length is within the bounds, or ``None`` after a bounded number of tries.
"""

from __future__ import annotations

import random
import string
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from specforge.schema.patterns import compile_pattern

_PRINTABLE = [c for c in string.printable if c not in "\t\n\r\x0b\x0c"]
_WORD = string.ascii_letters + string.digits + "_"
_CATEGORY = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_WORD: _WORD,
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_DIGIT: string.ascii_letters + "_-",
    C.CATEGORY_NOT_WORD: " -.,:;!@#",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_WIDTHS: dict[int, tuple[list, list[int]]] = {}  # id(parsed item list) -> (the list, its items' min widths)
_GROWTH = (2, 0, 1, 4, 8, 16, 48, 128)
_TRIES = 48


class _TooLong(Exception):
    pass


class RegexStrings:
    """Strings matching one pattern; raises ``re.error`` at construction when it does not compile."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.regex = compile_pattern(pattern)
        self.tree = sre_parse.parse(self.regex.pattern, self.regex.flags)
        self.min_len, self.max_len = _width(self.tree)
        first = self.tree.data[0] if self.tree.data else None
        last = self.tree.data[-1] if self.tree.data else None
        self.open_start = not (first and first[0] is C.AT and first[1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING))
        self.open_end = not (last and last[0] is C.AT and last[1] in (C.AT_END, C.AT_END_STRING))

    def sample(self, rng: random.Random, min_len: int = 0, max_len: int | None = None) -> str | None:
        """A matching string with ``min_len <= len <= max_len``, or ``None``."""
        cap = 10_000 if max_len is None else max_len
        low = max(min_len, self.min_len)
        high = min(cap, self.max_len, low + 24)
        for attempt in range(_TRIES):
            growth = _GROWTH[attempt % len(_GROWTH)]
            want = rng.randint(low, high) if attempt % 2 and low <= high else None
            try:
                raw = _Walk(rng, growth, cap + 1, want).run(self.tree)
            except _TooLong:
                continue
            text = self._fit(rng, raw, min_len, cap)
            if text is not None and min_len <= len(text) <= cap and self.regex.search(text):
                try:
                    text.encode("utf-8")  # lone surrogates (\\uD83D-style ranges) cannot be sent as JSON
                except UnicodeEncodeError:
                    continue
                return text
        return None

    def _fit(self, rng: random.Random, text: str, min_len: int, cap: int) -> str | None:
        if len(text) >= min_len:
            return text
        pad = "".join(rng.choice(string.ascii_lowercase) for _ in range(min_len - len(text)))
        if self.open_end:
            return text + pad
        if self.open_start:
            return pad + text
        return text


def _item_width(state, item: tuple) -> tuple[int, int]:
    return sre_parse.SubPattern(state, [item]).getwidth()


def _width(tree: sre_parse.SubPattern) -> tuple[int, int]:
    lo, hi = tree.getwidth()
    return lo, hi


class _Walk:
    def __init__(self, rng: random.Random, growth: int, limit: int, want: int | None = None) -> None:
        self.want = want
        self.rng = rng
        self.growth = growth
        self.limit = limit
        self.groups: dict[int, str] = {}
        self.size = 0

    def run(self, tree: sre_parse.SubPattern) -> str:
        self.state = tree.state
        return self.seq(tree.data, 0)

    def seq(self, items: list, after: int) -> str:
        hit = _WIDTHS.get(id(items))
        if hit is None or hit[0] is not items:
            hit = _WIDTHS[id(items)] = (items, [_item_width(self.state, item)[0] for item in items])
        widths = hit[1]
        rest = sum(widths)
        out = []
        for (op, av), width in zip(items, widths, strict=True):
            rest -= width
            out.append(self.node(op, av, after + rest))
        return "".join(out)

    def node(self, op, av, after: int = 0) -> str:  # noqa: C901 - one branch per opcode reads best
        rng = self.rng
        if op is C.LITERAL:
            return self.emit(chr(av))
        if op is C.NOT_LITERAL:
            return self.emit(rng.choice([c for c in _WORD if ord(c) != av]))
        if op is C.ANY:
            return self.emit(rng.choice(_WORD))
        if op is C.IN:
            return self.emit(self.charset(av))
        if op is C.BRANCH:
            return self.seq(rng.choice(av[1]).data, after)
        if op is C.SUBPATTERN:
            group, _, _, sub = av
            text = self.seq(sub.data, after)
            if group:
                self.groups[group] = text
            return text
        if op is C.ATOMIC_GROUP:
            return self.seq(av.data, after)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = av
            wlo, whi = sub.getwidth()
            if self.want is not None and wlo == whi and wlo > 0:
                room = (self.want - self.size - after) // wlo
                top = room if high is C.MAXREPEAT else min(high, room)
                count = max(low, top)
            else:
                high = low + self.growth if high is C.MAXREPEAT else min(high, low + max(self.growth, 0) * 4)
                count = rng.randint(low, max(low, high))
            return "".join(self.seq(sub.data, after) for _ in range(count))
        if op is C.GROUPREF:
            return self.emit(self.groups.get(av, ""))
        if op is C.GROUPREF_EXISTS:
            group, yes, no = av
            branch = yes if group in self.groups else no
            return self.seq(branch.data, after) if branch is not None else ""
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return ""
        if op is C.CATEGORY:
            return self.emit(rng.choice(_CATEGORY.get(av, _WORD)))
        return ""

    def emit(self, text: str) -> str:
        self.size += len(text)
        if self.size > self.limit:
            raise _TooLong
        return text

    def charset(self, items: list) -> str:
        rng = self.rng
        if items and items[0][0] is C.NEGATE:
            banned = items[1:]
            pool = [c for c in _PRINTABLE if not _in_set(ord(c), banned)]
            return rng.choice(pool) if pool else "\u00e9"
        op, av = rng.choice(items)
        if op is C.LITERAL:
            return chr(av)
        if op is C.RANGE:
            lo, hi = av
            if lo <= 0x7A and hi >= 0x30 and hi - lo > 60:  # keep wide ranges readable
                ascii_pool = [chr(c) for c in range(max(lo, 0x30), min(hi, 0x7A) + 1) if chr(c).isalnum()]
                if ascii_pool:
                    return rng.choice(ascii_pool)
            code = rng.randint(lo, hi)
            return chr(code) if not 0xD800 <= code <= 0xDFFF else chr(lo if lo < 0xD800 else 0xE000)
        if op is C.CATEGORY:
            return rng.choice(_CATEGORY.get(av, _WORD))
        return rng.choice(_WORD)


def _in_set(code: int, items: list) -> bool:
    for op, av in items:
        if op is C.LITERAL and av == code:
            return True
        if op is C.RANGE and av[0] <= code <= av[1]:
            return True
        if op is C.CATEGORY:
            ch = chr(code)
            if av is C.CATEGORY_DIGIT and ch.isdigit() or av is C.CATEGORY_WORD and (ch.isalnum() or ch == "_"):
                return True
            if av is C.CATEGORY_SPACE and ch.isspace():
                return True
            if av is C.CATEGORY_NOT_DIGIT and not ch.isdigit() or av is C.CATEGORY_NOT_SPACE and not ch.isspace():
                return True
            if av is C.CATEGORY_NOT_WORD and not (ch.isalnum() or ch == "_"):
                return True
    return False
