# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    """Odoo's Create Invoice dialog: its down payments bypass the sales
    order's ``_create_invoices``, so a prime contract is refused here too."""

    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        sale_orders._check_billed_by_applications()
        return super()._create_invoices(sale_orders)
