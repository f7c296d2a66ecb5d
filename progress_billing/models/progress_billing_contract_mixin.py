# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list

from ..tools.one2many_counts import one2many_counts


class ProgressBillingContractMixin(models.AbstractModel):
    """What a prime contract (sale order) and a commitment (purchase order)
    share: retainage defaults and the G702 contract sums (lines 1-3)."""

    _name = "progress.billing.contract.mixin"
    _description = "Progress Billing Contract"

    # the contract model defines the real field; this one lets the mixin own monetary fields
    currency_id = fields.Many2one("res.currency")
    retainage_rate = fields.Float(
        "Retainage on Work (%)", digits=(5, 2), help="Default retainage withheld on completed work of each line."
    )
    retainage_rate_materials = fields.Float(
        "Retainage on Stored Materials (%)", digits=(5, 2), help="Retainage withheld on materials presently stored."
    )
    stored_materials_method = fields.Selection(
        [
            ("carry_forward", "Carry forward stored materials balance"),
            ("roll_forward", "Roll previous stored materials into work completed (D)"),
        ],
        "Stored Materials", default="carry_forward", required=True,
        help="Carry forward: each pay application starts with the materials presently stored (F) of the previous one, "
        "reduced as they are installed (moved into E). Roll forward: the previous F counts as work completed from "
        "previous applications (D) and each application's F starts at zero.",
    )
    payment_regime_id = fields.Many2one(
        "progress.billing.payment.regime",
        check_company=True,
        help="Deadlines to give a payment schedule and to pay "
        "the claims of this contract; empty: the project's regime.",
    )
    original_contract_sum = fields.Monetary(compute="_compute_contract_sums")
    approved_change_orders_amount = fields.Monetary("Approved Change Orders", compute="_compute_contract_sums")
    revised_contract_sum = fields.Monetary(compute="_compute_contract_sums")
    change_order_count = fields.Integer(compute="_compute_document_counts")
    application_count = fields.Integer("Pay Applications", compute="_compute_document_counts")
    retainage_held = fields.Monetary(
        compute="_compute_retainage_summary",
        help="Retainage withheld to date, as of the latest approved pay application.",
    )
    retainage_released = fields.Monetary(
        compute="_compute_retainage_summary",
        help="Retainage released to date, as of the latest approved pay application.",
    )
    retainage_remaining = fields.Monetary(
        compute="_compute_retainage_summary", help="Retainage held and not released yet: what a release can still pay."
    )
    retention_rules_locked = fields.Boolean(
        compute="_compute_retention_rules_locked",
        help="A pay application of the contract is certified: its retention rules can no longer change.",
    )

    # set by each contract model: the boolean field making the order a contract,
    # its field on change orders and their type
    _contract_flag_field = None
    _change_order_field = None
    _change_order_type = None
    # set by each contract model: its field listing its pay applications, their action,
    # and the state of a confirmed contract
    _applications_field = None
    _applications_action = None
    _confirmed_state = None

    @api.constrains("company_id", "payment_regime_id")
    def _check_payment_regime_company(self):
        """A contract's payment regime is shared or of its company (purchase orders check no company by themselves)."""
        self._check_company(["payment_regime_id"])

    def _is_progress_billing_contract(self):
        return bool(self[self._contract_flag_field])

    def _set_picker_display_name(self):
        """In the contract picker of a new pay application (context key
        ``progress_billing_contract_picker``), a contract reads as its number,
        customer or vendor and project: numbers alone do not tell
        contracts apart. Called by each contract model's display name."""
        if not self.env.context.get("progress_billing_contract_picker"):
            return
        for contract in self:
            contract.display_name = " · ".join(
                filter(None, [contract.name, contract.partner_id.name, contract.project_id.name])
            )

    def action_view_change_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("progress_billing.action_progress_billing_change_order")
        action["domain"] = [(self._change_order_field, "in", self.ids)]
        action["context"] = {
            "default_order_type": self._change_order_type,
            f"default_{self._change_order_field}": self.id,
        }
        return action

    def action_view_applications(self):
        contract_field = self._fields[self._applications_field].inverse_name
        action = self.env["ir.actions.act_window"]._for_xml_id(self._applications_action)
        action["domain"] = [(contract_field, "in", self.ids)]
        action["context"] = {f"default_{contract_field}": self.id}
        return action

    def _schedule_of_values(self):
        """Contract lines that carry a scheduled value (no sections or notes)."""
        return self.order_line.filtered(lambda line: not line.display_type)

    @api.depends(
        "order_line.price_subtotal",
        "order_line.display_type",
        "change_order_ids.state",
        "change_order_ids.amount_total",
    )
    def _compute_contract_sums(self):
        """G702 lines 1-3: original sum, approved change orders, sum to date."""
        # the two columns needed, rather than every column of hundreds of order lines
        self.order_line.fetch(["display_type", "price_subtotal"])
        for contract in self:
            approved = contract.change_order_ids.filtered(lambda order: order.state == "approved")
            contract.original_contract_sum = sum(contract._schedule_of_values().mapped("price_subtotal"))
            contract.approved_change_orders_amount = sum(approved.mapped("amount_total"))
            contract.revised_contract_sum = contract.original_contract_sum + contract.approved_change_orders_amount

    @api.depends(lambda self: [name for name in ("change_order_ids", self._applications_field) if name])
    def _compute_document_counts(self):
        """The smart buttons of a contract: its change orders and its pay
        applications, one query each for all the contracts read."""
        change_orders = one2many_counts(self, "change_order_ids")
        applications = one2many_counts(self, self._applications_field)
        for contract in self:
            contract.change_order_count = change_orders[contract]
            contract.application_count = applications[contract]

    @api.constrains(lambda self: ["currency_id", "company_id", self._contract_flag_field])
    def _check_company_currency(self):
        """Progress billing money is in the company currency (brief)."""
        for contract in self.filtered(lambda c: c._is_progress_billing_contract()):
            if contract.currency_id != contract.company_id.currency_id:
                raise ValidationError(
                    self.env._(
                        "%(contract)s is in %(currency)s: "
                        "progress billing contracts must be in the company currency (%(company_currency)s).",
                        contract=contract.display_name,
                        currency=contract.currency_id.name,
                        company_currency=contract.company_id.currency_id.name,
                    )
                )

    @api.constrains(lambda self: [self._contract_flag_field])
    def _check_schedule_of_values(self):
        """An order made a contract later must have a valid schedule of values."""
        self._schedule_of_values()._check_scheduled_value_not_negative()

    @api.constrains("retainage_rate", "retainage_rate_materials")
    def _check_retainage_rates(self):
        for contract in self:
            if not (0 <= contract.retainage_rate <= 100 and 0 <= contract.retainage_rate_materials <= 100):
                raise ValidationError(
                    self.env._(
                        "Retainage rates of %(contract)s must be between 0 and 100%%.", contract=contract.display_name
                    )
                )

    @api.constrains("stored_materials_method")
    def _check_stored_materials_method_unused(self):
        """D and F of every pay application follow the stored materials
        method (readme/USAGE.md, "Bills, invoices and retainage"): it is chosen before the contract's first
        application, changing it later would change certified figures."""
        for contract in self:
            applications = contract[contract._applications_field].filtered(
                lambda application: application.state != "void"
            )
            if applications:
                raise ValidationError(
                    self.env._(
                        "%(contract)s already has pay applications "
                        "(%(applications)s): its stored materials method can no "
                        "longer change.",
                        contract=contract.display_name,
                        applications=", ".join(applications.mapped("display_name")),
                    )
                )

    def _certified_applications(self):
        """The pay applications out of review (not void): certified documents
        whose figures are frozen (readme/CONFIGURE.md, "Workflow and locks")."""
        self.ensure_one()
        return self[self._applications_field].filtered(
            lambda application: application.state != "void" and application._is_frozen_state(application.state)
        )

    @api.depends(lambda self: [f"{self._applications_field}.state"])
    def _compute_retention_rules_locked(self):
        for contract in self:
            contract.retention_rules_locked = bool(contract._certified_applications())

    def _latest_approved_application(self):
        self.ensure_one()
        applications = self[self._applications_field]
        approved = applications.filtered(lambda application: application.state in application._billable_states)
        return max(approved, key=lambda application: application._application_position(), default=applications.browse())

    @api.depends(lambda self: [f"{self._applications_field}.state", f"{self._applications_field}.line_ids.retainage"])
    def _compute_retainage_summary(self):
        """Retainage held, released and remaining of the contract (readme/USAGE.md, "Bills, invoices and retainage"),
        from the G703 column I of its latest approved pay application."""
        for contract in self:
            lines = contract._latest_approved_application().line_ids
            contract.retainage_held = sum(lines.mapped("retainage_work")) + sum(lines.mapped("retainage_on_materials"))
            contract.retainage_remaining = sum(lines.mapped("retainage"))
            contract.retainage_released = contract.retainage_held - contract.retainage_remaining

    def action_release_retainage(self):
        self.ensure_one()
        return self.env["progress.billing.retainage.release.wizard"]._action_open(self)

    def _check_billed_by_applications(self):
        """Progress billing contracts are billed from their approved pay
        applications only: billing the order as a whole (Odoo's own Create
        Invoice, down payments, Create Bill, Upload Bill) would bill it twice.
        The buttons are hidden on contracts; this refuses every other way in
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        contracts = self.filtered(lambda contract: contract._is_progress_billing_contract())
        if not contracts:
            return
        values = {
            "contracts": format_list(self.env, contracts.mapped("display_name")),
            "applications": self._fields[self._applications_field]._description_string(self.env),
        }
        if len(contracts) == 1:
            raise UserError(
                self.env._(
                    "Cannot bill %(contracts)s from the order: "
                    "it is billed through its pay applications (%(applications)s). "
                    "Create the bill or invoice from an approved pay application instead.",
                    **values,
                )
            )
        raise UserError(
            self.env._(
                "Cannot bill %(contracts)s from the orders: "
                "they are billed through their pay applications (%(applications)s). "
                "Create the bill or invoice from an approved pay application instead.",
                **values,
            )
        )
