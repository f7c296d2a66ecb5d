# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""A G702 figure is the same whichever batch, order or view reads it
(readme/USAGE.md, "Bills, invoices and retainage", the same figures everywhere).

Each contract gets two applications: ``earlier`` (approved) and ``later``
(a draft) of the next billing period. Retainage 10% on work, 5% on stored
materials; the contract's first two lines billed (E, F):

=======  ==============  ==============  ========  =========  =======  =======
         first line      second line     line 4    line 5     line 6   line 8
=======  ==============  ==============  ========  =========  =======  =======
earlier  10,000 / 0      5,000 / 8,000   23,000    1,900      21,100   21,100
later    20,000 / 0      6,000 / 3,000   44,000    4,250      39,750   18,650
=======  ==============  ==============  ========  =========  =======  =======

Line 7 of ``later`` is line 6 of ``earlier``, 21,100: read with ``earlier``
in the same batch it used to be 0 (line 8 = line 6) whenever ``later`` came
first, as in the lists (latest first) and in the print of both.
"""

import re
import subprocess

from odoo.tests import tagged

from .common import ProgressBillingCase

FIGURES = ["total_completed", "total_retainage", "total_earned", "previous_certificates", "current_payment_due",
           "balance_to_finish"]


def pages_in_layout(pdf):
    """The text of each page as pdftotext lays it out, a printed row on one line."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


REPORTS = {
    "progress.billing.sub.invoice": "progress_billing.action_report_sub_invoice",
    "progress.billing.owner.invoice": "progress_billing.action_report_owner_invoice",
}


@tagged("post_install", "-at_install", "progress_billing")
class TestG702WhateverTheRead(ProgressBillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.next_period = cls._create_next_period(state="future")
        # application model -> (earlier, later)
        cls.applications = {
            pair[0]._name: pair
            for pair in (cls._create_two_applications(contract) for contract in (cls.commitment, cls.prime_contract))
        }

    @classmethod
    def _create_two_applications(cls, contract):
        first, second = contract.order_line[:2]
        cls.period.action_open()
        earlier = cls._create_invoice(contract, cls.period, {first: (10_000, 0), second: (5_000, 8_000)})
        earlier.action_submit()
        earlier.action_approve()
        cls.next_period.action_open()
        later = cls._create_invoice(contract, cls.next_period, {first: (20_000, 0), second: (6_000, 3_000)})
        return earlier, later

    def _expected(self, earlier, later):
        """The figures of each application by id, as the hand computation of the module docstring gives them."""
        return {
            earlier.id: {"total_completed": 23_000.0, "total_retainage": 1_900.0, "total_earned": 21_100.0,
                         "previous_certificates": 0.0, "current_payment_due": 21_100.0,
                         "balance_to_finish": earlier.contract_sum_to_date - 21_100.0},
            later.id: {"total_completed": 44_000.0, "total_retainage": 4_250.0, "total_earned": 39_750.0,
                       "previous_certificates": 21_100.0, "current_payment_due": 18_650.0,
                       "balance_to_finish": later.contract_sum_to_date - 39_750.0},
        }

    def _orders(self, earlier, later):
        return {"earlier first": earlier | later, "later first": later | earlier}

    def test_one_by_one_and_together_in_both_orders(self):
        for model, (earlier, later) in self.applications.items():
            expected = self._expected(earlier, later)
            for invoice in (earlier, later):
                self.env.invalidate_all()
                self.assertEqual({name: invoice[name] for name in FIGURES}, expected[invoice.id], f"{model} alone")
            for order, invoices in self._orders(earlier, later).items():
                self.env.invalidate_all()
                # reading a field of the first record computes it for the whole batch
                actual = {invoice.id: {name: invoice[name] for name in FIGURES} for invoice in invoices}
                self.assertEqual(actual, expected, f"{model}, {order}")
                self.env.invalidate_all()
                actual = {row["id"]: {name: row[name] for name in FIGURES} for row in invoices.read(FIGURES)}
                self.assertEqual(actual, expected, f"{model} read(), {order}")

    def test_lists_read_the_figures_of_the_form(self):
        """web_search_read as the Subcontractor / Owner Invoices lists call it (latest first)."""
        for model, (earlier, later) in self.applications.items():
            expected = self._expected(earlier, later)
            for order in ("period_date_start desc, id desc", "period_date_start, id"):
                self.env.invalidate_all()
                result = self.env[model].web_search_read(
                    [("id", "in", (earlier | later).ids)], {name: {} for name in ["name", *FIGURES]}, order=order,
                )
                actual = {row["id"]: {name: row[name] for name in FIGURES} for row in result["records"]}
                self.assertEqual(actual, expected, f"{model} list ordered by {order}")

    def test_export_reads_the_figures_of_the_form(self):
        for model, (earlier, later) in self.applications.items():
            expected = self._expected(earlier, later)
            for order, invoices in self._orders(earlier, later).items():
                self.env.invalidate_all()
                rows = invoices.export_data(["id", *FIGURES])["datas"]
                actual = {
                    self.env.ref(row[0]).id: dict(zip(FIGURES, map(float, row[1:]), strict=True)) for row in rows
                }
                self.assertEqual(actual, expected, f"{model} export, {order}")

    def test_printing_both_prints_the_figures_of_the_form(self):
        """The G702 page of each application, printed together with the other one."""
        for model, (earlier, later) in self.applications.items():
            for order, invoices in self._orders(earlier, later).items():
                self.env.invalidate_all()
                pdf = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
                    REPORTS[model], invoices.ids,
                )[0]
                certified = {
                    invoice: self._printed_lines_7_and_8(
                        next(page for page in pages_in_layout(pdf) if invoice.name in page and "Current Payment Due" in page)
                    )
                    for invoice in invoices
                }
                self.assertEqual(certified, {earlier: ("0.00", "21,100.00"), later: ("21,100.00", "18,650.00")},
                                 f"{model} printed {order}")

    def _printed_lines_7_and_8(self, page):
        """(line 7, line 8) as printed on a G702 page laid out by pdftotext."""
        amounts = []
        for label in (r"Less Previous Certificates for Payment \(Line 6 of Prior Application\)", r"8\.\s+Current Payment Due"):
            match = re.search(label + r"\s+\$ (-?[\d,]+\.\d\d)", page)
            self.assertTrue(match, f"{label} is printed with its amount on one row:\n{page}")
            amounts.append(match.group(1))
        return tuple(amounts)
