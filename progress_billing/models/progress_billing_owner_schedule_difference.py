# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL


class ProgressBillingOwnerScheduleDifference(models.Model):
    """What the owner withheld, and why (readme/USAGE.md, "Claimed and certified amounts"): one read-only row per
    line of each submitted owner invoice of a project, with the amount we
    claimed (E + F frozen at submission), the amount the owner's payment
    schedule pays (the line's E + F once recorded) and the difference. Computed
    at each read from the lines themselves (``_table_query``, as
    progress.billing.unbilled.cost), so it never disagrees with the invoices.
    Record rules filter it by company."""

    _name = "progress.billing.owner.schedule.difference"
    _description = "Owner Payment Schedule Difference"
    _auto = False
    _order = "date desc, invoice_id desc, sequence, id"
    _depends = {
        "progress.billing.owner.invoice": [
            "project_id", "company_id", "period_id", "period_date_start", "sale_order_id", "partner_id", "state",
            "claim_frozen",
        ],
        "progress.billing.owner.invoice.line": [
            "invoice_id", "sequence", "name", "division_id", "cost_code_id", "cost_type_id", "work_this_period",
            "materials_stored", "claimed_work_this_period", "claimed_stored_materials", "certification_reason",
        ],
    }

    invoice_id = fields.Many2one("progress.billing.owner.invoice", "Owner Invoice", readonly=True)
    line_id = fields.Many2one("progress.billing.owner.invoice.line", "Owner Invoice Line", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_id = fields.Many2one("progress.billing.period", "Billing Period", readonly=True)
    date = fields.Date("Period Start", readonly=True)
    sale_order_id = fields.Many2one("sale.order", "Prime Contract", readonly=True)
    partner_id = fields.Many2one("res.partner", "Owner/Client", readonly=True)
    state = fields.Selection(
        lambda self: self.env["progress.billing.owner.invoice"]._fields["state"]._description_selection(self.env),
        "Status", readonly=True,
    )
    sequence = fields.Integer(readonly=True)
    name = fields.Char("Description", readonly=True)
    division_id = fields.Many2one("progress.billing.division", readonly=True)
    cost_code_id = fields.Many2one("progress.billing.cost.code", readonly=True)
    cost_type_id = fields.Many2one("progress.billing.cost.type", readonly=True)
    claimed_amount = fields.Monetary("Claimed", readonly=True, help="E + F as claimed when the owner invoice was submitted.")
    scheduled_amount = fields.Monetary("Scheduled", readonly=True, help="E + F of the owner's payment schedule.")
    withheld_amount = fields.Monetary("Withheld", readonly=True, help="Claimed less scheduled: what the owner did not schedule.")
    reason = fields.Char(readonly=True, help="The owner's reason for scheduling another amount than claimed.")

    @property
    def _table_query(self):
        return SQL("""
            SELECT line.id, line.id AS line_id, invoice.id AS invoice_id, invoice.project_id, invoice.company_id,
                   invoice.period_id, invoice.period_date_start AS date, invoice.sale_order_id, invoice.partner_id,
                   invoice.state, line.sequence, line.name, line.division_id, line.cost_code_id, line.cost_type_id,
                   claimed.amount AS claimed_amount, scheduled.amount AS scheduled_amount,
                   claimed.amount - scheduled.amount AS withheld_amount, line.certification_reason AS reason
              FROM progress_billing_owner_invoice_line line
              JOIN progress_billing_owner_invoice invoice ON invoice.id = line.invoice_id,
                   LATERAL (SELECT COALESCE(line.claimed_work_this_period, 0) + COALESCE(line.claimed_stored_materials, 0)) AS claimed(amount),
                   LATERAL (SELECT COALESCE(line.work_this_period, 0) + COALESCE(line.materials_stored, 0)) AS scheduled(amount)
             WHERE invoice.claim_frozen AND invoice.state != 'void'
        """)

    @api.model
    def _withheld_by_project(self, projects):
        """{project: withheld amount} over every period of ``projects``, in one query."""
        return dict(self._read_group([("project_id", "in", projects.ids)], ["project_id"], ["withheld_amount:sum"]))

    def action_open_invoice(self):
        """Open the owner invoice the line belongs to."""
        self.ensure_one()
        return self.invoice_id.get_formview_action()
