# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields


class SharedJson(fields.Json):
    """A Json field whose readers get the value held in the ORM cache rather
    than a deep copy of it. Odoo's Json copies the value on every read so that
    no reader alters the cache by accident; a value of hundreds of rows read
    whole by code that only reads it is then copied for nothing: the
    auto-completion preview's rows took 60 ms of Apply, the frozen values of a
    thousand lines 40 ms (readme/USAGE.md, "Auto-completing owner invoices").
    Readers must never change the value in place: write a new one instead."""

    def convert_to_record(self, value, record):
        return False if value is None else value
