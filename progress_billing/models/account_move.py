from odoo import fields, models


class AccountMove(models.Model):
    """Vendor bills of subcontractor invoices and customer invoices of owner invoices."""

    _inherit = "account.move"

    progress_billing_sub_invoice_id = fields.Many2one(
        "progress.billing.sub.invoice", "Subcontractor Invoice", readonly=True, copy=False,
        index="btree_not_null", ondelete="set null",
    )
    progress_billing_owner_invoice_id = fields.Many2one(
        "progress.billing.owner.invoice", "Owner Invoice", readonly=True, copy=False,
        index="btree_not_null", ondelete="set null",
    )

    def _is_active_progress_billing_move(self):
        """A bill still counts for its pay application unless cancelled or reversed by a credit note."""
        return self.state != "cancel" and self.payment_state != "reversed"

    def _progress_billing_application(self):
        return self.progress_billing_sub_invoice_id or self.progress_billing_owner_invoice_id

    def _post(self, soft=True):
        """A bill is posted only while its untaxed total is still the current
        payment due of its pay application (issue)."""
        for move in self:
            # accountants outside Progress Billing post bills too
            application = move.sudo()._progress_billing_application()
            if application:
                application._check_move_amount(move)
        return super()._post(soft)

    def _invoice_paid_hook(self):
        """An owner invoice is Paid once accounting closes its customer invoice (spec)."""
        result = super()._invoice_paid_hook()
        owner_invoices = self.sudo().progress_billing_owner_invoice_id
        approved = owner_invoices.filtered(lambda invoice: invoice.state in ("approved", "approved_as_noted"))
        approved._change_state("paid", ("approved", "approved_as_noted"))
        return result

    def action_view_progress_billing_application(self):
        return self._progress_billing_application()._get_records_action()
