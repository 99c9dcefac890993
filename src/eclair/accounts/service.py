"""The accounts service: users, login sessions, API keys, and the single-user rule.

Contract:
- **Single-user mode** holds when the server is bound to a loopback address and no account
  with a password exists *or ever existed* (the store remembers it, see
  :meth:`~eclair.store.users.UserStore.login_required`): erasing the last account does not
  reopen the server; :meth:`Accounts.reopen_single_user` (``eclair users reopen``) does. Its
  requests act as the implicit *local* user (``is_local``), created on first need. The first
  real account created takes the local user over (it is renamed and given the password), so
  conversations and documents made in single-user mode are kept; the local user's sessions and
  API keys end at that switch, whatever creates the account (the store does it).
- Login checks an argon2 hash and spends the same time for unknown names. It is throttled per
  name and per client address (:mod:`eclair.accounts.throttle`: a refused attempt hashes
  nothing), and at most ``hash_slots`` passwords are hashed at once (argon2 takes 64 MiB
  each): past a short wait for a slot, 429 ``login_busy``. A session is a random token (the
  cookie) stored as its SHA-256 digest, with its own CSRF token; it lasts ``SESSION_TTL`` and
  is dropped at logout or when the user is deleted.
- API keys (``ek-…``) are shown once at creation, stored as digests, revocable; a revoked key
  or a deleted user's key authenticates nothing. What a key may do (not manage keys or the
  account) is decided by :mod:`eclair.api.identity`.
- Blocking, like the store: async callers use a worker thread.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from eclair.accounts import credentials
from eclair.accounts.throttle import LoginThrottle
from eclair.errors import InvalidRequest, RateLimited
from eclair.store import ApiKey, Session, Store, User
from eclair.store.ids import utcnow

SESSION_TTL = timedelta(days=14)
LOCAL_USER_NAME = "local"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
MAX_KEY_NAME_CHARS = 100
# How long a login waits for a hashing slot before 503: a few hashes' time (~0.1 s each).
HASH_WAIT_S = 1.0


def is_loopback(host: str) -> bool:
    """Whether a bind address (or Host header name) only reaches this machine."""
    host = host.strip().strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class NewSession:
    """A login: the cookie value (shown once) and the stored session."""

    token: str
    session: Session


@dataclass(frozen=True, slots=True)
class NewKey:
    """A created API key: the secret (shown once) and its stored metadata."""

    secret: str
    key: ApiKey


class Accounts:
    def __init__(
        self,
        store: Store,
        *,
        bind_host: str,
        throttle: LoginThrottle | None = None,
        hash_slots: int = 2,
    ):
        self.store = store
        self.bind_host = bind_host
        self.throttle = throttle or LoginThrottle()
        self._hash_slots = threading.BoundedSemaphore(hash_slots)

    @contextmanager
    def _hashing(self) -> Iterator[None]:
        """Hold one of the ``hash_slots``: memory stays bounded however many logins arrive."""
        if not self._hash_slots.acquire(timeout=HASH_WAIT_S):
            # 429, not 503: the contract is "an answer or a clean 4xx" for any attack.
            raise RateLimited(
                "too many logins are being checked at once; retry shortly", retry_after=1, code="login_busy"
            )
        try:
            yield
        finally:
            self._hash_slots.release()

    # -- modes -----------------------------------------------------------------------------

    def single_user(self) -> bool:
        return is_loopback(self.bind_host) and not self.store.users.login_required()

    def reopen_single_user(self) -> None:
        """Let a loopback server run without login again, once no account is left."""
        if self.store.users.count_with_password():
            raise InvalidRequest(
                "accounts exist: delete them first to return to single-user mode", code="accounts_exist"
            )
        self.store.users.reopen_single_user()

    def local_user(self) -> User:
        """The implicit owner of single-user mode (created on first call)."""
        user = self.store.users.local()
        if user is not None:
            return user
        try:
            return self.store.users.create(LOCAL_USER_NAME, password_hash=None, is_admin=True, is_local=True)
        except IntegrityError:
            # Another request created it first (unique name): use theirs.
            user = self.store.users.local()
            if user is None:
                raise
            return user

    # -- users -----------------------------------------------------------------------------

    def add_user(self, name: str, password: str, *, admin: bool = False) -> User:
        check_name(name)
        check_password(password)
        local = self.store.users.local()
        adopt = local is not None and self.store.users.count_with_password() == 0
        existing = self.store.users.by_name(name)
        if existing is not None and not (adopt and existing.is_local):
            raise InvalidRequest(f"a user named '{name}' already exists", param="name", code="user_exists")
        with self._hashing():
            password_hash = credentials.hash_password(password)
        if adopt and local is not None:
            # Setting the password ends the local user's login-free sessions and keys (store).
            adopted = self.store.users.update(
                local.id, name=name, password_hash=password_hash, is_admin=admin, is_local=False
            )
            if adopted is not None:
                return adopted
        return self.store.users.create(name, password_hash=password_hash, is_admin=admin)

    def set_password(self, user_id: str, password: str) -> None:
        check_password(password)
        with self._hashing():
            password_hash = credentials.hash_password(password)
        self.store.users.update(user_id, password_hash=password_hash)

    def delete_user(self, name: str) -> bool:
        user = self.store.users.by_name(name)
        return user is not None and self.store.users.delete(user.id)

    def authenticate(self, name: str, password: str, *, client: str | None = None) -> User | None:
        """The user with this name and password, or None. ``client`` is the caller's address.

        Raises :class:`~eclair.errors.RateLimited` while the name or the address is throttled
        (nothing hashed), and also (code ``login_busy``, not counted as a failure) when no hashing
        slot frees in time.
        """
        attempt = self.throttle.begin(name, client)
        try:
            with self._hashing():
                user = self._check_password(name, password)
        except RateLimited:  # only _hashing raises inside: no slot, so no guess was made
            self.throttle.cancelled(attempt)
            raise
        if user is not None:
            self.throttle.succeeded(attempt)
        return user

    def _check_password(self, name: str, password: str) -> User | None:
        user = self.store.users.by_name(name) if NAME_PATTERN.fullmatch(name) else None
        stored = self.store.users.password_hash(user.id) if user is not None else None
        if stored is None or len(password) > MAX_PASSWORD_CHARS:
            # Unknown names cost one verification too: the time taken tells nothing.
            credentials.verify_password(credentials.DUMMY_HASH, password[:MAX_PASSWORD_CHARS])
            return None
        if not credentials.verify_password(stored, password):
            return None
        assert user is not None
        if credentials.needs_rehash(stored):
            self.store.users.update(user.id, password_hash=credentials.hash_password(password))
        return user

    # -- sessions --------------------------------------------------------------------------

    def login(self, user: User) -> NewSession:
        token = credentials.new_token()
        session = self.store.users.create_session(
            user.id,
            digest=credentials.digest(token),
            csrf_token=credentials.new_token(),
            expires_at=utcnow() + SESSION_TTL,
        )
        return NewSession(token=token, session=session)

    def session(self, token: str) -> tuple[Session, User] | None:
        if not token or len(token) > 256:
            return None
        return self.store.users.session(credentials.digest(token))

    def logout(self, token: str) -> None:
        if token and len(token) <= 256:
            self.store.users.delete_session(credentials.digest(token))

    # -- API keys --------------------------------------------------------------------------

    def create_key(self, user: User, name: str) -> NewKey:
        name = name.strip()
        if not name or len(name) > MAX_KEY_NAME_CHARS:
            raise InvalidRequest(f"a key name is 1 to {MAX_KEY_NAME_CHARS} characters", param="name")
        secret = credentials.new_api_key()
        key = self.store.users.create_key(
            user.id,
            name=name,
            prefix=secret[: credentials.SHOWN_PREFIX_CHARS],
            digest=credentials.digest(secret),
        )
        return NewKey(secret=secret, key=key)

    def key_user(self, secret: str) -> User | None:
        if not secret.startswith(credentials.API_KEY_PREFIX) or len(secret) > 256:
            return None
        found = self.store.users.key_owner(credentials.digest(secret))
        return None if found is None else found[1]


def check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidRequest(
            "a user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            param="name",
            code="invalid_user_name",
        )


def check_password(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise InvalidRequest(
            f"a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters",
            param="password",
            code="invalid_password",
        )
