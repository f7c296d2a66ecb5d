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
    amount = fields.Monetary("To Release")

    @api.constrains("amount", "retainage_remaining")
    def _check_amount(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount, 0) < 0 or line.currency_id.compare_amounts(
                line.amount, line.retainage_remaining
            ) > 0:
                raise ValidationError(_(
                    "Line “%(line)s” can release between 0 and the %(held)s of retainage it holds, not %(amount)s.",
                    line=line.name, held=line.retainage_remaining, amount=line.amount,
                ))
