# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Fixtures of the pay application PDF and compiled backup tests, on top of
``ProgressBillingCase``: projects with the billing period of the current
month open, commitments described line by line, subcontractor invoices
billing a tenth of every line, attachments."""

from odoo import fields

from ..models.progress_billing_period import monthly_period_bounds
from .common import ProgressBillingCase


class PayApplicationCase(ProgressBillingCase):
    @classmethod
    def _create_open_project(cls, name, company=None):
        """A project with the billing period of the current month, open."""
        project = cls._create_project(name, company)
        cls._create_period(project, *monthly_period_bounds(fields.Date.today(), 1))
        return project

    @classmethod
    def _create_described_commitment(cls, project, descriptions):
        """A commitment of ``project`` with a line per description, scheduled at 10,000, 11,000..."""
        return cls._create_commitment(project, [
            {"name": description, "price_unit": 10_000 + 1_000 * position}
            for position, description in enumerate(descriptions)
        ])

    @classmethod
    def _create_tenth_invoice(cls, commitment, period=None):
        """An invoice of ``commitment`` in ``period`` (default: the project's
        open one) billing a tenth of every line this period."""
        period = period or commitment.project_id.billing_period_ids.filtered(lambda p: p.state == "open")
        amounts = {line: (line.price_subtotal / 10, 0.0) for line in commitment.order_line}
        return cls._create_sub_invoice(period, commitment, amounts)

    @classmethod
    def _attach(cls, invoice, name, raw):
        return cls.env["ir.attachment"].create({"name": name, "raw": raw, "res_model": invoice._name, "res_id": invoice.id})
