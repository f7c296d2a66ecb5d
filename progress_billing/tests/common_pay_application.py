"""Fixtures of the pay application PDF and compiled backup tests: projects
with an open billing period, commitments (subcontractor schedules of values)
and subcontractor invoices billing every line, in the current company unless
told otherwise."""

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from ..models.progress_billing_period import monthly_period_bounds

USER_GROUP = "progress_billing.group_progress_billing_user"


class PayApplicationCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.product = cls.env["product.product"].create({
            "name": "Construction Work", "type": "service", "taxes_id": False, "supplier_taxes_id": False,
        })
        cls.subcontractor = cls.env["res.partner"].create({
            "name": "Solid Concrete Ltd", "street": "5 Quarry Road", "city": "Rockford",
        })
        cls.user = new_test_user(
            cls.env, "pb_backup_user", groups=USER_GROUP, company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)], context={"no_reset_password": True},
        )

    @classmethod
    def _create_project(cls, name, company=None):
        """A project with the billing period of the current month, open."""
        project = cls.env["project.project"].create({"name": name, "company_id": (company or cls.company).id})
        cls._open_period(project, fields.Date.today())
        return project

    @classmethod
    def _open_period(cls, project, day):
        """Open the monthly billing period of ``project`` holding ``day`` (closing the open one)."""
        start, end = monthly_period_bounds(day, 1)
        period = cls.env["progress.billing.period"].create({
            "project_id": project.id, "date_start": start, "date_end": end, "date_due": end,
        })
        period.action_open()
        return period

    @classmethod
    def _create_commitment(cls, project, descriptions, partner=None):
        return cls.env["purchase.order"].create({
            "is_commitment": True,
            "partner_id": (partner or cls.subcontractor).id,
            "project_id": project.id,
            "company_id": project.company_id.id,
            "retainage_rate": 10.0,
            "order_line": [
                Command.create({
                    "product_id": cls.product.id, "name": description, "product_qty": 1,
                    "price_unit": 10_000 + 1_000 * position, "tax_ids": False,
                })
                for position, description in enumerate(descriptions)
            ],
        })

    @classmethod
    def _create_sub_invoice(cls, commitment, period=None):
        """An invoice of ``commitment`` in ``period`` (default: the project's
        open one) billing 10% of every line this period."""
        period = period or commitment.project_id.billing_period_ids.filtered(lambda p: p.state == "open")
        invoice = cls.env["progress.billing.sub.invoice"].create({
            "purchase_order_id": commitment.id, "period_id": period.id, "company_id": commitment.company_id.id,
        })
        for line in invoice.line_ids:
            line.work_this_period = line.scheduled_value / 10
        return invoice

    @classmethod
    def _attach(cls, invoice, name, raw):
        return cls.env["ir.attachment"].create({"name": name, "raw": raw, "res_model": invoice._name, "res_id": invoice.id})
