# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .progress_billing_period import monthly_period_bounds


class ProjectProject(models.Model):
    """A construction job: billing periods, prime contracts, commitments and
    direct costs belong to one project."""

    _inherit = "project.project"

    billing_period_auto = fields.Boolean(
        "Automatic Billing Periods",
        help="A scheduled action creates and opens a monthly billing period starting on the billing day.",
    )
    billing_day = fields.Integer(
        default=1,
        help="Day of the month on which each automatic billing period starts (29-31 fall back to a shorter month's last day).",
    )
    billing_period_ids = fields.One2many("progress.billing.period", "project_id", string="Billing Periods")
    prime_contract_ids = fields.One2many(
        "sale.order", "project_id", string="Prime Contracts", domain=[("is_prime_contract", "=", True)]
    )
    commitment_ids = fields.One2many(
        "purchase.order", "project_id", string="Commitments", domain=[("is_commitment", "=", True)]
    )
    direct_cost_ids = fields.One2many("progress.billing.direct.cost", "project_id", string="Direct Costs")
    billing_period_count = fields.Integer(compute="_compute_progress_billing_counts")
    prime_contract_count = fields.Integer(compute="_compute_progress_billing_counts")
    commitment_count = fields.Integer(compute="_compute_progress_billing_counts")
    sub_invoice_count = fields.Integer(compute="_compute_progress_billing_counts")
    owner_invoice_count = fields.Integer(compute="_compute_progress_billing_counts")
    direct_cost_count = fields.Integer(compute="_compute_progress_billing_counts")
    change_order_count = fields.Integer(compute="_compute_progress_billing_counts")
    head_contract_value = fields.Monetary(
        compute="_compute_retention_trust_account", store=True,
        help="Sum of the contract sums to date (revised by approved change orders) of the project's prime contracts "
        "not cancelled.",
    )
    retention_trust_account = fields.Boolean(
        "Retention Trust Account", compute="_compute_retention_trust_account", store=True,
        help="The retention held on this project's subcontractors must be kept in a separate trust account: its "
        "company flags trust account projects and the head contract value reaches its threshold (Settings).",
    )
    unbilled_cost_count = fields.Integer("Unbilled Costs", compute="_compute_unbilled_costs")
    unbilled_cost_amount = fields.Monetary("Unbilled Costs Amount", compute="_compute_unbilled_costs")
    sub_payment_regime_id = fields.Many2one(
        "progress.billing.payment.regime", "Payment Regime for Subcontractor Claims", check_company=True,
        help="Deadlines to give a payment schedule and to pay the subcontractors' claims, unless their commitment sets another.",
    )
    owner_payment_regime_id = fields.Many2one(
        "progress.billing.payment.regime", "Payment Regime for Owner Claims", check_company=True,
        help="Deadlines for the owner to give its payment schedule and to pay our owner invoices, unless the prime contract sets another.",
    )
    owner_withheld_amount = fields.Monetary("Withheld by the Owner", compute="_compute_owner_withheld_amount")

    @api.constrains("billing_day")
    def _check_billing_day(self):
        for project in self:
            if not 1 <= project.billing_day <= 31:
                raise ValidationError(
                    _("The billing day of project %(project)s must be between 1 and 31, not %(day)s.",
                      project=project.display_name, day=project.billing_day)
                )

    @api.constrains("company_id", "sub_payment_regime_id", "owner_payment_regime_id")
    def _check_payment_regime_company(self):
        """A project's payment regimes are shared or of its company (projects check no company by themselves)."""
        self._check_company(["sub_payment_regime_id", "owner_payment_regime_id"])

    def _compute_progress_billing_counts(self):
        counted_models = {
            "billing_period_count": ("progress.billing.period", []),
            "prime_contract_count": ("sale.order", [("is_prime_contract", "=", True)]),
            "commitment_count": ("purchase.order", [("is_commitment", "=", True)]),
            "sub_invoice_count": ("progress.billing.sub.invoice", []),
            "owner_invoice_count": ("progress.billing.owner.invoice", []),
            "direct_cost_count": ("progress.billing.direct.cost", []),
            "change_order_count": ("progress.billing.change.order", []),
        }
        for field_name, (model, domain) in counted_models.items():
            counts = dict(
                self.env[model]._read_group(domain + [("project_id", "in", self.ids)], ["project_id"], ["__count"])
            )
            for project in self:
                project[field_name] = counts.get(project, 0)

    @api.depends(
        "prime_contract_ids.revised_contract_sum", "prime_contract_ids.state",
        "company_id.retention_trust_account", "company_id.retention_trust_threshold",
    )
    def _compute_retention_trust_account(self):
        """readme/CONFIGURE.md, "Trust account projects (NSW)": NSW requires a head contractor to hold subcontractors'
        retention money in a trust account on projects whose head contract
        value reaches a threshold (see the company's Trust Account Threshold)."""
        for project in self:
            contracts = project.prime_contract_ids.filtered(lambda contract: contract.state != "cancel")
            project.head_contract_value = sum(contracts.mapped("revised_contract_sum"))
            company = project.company_id
            project.retention_trust_account = company.retention_trust_account and company.currency_id.compare_amounts(
                project.head_contract_value, company.retention_trust_threshold
            ) >= 0

    def _compute_unbilled_costs(self):
        """readme/USAGE.md, "Auto-completing owner invoices": how many approved costs no owner invoice bills yet, and
        for how much."""
        totals = self.env["progress.billing.unbilled.cost"]._totals_by_project(self)
        for project in self:
            project.unbilled_cost_count, project.unbilled_cost_amount = totals.get(project, (0, 0.0))

    def _compute_owner_withheld_amount(self):
        """readme/USAGE.md, "Claimed and certified amounts": what the owner's payment schedules withheld from our
        claims, over every period."""
        withheld = self.env["progress.billing.owner.schedule.difference"]._withheld_by_project(self)
        for project in self:
            project.owner_withheld_amount = withheld.get(project, 0.0)

    def _create_current_automatic_period(self):
        """Create and open the monthly period holding today (readme/USAGE.md, "Billing periods"), unless a period
        already holds today."""
        self.ensure_one()
        bounds = self._automatic_period_bounds(fields.Date.context_today(self))
        if not bounds:
            return self.env["progress.billing.period"]
        start, end = bounds
        period = self.env["progress.billing.period"].create(
            {"project_id": self.id, "date_start": start, "date_end": end, "date_due": end, "is_automatic": True}
        )
        period.action_open()
        return period

    def _automatic_period_bounds(self, today):
        """Start and end of the automatic period holding ``today``, or None when
        a period already holds it. Periods never overlap (readme/USAGE.md, "Billing periods"): other periods
        of the month (manual ones, or those of an earlier billing day) leave
        the new one the free days around today."""
        start, end = monthly_period_bounds(today, self.billing_day)
        clashes = self.env["progress.billing.period"].search(
            [("project_id", "=", self.id), ("date_start", "<=", end), ("date_end", ">=", start)]
        )
        if any(period.date_start <= today <= period.date_end for period in clashes):
            return None
        start = max([start, *(period.date_end + timedelta(days=1) for period in clashes if period.date_end < today)])
        end = min([end, *(period.date_start - timedelta(days=1) for period in clashes if period.date_start > today)])
        return start, end

    def _action_open_progress_billing(self, xmlid, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("project_id", "in", self.ids)]
        action["context"] = {"default_project_id": self.id, **(context or {})}
        return action

    def action_view_billing_periods(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_period")

    def action_view_prime_contracts(self):
        return self._action_open_progress_billing(
            "progress_billing.action_prime_contract", {"default_is_prime_contract": True}
        )

    def action_view_commitments(self):
        return self._action_open_progress_billing(
            "progress_billing.action_commitment", {"default_is_commitment": True}
        )

    def action_view_sub_invoices(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_sub_invoice")

    def action_view_owner_invoices(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_owner_invoice")

    def action_view_direct_costs(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_direct_cost")

    def action_view_change_orders(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_change_order")

    def action_view_unbilled_costs(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_unbilled_cost")

    def action_view_owner_schedule_differences(self):
        return self._action_open_progress_billing("progress_billing.action_progress_billing_owner_schedule_difference")
