# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class ReportPaymentSchedule(models.AbstractModel):
    """The payment schedule PDF of certified subcontractor invoices
    (readme/USAGE.md, "Payment schedules and the statutory clock")."""

    _name = "report.progress_billing.report_payment_schedule"
    _description = "Payment Schedule Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Refuse, naming it, an invoice no reviewer has certified yet: its
        schedule would state amounts nobody decided."""
        invoices = self.env["progress.billing.sub.invoice"].browse(docids)
        invoices._check_payment_schedule_ready()
        return {"doc_ids": docids, "doc_model": invoices._name, "docs": invoices, **(data or {})}
