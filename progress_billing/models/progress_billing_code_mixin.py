from odoo import api, fields, models


class ProgressBillingCodeMixin(models.AbstractModel):
    """Master data identified by a short code, unique per company (seed: bill
    by 'Division' and 'Cost Code'; the spec's cost types)."""

    _name = "progress.billing.code.mixin"
    _description = "Coded Master Data"
    _order = "code"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the record with every company.",
    )

    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "This code is already used in this company.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} {record.name}" if record.code else record.name
