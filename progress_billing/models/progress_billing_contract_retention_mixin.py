# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.trusted_write import check_trusted_write, trusted


class ProgressBillingContractRetentionMixin(models.AbstractModel):
    """What a retention release stage and a bank guarantee share (readme/USAGE.md, "Retention ledger"):
    each belongs to one contract, a commitment (what we hold on a
    subcontractor) or a prime contract (what the owner holds on us), takes
    its project and company from it, and reminds the contract's responsible
    user once, with an activity, when it comes due."""

    _name = "progress.billing.contract.retention.mixin"
    _description = "Contract Retention Record"
    _check_company_auto = True
    # set by the addon only (scheduled actions, release wizard), never by a write or an import
    _trusted_fields = ("reminder_sent",)
    # set by each model: the date its reminder is about; moving it calls for a new reminder
    _reminder_date_field = None

    purchase_order_id = fields.Many2one(
        "purchase.order", "Commitment", index=True, ondelete="cascade", check_company=True,
        domain="[('is_commitment', '=', True)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order", "Prime Contract", index=True, ondelete="cascade", check_company=True,
        domain="[('is_prime_contract', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_contract", store=True, index=True, readonly=True, precompute=True
    )
    project_id = fields.Many2one(
        "project.project", compute="_compute_from_contract", store=True, index=True, readonly=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    reminder_sent = fields.Boolean(
        "Reminder Sent", readonly=True, copy=False,
        help="The scheduled action has given the contract's responsible user an activity for it: never twice.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_trusted_write(self, vals, self._trusted_fields)
        return super().create(vals_list)

    def write(self, vals):
        """A record whose date moves (a stage postponed, a guarantee
        extended) is reminded again when the new date comes."""
        check_trusted_write(self, vals, self._trusted_fields)
        moved = self.filtered(
            lambda record: self._reminder_date_field in vals
            and record[self._reminder_date_field] != fields.Date.to_date(vals[self._reminder_date_field])
        )
        result = super().write(vals)
        trusted(moved).reminder_sent = False
        return result

    def _contract(self):
        self.ensure_one()
        return self.purchase_order_id or self.sale_order_id

    @api.depends("purchase_order_id.company_id", "sale_order_id.company_id", "purchase_order_id.project_id",
                 "sale_order_id.project_id")
    def _compute_from_contract(self):
        for record in self:
            contract = record.purchase_order_id or record.sale_order_id
            record.company_id = contract.company_id
            record.project_id = contract.project_id

    @api.constrains("purchase_order_id", "sale_order_id")
    def _check_one_contract(self):
        for record in self:
            if bool(record.purchase_order_id) == bool(record.sale_order_id):
                raise ValidationError(_(
                    "%(record)s must belong to exactly one contract: a commitment or a prime contract.",
                    record=record.display_name,
                ))

    def _reminder(self):
        """(summary, note, deadline) of the activity reminding this record."""
        raise NotImplementedError

    def _send_reminders(self):
        """Give the responsible user of each record's contract (its buyer or
        salesperson, else the user running the scheduled action) one To-Do
        activity on the contract, and mark the record so that it is never
        reminded twice, however often the scheduled action runs."""
        for record in self:
            contract = record._contract()
            summary, note, deadline = record._reminder()
            contract.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=deadline, summary=summary, note=note,
                user_id=(contract.user_id or self.env.user).id,
            )
        trusted(self).reminder_sent = True

    @api.model
    def _cron_remind(self, domain):
        """Remind the records of ``domain`` not reminded yet, committing as it
        goes: a scheduled action stopped half-way resumes where it stopped
        and never reminds twice."""
        records = self.search([*domain, ("reminder_sent", "=", False)])
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(records))
        for record in records:
            record._send_reminders()
            if not cron._commit_progress(1):
                break
