# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

def migrate(cr, version):
    """Since 19.0.1.1.0 the auto-completion preview keeps its lines in one json
    value of its wizard (readme/USAGE.md, "Auto-completing owner invoices"):
    the table of the former transient rows, which Odoo leaves behind when a
    model is removed, goes."""
    cr.execute("DROP TABLE IF EXISTS progress_billing_owner_invoice_autocomplete_line")
