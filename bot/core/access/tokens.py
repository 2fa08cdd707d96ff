"""The API token format and its hashing: pure functions, no storage.

A token is `lq_<id>_<secret>`: `id` is the row id (the lookup key), `secret` 43 URL-safe
characters from `secrets.token_urlsafe(32)` (256 random bits). Only the SHA-256 hex digest
of the secret is stored, with its first `PREFIX_LEN` characters to recognise it in a list.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SECRET_BYTES = 32
PREFIX_LEN = 4
_TOKEN_RE = re.compile(r"lq_([1-9][0-9]{0,17})_([A-Za-z0-9_-]{32,128})")
_DUMMY_HASH = hashlib.sha256(b"no such token").hexdigest()


@dataclass(frozen=True, slots=True)
class ParsedToken:
    token_id: int
    secret: str


def new_secret() -> str:
    """A fresh secret (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def format_token(token_id: int, secret: str) -> str:
    return f"lq_{token_id}_{secret}"


def parse_token(text: str) -> ParsedToken | None:
    """The id and secret of a well-formed token; None for anything else."""
    m = _TOKEN_RE.fullmatch(text)
    if m is None:
        return None
    return ParsedToken(int(m.group(1)), m.group(2))


def hash_secret(secret: str) -> str:
    """What is stored: the SHA-256 hex digest of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def prefix_of(secret: str) -> str:
    """The non-secret part shown in lists: the first characters of the secret."""
    return secret[:PREFIX_LEN]


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    """Whether `secret` hashes to `stored_hash`, compared in constant time
    (`hmac.compare_digest`); a missing row is compared against a dummy hash so an unknown
    id costs the same work as a wrong secret."""
    expected = _DUMMY_HASH if stored_hash is None else stored_hash
    same = hmac.compare_digest(hash_secret(secret).encode(), expected.encode())
    return same and stored_hash is not None
