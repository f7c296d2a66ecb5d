# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models

from ..tools.trusted_write import trusted


class ProgressBillingSequenceMixin(models.AbstractModel):
    """Documents numbered by an ``ir.sequence`` when created."""

    _name = "progress.billing.sequence.mixin"
    _description = "Numbered Progress Billing Document"

    # set by each numbered model
    _sequence_code = None

    name = fields.Char("Number", required=True, copy=False, readonly=True, default="/", index="trigram")

    @api.depends("name")
    def _compute_display_name(self):
        """A document not numbered yet is "New" in breadcrumbs and titles, as
        Odoo's own documents are, not the "/" placeholder (readme/USAGE.md, "Pay applications")."""
        super()._compute_display_name()
        for record in self:
            if record.name == "/":
                record.display_name = _("New")

    def _sequence_code_for(self, vals):
        return self._sequence_code

    @api.model_create_multi
    def create(self, vals_list):
        """A refused document consumes no number (readme/USAGE.md, "Pay applications"): the number is
        drawn only once the record and its constraints are saved, as
        account.move names its entries late, from "no gap" sequences whose
        counter a rolled-back transaction restores (data/ir_sequence_data.xml)."""
        codes = [self._sequence_code_for(vals) if vals.get("name", "/") == "/" else None for vals in vals_list]
        records = super().create(vals_list)
        for record, code in zip(records, codes, strict=True):
            if code:
                trusted(record).name = self.env["ir.sequence"].next_by_code(code) or "/"
        return records
