# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.portal import UPLOAD_MAX_BYTES
from .common import ProgressBillingCase
from .pdf_samples import pdf_outline, pdf_page_texts, sample_pdf

PDF = sample_pdf("Lien waiver")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


class PortalCase(ProgressBillingCase, HttpCase):
    """A subcontractor (``subcontractor``, vendor of ``commitment``) with a
    portal login for one of its contacts, and a second vendor with its own
    commitment, invoice and portal login (readme/USAGE.md, "Subcontractors billing on the portal")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commitment.user_id = cls.user
        cls.commitment.button_confirm()
        cls.portal_user = cls._create_portal_user("sub_portal", cls.subcontractor)
        cls.invoice = cls._create_sub_invoice()
        cls.labor_line = cls._line_of(cls.invoice, cls.ssov_labor)
        cls.materials_line = cls._line_of(cls.invoice, cls.ssov_materials)
        cls.other_vendor = cls.env["res.partner"].create({"name": "Bright Electric", "email": "bright@example.com"})
        cls.other_commitment = cls._create_commitment(
            cls.project, [{"name": "Wiring", "price_unit": 30_000}], partner_id=cls.other_vendor.id,
        )
        cls.other_commitment.button_confirm()
        cls.other_invoice = cls._create_sub_invoice(commitment=cls.other_commitment)
        cls.other_portal_user = cls._create_portal_user("other_portal", cls.other_vendor)

    @classmethod
    def _create_portal_user(cls, login, company_partner):
        contact = cls.env["res.partner"].create({
            "name": f"{login} contact", "parent_id": company_partner.id, "email": f"{login}@example.com",
        })
        return new_test_user(
            cls.env, login, groups="base.group_portal", partner_id=contact.id, context={"no_reset_password": True},
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )

    def login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def post(self, url, data, **kwargs):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data}, allow_redirects=False, **kwargs)

    def save(self, invoice, data):
        return self.post(f"/my/progress-billing/invoice/{invoice.id}/save", data)

    def upload(self, invoice, name, content, kind="lien_waiver"):
        return self.post(
            f"/my/progress-billing/invoice/{invoice.id}/attachment", {"kind": kind}, files={"attachment": (name, content)},
        )

    @contextmanager
    def rendering_pdfs(self):
        """Render reports as PDF with wkhtmltopdf (Odoo renders HTML in tests unless told otherwise)."""
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def render_pdf(report, *args, **kwargs):
            return render(report.with_context(force_report_rendering=True), *args, **kwargs)

        with patch.object(Report, "_render_qweb_pdf", render_pdf):
            yield

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirects(self, response, path):
        self.assertEqual(response.status_code, 303)
        self.assertEqual(re.sub(r"^https?://[^/]+", "", response.headers["Location"]), path)


@tagged("post_install", "-at_install", "progress_billing")
class TestPortalPages(PortalCase):
    """The subcontractor's pages: its commitments and invoices only, the
    counter on /my, the invoice page and its PDF."""

    def test_list_shows_only_own_commitments_and_invoices(self):
        self.login(self.portal_user)
        response = self.get("/my/progress-billing")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.commitment.name, response.text)
        self.assertIn(self.invoice.name, response.text)
        self.assertNotIn(self.other_commitment.name, response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        self.assertNotIn(self.prime_contract.name, response.text)

    def test_pages_use_the_subcontractors_dictionary(self):
        """readme/USAGE.md, "The subcontractor's side (portal)": with the company on a point-of-view dictionary, its
        portal users see the subcontractor's side of the contract (Specialty
        Contractor); with Default, the words of the code."""
        self.login(self.portal_user)
        self.assertIn(">Commitments<", self.get("/my/progress-billing").text)
        self.company.progress_billing_dictionary = "head_contractor"
        self.assertEqual(self.portal_user.lang, "en@specialty")
        # a session keeps the language it logged in with
        self.login(self.portal_user)
        self.assertEqual(self.user.lang, "en@headcontractor", "the staff keep the company's own dictionary")
        # (the pages of a language other than the default one live under its prefix, /en-specialty/...)
        page = self.url_open("/my/progress-billing").text
        self.assertIn(">Subcontracts<", page)
        self.assertNotIn(">Commitments<", page)
        self.assertIn(">Subcontract<", self.url_open(self.invoice.access_url).text)

    def test_home_counter(self):
        self.login(self.portal_user)
        response = self.url_open("/my/counters", json={"params": {"counters": ["progress_billing_count"]}})
        self.assertEqual(response.json()["result"], {"progress_billing_count": 1})

    def test_invoice_page_is_editable_while_draft(self):
        self.login(self.portal_user)
        response = self.get(self.invoice.access_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'name="work_{self.labor_line.id}"', response.text)
        self.assertIn("Concrete labor", response.text)

    def test_other_vendor_forged_id_and_anonymous_are_sent_away(self):
        self.login(self.other_portal_user)
        self.assertRedirects(self.get(self.invoice.access_url), "/my")
        self.assertRedirects(self.get("/my/progress-billing/invoice/999999999"), "/my")
        self.assertRedirects(self.get(f"{self.invoice.access_url}?report_type=pdf"), "/my")
        self.logout()
        self.assertRedirects(self.get(self.invoice.access_url), "/my")
        self.assertRedirects(self.get("/my/progress-billing"), "/web/login?redirect=%2Fmy%2Fprogress-billing%3F")

    def test_access_token_opens_only_that_invoice_read_only(self):
        url = self.invoice.get_portal_url()
        token = self.invoice.access_token
        response = self.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice.name, response.text)
        self.assertNotIn(f'name="work_{self.labor_line.id}"', response.text, "a token alone never edits")
        self.assertIn("Sign in to edit", response.text)
        self.assertRedirects(self.get(f"{self.invoice.access_url}?access_token=forged"), "/my")
        self.assertRedirects(self.get(f"{self.other_invoice.access_url}?access_token={token}"), "/my")
        # nor does it let another vendor's user edit
        self.login(self.other_portal_user)
        self.assertEqual(self.get(url).status_code, 200)
        self.assertEqual(self.save(self.invoice, {f"work_{self.labor_line.id}": "1000", "access_token": token}).status_code, 403)

    def test_pdf_download(self):
        """The pay application PDF of the back office, rendered by
        wkhtmltopdf (Odoo renders HTML in tests unless told otherwise)."""
        self.login(self.portal_user)
        with self.rendering_pdfs():
            response = self.get(f"{self.invoice.access_url}?report_type=pdf&download=1")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            self.assertEqual(
                response.headers["Content-Disposition"],
                content_disposition(f"Pay_Application_{self.invoice.name.replace('/', '_')}.pdf", "attachment"),
            )
            self.assertIn("Application and Certificate for Payment", pdf_page_texts(response.content)[0])
            self.logout()
            token_url = self.invoice.get_portal_url(report_type="pdf")
            self.assertEqual(self.get(token_url).headers["Content-Type"], "application/pdf")
            self.assertRedirects(self.get(f"{self.invoice.access_url}?report_type=pdf&access_token=forged"), "/my")


@tagged("post_install", "-at_install", "progress_billing")
class TestPortalBilling(PortalCase):
    """Entering amounts, attaching files and submitting from the portal go
    through the model's own methods and checks, as the portal user."""

    def test_save_amounts_in_money_and_percent(self):
        self.login(self.portal_user)
        response = self.save(self.invoice, {
            f"work_{self.labor_line.id}": "12,000.00",
            f"stored_{self.labor_line.id}": "500",
            # 25 % of 40,000 to date, with nothing stored
            f"percent_{self.materials_line.id}": "25",
            "vendor_reference": "SC-1001",
        })
        self.assertRedirects(response, f"{self.invoice.access_url}?message=saved")
        self.assertValues(self.labor_line, {"work_this_period": 12_000, "materials_stored": 500})
        self.assertValues(self.materials_line, {"work_this_period": 10_000, "percent_complete": 25})
        self.assertEqual(self.invoice.vendor_reference, "SC-1001")
        self.assertEqual(self.labor_line.write_uid, self.portal_user, "written as the portal user, not as superuser")

    def test_over_billing_is_refused_naming_the_line_and_keeping_the_input(self):
        self.login(self.portal_user)
        response = self.save(self.invoice, {
            f"work_{self.materials_line.id}": "1000",
            f"work_{self.labor_line.id}": "60000.01",
        })
        self.assertEqual(response.status_code, 422)
        self.assertIn("Line “Concrete labor”", response.text)
        self.assertIn("Only a Progress Billing manager can bill above the scheduled value", response.text)
        self.assertIn('value="60000.01"', response.text, "what the user typed is kept")
        self.assertEqual(self.labor_line.work_this_period, 0)
        self.assertEqual(self.materials_line.work_this_period, 0, "nothing of the refused save is kept")

    def test_not_a_number_is_refused_naming_the_line(self):
        self.login(self.portal_user)
        response = self.save(self.invoice, {f"work_{self.labor_line.id}": "lots"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Line “Concrete labor”: “lots” is not a number.", response.text)

    def test_changes_by_another_vendor_anonymous_or_forged_id(self):
        data = {f"work_{self.labor_line.id}": "1000"}
        self.login(self.other_portal_user)
        self.assertEqual(self.save(self.invoice, data).status_code, 403)
        self.assertEqual(self.upload(self.invoice, "waiver.pdf", PDF).status_code, 403)
        self.assertEqual(self.save(self.invoice.browse(999999999), data).status_code, 404)
        self.logout()
        response = self.save(self.invoice, data)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].split("?")[0].endswith("/web/login"))
        self.assertEqual(self.labor_line.work_this_period, 0)

    def test_submit_notifies_and_locks(self):
        self.login(self.portal_user)
        response = self.save(self.invoice, {f"work_{self.labor_line.id}": "6000", "submit": "1"})
        self.assertRedirects(response, f"{self.invoice.access_url}?message=submitted")
        self.assertEqual(self.invoice.state, "under_review")
        activity = self.invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user, "the commitment's responsible user reviews it")
        message = self.invoice.message_ids.filtered(lambda message: "from the portal" in message.body)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn(f"submitted {self.invoice.name} from the portal", message.body)
        page = self.get(self.invoice.access_url)
        self.assertNotIn(f'name="work_{self.labor_line.id}"', page.text)
        self.assertEqual(self.save(self.invoice, {f"work_{self.labor_line.id}": "1"}).status_code, 403)
        self.assertEqual(self.upload(self.invoice, "late.pdf", PDF).status_code, 403)
        self.assertEqual(self.labor_line.work_this_period, 6000)

    def test_revise_and_resubmit_shows_reasons_and_edits_again(self):
        self.invoice.with_user(self.portal_user).action_submit()
        self.labor_line.with_user(self.manager)._review("rejected", "Pour 3 not inspected yet")
        self.assertEqual(self.invoice.state, "revise_resubmit")
        self.login(self.portal_user)
        page = self.get(self.invoice.access_url)
        self.assertIn("Pour 3 not inspected yet", page.text)
        self.assertIn(f'name="work_{self.labor_line.id}"', page.text)
        response = self.save(self.invoice, {f"work_{self.labor_line.id}": "3000", "submit": "1"})
        self.assertRedirects(response, f"{self.invoice.access_url}?message=submitted")
        self.assertValues(self.invoice, {"state": "under_review"})
        self.assertValues(self.labor_line, {"work_this_period": 3000, "review_state": "to_review", "rejection_reason": False})

    def test_certified_claim_shows_beside_the_claim_with_its_payment_schedule(self):
        """readme/USAGE.md, "Claimed and certified amounts", on the portal: once a reviewer certifies less than was
        claimed, the subcontractor sees per line what it claimed, what was
        certified and why, line 8 as claimed, and downloads our payment
        schedule, which no claim has before it is certified."""
        self.login(self.portal_user)
        self.save(self.invoice, {f"work_{self.labor_line.id}": "6000", "submit": "1"})
        schedule_url = f"{self.invoice.access_url}?report_type=pdf&document=payment_schedule"
        self.assertEqual(self.get(schedule_url).status_code, 404, "an uncertified claim has no payment schedule yet")
        self.assertEqual(self.get(f"{self.invoice.access_url}?report_type=pdf&document=forged").status_code, 404)
        self.labor_line.with_user(self.manager).write({"work_this_period": 5000, "certification_reason": "Pour 3 not inspected"})
        self.invoice.with_user(self.manager).action_approve_as_noted()
        page = self.get(self.invoice.access_url).text
        certification = re.search(r'class="o_pb_certification">(.*?)</div>\s*</div>', page, re.S).group(1)
        self.assertRegex(certification, r"(?s)Claimed.*6,000\.00.*certified.*5,000\.00.*Pour 3 not inspected")
        self.assertIn("o_pb_claimed_due", page)
        self.assertIn("document=payment_schedule", page)
        with self.rendering_pdfs():
            response = self.get(schedule_url)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        text = pdf_page_texts(response.content)[0]
        self.assertIn("Payment Schedule", text)
        self.assertIn("Pour 3 not inspected", text)

    def test_upload_lands_in_the_backup_like_a_back_office_attachment(self):
        self.login(self.portal_user)
        self.assertRedirects(self.upload(self.invoice, "lien waiver.pdf", PDF), f"{self.invoice.access_url}?message=attached")
        self.assertRedirects(self.upload(self.invoice, "site.png", PNG, kind="photo"), f"{self.invoice.access_url}?message=attached")
        attachments = self.env["progress.billing.backup"]._attachments_by_invoice(self.invoice)[self.invoice.id]
        self.assertEqual([(a.name, a.mimetype, a.description) for a in attachments], [
            ("lien waiver.pdf", "application/pdf", "Lien waiver"), ("site.png", "image/png", "Photo"),
        ])
        backup = self.env["progress.billing.backup"]._compile(self.invoice)
        outline = pdf_outline(backup.raw)
        self.assertEqual([title for title, _page, _children in outline[0][2]], ["lien waiver.pdf", "site.png"])

    def test_upload_refuses_other_files_and_large_requests(self):
        self.login(self.portal_user)
        response = self.upload(self.invoice, "invoice.pdf", b"MZ\x90\x00 not a pdf")
        self.assertEqual(response.status_code, 422)
        self.assertIn("invoice.pdf is not a PDF, PNG or JPEG file.", response.text)
        response = self.upload(self.invoice, "huge.pdf", b"%PDF-" + b"0" * (UPLOAD_MAX_BYTES + 65 * 1024))
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.env["ir.attachment"].search([("res_model", "=", self.invoice._name), ("res_id", "=", self.invoice.id)]))


