# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestSubInvoiceMaths(ProgressBillingCase):
    """G703 columns and G702 summary of a commitment billed over three
    consecutive months (AIA G702/G703), numbers checked by
    hand. Commitment: labor 60,000 + materials 40,000; retainage 10% on work,
    5% on stored materials.

    ========  ===============  ====================  =====================
    month     labor E          materials E / F       remark
    ========  ===============  ====================  =====================
    January   12,000           5,000 / 8,000         8,000 stored on site
    February  18,000           10,000 / 3,000        the 8,000 installed
    March     30,000           25,000 / 0            both lines complete
    ========  ===============  ====================  =====================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.january = cls._create_month_period(cls.project, 2026, 1)
        cls.invoice_1 = cls._create_sub_invoice(cls.january, amounts={
            cls.ssov_labor: (12_000, 0), cls.ssov_materials: (5_000, 8_000),
        })
        cls.february = cls._create_month_period(cls.project, 2026, 2)
        cls.invoice_2 = cls._create_sub_invoice(cls.february, amounts={
            cls.ssov_labor: (18_000, 0), cls.ssov_materials: (10_000, 3_000),
        })
        cls.march = cls._create_month_period(cls.project, 2026, 3)
        cls.invoice_3 = cls._create_sub_invoice(cls.march, amounts={
            cls.ssov_labor: (30_000, 0), cls.ssov_materials: (25_000, 0),
        })

    def test_first_application(self):
        self.assertValues(self._line_of(self.invoice_1, self.ssov_labor), {
            "scheduled_value": 60_000, "previous_work": 0, "work_this_period": 12_000, "materials_stored": 0,
            "total_completed": 12_000, "percent_complete": 20, "balance_to_finish": 48_000, "retainage": 1_200,
        })
        self.assertValues(self._line_of(self.invoice_1, self.ssov_materials), {
            "scheduled_value": 40_000, "previous_work": 0, "work_this_period": 5_000, "materials_stored": 8_000,
            "total_completed": 13_000, "percent_complete": 32.5, "balance_to_finish": 27_000,
            "retainage_work": 500, "retainage_on_materials": 400, "retainage": 900,
        })
        self.assertValues(self.invoice_1, {
            "original_contract_sum": 100_000, "net_change_orders": 0, "contract_sum_to_date": 100_000,
            "total_completed": 25_000, "retainage_work": 1_700, "retainage_materials": 400, "total_retainage": 2_100,
            "total_earned": 22_900, "previous_certificates": 0, "current_payment_due": 22_900,
            "balance_to_finish": 77_100, "work_this_period": 17_000, "materials_stored": 8_000,
        })

    def test_second_application_moves_stored_material_into_work(self):
        """The 8,000 stored in January is installed in February: it leaves F
        (presently stored) and is billed in E, so G of the line only grows by
        the new work and the new material stored."""
        self.assertValues(self._line_of(self.invoice_2, self.ssov_labor), {
            "previous_work": 12_000, "work_this_period": 18_000, "total_completed": 30_000,
            "percent_complete": 50, "balance_to_finish": 30_000, "retainage": 3_000,
        })
        self.assertValues(self._line_of(self.invoice_2, self.ssov_materials), {
            "previous_work": 5_000, "work_this_period": 10_000, "materials_stored": 3_000, "total_completed": 18_000,
            "percent_complete": 45, "balance_to_finish": 22_000,
            "retainage_work": 1_500, "retainage_on_materials": 150, "retainage": 1_650,
        })
        self.assertValues(self.invoice_2, {
            "total_completed": 48_000, "retainage_work": 4_500, "retainage_materials": 150, "total_retainage": 4_650,
            "total_earned": 43_350, "previous_certificates": 22_900, "current_payment_due": 20_450,
            "balance_to_finish": 56_650,
        })

    def test_third_application_completes_the_commitment(self):
        self.assertValues(self._line_of(self.invoice_3, self.ssov_labor), {
            "previous_work": 30_000, "total_completed": 60_000, "percent_complete": 100, "balance_to_finish": 0,
            "retainage": 6_000,
        })
        self.assertValues(self._line_of(self.invoice_3, self.ssov_materials), {
            "previous_work": 15_000, "materials_stored": 0, "total_completed": 40_000, "percent_complete": 100,
            "retainage_on_materials": 0, "retainage": 4_000,
        })
        self.assertValues(self.invoice_3, {
            "total_completed": 100_000, "total_retainage": 10_000, "total_earned": 90_000,
            "previous_certificates": 43_350, "current_payment_due": 46_650, "balance_to_finish": 10_000,
        })

    def test_payments_add_up_to_total_earned(self):
        """Line 8 of each application sums to line 6 of the last one."""
        invoices = self.invoice_1 | self.invoice_2 | self.invoice_3
        self.assertEqual(sum(invoices.mapped("current_payment_due")), self.invoice_3.total_earned)

    def test_retainage_release(self):
        """A retainage release application pays the retainage held: I drops to
        0 and line 8 is the retainage the previous application held."""
        self.march.action_close()
        april = self._create_month_period(self.project, 2026, 4)
        release = self._create_sub_invoice(april, payment_application_type="retainage_release")
        self._line_of(release, self.ssov_labor).retainage_released = 6_000
        self._line_of(release, self.ssov_materials).retainage_released = 4_000
        self.assertValues(release, {
            "total_completed": 100_000, "total_retainage": 0, "retainage_released": 10_000,
            "total_earned": 100_000, "previous_certificates": 90_000, "current_payment_due": 10_000,
            "balance_to_finish": 0,
        })
        may = self._create_month_period(self.project, 2026, 5)
        self.assertEqual(self._line_of(self._create_sub_invoice(may), self.ssov_labor).retainage, 0,
                         "retainage released earlier stays released")

    def test_voided_application_is_left_out(self):
        """A void application no longer counts in D or line 7 of the later ones."""
        self.invoice_2.action_void()
        self.assertEqual(self._line_of(self.invoice_3, self.ssov_labor).previous_work, 12_000)
        self.assertEqual(self.invoice_3.previous_certificates, 22_900)

    def test_rounding_to_the_currency(self):
        """Retainage is rounded to the company currency line by line."""
        line = self._line_of(self.invoice_3, self.ssov_labor)
        line.write({"work_this_period": 333.33, "retainage_rate": 7.5})
        # (30,000 + 333.33) × 7.5% = 2,274.99975
        self.assertEqual(line.retainage_work, 2_275.00)


@tagged("post_install", "-at_install", "progress_billing")
class TestSubInvoiceUnitBased(ProgressBillingCase):
    """Unit/quantity-based commitments bill quantity × unit price and have no
    stored materials (readme/USAGE.md, "Bills, invoices and retainage")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit_commitment = cls._create_commitment(cls.project, [
            {"name": "Rebar", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.materials.id,
             "product_qty": 200, "price_unit": 12.5},
        ], accounting_method="unit")
        cls.rebar = cls.unit_commitment.order_line
        cls.invoice = cls._create_sub_invoice(commitment=cls.unit_commitment)
        cls.line = cls._line_of(cls.invoice, cls.rebar)

    def test_work_is_quantity_times_unit_price(self):
        self.assertEqual(self.line.scheduled_value, 2_500)
        self.line.quantity_this_period = 37
        self.assertValues(self.line, {
            "is_unit_based": True, "work_this_period": 462.5, "total_completed": 462.5, "percent_complete": 18.5,
            "retainage": 46.25,
        })

    def test_quantity_above_the_contract_is_over_billing(self):
        with self.assertRaisesRegex(ValidationError, "“Rebar” of .* bills \\$\xa02,512\\.50 to date, above its scheduled value of \\$\xa02,500\\.00"):
            self.line.with_user(self.user).quantity_this_period = 201
        result = self.line.onchange({"quantity_this_period": 201}, ["quantity_this_period"], {"work_this_period": {}})
        self.assertEqual(result["warning"]["title"], "Billed above the scheduled value")
        self.line.with_user(self.manager).quantity_this_period = 201
        self.assertEqual(self.line.balance_to_finish, -12.5)

    def test_no_stored_materials(self):
        with self.assertRaisesRegex(ValidationError, "“Rebar” of .* is unit/quantity-based: it has no materials presently stored"):
            self.line.materials_stored = 100

    def test_amount_based_line_has_no_quantity(self):
        line = self._line_of(self._create_sub_invoice(), self.ssov_labor)
        self.assertFalse(line.is_unit_based)
        with self.assertRaisesRegex(ValidationError, "“Concrete labor” of .* is amount-based: bill an amount, not a quantity"):
            line.quantity_this_period = 3
        line.work_this_period = 1_000
        self.assertEqual(line.work_this_period, 1_000, "an amount-based line keeps the amount entered")


