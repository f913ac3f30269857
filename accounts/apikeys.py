"""API keys for outside systems: ``<kind>_<prefix>_<secret>``. Only a hash is stored; the key is
shown once. The prefix finds the row, a constant-time comparison of hashes checks the secret."""

import hashlib
import re
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class NewKey:
    prefix: str
    key: str
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(kind: str) -> NewKey:
    prefix = secrets.token_hex(4)
    key = f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(prefix=prefix, key=key, key_hash=hash_key(key))


PREFIX_RE = re.compile(r"[0-9a-f]{8}")


def prefix_of(key: str, kind: str) -> str | None:
    """The prefix of a well-formed key of this kind, else None (never a database lookup for
    anything else)."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != kind or not PREFIX_RE.fullmatch(parts[1]) or not parts[2]:
        return None
    return parts[1]


def matches(key: str, key_hash: str) -> bool:
    return matches_hash(hash_key(key), key_hash)


def matches_hash(presented_hash: str, key_hash: str) -> bool:
    return secrets.compare_digest(presented_hash, key_hash)
