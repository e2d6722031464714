"""Certificate codes: 140 random bits, written for people.

A code looks like `LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA`: Crockford base32 (no I, L, O, U, so
nothing reads as another character) in groups of four. Typing it back is forgiving: any case,
spaces or dashes anywhere, with or without the `LL` prefix, and O/I/L read as 0/1/1.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LL"
LENGTH = 28  # characters of 5 bits: 140 bits from `secrets`
GROUP = 4
_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _format(body)


def _format(body: str) -> str:
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups])


def normalise_code(typed: str) -> str | None:
    """The stored form of a code as someone typed it, or None if it cannot be a code."""
    text = _SEPARATORS.sub("", (typed or "").upper())
    if len(text) == LENGTH + len(PREFIX) and text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    text = text.translate(_TYPING)
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return _format(text)
