"""Secrets in examples and defaults: values that look like real keys, tokens or passwords.

A value is reported when it has the shape of a known credential (``sk_live_``, ``ghp_``,
``AKIA...``, a JWT, a private key), or when it sits under a credential-like name (``password``,
``api_key``, ``client_secret``, ``Authorization``...) and looks real: a high-entropy token with
letters and digits, or a password mixing three character classes. High-entropy strings under
other names are not reported: in real descriptions they are pagination markers, ids and hashes
far more often than secrets. Placeholders (``<token>``, ``xxxx``, ``your-api-key``, ``...``,
``...EXAMPLE``) and the public jwt.io sample token are never reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import orjson

from specforge.lint.context import Context
from specforge.lint.functions import triggers
from specforge.lint.model import Problem

#: (pattern, what it is, literals one of which every match contains): the literals are found with a
#: plain substring search, far faster than any regex, so most strings never meet a pattern.
KNOWN_SECRETS = (
    (re.compile(r"\b[rs]k_live_[0-9A-Za-z]{10,}"), "a Stripe live key", ("k_live_",)),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"), "a GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{30,}"), "a GitHub token", ("github_pat_",)),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id", ("AKIA", "ASIA")),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "a Slack token", ("xox",)),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "a Google API key", ("AIza",)),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "a GitLab token", ("glpat-",)),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "an npm token", ("npm_",)),
    (re.compile(r"\bSG\.[\w-]{22}\.[\w-]{43}\b"), "a SendGrid key", ("SG.",)),
    (re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{32,}"), "an OpenAI key", ("sk-",)),
    (re.compile(r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"), "a private key", ("PRIVATE KEY-----",)),
    (re.compile(r"\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}"), "a JSON Web Token", ("eyJ",)),
)
_ANCHOR = re.compile("|".join(re.escape(anchor) for _, _, anchors in KNOWN_SECRETS for anchor in anchors))
#: The signature of the sample token on jwt.io, copied into countless docs; it protects nothing.
_PUBLIC_SAMPLE_JWT = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
_PLACEHOLDER = re.compile(
    r"example|sample|dummy|fake|placeholder|redacted|changeme|change_me|your[_ -]?|xxxx|\*\*\*|<|>|\{\{|\$\{|\.\.\."
    r"|^(string|password|secret|token|test|null|none)$",
    re.IGNORECASE,
)
_SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credential"
    r"|^authorization$|^x-api-key$",
    re.IGNORECASE,
)
#: Lower-case words one of which every ``_SECRET_NAME`` match contains (searched as plain substrings).
_SECRET_NAME_WORDS = ("pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "privatekey", "private_key",
                      "private-key", "accesskey", "access_key", "access-key", "credential", "authorization")
_PASSWORD_NAME = re.compile(r"pass(word|wd|phrase)|pwd", re.IGNORECASE)
_NOT_SECRET_NAME = re.compile(
    r"(id|ids|name|names|type|types|url|uri|expires?|expires_?(in|at)|expiry|ttl|length|policy|hint|count|status"
    r"|prefix|endpoint|enabled|required|format|scopes?|location|path|version|method|lifetime)$",
    re.IGNORECASE,
)
_AUTH_PREFIX = re.compile(r"^(bearer|token|basic)\s+", re.IGNORECASE)
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_\-+/=.~]+$")
_HEX = re.compile(r"^[0-9a-fA-F-]+$")

#: Fields of each node kind that hold example payloads or defaults.
_PAYLOAD_FIELDS = ("example", "x-example", "default", "value")


@triggers(*_PAYLOAD_FIELDS, "examples")
def secrets_in_examples(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report secret-looking strings in the node's examples and defaults, at the string itself."""
    if not isinstance(value, dict):
        return
    name = _context_name(ctx, value)
    for field in _PAYLOAD_FIELDS:
        if field in value and (field != "value" or ctx.node.kind == "Example"):
            yield from _scan(value[field], (field,), name)
    examples = value.get("examples")
    if isinstance(examples, list):  # 3.1 Schema Object
        for index, example in enumerate(examples):
            yield from _scan(example, ("examples", index), name)
    elif isinstance(examples, dict) and ctx.node.kind == "Response":  # 2.0: media type -> payload
        for media_type, example in examples.items():
            yield from _scan(example, ("examples", media_type), None)


def _context_name(ctx: Context, value: dict) -> str | None:
    node = ctx.node
    if node.kind == "Parameter":
        return str(value.get("name", "")) or None
    if node.kind == "Header" or (node.kind == "Schema" and node.relation == "properties"):
        return str(node.key)
    return None


def _scan(payload: Any, path: tuple, name: str | None) -> Iterator[Problem]:
    """Every string of an example payload, each under the nearest mapping key (iterative: payloads are deep)."""
    if isinstance(payload, (dict, list)) and not _may_hold_secret(payload, name):
        return
    stack = [(payload, path, name)]
    while stack:
        item, at, key = stack.pop()
        if isinstance(item, str):
            reason = secret_reason(item, key)
            if reason:
                yield Problem(f"{reason} in an example or default", at)
        elif isinstance(item, dict):
            stack.extend((child, at + (k,), str(k)) for k, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, at + (i,), key) for i, child in reversed(list(enumerate(item))))


def _may_hold_secret(payload: dict | list, name: str | None) -> bool:
    """False when no string of ``payload`` can be reported: searched once in its JSON text.

    JSON escaping leaves the characters the patterns look for (and word boundaries) as they are, so a
    string that would match still matches inside the text; most payloads are cleared by two searches.
    """
    if name and _is_secret_name(name):
        return True
    try:
        text = orjson.dumps(payload).decode()
    except (TypeError, orjson.JSONEncodeError):  # not JSON data (a huge integer, say): look at every string
        return True
    if _has_anchor(text):
        return True
    text = text.lower()
    return any(word in text for word in _SECRET_NAME_WORDS)


def secret_reason(text: str, name: str | None = None) -> str | None:
    """Why ``text`` (found under the key ``name``) looks like a real secret, or None."""
    if len(text) < 8 or len(text) > 4096 or _PUBLIC_SAMPLE_JWT in text:
        return None
    known = _known_secret(text) if _has_anchor(text) else None
    secret_name = bool(name) and _is_secret_name(name)
    if not (known or secret_name) or _PLACEHOLDER.search(text):
        return None
    if known:
        return f"Value looks like {known}"
    if name and secret_name:
        candidate = _AUTH_PREFIX.sub("", text.strip())
        if _PASSWORD_NAME.search(name):
            if " " not in candidate and _character_classes(candidate) >= 3:
                return f'Value of "{name}" looks like a real password'
        elif _looks_random(candidate):
            return f'Value of "{name}" looks like a real credential'
    return None


def _has_anchor(text: str) -> bool:
    return _ANCHOR.search(text) is not None


def _known_secret(text: str) -> str | None:
    """What known kind of secret ``text`` contains, if any."""
    for pattern, what, anchors in KNOWN_SECRETS:
        if any(anchor in text for anchor in anchors) and pattern.search(text):
            return what
    return None


@lru_cache(maxsize=4096)
def _is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)


def _looks_random(text: str) -> bool:
    """A token-like string: 16+ characters of a token alphabet, letters and digits, high entropy, not hex."""
    return (len(text) >= 16 and bool(_TOKEN_CHARS.match(text)) and not _HEX.match(text)
            and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
            and shannon_entropy(text) >= 3.5)


def _character_classes(text: str) -> int:
    return sum((any(c.islower() for c in text), any(c.isupper() for c in text), any(c.isdigit() for c in text),
                any(not c.isalnum() for c in text)))


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
