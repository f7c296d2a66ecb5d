# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.company_sql import active_companies_condition

# each kind of contract: its table and flag, its pay applications' model, and
# the parity of its rows' ids (contract id * 2 + parity: unique across both)
LEDGER_KINDS = {
    "commitment": ("purchase.order", "is_commitment", "progress.billing.sub.invoice", 0),
    "prime_contract": ("sale.order", "is_prime_contract", "progress.billing.owner.invoice", 1),
}
# what the ledger reads of the applications, stages and guarantees of a contract
LEDGER_APPLICATION_FIELDS = ["certified_retainage_withheld", "certified_retainage_released", "state", "company_id"]
LEDGER_RECORD_FIELDS = ["purchase_order_id", "sale_order_id", "company_id"]
LEDGER_CONTRACT_FIELDS = ["name", "partner_id", "project_id", "company_id", "user_id", "state"]


class ProgressBillingRetentionLedger(models.Model):
    """The retention ledger (readme/USAGE.md, "The ledger"): one read-only row per contract with
    what was withheld, released and is held now, its next release stage and
    the guarantees in force; commitments for the retention we hold on
    subcontractors, prime contracts for what owners hold on us. Grouped by
    partner, project or company in Odoo's own list, pivot and graph views.

    A SQL view computed at each read (``_table_query``, as the unbilled
    costs), over stored amounts only: each certified pay application's
    retainage withheld and released (``certified_retainage_*``, the amounts
    of its bill's retainage lines), stages, guarantees and the project's
    trust account flag. It opens in a fixed number of queries whatever the
    number of contracts. The query is bounded by the user's allowed and
    active companies as the record rules are (and the record rule on the
    ledger applies too): contracts and applications of other companies are
    never read."""

    _name = "progress.billing.retention.ledger"
    _description = "Retention Ledger"
    _auto = False
    _order = "project_id, contract_kind, name, id"
    _depends = {
        "purchase.order": [*LEDGER_CONTRACT_FIELDS, "is_commitment"],
        "sale.order": [*LEDGER_CONTRACT_FIELDS, "is_prime_contract"],
        "progress.billing.sub.invoice": [*LEDGER_APPLICATION_FIELDS, "purchase_order_id"],
        "progress.billing.owner.invoice": [*LEDGER_APPLICATION_FIELDS, "sale_order_id"],
        "progress.billing.retention.stage": [*LEDGER_RECORD_FIELDS, "date_planned", "date_released"],
        "progress.billing.retention.guarantee": [
            *LEDGER_RECORD_FIELDS, "amount", "date_start", "date_expiry", "date_returned",
        ],
        "project.project": ["retention_trust_account"],
    }

    contract_kind = fields.Selection(
        [("commitment", "We Hold (Commitments)"), ("prime_contract", "Owner Holds (Prime Contracts)")],
        "Retention", readonly=True,
        help="Commitments: retention we hold on our subcontractors. Prime contracts: retention the owner holds on us.",
    )
    name = fields.Char("Contract", readonly=True)
    purchase_order_id = fields.Many2one("purchase.order", "Commitment", readonly=True)
    sale_order_id = fields.Many2one("sale.order", "Prime Contract", readonly=True)
    partner_id = fields.Many2one("res.partner", "Subcontractor/Owner", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Responsible", readonly=True)
    application_count = fields.Integer("Certified Applications", readonly=True)
    retainage_withheld = fields.Monetary(
        "Withheld", readonly=True, help="Retainage withheld by the contract's certified pay applications."
    )
    retainage_released = fields.Monetary(
        "Released", readonly=True, help="Retainage released by the contract's certified pay applications."
    )
    retainage_held = fields.Monetary("Held Now", readonly=True, help="Withheld less released.")
    trust_account = fields.Boolean(
        "Trust Account Project", readonly=True,
        help="The project's retention on subcontractors must be kept in a separate trust account (Settings).",
    )
    trust_account_held = fields.Monetary(
        "Held in Trust", readonly=True,
        help="Retention held now on the subcontractors of a trust account project: what the trust account must hold.",
    )
    next_stage_date = fields.Date("Next Release Stage", readonly=True, help="Planned date of the first stage not released.")
    guarantee_amount = fields.Monetary(
        "Guarantees", readonly=True, help="Bank guarantees and retention bonds in force today."
    )
    guarantee_expiry_date = fields.Date(
        "First Guarantee Expiry", readonly=True, help="The earliest expiry date of the guarantees in force today."
    )

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        Guarantee = self.env["progress.billing.retention.guarantee"]
        guarantees_in_force = Guarantee._search(Guarantee._in_force_domain(today), bypass_access=True)
        return SQL(" UNION ALL ").join(
            self._contract_rows_query(kind, parity, self.env[model], flag, self.env[application_model], guarantees_in_force)
            for kind, (model, flag, application_model, parity) in LEDGER_KINDS.items()
        )

    def _contract_rows_query(self, kind, parity, Contract, flag, Application, guarantees_in_force):
        """The ledger rows of one kind of contract, bounded by the companies
        the user works in (``tools/company_sql.py``)."""
        contract_field = Application._contract_field
        contract_column = SQL.identifier(contract_field)
        return SQL(
            """SELECT contract.id * 2 + %(parity)s AS id, %(kind)s AS contract_kind, contract.name,
                      %(purchase_order)s AS purchase_order_id, %(sale_order)s AS sale_order_id,
                      contract.partner_id, contract.project_id, contract.company_id, contract.user_id,
                      COALESCE(application.counted, 0) AS application_count,
                      COALESCE(application.withheld, 0) AS retainage_withheld,
                      COALESCE(application.released, 0) AS retainage_released,
                      COALESCE(application.withheld, 0) - COALESCE(application.released, 0) AS retainage_held,
                      COALESCE(project.retention_trust_account, FALSE) AS trust_account,
                      CASE WHEN %(is_commitment)s AND project.retention_trust_account
                           THEN COALESCE(application.withheld, 0) - COALESCE(application.released, 0) ELSE 0 END
                          AS trust_account_held,
                      stage.next_date AS next_stage_date,
                      guarantee.amount AS guarantee_amount, guarantee.first_expiry AS guarantee_expiry_date
                 FROM %(contract_table)s contract
            LEFT JOIN project_project project ON project.id = contract.project_id
            LEFT JOIN (SELECT %(contract_column)s AS contract_id, COUNT(*) AS counted,
                              SUM(certified_retainage_withheld) AS withheld, SUM(certified_retainage_released) AS released
                         FROM %(application_table)s
                        WHERE state IN %(certified_states)s AND %(application_companies)s
                     GROUP BY %(contract_column)s) application ON application.contract_id = contract.id
            LEFT JOIN (SELECT %(contract_column)s AS contract_id, MIN(date_planned) AS next_date
                         FROM progress_billing_retention_stage
                        WHERE date_released IS NULL AND %(contract_column)s IS NOT NULL AND %(stage_companies)s
                     GROUP BY %(contract_column)s) stage ON stage.contract_id = contract.id
            LEFT JOIN (SELECT %(contract_column)s AS contract_id, SUM(amount) AS amount, MIN(date_expiry) AS first_expiry
                         FROM progress_billing_retention_guarantee
                        WHERE id IN %(guarantees_in_force)s AND %(contract_column)s IS NOT NULL AND %(guarantee_companies)s
                     GROUP BY %(contract_column)s) guarantee ON guarantee.contract_id = contract.id
                WHERE contract.%(flag)s AND contract.state != 'cancel' AND %(contract_companies)s""",
            parity=parity, kind=kind, flag=SQL.identifier(flag), contract_column=contract_column,
            purchase_order=SQL("contract.id" if Contract._name == "purchase.order" else "NULL::int"),
            sale_order=SQL("contract.id" if Contract._name == "sale.order" else "NULL::int"),
            is_commitment=SQL("TRUE" if kind == "commitment" else "FALSE"),
            contract_table=SQL.identifier(Contract._table), application_table=SQL.identifier(Application._table),
            certified_states=tuple(Application._billable_states), guarantees_in_force=guarantees_in_force.subselect(),
            contract_companies=active_companies_condition(self.env, "contract"),
            application_companies=active_companies_condition(self.env, Application._table),
            stage_companies=active_companies_condition(self.env, "progress_billing_retention_stage"),
            guarantee_companies=active_companies_condition(self.env, "progress_billing_retention_guarantee"),
        )

    def _contract(self):
        self.ensure_one()
        return self.purchase_order_id or self.sale_order_id

    def action_open_contract(self):
        self.ensure_one()
        return self._contract().get_formview_action()

    def action_view_applications(self):
        """The contract's certified pay applications, whose amounts the row adds up."""
        self.ensure_one()
        contract = self._contract()
        applications = contract[contract._applications_field]
        action = contract.action_view_applications()
        action["domain"] = [("id", "in", applications.filtered(lambda app: app.state in app._billable_states).ids)]
        return action

    def action_view_moves(self):
        """The bills (commitments) or invoices (prime contracts) of the contract's pay applications."""
        self.ensure_one()
        contract = self._contract()
        return contract[contract._applications_field].move_ids._get_records_action()

    @api.model
    def _totals(self, domain):
        """(withheld, released, held, held in trust) of the ledger rows of ``domain``, in one query."""
        [totals] = self._read_group(
            domain, [], ["retainage_withheld:sum", "retainage_released:sum", "retainage_held:sum", "trust_account_held:sum"]
        )
        return tuple(total or 0.0 for total in totals)
