from odoo import fields, models

# accounts a retainage line may not use: the partner balances and cash of the invoice itself
RETAINAGE_ACCOUNT_DOMAIN = [
    ("account_type", "not in", ("asset_receivable", "liability_payable", "asset_cash", "liability_credit_card", "off_balance")),
]


class ResCompany(models.Model):
    """Accounting settings of progress billing (issue: retainage accounts per
    company, bills on demand or on approval)."""

    _inherit = "res.company"

    retainage_payable_account_id = fields.Many2one(
        "account.account", "Retainage Payable Account", check_company=True, domain=RETAINAGE_ACCOUNT_DOMAIN,
        help="Retainage withheld from subcontractors on their vendor bills, until it is released.",
    )
    retainage_receivable_account_id = fields.Many2one(
        "account.account", "Retainage Receivable Account", check_company=True, domain=RETAINAGE_ACCOUNT_DOMAIN,
        help="Retainage withheld by owners on the customer invoices of prime contracts, until they release it.",
    )
    progress_billing_bill_on_approval = fields.Boolean(
        "Bill Pay Applications on Approval",
        help="Approving a subcontractor or owner invoice creates its draft vendor bill or customer invoice at once; "
        "otherwise an accountant creates it with the Create Bill / Create Invoice button.",
    )