@tagged("post_install", "-at_install", "progress_billing")
class TestPortalAccess(PortalCase):
    """What a portal user may do through the ORM, whatever way it calls:
    its own invoices and lines, only the billed fields, only while Draft or
    Revise and Resubmit; never another vendor's, the owner side or the
    review steps."""

    def test_reads_only_own_records(self):
        Invoice = self.env["progress.billing.sub.invoice"].with_user(self.portal_user)
        self.assertEqual(Invoice.search([]), self.invoice)
        self.assertEqual(Invoice.env["progress.billing.sub.invoice.line"].search([]), self.invoice.line_ids)
        with self.assertRaises(AccessError):
            self.other_invoice.with_user(self.portal_user).check_access("read")
        for model in ("progress.billing.owner.invoice", "progress.billing.owner.invoice.line",
                      "progress.billing.direct.cost", "progress.billing.backup"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_user).search([])
        # sale gives portal customers their own orders: never the owner's prime contract
        self.assertFalse(self.env["sale.order"].with_user(self.portal_user).search([]))
        prime_change = self._create_change_order(self.prime_contract, [{"name": "Extra slab", "amount": 5_000}])
        own_change = self._create_change_order(self.commitment, [{"name": "Extra pour", "amount": 2_000}])
        ChangeOrder = self.env["progress.billing.change.order"].with_user(self.portal_user)
        self.assertEqual(ChangeOrder.search([]), own_change, f"never {prime_change.display_name}")

    def test_writes_only_billed_fields(self):
        line = self.labor_line.with_user(self.portal_user)
        line.write({"work_this_period": 1_000, "materials_stored": 200})
        for field, value in (("retainage_rate", 0), ("name", "Renamed"), ("retainage_released", 5)):
            with self.subTest(field=field), self.assertRaisesRegex(AccessError, "You do not have enough rights to access the field"):
                line.write({field: value})
        with self.assertRaisesRegex(AccessError, "You do not have enough rights to access the field"):
            self.invoice.with_user(self.portal_user).write({"note": "<p>Hi</p>"})
        with self.assertRaisesRegex(AccessError, "are set by the review steps"):
            line.write({"review_state": "approved"})

    def test_never_another_vendor_nor_a_submitted_invoice(self):
        with self.assertRaises(AccessError):
            self.other_invoice.line_ids.with_user(self.portal_user).write({"work_this_period": 1_000})
        self.invoice.with_user(self.portal_user).action_submit()
        with self.assertRaisesRegex(UserError, "is Under Review and can no longer be edited"):
            self.labor_line.with_user(self.portal_user).write({"work_this_period": 1_000})
        with self.assertRaisesRegex(UserError, "is Under Review and can no longer be edited"):
            self.invoice.with_user(self.portal_user).write({"vendor_reference": "changed"})
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set"):
            self.invoice.with_user(self.portal_user).action_approve()

    def test_no_creation_nor_deletion(self):
        Invoice = self.env["progress.billing.sub.invoice"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Invoice.create({"purchase_order_id": self.commitment.id, "period_id": self._create_next_period().id})
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.portal_user).unlink()
        with self.assertRaises(AccessError):
            self.labor_line.with_user(self.portal_user).unlink()


