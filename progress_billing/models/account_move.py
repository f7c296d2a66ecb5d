# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from odoo import _, fields, models
from odoo.exceptions import UserError

# the rows a bill counts for its pay application: not cancelled, not reversed by
# a credit note (the SQL twin of ``_is_active_progress_billing_move``)
ACTIVE_MOVE_SQL = "state != 'cancel' AND payment_state IS DISTINCT FROM 'reversed'"


def _one_active_move_index(field_name):
    """Partial unique index: at most one active bill per pay application
    (readme/CONFIGURE.md, "Accounting"), whatever writes it (two concurrent clicks, a cancelled bill
    reset to draft, a create or write over JSON-RPC). A cancelled bill, or one
    reversed by a credit note, leaves the index, so the application can be
    billed again; a reversed bill made active again (its credit note
    unreconciled) is refused while the new bill is active."""

    def message(env, diagnostics):
        # the violation's detail reads "Key (<field>)=(<id>) already exists."
        match = re.search(r"=\((\d+)\)", (diagnostics and diagnostics.message_detail) or "")
        application = env["account.move"][field_name]
        if match:
            application = application.browse(int(match[1])).exists()
        if application and application.has_access("read"):
            return env._(
                "%(invoice)s already has an active bill or invoice: cancel it, or reverse it with a credit note, "
                "before billing the application again.",
                invoice=application.display_name,
            )
        return env._(
            "This pay application already has an active bill or invoice: cancel it, or reverse it with a credit "
            "note, before billing the application again."
        )

    return models.UniqueIndex(f"({field_name}) WHERE {field_name} IS NOT NULL AND {ACTIVE_MOVE_SQL}", message)


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

    _progress_billing_sub_invoice_active = _one_active_move_index("progress_billing_sub_invoice_id")
    _progress_billing_owner_invoice_active = _one_active_move_index("progress_billing_owner_invoice_id")

    def _is_active_progress_billing_move(self):
        """A bill still counts for its pay application unless cancelled or reversed by a credit note."""
        return self.state != "cancel" and self.payment_state != "reversed"

    def _progress_billing_application(self):
        return self.progress_billing_sub_invoice_id or self.progress_billing_owner_invoice_id

    def _post(self, soft=True):
        """A bill is posted only while its untaxed total is still the current
        payment due of its pay application (readme/USAGE.md, "Bills, invoices and retainage")."""
        for move in self:
            # accountants outside Progress Billing post bills too
            application = move.sudo()._progress_billing_application()
            if application:
                application._check_move_amount(move)
        return super()._post(soft)

    def button_draft(self):
        """A cancelled or reversed bill comes back to draft only while its pay
        application has no other active bill (readme/CONFIGURE.md, "Accounting"): the application row
        is locked first, so that a bill created meanwhile by another user is
        seen. The unique index on the application field is the last guard."""
        reactivated = self.filtered(lambda move: not move._is_active_progress_billing_move())
        for move in reactivated:
            # accountants outside Progress Billing reset bills too
            application = move.sudo()._progress_billing_application()
            if not application:
                continue
            application._lock_for_billing()
            others = application.move_ids.filtered(lambda other: other._is_active_progress_billing_move())
            others |= reactivated.filtered(lambda other: other.sudo()._progress_billing_application() == application)
            others -= move
            if others:
                raise UserError(_(
                    "%(move)s cannot be reset to draft: %(invoice)s is already billed on %(other)s. "
                    "Cancel %(other)s first, or keep %(move)s cancelled.",
                    move=move.display_name, invoice=application.display_name, other=others[0].display_name,
                ))
        return super().button_draft()

    def _invoice_paid_hook(self):
        """An owner invoice is Paid once accounting closes its customer invoice
        (readme/USAGE.md, "Pay applications")."""
        result = super()._invoice_paid_hook()
        owner_invoices = self.sudo().progress_billing_owner_invoice_id
        approved = owner_invoices.filtered(lambda invoice: invoice.state in ("approved", "approved_as_noted"))
        approved._change_state("paid", ("approved", "approved_as_noted"))
        return result

    def action_view_progress_billing_application(self):
        return self._progress_billing_application()._get_records_action()
