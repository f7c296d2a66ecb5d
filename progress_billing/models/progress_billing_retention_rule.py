# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount

from ..tools import retention_rules

MAX_RULES_PER_CONTRACT = 5


class ProgressBillingRetentionRule(models.Model):
    """A sliding-scale retention rule of a commitment or prime contract
    (readme/USAGE.md, "Bills, invoices and retainage";
    Procore's retention rules): rates on work and on stored
    materials withheld until a limit, then the next rule in order applies."""

    _name = "progress.billing.retention.rule"
    _description = "Retention Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    purchase_order_id = fields.Many2one("purchase.order", "Commitment", index="btree_not_null", ondelete="cascade")
    sale_order_id = fields.Many2one("sale.order", "Prime Contract", index="btree_not_null", ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, precompute=True, readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rate_work = fields.Float("Retention on Work (%)", digits=(5, 2), help="Withheld on the work claimed while this rule applies.")
    rate_materials = fields.Float(
        "Retention on Stored Materials (%)", digits=(5, 2),
        help="Withheld on the materials newly stored while this rule applies.",
    )
    limit_type = fields.Selection(
        [
            ("none", "To the end of the contract"),
            ("percent_complete", "Until percent complete reaches"),
            ("retention_percent", "Until retention held reaches % of the contract sum"),
            ("retention_amount", "Until retention held reaches an amount"),
        ],
        "Applies", default="none", required=True,
        help="When this rule stops and the next one applies (nothing is withheld after the last rule with a limit). "
        "Percent complete is the contract's completed and stored to date (G702 line 4) over its contract sum to "
        "date (line 3). Retention held counts all retention withheld on the contract (lines 5a + 5b), releases not "
        "deducted: a release does not restart withholding.",
    )
    limit_percent = fields.Float("Limit (%)", digits=(5, 2))
    contract_sum_basis = fields.Selection(
        [("original", "Original contract sum"), ("revised", "Revised contract sum")],
        "Of the", default="revised", required=True,
        help="The contract sum a “% of the contract sum” limit is taken of, as of each pay application.",
    )
    limit_amount = fields.Monetary("Limit Amount")

    def _contract(self):
        self.ensure_one()
        return self.purchase_order_id or self.sale_order_id

    def _contracts(self):
        """The commitments and prime contracts of these rules (two models: a list)."""
        return [*self.purchase_order_id, *self.sale_order_id]

    @api.depends("purchase_order_id.company_id", "sale_order_id.company_id")
    def _compute_company_id(self):
        for rule in self:
            rule.company_id = rule._contract().company_id

    @api.depends("sequence", "purchase_order_id", "sale_order_id")
    def _compute_display_name(self):
        """A rule reads as its position among its contract's rules, as the form lists them."""
        for rule in self:
            siblings = rule._contract().retention_rule_ids.ids if rule._contract() else []
            position = siblings.index(rule.id) + 1 if rule.id in siblings else len(siblings) + 1
            rule.display_name = _("Retention rule %(position)s", position=position)

    def _limit(self, contract_sum_to_date, original_contract_sum):
        """The pure function's rule (tools/retention_rules.py): the limit as an
        amount, percentages taken of the contract sums of the application."""
        self.ensure_one()
        until, limit = {
            "none": (None, 0.0),
            "percent_complete": (retention_rules.UNTIL_COMPLETED, contract_sum_to_date * self.limit_percent / 100),
            "retention_percent": (
                retention_rules.UNTIL_WITHHELD,
                (original_contract_sum if self.contract_sum_basis == "original" else contract_sum_to_date)
                * self.limit_percent / 100,
            ),
            "retention_amount": (retention_rules.UNTIL_WITHHELD, self.limit_amount),
        }[self.limit_type]
        return retention_rules.Rule(self.rate_work, self.rate_materials, until, limit)

    @api.constrains("purchase_order_id", "sale_order_id")
    def _check_one_contract(self):
        for rule in self:
            if bool(rule.purchase_order_id) == bool(rule.sale_order_id):
                raise ValidationError(_("A retention rule belongs to one commitment or one prime contract."))

    @api.constrains(
        "purchase_order_id", "sale_order_id", "sequence", "rate_work", "rate_materials", "limit_type", "limit_percent",
        "limit_amount",
    )
    def _check_rules_of_contract(self):
        """readme/USAGE.md, "Bills, invoices and retainage": at most five rules per contract, rates between
        0 and
        100%, a positive limit (a percentage at most 100%), only the last rule
        without one, and limits of the same kind increasing with the order
        (a rule ending before the previous one would never apply)."""
        for contract in self._contracts():
            rules = contract.retention_rule_ids
            if len(rules) > MAX_RULES_PER_CONTRACT:
                raise ValidationError(_(
                    "%(contract)s has %(count)s retention rules: a contract has at most %(max)s.",
                    contract=contract.display_name, count=len(rules), max=MAX_RULES_PER_CONTRACT,
                ))
            previous_limits = {}
            for rule in rules:
                rule._check_values(contract, is_last=rule == rules[-1])
                if rule.limit_type == "none":
                    continue
                key = (rule.limit_type, rule.contract_sum_basis if rule.limit_type == "retention_percent" else None)
                value = rule.limit_amount if rule.limit_type == "retention_amount" else rule.limit_percent
                if key in previous_limits and value <= previous_limits[key][1]:
                    raise ValidationError(_(
                        "%(rule)s of %(contract)s ends before %(previous)s, which ends at the same kind of limit: "
                        "order the rules by increasing limits.",
                        rule=rule.display_name, contract=contract.display_name, previous=previous_limits[key][0].display_name,
                    ))
                previous_limits[key] = (rule, value)

    def _check_values(self, contract, is_last):
        values = {"rule": self.display_name, "contract": contract.display_name}
        if not (0 <= self.rate_work <= 100 and 0 <= self.rate_materials <= 100):
            raise ValidationError(_("The rates of %(rule)s of %(contract)s must be between 0 and 100%%.", **values))
        if self.limit_type == "none":
            if not is_last:
                raise ValidationError(_(
                    "%(rule)s of %(contract)s applies to the end of the contract, so the rules after it would never "
                    "apply: give it a limit, or make it the last rule.", **values,
                ))
        elif self.limit_type == "retention_amount":
            if self.currency_id.compare_amounts(self.limit_amount, 0) <= 0:
                raise ValidationError(_(
                    "%(rule)s of %(contract)s applies until the retention held reaches %(amount)s: the amount must be "
                    "above zero.", amount=format_amount(self.env, self.limit_amount, self.currency_id), **values,
                ))
        elif not 0 < self.limit_percent <= 100:
            raise ValidationError(_(
                "%(rule)s of %(contract)s has a limit of %(percent)s%%: a limit is above 0 and at most 100%%.",
                percent=self.limit_percent, **values,
            ))
        if self.limit_type in ("retention_percent", "retention_amount") and not (self.rate_work or self.rate_materials):
            raise ValidationError(_(
                "%(rule)s of %(contract)s withholds nothing until the retention held reaches its limit, so it would "
                "never end: give it a rate, or end it at a percent complete.", **values,
            ))

    # locked once a pay application is certified

    def _check_contract_not_certified(self, contracts):
        """readme/CONFIGURE.md, "Workflow and locks": a pay application out of review is a certified document
        (its figures are frozen); the rules that computed its retention can no
        longer change, whatever way they are written (form, import, JSON-RPC).
        Before that, a draft or an application under review follows them."""
        for contract in contracts:
            certified = contract._certified_applications()
            if certified:
                raise UserError(_(
                    "%(contract)s has certified pay applications (%(applications)s): its retention rules can no longer "
                    "change. Void or reset those applications to draft first.",
                    contract=contract.display_name, applications=", ".join(certified.mapped("display_name")),
                ))

    @api.model_create_multi
    def create(self, vals_list):
        # checked on the values, before the rules' own constraints judge the new set
        for vals in vals_list:
            self._check_contract_not_certified([
                self.env[self._fields[name].comodel_name].browse(vals[name])
                for name in ("purchase_order_id", "sale_order_id") if vals.get(name)
            ])
        return super().create(vals_list)

    def write(self, vals):
        self._check_contract_not_certified(self._contracts())
        result = super().write(vals)
        self._check_contract_not_certified(self._contracts())
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_certified(self):
        self._check_contract_not_certified(self._contracts())
