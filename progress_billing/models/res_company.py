# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..tools.dictionaries import DEFAULT, DEFAULT_LANG, DICTIONARIES, SUBCONTRACTOR_DICTIONARY

# accounts a retainage line may not use: the partner balances and cash of the invoice itself
RETAINAGE_ACCOUNT_DOMAIN = [
    ("account_type", "not in", ("asset_receivable", "liability_payable", "asset_cash", "liability_credit_card", "off_balance")),
]


class ResCompany(models.Model):
    """Progress billing settings of a company: accounting (retainage accounts,
    bills on demand or on approval) and its point-of-view dictionary."""

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
    progress_billing_owner_pdf_backup = fields.Boolean(
        "Owner Invoice PDF with Subcontractor Backup",
        help="The pay application PDF of an owner invoice ends with the compiled backup of the subcontractor "
        "invoices copied onto it: one file to send the owner.",
    )
    retention_trust_account = fields.Boolean(
        "Retention Trust Accounts",
        help="Flag the projects whose retention held on subcontractors must be kept in a separate trust account, "
        "and total it in the retention ledger.",
    )
    retention_trust_threshold = fields.Monetary(
        "Trust Account Threshold", currency_field="currency_id", default=20_000_000.0,
        help="A project is flagged when the value of its prime contracts (contract sums revised by approved change "
        "orders) reaches this amount. Default: AUD 20,000,000, the project value from which a head contractor must "
        "hold retention money in a retention money trust account under the NSW Building and Construction Industry "
        "Security of Payment Regulation 2020 (cl. 8; variations count towards the value), a threshold "
        "unchanged since the 2015 amendment that introduced the scheme.",
    )
    progress_billing_dictionary = fields.Selection(
        [(DEFAULT, "Default"), *((dictionary.key, dictionary.label) for dictionary in DICTIONARIES)],
        string="Point-of-View Dictionary",
        default=DEFAULT,
        required=True,
        help="The construction vocabulary the users of this company see. Choosing a dictionary switches "
        "the company's users who work in English to it; each user can still pick another one in their "
        "preferences. Default is English (US).",
    )

    progress_billing_reminder_days = fields.Integer(
        "Pay Application Reminder (Days)", default=3,
        help="Invited subcontractors who have not submitted their pay application are reminded by e-mail this many "
        "days before the billing period's due date, and once more when it has passed.",
    )

    _progress_billing_reminder_days_not_negative = models.Constraint(
        "CHECK (progress_billing_reminder_days >= 0)",
        "The pay application reminder is sent a number of days before the due date: it cannot be negative.",
    )

    def _progress_billing_lang(self):
        """The language code of the company's dictionary (English (US) by default)."""
        self.ensure_one()
        by_key = {dictionary.key: dictionary.lang for dictionary in DICTIONARIES}
        return by_key.get(self.progress_billing_dictionary, DEFAULT_LANG)

    def _progress_billing_portal_lang(self):
        """The language code of the dictionary the company's portal users
        (its subcontractors) see (readme/USAGE.md, "The subcontractor's side (portal)"): the subcontractor's side of the
        contract whenever the company uses a dictionary, English (US) with
        the Default one."""
        self.ensure_one()
        if self.progress_billing_dictionary == DEFAULT:
            return DEFAULT_LANG
        return next(dictionary.lang for dictionary in DICTIONARIES if dictionary.key == SUBCONTRACTOR_DICTIONARY)

    def write(self, vals):
        switched = self.browse()
        if "progress_billing_dictionary" in vals:
            switched = self.filtered(lambda company: company.progress_billing_dictionary != vals["progress_billing_dictionary"])
        result = super().write(vals)
        for company in switched:
            company._apply_progress_billing_dictionary()
        return result

    def _apply_progress_billing_dictionary(self):
        """Activate the company's dictionary and switch its users to it
        (readme/CONFIGURE.md, "Choosing a dictionary"; Default restores English (US))."""
        self.ensure_one()
        langs = self.env["res.lang"].with_context(active_test=False).search([
            ("code", "in", [self._progress_billing_lang(), self._progress_billing_portal_lang()]),
        ])
        # unlike _activate_lang, this also loads the dictionaries' translations
        langs.filtered(lambda lang: not lang.active).action_unarchive()
        self.env["res.users"].search([("company_id", "=", self.id)])._follow_company_dictionary()
