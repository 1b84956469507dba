"""drsui.sqlite: write transactions on a database file queue on `<file>.writers`."""

import fcntl
import gc
import os
import threading
import time

import pytest
from django.db import connection

from drsui.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _own_database_files(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def _wrapper(path, *, timeout: float):
    settings = {**connection.settings_dict, "NAME": str(path)}
    settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": timeout}
    return DatabaseWrapper(settings, alias=f"writers-{threading.get_ident()}")


def _begin(wrapper):
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _writers_free(path) -> bool:
    fd = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_writers_lock_until_it_ends(tmp_path):
    db = tmp_path / "w.sqlite3"
    wrapper = _wrapper(db, timeout=5)
    wrapper.cursor().execute("CREATE TABLE t (x)")
    for end in (wrapper.commit, wrapper.rollback, wrapper.close):
        assert _writers_free(db)
        _begin(wrapper)
        wrapper.cursor().execute("INSERT INTO t VALUES (1)")
        assert not _writers_free(db)
        end()
        if end != wrapper.close:
            wrapper.set_autocommit(True)
        assert _writers_free(db)


def test_a_second_writer_waits_its_turn_instead_of_failing(tmp_path):
    """SQLite alone gives up after `timeout` ("database is locked"); queued, the second
    writer waits for the first however long it takes, then writes."""
    db = tmp_path / "w.sqlite3"
    first = _wrapper(db, timeout=0.05)
    first.cursor().execute("CREATE TABLE t (x)")
    _begin(first)
    first.cursor().execute("INSERT INTO t VALUES ('first')")
    errors = []

    def second_writer():
        second = _wrapper(db, timeout=0.05)
        try:
            _begin(second)
            second.cursor().execute("INSERT INTO t VALUES ('second')")
            second.commit()
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            second.close()

    thread = threading.Thread(target=second_writer, daemon=True)
    thread.start()
    time.sleep(0.3)  # well past the second writer's SQLite timeout
    assert thread.is_alive()
    first.commit()
    thread.join(5)
    assert not thread.is_alive()
    first.set_autocommit(True)
    assert errors == []
    assert first.cursor().execute("SELECT x FROM t ORDER BY rowid").fetchall() == [
        ("first",), ("second",)]
    first.close()


def test_a_connection_dropped_without_closing_frees_the_lock(tmp_path):
    db = tmp_path / "w.sqlite3"
    wrapper = _wrapper(db, timeout=5)
    _begin(wrapper)
    wrapper.cursor().execute("CREATE TABLE t (x)")
    assert not _writers_free(db)
    del wrapper
    gc.collect()
    assert _writers_free(db)
