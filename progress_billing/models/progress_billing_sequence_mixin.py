from odoo import _, api, fields, models


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
        Odoo's own documents are, not the "/" placeholder (issue #11)."""
        super()._compute_display_name()
        for record in self:
            if record.name == "/":
                record.display_name = _("New")

    def _sequence_code_for(self, vals):
        return self._sequence_code

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._sequence_code_for(vals)) or "/"
        return super().create(vals_list)
