# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL

from .progress_billing_owner_invoice_source import CurrentSource

# the id of a row, unique across both kinds of source line: line id * 2 (+ 1 for a direct cost)
UNBILLED_COST_KINDS = {
    "sub_invoice_line_id": (
        "sub_invoice", 0,
        """JOIN progress_billing_sub_invoice_line line ON line.id = source.id
           JOIN progress_billing_sub_invoice document ON document.id = line.invoice_id
      LEFT JOIN progress_billing_period period ON period.id = source.source_period_id""",
    ),
    "direct_cost_line_id": (
        "direct_cost", 1,
        """JOIN progress_billing_direct_cost_line line ON line.id = source.id
           JOIN progress_billing_direct_cost document ON document.id = line.direct_cost_id
      LEFT JOIN progress_billing_period period
             ON period.project_id = document.project_id
            AND source.source_date_received BETWEEN period.date_start AND period.date_end""",
    ),
}


class ProgressBillingUnbilledCost(models.Model):
    """Approved costs not yet billed to the owner, at any time (readme/USAGE.md, "Auto-completing owner invoices",
    costs left behind): one read-only row per subcontractor invoice line or
    direct cost line that auto-completion copies and that no non-void owner
    invoice of its project bills. A SQL view rather than two lists over the
    source lines, so that one list, count and total hold both kinds; it is
    computed at each read (``_table_query``, as purchase.bill.line.match
    does) from the same queries and the same definition of unbilled as the
    auto-completion preview (progress.billing.owner.invoice.source), so the
    two never disagree. Record rules filter it by company."""

    _name = "progress.billing.unbilled.cost"
    _description = "Unbilled Approved Cost"
    _auto = False
    _order = "project_id, date, id"
    # the rest of what it reads is flushed by the source queries it is built on
    _depends = {"progress.billing.period": ["project_id", "date_start", "date_end"]}

    project_id = fields.Many2one("project.project", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source_kind = fields.Selection(
        [("sub_invoice", "Subcontractor Invoice"), ("direct_cost", "Direct Cost")], "Kind", readonly=True
    )
    name = fields.Char("Document", readonly=True)
    sub_invoice_id = fields.Many2one("progress.billing.sub.invoice", "Subcontractor Invoice", readonly=True)
    direct_cost_id = fields.Many2one("progress.billing.direct.cost", "Direct Cost", readonly=True)
    partner_id = fields.Many2one("res.partner", "Subcontractor/Vendor", readonly=True)
    period_id = fields.Many2one("progress.billing.period", "Billing Period", readonly=True)
    date = fields.Date(
        readonly=True, help="Start of the subcontractor invoice's billing period, or the direct cost's date received."
    )
    cost_code_id = fields.Many2one("progress.billing.cost.code", readonly=True)
    cost_type_id = fields.Many2one("progress.billing.cost.type", readonly=True)
    work_this_period = fields.Monetary("Work Completed This Period", readonly=True)
    materials_stored = fields.Monetary("Materials Presently Stored", readonly=True)
    amount = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        Source = self.env["progress.billing.owner.invoice.source"]
        return SQL(" UNION ALL ").join(
            SQL(
                """SELECT source.id * 2 + %(parity)s AS id, %(kind)s AS source_kind, source.name,
                          document.project_id, document.company_id, document.partner_id,
                          %(sub_invoice)s AS sub_invoice_id, %(direct_cost)s AS direct_cost_id,
                          period.id AS period_id, COALESCE(period.date_start, source.source_date_received) AS date,
                          source.source_cost_code_id AS cost_code_id, source.source_cost_type_id AS cost_type_id,
                          source.work_this_period, source.materials_stored,
                          source.work_this_period + source.materials_stored AS amount
                     FROM (%(current)s) AS source(%(columns)s)
                     %(joins)s""",
                parity=parity, kind=kind, joins=SQL(joins),
                sub_invoice=SQL("document.id" if kind == "sub_invoice" else "NULL::int"),
                direct_cost=SQL("document.id" if kind == "direct_cost" else "NULL::int"),
                current=Source._current_sources_query(link_field, Source._unbilled_condition(link_field)),
                columns=SQL(", ").join(SQL.identifier(name) for name in CurrentSource._fields),
            )
            for link_field, (kind, parity, joins) in UNBILLED_COST_KINDS.items()
        )

    @api.model
    def _totals_by_project(self, projects):
        """{project: (count, amount)} of the unbilled approved costs of ``projects``, in one query."""
        return {
            project: (count, amount)
            for project, count, amount in self._read_group(
                [("project_id", "in", projects.ids)], ["project_id"], ["__count", "amount:sum"]
            )
        }

    def action_open_document(self):
        """Open the subcontractor invoice or direct cost the cost belongs to."""
        self.ensure_one()
        return (self.sub_invoice_id or self.direct_cost_id).get_formview_action()
