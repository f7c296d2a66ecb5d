from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..tools.trusted_write import trusted
from .progress_billing_application_mixin import ProgressBillingApplicationMixin

# rows of a payment schedule on its first page (under the parties, amounts
# and reasons) and on each further page, counted conservatively
PAYMENT_SCHEDULE_FIRST_PAGE_LINES = 12
PAYMENT_SCHEDULE_PAGE_LINES = 40

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
    # the statutory clock first: its status steps run around the others'
    _inherit = ["progress.billing.statutory.clock.mixin", "progress.billing.billable.mixin"]
    _description = "Subcontractor Invoice"
    _contract_field = "purchase_order_id"
    _contract_applications_field = "sub_invoice_ids"
    _sequence_code = "progress.billing.sub.invoice"
    _move_type = "in_invoice"
    _retainage_account_field = "retainage_payable_account_id"
    _locked_fields = (*ProgressBillingApplicationMixin._locked_fields, "vendor_reference")
    # issue #13: we owe the subcontractor our payment schedule, given by certifying the claim
    _project_regime_field = "sub_payment_regime_id"
    _schedule_given_states = ("approved", "approved_as_noted")
    _we_respond = True

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
            "certified_label": _("Certified"),
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
        """A resubmitted invoice has its rejected lines reviewed again."""
        trusted(self.line_ids.filtered(lambda line: line.review_state == "rejected")).write(
            {"review_state": "to_review", "rejection_reason": False}
        )
        return super().action_submit()

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

    # Payment Schedule (issue #13): report/progress_billing_payment_schedule_templates.xml

    def _check_payment_schedule_ready(self):
        """A payment schedule answers a certified claim: it is printed or
        sent once a reviewer approved the invoice (Approved or Approved as Noted)."""
        for invoice in self:
            if invoice.state not in self._schedule_given_states:
                raise UserError(_(
                    "%(invoice)s is %(state)s: its payment schedule can be printed or sent once a reviewer approves it "
                    "(Approved or Approved as Noted).",
                    invoice=invoice.display_name, state=invoice._state_label(invoice.state),
                ))

    def _payment_schedule_values(self):
        """What the payment schedule states (NSW s14(2)-(3), Vic s15(2)-(3),
        Qld BIF Act s69): the claim it answers, the claimed and scheduled
        amounts (G702 line 8 as claimed and as certified) and, line by line,
        the amounts claimed and scheduled with the reason for each difference."""
        self.ensure_one()
        currency = self.currency_id
        lines = [
            {
                "item": line.sequence,
                "description": line.name,
                "claimed": line.claimed_amount,
                "scheduled": line.certified_amount,
                "difference": line.certification_difference,
                "reason": line.certification_reason or "",
            }
            for line in self.line_ids
            if not (currency.is_zero(line.claimed_amount) and currency.is_zero(line.certified_amount))
        ]
        return {
            "claim_reference": self.vendor_reference or self.name,
            "given_on": self.schedule_given_date or fields.Date.context_today(self),
            "claimed": self.current_payment_due - self.certified_difference,
            "scheduled": self.current_payment_due,
            "difference": self.certified_difference,
            "lines": lines,
            "reasons": [
                {"line": row["description"], "reason": row["reason"], "difference": row["difference"]}
                for row in lines if not currency.is_zero(row["difference"])
            ],
            "lines_claimed": sum(row["claimed"] for row in lines),
            "lines_scheduled": sum(row["scheduled"] for row in lines),
            "lines_difference": sum(row["difference"] for row in lines),
        }

    def _payment_schedule_page_count(self):
        """Pages the payment schedule is expected to take: the first holds
        the parties, amounts, reasons and about PAYMENT_SCHEDULE_FIRST_PAGE_LINES
        lines, each further page about PAYMENT_SCHEDULE_PAGE_LINES. Only a
        batch of several schedules relies on it (models/ir_actions_report.py
        measures a schedule rendered alone, and one whose count was wrong)."""
        self.ensure_one()
        values = self._payment_schedule_values()
        rows = len(values["lines"]) + len(values["reasons"])
        overflow = max(0, rows - PAYMENT_SCHEDULE_FIRST_PAGE_LINES)
        return 1 + -(-overflow // PAYMENT_SCHEDULE_PAGE_LINES)

    def action_send_payment_schedule(self):
        """Send the payment schedule by e-mail (mail template with the PDF
        attached); sending records the day it was served."""
        self.ensure_one()
        if not self.env.user.has_group("progress_billing.group_progress_billing_manager"):
            raise UserError(_("Only a Progress Billing administrator can send the payment schedule of %(invoice)s.",
                              invoice=self.display_name))
        self._check_payment_schedule_ready()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": self.env.ref("progress_billing.mail_template_payment_schedule").id,
                "default_composition_mode": "comment",
                "mark_payment_schedule_served": True,
            },
        }

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if self.env.context.get("mark_payment_schedule_served"):
            self._record_payment_schedule_served()
        return message

    def _record_payment_schedule_served(self):
        """Issue #13: a payment schedule is given when it is served on the
        claimant. The first e-mail a reviewer sends after certifying records
        that day as the day it was served and given, on the invoice and in
        the chatter. The context key only says an e-mail was the schedule:
        the dates it moves are the reviewers' to write anyway."""
        if not self.env.user.has_group("progress_billing.group_progress_billing_manager"):
            return
        today = fields.Date.context_today(self)
        for invoice in self.filtered(lambda invoice: invoice.state in self._schedule_given_states and not invoice.schedule_served_date):
            trusted(invoice).write({"schedule_served_date": today, "schedule_given_date": today})
            invoice._message_log(body=_("Payment schedule served by e-mail on %(date)s.", date=format_date(self.env, today)))
