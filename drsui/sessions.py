"""Django's database sessions (SESSION_ENGINE), the same rows, read with one plain query:
every request of a logged-in person reads its session, and building the ORM's query for it
cost more than running it (#11)."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        meta, connection = self.model._meta, connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        key, data, expires = (quote(meta.get_field(f).column)
                              for f in ("session_key", "session_data", "expire_date"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {data} FROM {quote(meta.db_table)} "
                           f"WHERE {key} = %s AND {expires} > %s",
                           [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:  # none, or expired: as Django's own store
            self._session_key = None
            return {}
        return self.decode(row[0])
