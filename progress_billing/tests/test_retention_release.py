# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Staged release of retention (readme/USAGE.md, "Release stages").

The worked example's commitment (tests/test_accounting.py) after its first
application holds 1,500.00: labor 1,000.00 (10% of 10,000.00) and materials
500.00 (10% of the 5,000.00 installed; stored materials hold 0%).

* Practical Completion releasing 33.33% of what is held: 1,500.00 × 33.33% =
  499.95, split 2:1 as held: labor 333.30, materials 166.65.
* End of the Defects Liability Period releasing the rest: labor 666.70,
  materials 333.35 (1,000.05 in all).
"""

from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_accounting import WORKED_EXAMPLE, AccountingCase


class RetentionReleaseCase(AccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.example_commitment = cls._create_contract("purchase.order", user_id=cls.manager.id)
        Stage = cls.env["progress.billing.retention.stage"]
        cls.practical_completion = Stage.create({
            "purchase_order_id": cls.example_commitment.id, "name": "Practical Completion",
            "date_planned": date(2026, 2, 15), "release_mode": "percent", "release_percent": 33.33,
        })
        cls.defects_liability = Stage.create({
            "purchase_order_id": cls.example_commitment.id, "name": "End of Defects Liability Period",
            "date_planned": date(2027, 2, 15), "release_mode": "rest",
        })

    def _run_cron(self):
        """Run the scheduled action through ``ir.cron`` (its ``_commit_progress`` commits as it goes)."""
        with self.enter_registry_test_mode():
            self.env.ref("progress_billing.ir_cron_remind_retention_stages").method_direct_trigger()
        self.env.invalidate_all()

    def _release_wizard(self):
        action = self.example_commitment.with_user(self.accountant).action_release_retainage()
        return self.env[action["res_model"]].browse(action["res_id"]).with_user(self.accountant)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionStages(RetentionReleaseCase):
    def test_wizard_proposes_each_stage_in_proportion(self):
        first = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self._create_bill(first)
        self.periods[1].action_open()
        wizard = self._release_wizard()
        self.assertEqual(wizard.stage_id, self.practical_completion, "the first stage not released is proposed")
        self.assertEqual(wizard.line_ids.mapped("retainage_remaining"), [1_000.0, 500.0])
        self.assertEqual(wizard.line_ids.mapped("amount"), [333.30, 166.65])
        self.assertAmount(wizard.amount_total, 499.95)
        release_move = self.env["account.move"].browse(wizard.action_release()["res_id"])
        release = release_move._progress_billing_application()
        self.assertAmount(release_move.amount_untaxed, 499.95)
        self.assertEqual(self.practical_completion.state, "released")
        self.assertEqual(self.practical_completion.release_application_ref, release)
        self.assertAmount(self.example_commitment.retainage_remaining, 1_000.05)

        self.periods[2].action_open()
        wizard = self._release_wizard()
        self.assertEqual(wizard.stage_id, self.defects_liability)
        self.assertEqual(wizard.line_ids.mapped("amount"), [666.70, 333.35])
        wizard.stage_id = False
        self.assertEqual(wizard.line_ids.mapped("amount"), [666.70, 333.35], "without a stage, all is proposed")

    def test_stage_within_the_release_bounds(self):
        """A stage never proposes more than a line can release: what the
        period's application already releases is left out."""
        first = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self._create_bill(first)
        draft = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1], approve=False)
        draft.line_ids[0].retainage_released = 900.0
        self.practical_completion.write({"release_mode": "rest"})
        wizard = self._release_wizard()
        self.assertEqual(wizard.line_ids.mapped("already_released"), [900.0, 0.0])
        self.assertEqual(wizard.line_ids.mapped("amount"), [100.0, 500.0])
        wizard.action_release()
        self.assertEqual(draft.line_ids.mapped("retainage_released"), [1_000.0, 500.0])
        self.assertEqual(self.practical_completion.release_application_ref, draft)

    def test_release_percentage_is_checked(self):
        with self.assertRaisesRegex(ValidationError, r"releases 120.0% of the retention held"):
            self.practical_completion.release_percent = 120.0
        with self.assertRaisesRegex(ValidationError, "must belong to exactly one contract"):
            self.practical_completion.sale_order_id = self.prime_contract

    def test_stage_is_due_once_its_date_is_reached(self):
        today = fields.Date.today()
        self.practical_completion.date_planned = today
        self.defects_liability.date_planned = today + timedelta(days=1)
        self.assertEqual((self.practical_completion.state, self.defects_liability.state), ("due", "planned"))

    def test_due_stage_reminds_the_responsible_user_once(self):
        today = fields.Date.today()
        self.practical_completion.date_planned = today - timedelta(days=2)
        self.defects_liability.date_planned = today + timedelta(days=1)
        self._run_cron()
        self._run_cron()
        activities = self.example_commitment.activity_ids
        self.assertEqual(len(activities), 1, "one activity, however often the scheduled action runs")
        self.assertEqual(activities.user_id, self.manager, "the contract's responsible user")
        self.assertEqual(activities.date_deadline, self.practical_completion.date_planned)
        self.assertIn("Practical Completion", activities.summary)
        self.assertTrue(self.practical_completion.reminder_sent)
        self.assertFalse(self.defects_liability.reminder_sent)
        activities.action_done()
        self._run_cron()
        self.assertFalse(self.example_commitment.activity_ids, "a reminder done is not raised again")

    def test_release_is_recorded_by_the_wizard_only(self):
        """Whoever asks (an administrator here), a stage is not marked released nor its reminder silenced by a write."""
        stage = self.practical_completion.with_user(self.manager)
        for values in ({"date_released": date(2026, 3, 1)}, {"reminder_sent": True}):
            with self.assertRaisesRegex(AccessError, "are set by Progress Billing itself and cannot be written"):
                stage.write(values)
        with self.assertRaisesRegex(AccessError, "are set by Progress Billing itself and cannot be written"):
            stage.create({
                "purchase_order_id": self.example_commitment.id, "name": "Handover", "date_planned": date(2026, 5, 1),
                "date_released": date(2026, 5, 1),
            })
        stage.write({"name": "Practical Completion (Building A)", "release_percent": 40.0})
        self.assertEqual(self.practical_completion.state, "due")
