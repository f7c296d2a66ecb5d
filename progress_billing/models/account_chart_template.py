# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    """The retainage accounts of the generic chart of accounts (readme/USAGE.md, "Bills, invoices and retainage")."""

    _inherit = "account.chart.template"

    @template("generic_coa", "account.account")
    def _get_progress_billing_generic_coa_account_account(self):
        return {
            "retainage_receivable": {
                "name": self.env._("Retainage Receivable"),
                "code": "121200",
                "account_type": "asset_current",
                "reconcile": True,
            },
            "retainage_payable": {
                "name": self.env._("Retainage Payable"),
                "code": "211200",
                "account_type": "liability_current",
                "reconcile": True,
            },
        }

    @template("generic_coa", "res.company")
    def _get_progress_billing_generic_coa_res_company(self):
        return {
            self.env.company.id: {
                "retainage_receivable_account_id": "retainage_receivable",
                "retainage_payable_account_id": "retainage_payable",
            }
        }

    def _load_progress_billing_accounts(self, company):
        """Give ``company``, already on the generic chart when the addon is
        installed, the retainage accounts whose code is still free."""
        self = self.with_company(company)  # noqa: PLW0642 the chart data is read for this company
        # a branch uses the accounts of its root company, which loading the company settings falls back to
        accounts = {} if company.parent_id else self._get_progress_billing_generic_coa_account_account()
        settings = self._get_progress_billing_generic_coa_res_company()[company.id]
        Account = self.env["account.account"].with_company(company)
        for xmlid, values in list(accounts.items()):
            if Account.search_count([*Account._check_company_domain(company), ("code", "=", values["code"])], limit=1):
                del accounts[xmlid]
                settings = {field: ref for field, ref in settings.items() if ref != xmlid}
        self._load_data({"account.account": accounts, "res.company": {company.id: settings}})
