# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Raw SQL filtered by company exactly as the ORM's record rules filter
(readme/CONFIGURE.md, "Companies"): the rows of the companies the user works in (``env.companies``,
the ``company_ids`` of the rules); for the superuser, as for the ORM, none."""

from odoo.tools import SQL

from .sql_rows import rows_table


def active_companies_condition(env, alias):
    """SQL condition on the ``company_id`` of the table or alias ``alias``."""
    if env.su:
        return SQL("TRUE")
    return SQL("%s.company_id = ANY(%s)", SQL.identifier(alias), env.companies.ids)


def write_per_record(records, columns):
    """Write ``columns`` ({field name: one value per record, in the order of
    ``records``}) in one UPDATE, on the rows of the user's companies only
    (``active_companies_condition``), once the user's right to write
    ``records`` is checked. For the writes the addon makes on every line of
    an application at once (amounts copied by auto-completion, frozen
    figures): hundreds of lines, where a write per line through the ORM
    made the application's figures computed again each time. The cache of
    ``records`` is invalidated and what depends on the columns is marked
    for recomputation; checking the model's constraints is the caller's."""
    if not records:
        return
    records.check_access("write")
    names = list(columns)
    records.flush_recordset(names)
    fields = [records._fields[name] for name in names]
    env = records.env
    values = [[field.convert_to_column(value, records) for value in columns[field.name]] for field in fields]
    env.cr.execute(SQL(
        """UPDATE %(table)s record SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
             FROM %(new)s
            WHERE record.id = new.id AND %(companies)s""",
        table=SQL.identifier(records._table),
        assignments=SQL(", ").join(SQL("%s = new.%s", SQL.identifier(name), SQL.identifier(name)) for name in names),
        uid=env.uid, now=env.cr.now(),
        new=rows_table(
            "new", [("id", "int4"), *((field.name, field.column_type[0]) for field in fields)],
            zip(records.ids, *values, strict=True),
        ),
        companies=active_companies_condition(env, "record"),
    ))
    records.invalidate_recordset([*names, "write_uid", "write_date"])
    records.modified(names)