@tagged("post_install", "-at_install", "progress_billing")
class TestSubInvoiceWorkflow(ProgressBillingCase):
    """Statuses of a subcontractor invoice and who may change them (readme/CONFIGURE.md, "Workflow and locks":
    Draft → Under Review → Revise and Resubmit ↔ Under Review → Pending Owner
    Approval / Approved as Noted / Approved; review is per line)."""

    def setUp(self):
        super().setUp()
        self.invoice = self._create_sub_invoice(amounts={self.ssov_labor: (6_000, 0), self.ssov_materials: (2_000, 1_000)})
        self.labor_line = self._line_of(self.invoice, self.ssov_labor)
        self.materials_line = self._line_of(self.invoice, self.ssov_materials)

    def test_user_submits_manager_approves(self):
        invoice = self.invoice.with_user(self.user)
        invoice.action_submit()
        self.assertEqual(invoice.state, "under_review")
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Approved"):
            invoice.action_approve()
        self.invoice.with_user(self.manager).action_approve()
        self.assertEqual(self.invoice.state, "approved")
        self.assertEqual(set(self.invoice.line_ids.mapped("review_state")), {"approved"},
                         "approving the invoice approves the lines not reviewed yet")

    def test_approve_as_noted_and_pending_owner_approval(self):
        self.invoice.action_submit()
        self.invoice.with_user(self.manager).action_approve_as_noted()
        self.assertEqual(self.invoice.state, "approved_as_noted")
        other = self._create_sub_invoice(commitment=self._create_commitment(self.project, [
            {"name": "Site clearing", "price_unit": 1_000},
        ]))
        other.action_submit()
        other.with_user(self.manager).action_pending_owner_approval()
        self.assertEqual(other.state, "pending_owner_approval")

    def test_transitions_out_of_order_are_refused(self):
        with self.assertRaisesRegex(UserError, r"cannot go from Draft to Approved"):
            self.invoice.with_user(self.manager).action_approve()
        self.invoice.action_submit()
        with self.assertRaisesRegex(UserError, r"cannot go from Under Review to Under Review"):
            self.invoice.action_submit()

    def test_only_draft_and_revise_resubmit_are_editable_by_users(self):
        self.assertTrue(self.invoice.with_user(self.user).is_editable)
        self.invoice.action_submit()
        self.assertFalse(self.invoice.with_user(self.user).is_editable)
        with self.assertRaisesRegex(UserError, "is Under Review and can no longer be edited"):
            self.labor_line.with_user(self.user).work_this_period = 7_000
        self.assertTrue(self.invoice.with_user(self.manager).is_editable, "a manager still corrects an invoice under review")
        self.labor_line.with_user(self.manager).write({"work_this_period": 5_000, "certification_reason": "Less done"})
        self.assertEqual(self.invoice.work_this_period, 7_000)

    def test_approved_invoice_is_locked(self):
        self.invoice.action_submit()
        self.invoice.with_user(self.manager).action_approve()
        for user in (self.user, self.manager):
            with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
                self.labor_line.with_user(user).work_this_period = 7_000
            with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
                self.invoice.with_user(user).payment_application_type = "work_materials"
            with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
                self.labor_line.with_user(user).unlink()

    def test_line_review_rejection_sends_back_for_revision(self):
        """Any rejected line sends the invoice to Revise and Resubmit and
        notifies the subcontractor with the reason; resubmitting puts the
        rejected lines back to review."""
        self.invoice.with_user(self.user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can review invoice lines"):
            self.labor_line.with_user(self.user).action_approve_line()
        self.labor_line.with_user(self.manager).action_approve_line()
        self.materials_line.with_user(self.manager)._review("rejected", "Delivery note missing")
        self.assertEqual(self.invoice.state, "revise_resubmit")
        self.assertValues(self.materials_line, {"review_state": "rejected", "rejection_reason": "Delivery note missing"})
        notification = self.invoice.message_ids.filtered(lambda message: self.subcontractor in message.partner_ids)
        self.assertEqual(len(notification), 1)
        self.assertIn("needs to be revised and resubmitted", notification.body)
        self.assertIn("<li>Concrete materials: Delivery note missing</li>", notification.body)

        self.materials_line.with_user(self.user).materials_stored = 0
        self.invoice.with_user(self.user).action_submit()
        self.assertEqual(self.invoice.state, "under_review")
        self.assertValues(self.materials_line, {"review_state": "to_review", "rejection_reason": False})
        self.assertEqual(self.labor_line.review_state, "approved", "approved lines stay approved")
        self.invoice.with_user(self.manager).action_approve()
        self.assertEqual(self.invoice.state, "approved")

    def test_lines_are_reviewed_only_under_review(self):
        with self.assertRaisesRegex(UserError, "is not under review"):
            self.labor_line.with_user(self.manager).action_approve_line()

    def test_void_and_reset_are_for_managers(self):
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Void"):
            self.invoice.with_user(self.user).action_void()
        self.invoice.with_user(self.manager).action_void()
        self.assertEqual(self.invoice.state, "void")
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Draft"):
            self.invoice.with_user(self.user).action_reset_to_draft()
        self.invoice.with_user(self.manager).action_reset_to_draft()
        self.assertEqual(self.invoice.state, "draft")

    def test_only_drafts_are_deleted(self):
        self.invoice.action_submit()
        with self.assertRaisesRegex(UserError, "is not a draft: void it instead of deleting it"):
            self.invoice.with_user(self.manager).unlink()

    def test_invoices_are_numbered_and_positioned(self):
        self.assertRegex(self.invoice.name, r"^SI/\d{4}/\d{4}$")
        self.assertEqual(self.invoice.position, 1)
        self.assertEqual(self.invoice.partner_id, self.subcontractor)
        self.assertEqual(self.invoice.project_id, self.project)

    def test_review_of_an_invoice_followed_by_a_later_one(self):
        """The review of an invoice goes on after the next period's invoice
        exists, though its amounts are locked (only the latest is editable)."""
        self.invoice.action_submit()
        later = self._create_sub_invoice(self._create_next_period())
        with self.assertRaisesRegex(UserError, f"is followed by {later.name}: only the latest application"):
            self.labor_line.with_user(self.manager).work_this_period = 1
        self.labor_line.with_user(self.manager).action_approve_line()
        self.invoice.with_user(self.manager).action_approve()
        self.assertEqual(self.invoice.state, "approved")
