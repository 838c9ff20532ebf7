"""Declarative base, column types and engine settings shared by every feature's models."""
import threading
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite drops the offset; without this, values read from SQLite and PostgreSQL would
    compare differently.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use webapp.database.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """WAL lets readers and one writer run at once; the busy timeout makes writers queue instead of failing."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # savepoints work and BEGIN is emitted by the listener below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# One lock per SQLite database file and process. SQLite lets one writer in at a time anyway; waiting
# on a Python lock wakes the next thread the moment the writer is done, where SQLite's own busy
# handler polls with sleeps of up to 100 ms, which is what long tails under load are made of.
_SQLITE_WRITE_LOCKS: dict[str, threading.Lock] = {}
_SQLITE_WRITE_LOCKS_GUARD = threading.Lock()
SQLITE_LOCK_TIMEOUT_S = 10.0


def _sqlite_write_lock(connection) -> threading.Lock:
    key = str(connection.engine.url)
    with _SQLITE_WRITE_LOCKS_GUARD:
        return _SQLITE_WRITE_LOCKS.setdefault(key, threading.Lock())


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    """Take SQLite's write lock at BEGIN: a read-then-write transaction can then never deadlock."""
    if connection.dialect.name != "sqlite":
        return
    lock = _sqlite_write_lock(connection)
    if not lock.acquire(timeout=SQLITE_LOCK_TIMEOUT_S):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked (waited for another writer)"))
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        lock.release()
        raise
    connection.info["sqlite_write_lock"] = lock


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_sqlite(connection):
    """Let the next writer of this process in (it may wait a moment more for SQLite's COMMIT)."""
    lock = connection.info.pop("sqlite_write_lock", None)
    if lock is not None:
        lock.release()


@event.listens_for(Pool, "reset")
def _release_on_reset(dbapi_connection, connection_record, reset_state):
    """A connection given back to the pool mid-transaction (its thread failed) must not keep the lock."""
    lock = connection_record.info.pop("sqlite_write_lock", None)
    if lock is not None:
        lock.release()
