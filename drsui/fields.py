"""Model fields shared by the apps."""

import json
from functools import partial

from django.db import models


class OrderedJSONField(models.JSONField):
    """A JSONField that keeps an object's keys in the order they were written, on PostgreSQL
    too, whose jsonb (JSONField's type there) reorders them. A body shown to a person,
    exported or sent reads as it was written. On PostgreSQL the column is `json` (the text as
    written); nothing queries inside it. SQLite keeps the text anyway."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from psycopg.types.json import Json

        if not prepared:
            value = self.get_prep_value(value)
        # Json, not Django's Jsonb: a jsonb parameter is reordered before it reaches the column.
        return Json(value, dumps=partial(json.dumps, cls=self.encoder))

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):
            return value  # psycopg decoded the `json` column itself, keys in order
        return super().from_db_value(value, expression, connection)
