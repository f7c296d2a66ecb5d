# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Counts of a One2many field for a whole recordset in one grouped query:
``len(record.field)`` would first load every related record of every record
counted (a list of contracts showing its smart buttons would load all their
pay applications)."""

from odoo.fields import Domain


def one2many_counts(records, field_name, domain=()):
    """{record: how many records its One2many ``field_name`` holds} for
    ``records``, counting only those matching ``domain`` if given. One
    ``_read_group`` as the current user, so that record rules apply as they do
    to the field itself; new records (onchange) count the records of their
    origin."""
    field = records._fields[field_name]
    Comodel = records.env[field.comodel_name]
    of_records = Domain(field.inverse_name, "in", records._origin.ids)
    groups = Comodel._read_group(
        field.get_comodel_domain(records) & of_records & Domain(list(domain)), [field.inverse_name], ["__count"]
    )
    counts = {record.id: count for record, count in groups}
    return {record: counts.get(record._origin.id, 0) for record in records}
