"""Password hashing (argon2id) and the random tokens behind sessions, CSRF and API keys.

Contract: tokens carry 256 bits from :mod:`secrets`; what the store keeps is their SHA-256
digest (fast to look up, useless to a reader of the database: the preimage is 256 random
bits, so no slow hash is needed). Passwords use argon2id with argon2-cffi's defaults (RFC 9106
low-memory profile); :func:`verify_password` runs in constant time whether or not the user
exists, when given :data:`DUMMY_HASH`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

API_KEY_PREFIX = "ek-"
# Characters of a key kept in clear in the store, to tell keys apart in a list.
SHOWN_PREFIX_CHARS = 10

_hasher = PasswordHasher()
DUMMY_HASH = _hasher.hash("not a password: used to spend the same time for unknown users")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))
