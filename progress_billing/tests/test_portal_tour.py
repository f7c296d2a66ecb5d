# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from .test_portal import PortalCase


@tagged("post_install", "-at_install", "progress_billing")
class TestPortalTour(PortalCase):
    def test_subcontractor_bills_reviewer_sends_back_subcontractor_resubmits(self):
        """readme/USAGE.md, "The subcontractor's side (portal)", in Chromium: the subcontractor opens the e-mailed link,
        signs in, bills one line in money and one in percent, attaches its
        lien waiver and submits; the reviewer rejects a line in the back
        office, which sends the invoice back; the subcontractor sees the
        reason, revises the line and resubmits."""
        self.start_tour(self.invoice.get_portal_url(), "progress_billing_portal_submit_tour")
        self.assertEqual(self.invoice.state, "under_review")
        self.assertEqual(self.labor_line.work_this_period, 15_000)
        self.assertEqual(self.materials_line.work_this_period, 10_000)
        attachment = self.env["ir.attachment"].search([("res_model", "=", self.invoice._name), ("res_id", "=", self.invoice.id)])
        self.assertEqual((attachment.name, attachment.mimetype, attachment.description),
                         ("lien_waiver.pdf", "application/pdf", "Lien waiver"))

        self.start_tour(
            f"/odoo/action-progress_billing.action_progress_billing_sub_invoice/{self.invoice.id}",
            "progress_billing_portal_review_tour", login="admin",
        )
        self.assertEqual(self.invoice.state, "revise_resubmit")
        self.assertEqual(self.materials_line.rejection_reason, "Delivery note missing")

        self.start_tour(self.invoice.access_url, "progress_billing_portal_resubmit_tour", login=self.portal_user.login)
        self.assertEqual(self.invoice.state, "under_review")
        self.assertEqual(self.materials_line.work_this_period, 8_000)
        self.assertEqual(self.materials_line.review_state, "to_review")
