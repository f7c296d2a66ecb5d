# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from .common import ProgressBillingCase

BATCH = 10


@tagged("post_install", "-at_install", "progress_billing")
class TestCountQueries(ProgressBillingCase):
    """The counts of the smart buttons and banners read for a batch of
    records take one grouped query per count, however many records are read
    (a list of contracts, a kanban of periods), and count what the records hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lines = [{"name": "Work", "price_unit": 1_000}]
        cls.prime_contracts = cls.prime_contract.concat(
            *(cls._create_prime_contract(cls.project, lines) for _index in range(BATCH - 1))
        )
        cls.commitments = cls.commitment.concat(
            *(cls._create_commitment(cls.project, lines) for _index in range(BATCH - 1))
        )
        cls.periods = cls.period.concat(
            *(cls._create_month_period(cls.project, 2020, month, state="future") for month in range(1, BATCH))
        )
        # every other contract has a change order and a pay application in ``period``
        for contract in [*cls.prime_contracts[::2], *cls.commitments[::2]]:
            cls._create_change_order(contract, [{"name": "Extra", "amount": 100}])
            cls._create_invoice(contract)

    def _read_counts(self, records, field_names):
        records.env.invalidate_all()
        return [tuple(record[name] for name in field_names) for record in records]

    def assertCountQueries(self, records, field_names, queries, expected):
        """Reading ``field_names`` on one of ``records`` then on all of them
        takes ``queries`` queries each time, as a plain user."""
        records = records.with_user(self.user)
        self._read_counts(records, field_names)  # the user's record rules, read once per transaction
        for batch in (records[:1], records):
            with self.subTest(model=records._name, records=len(batch)), self.assertQueryCount(queries):
                counts = self._read_counts(batch, field_names)
        self.assertEqual(counts, expected)

    def test_contract_counts(self):
        for contracts in (self.prime_contracts, self.commitments):
            self.assertEqual(len(contracts), BATCH)
            self.assertCountQueries(
                contracts, ["application_count", "change_order_count"], 2,
                [(1 - index % 2, 1 - index % 2) for index in range(BATCH)],
            )

    def test_period_counts(self):
        self.assertEqual(len(self.periods), BATCH)
        self.assertCountQueries(
            self.periods, ["sub_invoice_count", "owner_invoice_count"], 2,
            [(BATCH // 2, BATCH // 2)] + [(0, 0)] * (BATCH - 1),
        )
