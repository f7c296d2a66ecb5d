# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProgressBillingRetainageReleaseWizardLine(models.TransientModel):
    """How much of one pay application line's retainage to release."""

    _name = "progress.billing.retainage.release.wizard.line"
    _description = "Release Retainage Line"

    wizard_id = fields.Many2one("progress.billing.retainage.release.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    application_line_ref = fields.Reference(
        [("progress.billing.sub.invoice.line", "Subcontractor Invoice Line"),
         ("progress.billing.owner.invoice.line", "Owner Invoice Line")],
        "Latest Approved Line", required=True, readonly=True,
    )
    name = fields.Char("Description", readonly=True)
    retainage_remaining = fields.Monetary("Retainage Held", readonly=True)
    already_released = fields.Monetary(
        "Already Released This Period", compute="_compute_already_released",
        help="Retainage the application of the chosen billing period already releases on this line: "
        "what you release here is added to it.",
    )
    amount = fields.Monetary("To Release", compute="_compute_amount", store=True, readonly=False)

    @api.depends("wizard_id.period_id", "application_line_ref")
    def _compute_already_released(self):
        """The release already entered on the line of the period's
        application, unless that application is the latest approved one,
        whose release the retainage held already counts."""
        for line in self:
            application = line.wizard_id._period_application()
            latest_approved = line.application_line_ref.invoice_id
            period_line = application.line_ids.filtered(
                lambda other: other._billing_source_key() == line.application_line_ref._billing_source_key()
            )
            line.already_released = period_line.retainage_released if application != latest_approved else 0.0

    @api.depends("retainage_remaining", "already_released", "wizard_id.stage_id")
    def _compute_amount(self):
        """By default, release all the retainage still held, or the line's
        share of the release stage chosen (``_proposed_releases``)."""
        for wizard in self.wizard_id:
            proposals = wizard._proposed_releases()
            for line in self.filtered(lambda line: line.wizard_id == wizard):
                line.amount = proposals[line]

    def _releasable(self):
        return self.retainage_remaining - self.already_released

    @api.constrains("amount", "retainage_remaining")
    def _check_amount(self):
        for line in self:
            releasable = line._releasable()
            if line.currency_id.compare_amounts(line.amount, 0) < 0 or line.currency_id.compare_amounts(
                line.amount, releasable
            ) > 0:
                raise ValidationError(_(
                    "Line “%(line)s” can release between 0 and the %(held)s of retainage it still holds, not %(amount)s.",
                    line=line.name, held=releasable, amount=line.amount,
                ))
