# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

INVITE_MAIL_KINDS = [
    ("invitation", "Invitation to Bill"),
    ("reminder", "Reminder Before the Due Date"),
    ("overdue", "Reminder After the Due Date"),
]


class ProgressBillingInviteMail(models.Model):
    """What Invite to Bill and its reminders sent, per subcontractor invoice
    (readme/USAGE.md, "Invite to Bill (contractor side)"): an invoice's contact gets at most one of these e-mails a day,
    one reminder before the due date and one after it. Written only by the
    addon's own code (no user has create or write access)."""

    _name = "progress.billing.invite.mail"
    _description = "Invitation to Bill E-mail"
    _order = "sent_on desc, id desc"

    invoice_id = fields.Many2one(
        "progress.billing.sub.invoice", "Subcontractor Invoice", required=True, index=True, ondelete="cascade",
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    kind = fields.Selection(INVITE_MAIL_KINDS, required=True)
    partner_id = fields.Many2one("res.partner", "Sent To", required=True, ondelete="cascade")
    sent_on = fields.Date("Sent On", required=True)
    message_id = fields.Many2one("mail.message", "Message", ondelete="set null")

    _one_mail_a_day = models.UniqueIndex(
        "(invoice_id, partner_id, sent_on)",
        "An invoice's contact gets at most one invitation or reminder a day.",
    )
