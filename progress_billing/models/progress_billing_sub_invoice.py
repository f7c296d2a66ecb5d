from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.portal_access import portal_may_write
from ..tools.trusted_write import trusted
from .progress_billing_application_mixin import ProgressBillingApplicationMixin

# between the Draft and Void of every application
SUB_INVOICE_STATES = [
    ("under_review", "Under Review"),
    ("revise_resubmit", "Revise and Resubmit"),
    ("pending_owner_approval", "Pending Owner Approval"),
    ("approved_as_noted", "Approved as Noted"),
    ("approved", "Approved"),
    ("void",),
]


class ProgressBillingSubInvoice(models.Model):
    """Subcontractor invoice (progress billing) of a commitment for one billing period."""

    _name = "progress.billing.sub.invoice"
    _inherit = ["progress.billing.billable.mixin", "portal.mixin"]
    _description = "Subcontractor Invoice"
    _contract_field = "purchase_order_id"
    _contract_applications_field = "sub_invoice_ids"
    _sequence_code = "progress.billing.sub.invoice"
    _move_type = "in_invoice"
    _retainage_account_field = "retainage_payable_account_id"
    _locked_fields = (*ProgressBillingApplicationMixin._locked_fields, "vendor_reference")
    # issue #12: the only field a subcontractor writes on its invoice from the portal
    _portal_writable_fields = frozenset({"vendor_reference"})

    purchase_order_id = fields.Many2one(
        "purchase.order", "Commitment", required=True, index=True, ondelete="restrict", tracking=True,
        domain="[('is_commitment', '=', True)]",
    )
    partner_id = fields.Many2one(related="purchase_order_id.partner_id", string="Subcontractor", store=True, index=True)
    accounting_method = fields.Selection(related="purchase_order_id.accounting_method")
    vendor_reference = fields.Char("Subcontractor Invoice #", tracking=True)
    position = fields.Integer(
        "Invoice Position", readonly=True, copy=False,
        help="Rank of this invoice among the invoices of its commitment.",
    )
    state = fields.Selection(
        selection_add=SUB_INVOICE_STATES, ondelete={state[0]: "set default" for state in SUB_INVOICE_STATES[:-1]}
    )
    line_ids = fields.One2many("progress.billing.sub.invoice.line", "invoice_id")
    move_ids = fields.One2many("account.move", "progress_billing_sub_invoice_id", string="Vendor Bills")

    _one_invoice_per_period = models.UniqueIndex(
        "(purchase_order_id, period_id) WHERE state != 'void'",
        "A commitment has at most one invoice per billing period (void the other one first).",
    )

    def _compute_access_url(self):
        super()._compute_access_url()
        for invoice in self:
            invoice.access_url = f"/my/progress-billing/invoice/{invoice.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Pay Application - %s", self.name)

    def _has_field_access(self, field, operation):
        """Issue #12: on the portal a subcontractor writes only its own invoice number (tools/portal_access.py)."""
        if operation == "write" and not portal_may_write(self, field):
            return False
        return super()._has_field_access(field, operation)

    @api.model_create_multi
    def create(self, vals_list):
        invoices = super().create(vals_list)
        for invoice in invoices:
            invoice.position = self.search_count([("purchase_order_id", "=", invoice.purchase_order_id.id)])
        return invoices

    def _pay_application_parties(self):
        return {
            "document": _("Subcontractor Invoice"),
            "from_label": _("From Subcontractor"),
            "from": self.partner_id,
            "to_label": _("To Contractor"),
            "to": self.company_id.partner_id,
            "contract_label": _("Commitment"),
            "contract": self.purchase_order_id,
        }

    def _new_document_label(self):
        return _("a subcontractor invoice")

    def _prepare_move_values(self):
        """The vendor bill carries the subcontractor's own invoice number."""
        return {**super()._prepare_move_values(), "ref": self.vendor_reference or self.name}

    @api.onchange("purchase_order_id")
    def _onchange_purchase_order_id(self):
        self._fill_from_contract()

    def action_submit(self):
        """A resubmitted invoice has its rejected lines reviewed again; one
        submitted by the subcontractor on the portal is announced to the
        commitment's responsible user (issue #12)."""
        trusted(self.line_ids.filtered(lambda line: line.review_state == "rejected")).write(
            {"review_state": "to_review", "rejection_reason": False}
        )
        result = super().action_submit()
        if self.env.user._is_portal():
            self._notify_portal_submission()
        return result

    def _notify_portal_submission(self):
        """Issue #12: the subcontractor's submission is logged in the chatter
        under its own name and gives the commitment's responsible user (its
        buyer, else the invoice's creator) a review activity. Portal users
        cannot post on an invoice they may no longer edit nor create
        activities: both are written as superuser, on invoices the user has
        just submitted through the model's own checks."""
        submitter = self.env.user
        for invoice in self.sudo():
            responsible = invoice.purchase_order_id.user_id or invoice.create_uid
            invoice.message_post(
                body=_("%(user)s (%(partner)s) submitted %(invoice)s from the portal.",
                       user=submitter.name, partner=submitter.commercial_partner_id.name, invoice=invoice.display_name),
                author_id=submitter.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            invoice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Review %(invoice)s", invoice=invoice.display_name),
                note=_("%(partner)s submitted this invoice on the portal: review its lines.",
                       partner=submitter.commercial_partner_id.name),
                user_id=responsible.id,
            )

    def _finish_review(self, target):
        """A reviewer approves an invoice only when none of its lines is rejected."""
        for invoice in self:
            rejected = invoice.line_ids.filtered(lambda line: line.review_state == "rejected")
            if rejected:
                raise UserError(
                    _("%(invoice)s has rejected lines (%(lines)s): send it back for revision instead.",
                      invoice=invoice.display_name, lines=", ".join(rejected.mapped("name")))
                )
        self._change_state(target, ("under_review",), manager_only=True)
        self.line_ids.filtered(lambda line: line.review_state == "to_review").review_state = "approved"

    def action_approve(self):
        self._finish_review("approved")

    def action_approve_as_noted(self):
        self._finish_review("approved_as_noted")

    def action_pending_owner_approval(self):
        self._finish_review("pending_owner_approval")

    def action_request_revision(self):
        """Under Review -> Revise and Resubmit; the subcontractor's contact is notified."""
        self._change_state("revise_resubmit", ("under_review",), manager_only=True)
        for invoice in self:
            rejected = invoice.line_ids.filtered(lambda line: line.review_state == "rejected" and line.rejection_reason)
            reasons = Markup().join(
                Markup("<li>%s: %s</li>") % (line.name, line.rejection_reason) for line in rejected
            )
            invoice.message_post(
                body=Markup("<p>%s</p>") % _("%(invoice)s needs to be revised and resubmitted.", invoice=invoice.display_name)
                + (Markup("<ul>%s</ul>") % reasons if reasons else ""),
                partner_ids=invoice.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
