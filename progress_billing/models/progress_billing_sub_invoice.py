# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..tools.invite_to_bill import INVITABLE_STATES, INVITE_MAIL_TEMPLATES, INVITE_STATUSES, NOT_SUBMITTED_STATUSES
from ..tools.portal_access import portal_may_write
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
    _inherit = ["progress.billing.statutory.clock.mixin", "progress.billing.billable.mixin", "portal.mixin"]
    _description = "Subcontractor Invoice"
    _contract_field = "purchase_order_id"
    _contract_applications_field = "sub_invoice_ids"
    _sequence_code = "progress.billing.sub.invoice"
    _move_type = "in_invoice"
    _retainage_account_field = "retainage_payable_account_id"
    _locked_fields = (*ProgressBillingApplicationMixin._locked_fields, "vendor_reference")
    # readme/USAGE.md, "The subcontractor's side (portal)": the only field a subcontractor writes on its invoice from
    # the portal
    _portal_writable_fields = frozenset({"vendor_reference"})
    # readme/USAGE.md, "Invite to Bill (contractor side)": only Invite to Bill records whom it invited and when
    _protected_fields = (*ProgressBillingApplicationMixin._protected_fields, "invited_on", "invited_partner_id")
    # readme/USAGE.md, "Payment schedules and the statutory clock": we owe the subcontractor our payment schedule, given
    # by certifying the claim
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

    invited_on = fields.Datetime(
        "Invited On", readonly=True, copy=False, tracking=True,
        help="When the subcontractor was last invited to bill this invoice (Invite to Bill).",
    )
    invited_partner_id = fields.Many2one(
        "res.partner", "Invited Contact", readonly=True, copy=False, tracking=True,
        help="The subcontractor's contact invited by e-mail to fill in and submit this invoice.",
    )
    invite_status = fields.Selection(INVITE_STATUSES, compute="_compute_invite_status")
    invite_mail_ids = fields.One2many(
        "progress.billing.invite.mail", "invoice_id", string="Invitation E-mails", readonly=True,
    )

    _one_invoice_per_period = models.UniqueIndex(
        "(purchase_order_id, period_id) WHERE state != 'void'",
        "A commitment has at most one invoice per billing period (void the other one first).",
    )

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Pay Application - %s", self.name)

    def _has_field_access(self, field, operation):
        """On the portal a subcontractor writes only its own invoice number (tools/portal_access.py;
        readme/USAGE.md, "The subcontractor's side (portal)")."""
        if operation == "write" and not portal_may_write(self, field):
            return False
        return super()._has_field_access(field, operation)

    @api.model_create_multi
    def create(self, vals_list):
        invoices = super().create(vals_list)
        for invoice in invoices:
            invoice.position = self.search_count([("purchase_order_id", "=", invoice.purchase_order_id.id)])
        return invoices

    def _compute_access_url(self):
        """The subcontractor's page of the invoice on the portal
        (readme/USAGE.md, "The subcontractor's side (portal)")."""
        super()._compute_access_url()
        for invoice in self:
            invoice.access_url = f"/my/progress-billing/invoice/{invoice.id}"

    @api.depends(
        "state", "invited_on", "line_ids.work_this_period", "line_ids.materials_stored", "line_ids.retainage_released",
    )
    def _compute_invite_status(self):
        """Invite status (readme/USAGE.md, "Invite to Bill (contractor side)"): a draft is Invited once its
        subcontractor is invited, Draft in Progress once something is claimed on it (by the
        subcontractor or in the back office); Pending Owner Approval is still
        Submitted (Under Review) for the subcontractor, Approved as Noted is
        Approved; a void invoice counts as none (Not Invited)."""
        for invoice in self:
            if invoice.state == "draft":
                if invoice._has_claim():
                    invoice.invite_status = "draft_in_progress"
                else:
                    invoice.invite_status = "invited" if invoice.invited_on else "not_invited"
            else:
                invoice.invite_status = {
                    "under_review": "submitted", "pending_owner_approval": "submitted",
                    "revise_resubmit": "revise_resubmit", "void": "not_invited",
                }.get(invoice.state, "approved")

    def _has_claim(self):
        """Whether anything is claimed yet: work completed or retainage released
        this period, or materials presently stored other than those the
        invoice started with (carried forward from the previous application)."""
        self.ensure_one()
        opening = self._opening_stored_materials()
        currency = self.currency_id
        return any(
            not currency.is_zero(line.work_this_period) or not currency.is_zero(line.retainage_released)
            or currency.compare_amounts(line.materials_stored, opening.get(line._billing_source_key(), 0.0))
            for line in self.line_ids
        )

    def _payment_application_type_label(self):
        """The invoice type as the e-mails of Invite to Bill name it."""
        self.ensure_one()
        return self._fields["payment_application_type"].convert_to_export(self.payment_application_type, self)

    def _invite(self, contact):
        """Record that ``contact`` is invited to bill this invoice, let it follow
        the invoice, and e-mail it the invitation, unless it already got an
        invitation or reminder of this invoice today (readme/USAGE.md, "Invite to Bill (contractor side)")."""
        self.ensure_one()
        if self._mailed_today(contact):
            return
        trusted(self).write({"invited_on": fields.Datetime.now(), "invited_partner_id": contact.id})
        self.message_subscribe(partner_ids=contact.ids)
        self._send_invite_mail("invitation")

    def _mailed_today(self, contact):
        today = fields.Date.context_today(self)
        return bool(self.invite_mail_ids.filtered(lambda mail: mail.sent_on == today and mail.partner_id == contact))

    def _send_invite_mail(self, kind):
        """E-mail the invited contact the invitation or a reminder
        (``INVITE_MAIL_TEMPLATES``), posted in the chatter, and keep what was
        sent: never twice the same day to the same contact."""
        self.ensure_one()
        contact = self.invited_partner_id
        if self._mailed_today(contact):
            return
        template = self.env.ref(INVITE_MAIL_TEMPLATES[kind])
        message = self.with_context(progress_billing_invite_mail=kind).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment",
        )
        # the log is written by the addon only: users read it
        self.env["progress.billing.invite.mail"].sudo().create({
            "invoice_id": self.id, "kind": kind, "partner_id": contact.id,
            "sent_on": fields.Date.context_today(self), "message_id": message[:1].id,
        })
        self.invalidate_recordset(["invite_mail_ids"])

    def _reminder_due(self, today):
        """The reminder the invited contact gets ``today``, or None
        (readme/USAGE.md, "Invite to Bill (contractor side)"):
        one from N days before the period's due date (N: the company's
        setting) unless it was e-mailed since then, one once the due date has
        passed; only while the invoice waits for the subcontractor."""
        self.ensure_one()
        if not self.invited_partner_id or self.invite_status not in NOT_SUBMITTED_STATUSES:
            return None
        due = self.period_id.date_due
        sent = self.invite_mail_ids
        if today > due:
            return None if "overdue" in sent.mapped("kind") else "overdue"
        window_start = due - timedelta(days=self.company_id.progress_billing_reminder_days)
        if today >= window_start and not sent.filtered(lambda mail: mail.sent_on >= window_start):
            return "reminder"
        return None

    @api.model
    def _cron_send_bill_reminders(self):
        """Scheduled action: remind the invited subcontractors who have not
        submitted, before and after the period's due date (readme/USAGE.md, "Invite to Bill (contractor side)"),
        committing after each e-mail as Odoo's crons do."""
        today = fields.Date.context_today(self)
        candidates = self.search([
            ("invited_partner_id", "!=", False), ("state", "in", INVITABLE_STATES),
            ("invite_mail_ids", "not any", [("kind", "=", "overdue")]),
        ])
        reminders = [(invoice, kind) for invoice in candidates if (kind := invoice._reminder_due(today))]
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(reminders))
        for invoice, kind in reminders:
            invoice._send_invite_mail(kind)
            if not cron._commit_progress(1):
                break

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
        """A resubmitted invoice has its rejected lines reviewed again; one
        submitted by the subcontractor on the portal is announced to the
        commitment's responsible user (readme/USAGE.md, "The subcontractor's side (portal)")."""
        trusted(self.line_ids.filtered(lambda line: line.review_state == "rejected")).write(
            {"review_state": "to_review", "rejection_reason": False}
        )
        result = super().action_submit()
        if self.env.user._is_portal():
            self._notify_portal_submission()
        return result

    def _notify_portal_submission(self):
        """readme/USAGE.md, "The subcontractor's side (portal)": the subcontractor's submission is logged in the chatter
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

    # Payment Schedule (readme/USAGE.md, "Payment schedules and the statutory clock"):
    # report/progress_billing_payment_schedule_templates.xml

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
        """readme/USAGE.md, "Payment schedules and the statutory clock": a payment schedule is given when it is served
        on the claimant. The first e-mail a reviewer sends after certifying records
        that day as the day it was served and given, on the invoice and in
        the chatter. The context key only says an e-mail was the schedule:
        the dates it moves are the reviewers' to write anyway."""
        if not self.env.user.has_group("progress_billing.group_progress_billing_manager"):
            return
        today = fields.Date.context_today(self)
        for invoice in self.filtered(lambda invoice: invoice.state in self._schedule_given_states and not invoice.schedule_served_date):
            trusted(invoice).write({"schedule_served_date": today, "schedule_given_date": today})
            invoice._message_log(body=_("Payment schedule served by e-mail on %(date)s.", date=format_date(self.env, today)))
