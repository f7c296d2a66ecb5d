# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError


@tagged("post_install", "-at_install", "progress_billing")
class TestMasterData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.CostCode = cls.env["progress.billing.cost.code"]
        cls.division_03 = cls.env.ref("progress_billing.division_03")
        cls.other_company = cls.env["res.company"].create({"name": "Harbor Builders"})

    def test_division_03_holds_cast_in_place_concrete(self):
        cost_code = self.env.ref("progress_billing.cost_code_03_300")
        self.assertEqual((self.division_03.code, self.division_03.name), ("03", "Concrete"))
        self.assertEqual(cost_code.code, "03-300")
        self.assertIn(cost_code, self.division_03.cost_code_ids)

    def test_default_cost_types_exist(self):
        codes = self.env["progress.billing.cost.type"].search([("company_id", "=", False)]).mapped("code")
        self.assertLessEqual({"L", "E", "M", "S", "OC", "SVC", "O"}, set(codes))

    def test_masterformat_divisions_without_reserved_numbers(self):
        divisions = self.env["progress.billing.division"].search([("company_id", "=", False)])
        codes = set(divisions.mapped("code"))
        self.assertLessEqual({"00", "01", "14", "21", "23", "26", "28", "31", "33", "35", "40", "48"}, codes)
        self.assertFalse(codes & {"15", "19", "20", "24", "29", "30", "36", "39", "47", "49"})

    def test_shared_cost_codes_sit_in_their_division(self):
        cost_codes = self.CostCode.search([("company_id", "=", False)])
        self.assertGreater(len(cost_codes), 60)
        for cost_code in cost_codes:
            self.assertEqual(cost_code.code.split("-")[0], cost_code.division_id.code, cost_code.display_name)

    def test_duplicate_code_in_one_company_is_refused(self):
        values = {"code": "03-310", "name": "Structural Concrete", "division_id": self.division_03.id,
                  "company_id": self.other_company.id}
        self.CostCode.create(values)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught, self.env.cr.savepoint():
            self.CostCode.create(dict(values, name="Structural Concrete (copy)"))
        self.assertEqual(self.CostCode._sql_error_to_message(caught.exception), "This code is already used in this company.")

    def test_company_code_clashing_with_shared_code_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Cost Code code “03-300” .* already used by “03-300 Cast-in-Place Concrete” in every company"):
            self.CostCode.create({"code": "03-300", "name": "Concrete", "division_id": self.division_03.id,
                                  "company_id": self.other_company.id})

    def test_same_code_in_two_companies_is_allowed(self):
        values = {"code": "03-390", "name": "Concrete Curing", "division_id": self.division_03.id}
        first = self.CostCode.create(dict(values, company_id=self.other_company.id))
        second = self.CostCode.create(dict(values, company_id=self.env.company.id))
        self.assertNotEqual(first.company_id, second.company_id)
