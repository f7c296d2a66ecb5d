# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Invite to Bill (readme/USAGE.md, "Invite to Bill (contractor side)"): the statuses shared by commitments, their
invoices and the wizard."""

# where a commitment's pay application of a billing period stands
INVITE_STATUSES = [
    ("not_invited", "Not Invited"),
    ("invited", "Invited"),
    ("draft_in_progress", "Draft in Progress"),
    ("submitted", "Submitted (Under Review)"),
    ("revise_resubmit", "Revise and Resubmit"),
    ("approved", "Approved"),
]
# invite statuses of invoices waiting for the subcontractor (the filter Not Submitted, the reminders)
NOT_SUBMITTED_STATUSES = ("invited", "draft_in_progress", "revise_resubmit")
# statuses in which an invoice is the subcontractor's to fill in, and may be invited to bill
INVITABLE_STATES = ("draft", "revise_resubmit")
# the e-mail template of each kind of invitation e-mail (progress.billing.invite.mail)
INVITE_MAIL_TEMPLATES = {
    "invitation": "progress_billing.mail_template_invite_to_bill",
    "reminder": "progress_billing.mail_template_bill_reminder",
    "overdue": "progress_billing.mail_template_bill_reminder",
}
