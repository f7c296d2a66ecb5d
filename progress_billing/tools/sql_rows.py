# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Many rows of values sent to PostgreSQL in one query parameter."""

import json

from psycopg2.extras import Json

from odoo.tools import SQL


def rows_table(alias, columns, rows):
    """SQL: ``rows`` (one tuple of values per row, in the order of
    ``columns``: [(name, PostgreSQL type)]) as a table ``alias`` to select
    from, sent as ONE json parameter. A Python list parameter is sent as an
    ARRAY[...] of one literal per value, which PostgreSQL parses value by
    value: for the thousands of source links one auto-completion writes, the
    ARRAYs took longer than the rows (readme/USAGE.md, "Auto-completing owner invoices"). Plain json, not jsonb:
    read once, it needs no conversion to jsonb's binary form (3,588 links: 22 ms against 60 ms).
    The values are those of ``Field.convert_to_column``: dates are sent in ISO
    format, a json column's value (psycopg2's Json wrapper) as the JSON it
    wraps; None is NULL."""
    names = [name for name, _type in columns]
    return SQL(
        "json_to_recordset(%s::json) AS %s(%s)",
        json.dumps([dict(zip(names, row, strict=True)) for row in rows], default=_json_value),
        SQL.identifier(alias),
        SQL(", ").join(SQL("%s %s", SQL.identifier(name), SQL(type_)) for name, type_ in columns),
    )


def _json_value(value):
    return value.adapted if isinstance(value, Json) else str(value)
