from odoo import _, api, fields, models

# between the Draft and Void of every application
OWNER_INVOICE_STATES = [
    ("under_review", "Under Review"),
    ("revise_resubmit", "Revise and Resubmit"),
    ("approved_as_noted", "Approved as Noted"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("void",),
]


class ProgressBillingOwnerInvoice(models.Model):
    """Owner invoice (payment application) of a prime contract for one billing period."""

    _name = "progress.billing.owner.invoice"
    _inherit = ["progress.billing.billable.mixin"]
    _description = "Owner Invoice"
    _contract_field = "sale_order_id"
    _sequence_code = "progress.billing.owner.invoice"
    _move_type = "out_invoice"
    _retainage_account_field = "retainage_receivable_account_id"
    _billable_states = ("approved", "approved_as_noted", "paid")
    # accounting closes a paid invoice (spec, Owner invoice statuses)
    _final_states = ("void", "paid")

    sale_order_id = fields.Many2one(
        "sale.order", "Prime Contract", required=True, index=True, ondelete="restrict", tracking=True,
        domain="[('is_prime_contract', '=', True)]",
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Owner/Client", store=True, index=True)
    state = fields.Selection(
        selection_add=OWNER_INVOICE_STATES, ondelete={state[0]: "set default" for state in OWNER_INVOICE_STATES[:-1]}
    )
    line_ids = fields.One2many("progress.billing.owner.invoice.line", "invoice_id")
    move_ids = fields.One2many("account.move", "progress_billing_owner_invoice_id", string="Customer Invoices")

    _one_invoice_per_period = models.UniqueIndex(
        "(sale_order_id, period_id) WHERE state != 'void'",
        "A prime contract has at most one owner invoice per billing period (void the other one first).",
    )

    def _pay_application_parties(self):
        return {
            "document": _("Owner Invoice"),
            "from_label": _("From Contractor"),
            "from": self.company_id.partner_id,
            "to_label": _("To Owner/Client"),
            "to": self.partner_id,
            "contract_label": _("Prime Contract"),
            "contract": self.sale_order_id,
        }

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        self._fill_from_contract()

    def action_request_revision(self):
        self._change_state("revise_resubmit", ("under_review",), manager_only=True)

    def action_approve(self):
        self._change_state("approved", ("under_review",), manager_only=True)

    def action_approve_as_noted(self):
        self._change_state("approved_as_noted", ("under_review",), manager_only=True)

    def action_mark_paid(self):
        self._change_state("paid", ("approved", "approved_as_noted"), manager_only=True)


    def _line_values_from(self, source, sequence, link):
        return {**super()._line_values_from(source, sequence, link), "division_id": source.division_id.id}
