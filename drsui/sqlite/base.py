"""SQLite for the embedded default, with writers queued in the kernel instead of in SQLite.

A SQLite writer that finds the write lock taken sleeps and retries (after 1, 2, 5, 10, … 100 ms),
so under load a request can sleep 100 ms for a lock freed a millisecond after it started
sleeping. Here a write transaction first takes an exclusive `flock` on `<database>.writers` — a
waiting writer wakes as soon as the holder commits — then BEGIN IMMEDIATE as before. The wait has
no time limit (SQLite's `timeout` gave up after 20 s): polling with a limit measured a third
slower at the tail. Only `atomic()` blocks queue this way; a lone autocommit statement still
waits in SQLite."""

import fcntl
import os
import weakref

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writers_fd: int | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            # One open file per connection: flock then also queues threads of one process.
            fd = os.open(f"{self.settings_dict['NAME']}.writers",
                         os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._writers_fd = fd
            self._writers_closer = weakref.finalize(self, os.close, fd)  # also if never closed
        return connection

    def _start_transaction_under_autocommit(self):
        if self._writers_fd is not None:
            fcntl.flock(self._writers_fd, fcntl.LOCK_EX)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writers_release()
            raise

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._writers_release()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._writers_release()

    def _close(self):
        try:
            super()._close()
        finally:
            if self._writers_fd is not None:
                self._writers_closer()  # closes the file once, which releases the lock too
                self._writers_fd = None

    def _writers_release(self):
        if self._writers_fd is not None:
            fcntl.flock(self._writers_fd, fcntl.LOCK_UN)
