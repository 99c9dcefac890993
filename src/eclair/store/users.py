"""Users, login sessions and API keys.

Contract: secrets never leave this module in clear and never enter it in clear. Sessions and
API keys are stored as SHA-256 digests of the random token the client holds (computed by
:mod:`eclair.accounts`); password hashes are argon2 strings produced there too. Lookups by
digest return the owner only while the session is unexpired or the key unrevoked.

Giving a user a password (:meth:`UserStore.create` or :meth:`UserStore.update`) makes an
account, and ends single-user mode in the same transaction, whichever code path does it: the
local user's sessions and API keys are revoked (a key made without any login must not go on
acting as the first administrator, who adopts the local user's row), and the server flag
``accounts_required`` is set. That flag outlives the accounts: :meth:`UserStore.login_required`
stays true after the last one is deleted, until :meth:`UserStore.reopen_single_user`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, exists, func, literal, select, update

from eclair.store import schema as t
from eclair.store.database import Database
from eclair.store.ids import new_id, utcnow
from eclair.store.types import ApiKey, Session, User

# ``last_used_at`` is refreshed at most this often, so busy keys do not write on every request.
KEY_USE_RESOLUTION_S = 60.0
ACCOUNTS_REQUIRED = "accounts_required"


def _user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        is_admin=bool(row["is_admin"]),
        is_local=bool(row["is_local"]),
        created_at=row["created_at"],
        settings=dict(row["settings"] or {}),
    )


def _key(row: RowMapping) -> ApiKey:
    return ApiKey(
        id=row["id"],
        user_id=row["user_id"],
        name=row["name"],
        prefix=row["prefix"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )


def _session(row: RowMapping) -> Session:
    return Session(
        id=row["id"],
        user_id=row["user_id"],
        csrf_token=row["csrf_token"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )


def _end_single_user(conn: Connection) -> None:
    """Revoke what the login-free local user holds, and remember that accounts exist."""
    now = utcnow()
    local = select(t.users.c.id).where(t.users.c.is_local.is_(True))
    conn.execute(delete(t.sessions).where(t.sessions.c.user_id.in_(local)))
    conn.execute(
        update(t.api_keys)
        .where(t.api_keys.c.user_id.in_(local), t.api_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # INSERT … SELECT … WHERE NOT EXISTS: idempotent on every backend, in this one transaction.
    missing = ~exists().where(t.server_flags.c.name == ACCOUNTS_REQUIRED)
    conn.execute(
        t.server_flags.insert().from_select(
            ["name", "set_at"],
            select(literal(ACCOUNTS_REQUIRED), literal(now, t.server_flags.c.set_at.type)).where(missing),
        )
    )


class UserStore:
    def __init__(self, db: Database):
        self.db = db

    # -- users -----------------------------------------------------------------------------

    def create(
        self, name: str, *, password_hash: str | None, is_admin: bool = False, is_local: bool = False
    ) -> User:
        values: dict[str, Any] = {
            "id": new_id("u"),
            "name": name,
            "password_hash": password_hash,
            "is_admin": is_admin,
            "is_local": is_local,
            "settings": {},
            "created_at": utcnow(),
        }
        with self.db.write() as conn:
            if password_hash is not None:
                _end_single_user(conn)
            conn.execute(t.users.insert().values(**values))
        return _user(values)  # type: ignore[arg-type]

    def get(self, user_id: str) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(select(t.users).where(t.users.c.id == user_id)).mappings().first()
        return None if row is None else _user(row)

    def by_name(self, name: str) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(select(t.users).where(t.users.c.name == name)).mappings().first()
        return None if row is None else _user(row)

    def local(self) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(select(t.users).where(t.users.c.is_local.is_(True))).mappings().first()
        return None if row is None else _user(row)

    def all(self) -> list[User]:
        with self.db.read() as conn:
            rows = conn.execute(select(t.users).order_by(t.users.c.created_at, t.users.c.name)).mappings()
            return [_user(row) for row in rows]

    def count_with_password(self) -> int:
        """Accounts that can log in."""
        query = select(func.count()).select_from(t.users).where(t.users.c.password_hash.is_not(None))
        with self.db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def login_required(self) -> bool:
        """Whether an account exists or has existed (until reopened): no single-user mode then."""
        query = select(
            exists().where(t.users.c.password_hash.is_not(None))
            | exists().where(t.server_flags.c.name == ACCOUNTS_REQUIRED)
        )
        with self.db.read() as conn:
            return bool(conn.execute(query).scalar_one())

    def reopen_single_user(self) -> None:
        """Forget that accounts existed (the operator's explicit choice; the caller checks none is left)."""
        with self.db.write() as conn:
            conn.execute(delete(t.server_flags).where(t.server_flags.c.name == ACCOUNTS_REQUIRED))

    def password_hash(self, user_id: str) -> str | None:
        query = select(t.users.c.password_hash).where(t.users.c.id == user_id)
        with self.db.read() as conn:
            return conn.execute(query).scalar_one_or_none()

    def update(
        self,
        user_id: str,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        is_admin: bool | None = None,
        is_local: bool | None = None,
        settings: dict[str, Any] | None = None,
    ) -> User | None:
        values: dict[str, Any] = {
            key: value
            for key, value in {
                "name": name,
                "password_hash": password_hash,
                "is_admin": is_admin,
                "is_local": is_local,
                "settings": settings,
            }.items()
            if value is not None
        }
        if values:
            with self.db.write() as conn:
                if password_hash is not None:
                    # Before the update: an adopted local user is still ``is_local`` here.
                    _end_single_user(conn)
                conn.execute(update(t.users).where(t.users.c.id == user_id).values(**values))
        return self.get(user_id)

    def delete(self, user_id: str) -> bool:
        """Delete a user and, by cascade, everything they own."""
        with self.db.write() as conn:
            return conn.execute(delete(t.users).where(t.users.c.id == user_id)).rowcount > 0

    # -- sessions --------------------------------------------------------------------------

    def create_session(self, user_id: str, *, digest: str, csrf_token: str, expires_at: datetime) -> Session:
        values = {
            "id": digest,
            "user_id": user_id,
            "csrf_token": csrf_token,
            "created_at": utcnow(),
            "expires_at": expires_at,
        }
        with self.db.write() as conn:
            conn.execute(t.sessions.insert().values(**values))
        return _session(values)  # type: ignore[arg-type]

    def session(self, digest: str) -> tuple[Session, User] | None:
        """The live session with this digest and its user, or None (unknown or expired)."""
        query = (
            select(t.sessions, t.users.c.id.label("uid"))
            .join(t.users, t.users.c.id == t.sessions.c.user_id)
            .where(t.sessions.c.id == digest, t.sessions.c.expires_at > utcnow())
        )
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        user = self.get(row["uid"])
        return None if user is None else (_session(row), user)

    def delete_session(self, digest: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(t.sessions).where(t.sessions.c.id == digest))

    def delete_sessions_of(self, user_id: str) -> int:
        with self.db.write() as conn:
            return int(conn.execute(delete(t.sessions).where(t.sessions.c.user_id == user_id)).rowcount)

    def purge_sessions(self) -> int:
        with self.db.write() as conn:
            return conn.execute(delete(t.sessions).where(t.sessions.c.expires_at <= utcnow())).rowcount

    # -- API keys --------------------------------------------------------------------------

    def create_key(self, user_id: str, *, name: str, prefix: str, digest: str) -> ApiKey:
        values = {
            "id": new_id("key"),
            "user_id": user_id,
            "name": name,
            "prefix": prefix,
            "key_hash": digest,
            "created_at": utcnow(),
            "last_used_at": None,
            "revoked_at": None,
        }
        with self.db.write() as conn:
            conn.execute(t.api_keys.insert().values(**values))
        return _key(values)  # type: ignore[arg-type]

    def keys(self, user_id: str) -> list[ApiKey]:
        query = select(t.api_keys).where(t.api_keys.c.user_id == user_id).order_by(t.api_keys.c.created_at)
        with self.db.read() as conn:
            return [_key(row) for row in conn.execute(query).mappings()]

    def key_owner(self, digest: str) -> tuple[ApiKey, User] | None:
        """The unrevoked key with this digest and its owner; records the use."""
        query = select(t.api_keys).where(t.api_keys.c.key_hash == digest, t.api_keys.c.revoked_at.is_(None))
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        user = self.get(row["user_id"])
        if user is None:
            return None
        now = utcnow()
        last = row["last_used_at"]
        if last is None or (now - last).total_seconds() > KEY_USE_RESOLUTION_S:
            with self.db.write() as conn:
                conn.execute(update(t.api_keys).where(t.api_keys.c.id == row["id"]).values(last_used_at=now))
        return _key(row), user

    def revoke_key(self, user_id: str, key_id: str) -> bool:
        """Revoke one of ``user_id``'s keys; False if there is no such key of theirs."""
        query = (
            update(t.api_keys)
            .where(
                t.api_keys.c.id == key_id, t.api_keys.c.user_id == user_id, t.api_keys.c.revoked_at.is_(None)
            )
            .values(revoked_at=utcnow())
        )
        with self.db.write() as conn:
            return conn.execute(query).rowcount > 0
