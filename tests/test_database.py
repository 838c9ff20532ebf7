"""SQLite settings: one writer at a time per process, waiting on a lock that is always given back."""
import threading

import pytest
import sqlalchemy as sa

from webapp.database import _sqlite_write_lock


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'lock.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (0)")
    yield engine
    engine.dispose()


def write_lock(engine) -> threading.Lock:
    with engine.connect() as connection:
        return _sqlite_write_lock(connection)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_lock_is_given_back_after_commit_and_rollback(engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE counter SET n = n + 1")
        assert write_lock(engine).locked()
    assert not write_lock(engine).locked()
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("UPDATE counter SET n = n + 1")
        raise RuntimeError("failed half-way")
    assert not write_lock(engine).locked()


def test_lock_is_given_back_when_a_connection_closes_mid_transaction(engine):
    connection = engine.connect()
    connection.begin()
    connection.exec_driver_sql("UPDATE counter SET n = n + 1")
    connection.close()
    assert not write_lock(engine).locked()
    with engine.connect() as check:
        assert check.exec_driver_sql("SELECT n FROM counter").scalar() == 0


def test_concurrent_read_then_write_transactions_never_lose_an_update(engine):
    def add_one_ten_times():
        for _ in range(10):
            with engine.begin() as connection:
                n = connection.exec_driver_sql("SELECT n FROM counter").scalar()
                connection.execute(sa.text("UPDATE counter SET n = :n"), {"n": n + 1})

    threads = [threading.Thread(target=add_one_ten_times) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT n FROM counter").scalar() == 80
