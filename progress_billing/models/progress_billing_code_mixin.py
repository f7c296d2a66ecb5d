# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProgressBillingCodeMixin(models.AbstractModel):
    """Master data identified by a short code, unique per company (readme/USAGE.md, "Schedules of values and codes":
    bill by 'Division' and 'Cost Code'; the cost types)."""

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

    @api.constrains("code", "company_id")
    def _check_code_unique_in_company(self):
        """A code names one record per company, and a shared record (no
        company) is seen by every company, so its code is taken in all of
        them: invoices match lines by code (readme/USAGE.md, "Schedules of values and codes": 03-300 belongs to 03). The
        unique index already refuses a duplicate within one company."""
        for record in self:
            domain = [("id", "!=", record.id), ("code", "=", record.code)]
            if record.company_id:
                domain.append(("company_id", "in", [record.company_id.id, False]))
            clash = self.sudo().with_context(active_test=False).search(domain, limit=1)
            if clash:
                raise ValidationError(
                    _("%(model)s code “%(code)s” of “%(record)s” is already used by “%(other)s” in %(company)s.",
                      model=self._description, code=record.code, record=record.name, other=clash.display_name,
                      company=clash.company_id.name or _("every company (shared record)"))
                )
