# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.portal_access import portal_may_write
from .progress_billing_application_line_mixin import ProgressBillingApplicationLineMixin


class ProgressBillingSubInvoiceLine(models.Model):
    """A subcontractor invoice line: one SSOV line (or change order line) with
    the G703 columns; unit/quantity-based commitments bill quantity × unit price."""

    _name = "progress.billing.sub.invoice.line"
    _inherit = ["progress.billing.billable.line.mixin"]
    _description = "Subcontractor Invoice Line"
    _source_fields = ("purchase_line_id", "change_order_line_id")
    _workflow_fields = frozenset({"review_state", "rejection_reason"})
    # a unit-based line bills its quantity; the constraints of its amount run
    # when the quantity is written, by the user who writes it
    _billed_fields = ("work_this_period", "materials_stored", "quantity_this_period")
    _claim_fields = {**ProgressBillingApplicationLineMixin._claim_fields, "claimed_quantity": "quantity_this_period"}
    _protected_fields = (*ProgressBillingApplicationLineMixin._protected_fields, "claimed_quantity")
    # readme/USAGE.md, "The subcontractor's side (portal)": what a subcontractor enters on the portal
    _portal_writable_fields = frozenset(_billed_fields)

    invoice_id = fields.Many2one("progress.billing.sub.invoice", required=True)
    purchase_line_id = fields.Many2one("purchase.order.line", "SSOV Line", index=True, ondelete="restrict")
    change_order_line_id = fields.Many2one("progress.billing.change.order.line", index=True, ondelete="restrict")
    is_unit_based = fields.Boolean(compute="_compute_is_unit_based")
    price_unit = fields.Float(
        "Unit Price", compute="_compute_price_unit", store=True, precompute=True, digits="Product Price",
        help="Unit price of the SSOV line when this line was created: a later price change does not rewrite billed work.",
    )
    quantity_this_period = fields.Float("Quantity This Period", digits="Product Unit")
    work_this_period = fields.Monetary(compute="_compute_work_this_period", store=True, readonly=False, precompute=True)
    review_state = fields.Selection(
        [("to_review", "To Review"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="to_review", required=True, copy=False,
    )
    rejection_reason = fields.Char(copy=False)
    claimed_quantity = fields.Float(
        "Claimed Quantity", digits="Product Unit", readonly=True, copy=False,
        help="Quantity this period as claimed when the invoice was last submitted (unit/quantity-based lines).",
    )

    def _has_field_access(self, field, operation):
        """On the portal a subcontractor writes only the amounts (or quantity) it bills (tools/portal_access.py;
        readme/USAGE.md, "The subcontractor's side (portal)")."""
        if operation == "write" and not portal_may_write(self, field):
            return False
        return super()._has_field_access(field, operation)

    @api.depends("invoice_id.accounting_method", "purchase_line_id")
    def _compute_is_unit_based(self):
        for line in self:
            line.is_unit_based = line.invoice_id.accounting_method == "unit" and bool(line.purchase_line_id)

    @api.depends("purchase_line_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.purchase_line_id.price_unit

    @api.depends("quantity_this_period", "price_unit", "is_unit_based")
    def _compute_work_this_period(self):
        """Unit/quantity-based lines bill quantity × unit price (readme/USAGE.md, "Schedules of values and codes")."""
        for line in self.filtered("is_unit_based"):
            line.work_this_period = line.currency_id.round(line.quantity_this_period * line.price_unit)

    def _work_for_percent_complete(self, percent, materials_stored):
        """Work completed this period (E) that brings the line to ``percent``
        complete to date with ``materials_stored`` (F): G = D + E + F is
        ``percent`` of C (G703), in the company currency's rounding. How a
        subcontractor enters progress as a percentage (readme/USAGE.md, "The subcontractor's side (portal)")."""
        self.ensure_one()
        return self.currency_id.round(self.scheduled_value * percent / 100 - self.previous_work - materials_stored)

    def _billed_quantity_and_price(self, contract_line):
        """Unit/quantity-based lines bill their quantity at the SSOV line's unit price."""
        if self.is_unit_based:
            return self.quantity_this_period, self.price_unit
        return super()._billed_quantity_and_price(contract_line)

    @api.constrains("materials_stored", "quantity_this_period")
    def _check_unit_based_line(self):
        for line in self:
            if line.is_unit_based and not line.currency_id.is_zero(line.materials_stored):
                raise ValidationError(
                    _("Line “%(line)s” of %(invoice)s is unit/quantity-based: it has no materials presently stored.",
                      line=line.name, invoice=line.invoice_id.display_name)
                )
            if not line.is_unit_based and line.quantity_this_period:
                raise ValidationError(
                    _("Line “%(line)s” of %(invoice)s is amount-based: bill an amount, not a quantity.",
                      line=line.name, invoice=line.invoice_id.display_name)
                )

    def action_approve_line(self):
        self._review("approved")

    def action_reject_line(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Lines"),
            "res_model": "progress.billing.line.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": self.ids},
        }

    def _review(self, review_state, reason=False):
        """Per-line review of an invoice Under Review; any rejection sends the
        invoice to Revise and Resubmit and notifies the subcontractor (readme/USAGE.md, "Pay applications")."""
        if not self.env.user.has_group("progress_billing.group_progress_billing_manager"):
            raise UserError(_("Only a Progress Billing manager can review invoice lines."))
        for invoice in self.invoice_id:
            if invoice.state != "under_review":
                raise UserError(_("%(invoice)s is not under review.", invoice=invoice.display_name))
        self.write({"review_state": review_state, "rejection_reason": reason})
        if review_state == "rejected":
            self.invoice_id.action_request_revision()
