from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ProgressBillingRetainageReleaseWizard(models.TransientModel):
    """Release all or part of the retainage a contract holds, line by line
    (issue "Retainage release"). The release is recorded in the column
    "Retainage Released This Period" of the contract's pay application of the
    chosen billing period, so that the G702 of later applications stays right:
    without an application in that period, a Retainage Release Only
    application is created, approved and billed at once; an application of the
    period still being edited takes the release and bills it on approval."""

    _name = "progress.billing.retainage.release.wizard"
    _description = "Release Retainage"

    contract_ref = fields.Reference(
        [("purchase.order", "Commitment"), ("sale.order", "Prime Contract")], "Contract", required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    project_id = fields.Many2one("project.project", readonly=True)
    period_id = fields.Many2one(
        "progress.billing.period", "Billing Period", required=True,
        domain="[('project_id', '=', project_id), ('state', '=', 'open')]",
    )
    line_ids = fields.One2many("progress.billing.retainage.release.wizard.line", "wizard_id", string="Lines")
    amount_total = fields.Monetary("Total Released", compute="_compute_amount_total")

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(wizard.line_ids.mapped("amount"))

    @api.model
    def _action_open(self, contract):
        """The wizard of ``contract``, releasing by default all the retainage
        each line holds as of the latest approved pay application."""
        held_lines = contract._latest_approved_application().line_ids.filtered(
            lambda line: line.currency_id.compare_amounts(line.retainage, 0) > 0
        )
        if not held_lines:
            raise UserError(_("%(contract)s holds no retainage to release.", contract=contract.display_name))
        open_period = contract.project_id.billing_period_ids.filtered(lambda period: period.state == "open")[:1]
        wizard = self.create({
            "contract_ref": f"{contract._name},{contract.id}",
            "company_id": contract.company_id.id,
            "project_id": contract.project_id.id,
            "period_id": open_period.id,
            "line_ids": [
                fields.Command.create({
                    "application_line_ref": f"{line._name},{line.id}",
                    "name": line.name,
                    "retainage_remaining": line.retainage,
                    "amount": line.retainage,
                })
                for line in held_lines
            ],
        })
        return wizard._get_records_action(name=_("Release Retainage of %(contract)s", contract=contract.display_name), target="new")

    def action_release(self):
        self.ensure_one()
        releases = {
            line.application_line_ref._billing_source_key(): line.amount
            for line in self.line_ids
            if not self.currency_id.is_zero(line.amount)
        }
        if not releases:
            raise UserError(_("Enter the retainage to release on at least one line."))
        contract = self.contract_ref
        applications = contract[contract._applications_field]
        application = applications.filtered(lambda other: other.period_id == self.period_id and other.state != "void")
        if application:
            self._record_releases(application, releases)
            return application._get_records_action()
        applications._check_accounting_rights()
        application = applications.create({
            applications._contract_field: contract.id,
            "period_id": self.period_id.id,
            "payment_application_type": "retainage_release",
        })
        self._record_releases(application, releases)
        application.action_submit()
        application.action_approve()
        if not application.move_id:
            application._create_moves()
        return application.move_id._get_records_action()

    def _record_releases(self, application, releases):
        for line in application.line_ids:
            amount = releases.get(line._billing_source_key())
            if amount:
                line.retainage_released = amount
