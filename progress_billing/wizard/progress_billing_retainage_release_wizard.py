# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from ..tools.retention import split_in_proportion


class ProgressBillingRetainageReleaseWizard(models.TransientModel):
    """Release all or part of the retainage a contract holds, line by line
    (readme/USAGE.md, "Bills, invoices and retainage"). The release is recorded in the column
    "Retainage Released This Period" of the contract's pay application of the
    chosen billing period, so that the G702 of later applications stays right:
    without an application in that period, a Retainage Release Only
    application is created, approved and billed at once; an application of the
    period still being edited takes the release and bills it on approval,
    added to any release already entered on it (readme/CONFIGURE.md, "Accounting")."""

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
    stage_id = fields.Many2one(
        "progress.billing.retention.stage", "Release Stage", domain="[('id', 'in', available_stage_ids)]",
        help="The release stage this release makes: each line proposes its share of the stage's amount, in "
        "proportion to the retainage it holds. Empty: each line proposes all it holds.",
    )
    available_stage_ids = fields.Many2many("progress.billing.retention.stage", compute="_compute_available_stage_ids")
    line_ids = fields.One2many("progress.billing.retainage.release.wizard.line", "wizard_id", string="Lines")
    amount_total = fields.Monetary("Total Released", compute="_compute_amount_total")
    already_released_note = fields.Char(compute="_compute_already_released_note")

    @api.depends("contract_ref")
    def _compute_available_stage_ids(self):
        """The contract's release stages not released yet."""
        for wizard in self:
            stages = wizard.contract_ref.retention_stage_ids if wizard.contract_ref else self.env["progress.billing.retention.stage"]
            wizard.available_stage_ids = stages.filtered(lambda stage: not stage.date_released)

    def _proposed_releases(self):
        """{wizard line: amount proposed}: all the retainage each line can
        still release, or with a release stage the stage's amount of the
        retainage held (readme/USAGE.md, "Release stages"), split over the lines in proportion to what
        each can release, exact to the cent and never above it
        (tools/retention.py)."""
        self.ensure_one()
        releasable = {line: max(line._releasable(), 0.0) for line in self.line_ids}
        if not self.stage_id:
            return releasable
        unit = 10 ** self.currency_id.decimal_places
        amount = self.stage_id._release_amount(sum(self.line_ids.mapped("retainage_remaining")))
        shares = split_in_proportion(round(amount * unit), [round(value * unit) for value in releasable.values()])
        return {line: share / unit for line, share in zip(releasable, shares, strict=True)}

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(wizard.line_ids.mapped("amount"))

    def _period_application(self):
        """The contract's application of the chosen billing period, if any."""
        self.ensure_one()
        contract = self.contract_ref
        if not contract:
            return self.env["progress.billing.application.mixin"]
        return contract[contract._applications_field].filtered(
            lambda application: application.period_id == self.period_id and application.state != "void"
        )

    @api.depends("period_id", "line_ids.already_released")
    def _compute_already_released_note(self):
        for wizard in self:
            already = sum(wizard.line_ids.mapped("already_released"))
            wizard.already_released_note = False
            if wizard.currency_id and not wizard.currency_id.is_zero(already):
                wizard.already_released_note = _(
                    "%(invoice)s of this billing period already releases %(amount)s of retainage: "
                    "the amounts below are added to it.",
                    invoice=wizard._period_application().display_name,
                    amount=format_amount(self.env, already, wizard.currency_id),
                )

    @api.model
    def _action_open(self, contract):
        """The wizard of ``contract``, releasing by default all the retainage
        each line holds as of the latest approved pay application and that the
        chosen period does not release yet."""
        held_lines = contract._latest_approved_application().line_ids.filtered(
            lambda line: line.currency_id.compare_amounts(line.retainage, 0) > 0
        )
        if not held_lines:
            raise UserError(_("%(contract)s holds no retainage to release.", contract=contract.display_name))
        open_period = contract.project_id.billing_period_ids.filtered(lambda period: period.state == "open")[:1]
        wizard = self.create({
            "contract_ref": f"{contract._name},{contract.id}",
            "stage_id": contract.retention_stage_ids.filtered(lambda stage: not stage.date_released)[:1].id,
            "company_id": contract.company_id.id,
            "project_id": contract.project_id.id,
            "period_id": open_period.id,
            "line_ids": [
                fields.Command.create({
                    "application_line_ref": f"{line._name},{line.id}",
                    "name": line.name,
                    "retainage_remaining": line.retainage,
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
        application = self._period_application()
        if application:
            added_to = self._record_releases(application, releases)
            action = application._get_records_action()
            if not added_to:
                return action
            message = _(
                "Retainage released on %(invoice)s, added to the release already entered in this billing period: "
                "%(lines)s.",
                invoice=application.display_name, lines="; ".join(added_to),
            )
            application.message_post(body=message)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"message": message, "type": "info", "sticky": False, "next": action},
            }
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
        """Add each release to what the application line already releases
        (readme/CONFIGURE.md, "Accounting": a second release in the same period never overwrites the
        first); return, for the lines that already released some, what
        happened to them, for the message that says so."""
        added_to = []
        for line in application.line_ids:
            amount = releases.get(line._billing_source_key())
            if not amount:
                continue
            already = line.retainage_released
            line.retainage_released = already + amount
            if not self.currency_id.is_zero(already):
                added_to.append(_(
                    "%(line)s: %(amount)s added to %(already)s, now %(total)s",
                    line=line.name, amount=format_amount(self.env, amount, self.currency_id),
                    already=format_amount(self.env, already, self.currency_id),
                    total=format_amount(self.env, line.retainage_released, self.currency_id),
                ))
        if self.stage_id:
            self.stage_id._mark_released(application)
        return added_to