@tagged("post_install", "-at_install", "progress_billing")
class TestPortalJsonRpc(PortalCase):
    """The same refusals over JSON-RPC, as a portal user calling call_kw."""

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        })
        error = response.json().get("error")
        return error and error["data"]

    def test_refused_calls(self):
        self.login(self.portal_user)
        calls = [
            (self.labor_line._name, "write", [self.labor_line.ids, {"retainage_rate": 0}], "AccessError"),
            (self.other_invoice.line_ids._name, "write", [self.other_invoice.line_ids.ids, {"work_this_period": 1}], "AccessError"),
            (self.invoice._name, "action_approve", [self.invoice.ids], "UserError"),
            ("progress.billing.owner.invoice", "search_read", [[]], "AccessError"),
            ("progress.billing.period", "write", [self.period.ids, {"state": "closed"}], "AccessError"),
        ]
        for model, method, args, exception in calls:
            with self.subTest(model=model, method=method):
                error = self._call_kw(model, method, args)
                self.assertTrue(error, "the call should have been refused")
                self.assertEqual(error["name"], f"odoo.exceptions.{exception}")
        self.assertEqual(self.labor_line.retainage_rate, 10)
        self.assertIsNone(self._call_kw(self.labor_line._name, "write", [self.labor_line.ids, {"work_this_period": 500}]))
        self.assertEqual(self.labor_line.work_this_period, 500)

    def test_back_office_is_closed(self):
        self.login(self.portal_user)
        response = self.get("/odoo/action-progress_billing.action_progress_billing_sub_invoice")
        self.assertRedirects(response, "/my?subpath=action-progress_billing.action_progress_billing_sub_invoice")
