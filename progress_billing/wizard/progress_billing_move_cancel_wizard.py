# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models

APPLICATION_MODELS = [
    ("progress.billing.sub.invoice", "Subcontractor Invoice"),
    ("progress.billing.owner.invoice", "Owner Invoice"),
]


class ProgressBillingMoveCancelWizard(models.TransientModel):
    """Asks before voiding a billed pay application and names the bill that
    must be cancelled (readme/USAGE.md, "Bills, invoices and retainage"): a draft bill is cancelled on confirmation, a
    posted one must be reset to draft or reversed in accounting first."""

    _name = "progress.billing.move.cancel.wizard"
    _description = "Void a Billed Pay Application"

    application_ref = fields.Reference(APPLICATION_MODELS, "Pay Application", required=True, readonly=True)
    move_id = fields.Many2one("account.move", "Bill / Invoice", required=True, readonly=True)
    can_cancel = fields.Boolean(compute="_compute_message")
    message = fields.Text(compute="_compute_message")

    @api.model
    def _action_open(self, application):
        wizard = self.create({"application_ref": f"{application._name},{application.id}", "move_id": application.move_id.id})
        return wizard._get_records_action(name=_("Void %(invoice)s", invoice=application.display_name), target="new")

    @api.depends("move_id.state", "application_ref")
    def _compute_message(self):
        for wizard in self:
            invoice, move = wizard.application_ref.display_name, wizard.move_id.display_name
            wizard.can_cancel = wizard.move_id.state == "draft"
            if wizard.can_cancel:
                wizard.message = _(
                    "%(invoice)s is billed on the draft %(move)s. Voiding %(invoice)s cancels %(move)s.",
                    invoice=invoice, move=move,
                )
            else:
                wizard.message = _(
                    "%(invoice)s is billed on %(move)s, which is posted: reset %(move)s to draft and cancel it, "
                    "or reverse it with a credit note, before voiding %(invoice)s.",
                    invoice=invoice, move=move,
                )

    def action_confirm(self):
        self.ensure_one()
        if self.can_cancel:
            self.move_id.button_cancel()
        return self.application_ref.action_void()
