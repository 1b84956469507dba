"""Model instances read by plain SQL, for the few hot paths where building the ORM's query (or
RawQuerySet's set-up) costs more than running it (#11: a queued send). The instances are the
ORM's own (`Model.from_db`, every field's database converters applied), so the code using them
cannot tell; a table's columns come from the model's `_meta`, never typed by hand. Not for
models with multi-table inheritance (their parents' columns are in other tables).
"""

import weakref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


def columns(model: type[Model], alias: str = "") -> str:
    """The model's columns, in the order `instances` reads them: "t.a, t.b, …"."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + f.column for f in model._meta.concrete_fields)


def _readers(connection, models: tuple[type[Model], ...]) -> list[tuple]:
    """Per model: (model, attnames, width, [(index, converter, col)], pk index), kept for each
    connection (a converter may be its backend's)."""
    kept = _READERS.setdefault(connection, {})
    if models not in kept:
        readers = []
        for model in models:
            fields = model._meta.concrete_fields
            converters = []
            for i, field in enumerate(fields):
                col = field.get_col(model._meta.db_table)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                converters.extend((i, converter, col) for converter in found)
            readers.append((model, [f.attname for f in fields], len(fields), converters,
                            fields.index(model._meta.pk)))
        kept[models] = readers
    return kept[models]


_READERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def instances(models: list[type[Model]], sql: str, params, *, using: str = DEFAULT_DB_ALIAS
              ) -> list[tuple[Model | None, ...]]:
    """Run `sql`, which selects `columns(model)` of each of `models` in turn (a LEFT JOIN's
    missing row: all NULL), and make each row a tuple of instances (None for a missing row)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    readers = _readers(connection, tuple(models))
    out = []
    for row in rows:
        start, made = 0, []
        for model, attnames, width, converters, pk_index in readers:
            values = list(row[start:start + width])
            start += width
            if values[pk_index] is None:
                made.append(None)
                continue
            for i, converter, col in converters:
                values[i] = converter(values[i], col, connection)
            made.append(model.from_db(using, attnames, values))
        out.append(tuple(made))
    return out
