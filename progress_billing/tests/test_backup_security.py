# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import resource
import tracemalloc
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, ConcurrencyError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..models.progress_billing_backup import RETRY_DELAY
from ..report import backup_pdf
from .common import MANAGER_GROUP, USER_GROUP
from .common_pay_application import PayApplicationCase
from .pdf_samples import flate_bomb, huge_png, page_tree_bomb, pdf_page_texts, sample_pdf


def hide_invoices_from(user, invoices):
    """What an administrator does to keep ``invoices`` from ``user``: a
    record rule of a group of theirs."""
    env = user.env
    group = env["res.groups"].create({"name": f"Not {', '.join(invoices.mapped('name'))}"})
    env["ir.rule"].create({
        "name": f"{group.name}: hidden invoices",
        "model_id": env["ir.model"]._get_id(invoices._name),
        "groups": [Command.link(group.id)],
        "domain_force": f"[('id', 'not in', {invoices.ids})]",
    })
    user.group_ids += group


class BackupReadersCase(PayApplicationCase):
    """A backup of two invoices of the test company requested by ``user``,
    and the people around it (readme/CONFIGURE.md, "Companies"; readme/CONFIGURE.md, "Backups")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Backup = cls.env["progress.billing.backup"]
        cls.first = cls._create_tenth_invoice(cls._create_described_commitment(cls.project, ["Formwork"]))
        cls.second = cls._create_tenth_invoice(cls._create_described_commitment(cls.project, ["Rebar"]))
        cls.colleague = cls._create_user("pb_colleague", USER_GROUP)
        cls.restricted = cls._create_user("pb_restricted", USER_GROUP)
        hide_invoices_from(cls.restricted, cls.second)
        cls.other_company = cls._create_company("Other Builders")
        cls.stranger = cls._create_user("pb_stranger", USER_GROUP, cls.other_company)
        cls.other_manager = cls._create_user("pb_other_manager", MANAGER_GROUP, cls.other_company)
        cls.portal = new_test_user(cls.env, "pb_portal", groups="base.group_portal", context={"no_reset_password": True})
        attachment = cls.Backup.with_user(cls.user)._compile((cls.first | cls.second).with_user(cls.user))
        cls.backup = cls.Backup.browse(attachment.res_id)
        cls.pdf = attachment.sudo()


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupAccess(BackupReadersCase):
    """Who reads a backup and its PDF, and that nobody creates or writes one."""

    def test_readers_of_the_backup_and_its_pdf(self):
        for reader in (self.user, self.manager, self.colleague):
            with self.subTest(reader=reader.login):
                self.assertEqual(self.Backup.with_user(reader).search([("id", "=", self.backup.id)]), self.backup)
                self.assertTrue(self.pdf.with_user(reader).raw.startswith(b"%PDF"))
        for outsider in (self.restricted, self.stranger, self.other_manager):
            with self.subTest(outsider=outsider.login):
                self.assertFalse(self.Backup.with_user(outsider).search([("id", "=", self.backup.id)]))
                with self.assertRaisesRegex(AccessError, "doesn't have 'read' access to:\n- Compiled Progress Billing Backup"):
                    self.backup.with_user(outsider).read(["name"])
                with self.assertRaisesRegex(AccessError, "doesn't have 'read' access to"):
                    self.pdf.with_user(outsider).read(["raw"])
        with self.assertRaisesRegex(AccessError, "You are not allowed to access 'Compiled Progress Billing Backup'"):
            self.Backup.with_user(self.portal).search([("id", "=", self.backup.id)])
        with self.assertRaisesRegex(AccessError, "doesn't have 'read' access to:\n- Attachment"):
            self.pdf.with_user(self.portal).read(["raw"])

    def test_the_requester_reads_their_backup_even_without_every_invoice(self):
        backup = self.Backup.browse(
            self.Backup.with_user(self.restricted)._compile(self.first.with_user(self.restricted)).res_id
        )
        self.assertEqual(backup.with_user(self.restricted).read(["user_id"])[0]["user_id"][0], self.restricted.id)
        self.assertTrue(backup.with_user(self.colleague).all_invoices_readable)

    def test_nobody_creates_or_writes_a_backup(self):
        for person in (self.user, self.manager):
            with self.subTest(person=person.login):
                with self.assertRaisesRegex(AccessError, "You are not allowed to create 'Compiled Progress Billing Backup'"):
                    self.Backup.with_user(person).create({"name": "forged.pdf", "sub_invoice_ids": [(6, 0, self.first.ids)]})
                with self.assertRaisesRegex(AccessError, "You are not allowed to modify 'Compiled Progress Billing Backup'"):
                    self.backup.with_user(person).write({"state": "done"})

    def test_no_field_reaches_an_attachment_the_user_cannot_read(self):
        self.assertNotIn("file", self.Backup._fields, "no related field reads the PDF as superuser")
        self.assertFalse([field.name for field in self.Backup._fields.values()
                          if field.related and field.related.startswith("attachment_id")])
        secret = self.env["ir.attachment"].create({
            "name": "secret.pdf", "raw": sample_pdf("Secret"),
            "res_model": "res.partner", "res_id": self.env.ref("base.main_partner").id,
        })
        with self.assertRaises(AccessError):
            self.backup.with_user(self.user).write({"attachment_id": secret.id})

    def test_a_mixed_company_selection_is_refused_naming_the_companies(self):
        other_invoice = self._create_tenth_invoice(self._create_described_commitment(
            self._create_open_project("Elsewhere", self.other_company), ["Roofing"],
        ))
        self.user.company_ids += self.other_company
        Backup = self.Backup.with_user(self.user).with_context(allowed_company_ids=(self.company | self.other_company).ids)
        with self.assertRaises(UserError) as error:
            Backup._compile(self.first | other_invoice)
        self.assertIn(f"mixes {', '.join(sorted([self.company.name, self.other_company.name]))}", str(error.exception))
        self.assertFalse(self.Backup.search([("sub_invoice_ids", "in", other_invoice.ids)]))


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupAccessHttp(BackupReadersCase, HttpCase):
    """The same rules through HTTP: /web/content of the PDF, and JSON-RPC."""

    def _download(self, login):
        self.authenticate(login, login) if login else self.authenticate(None, None)
        return self.url_open(f"/web/content/{self.pdf.id}?download=true")

    def test_pdf_over_http(self):
        for login in ("pb_user", "pb_manager", "pb_colleague"):
            with self.subTest(login=login):
                response = self._download(login)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.content.startswith(b"%PDF"))
        for login in ("pb_restricted", "pb_stranger", "pb_other_manager", "pb_portal", None):
            with self.subTest(login=login):
                self.assertEqual(self._download(login).status_code, 404)

    @mute_logger("odoo.http")
    def test_create_and_write_over_json_rpc_are_refused(self):
        self.authenticate("pb_user", "pb_user")
        for method, args in [
            ("create", [{"name": "forged.pdf", "sub_invoice_ids": [[6, 0, self.first.ids]]}]),
            ("write", [[self.backup.id], {"attachment_id": self.pdf.id + 1000, "state": "done"}]),
        ]:
            with self.subTest(method=method), self.assertRaisesRegex(JsonRpcException, "^odoo.exceptions.AccessError$"):
                self.make_jsonrpc_request("/web/dataset/call_kw", {
                    "model": "progress.billing.backup", "method": method, "args": args, "kwargs": {},
                })


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupBudgets(PayApplicationCase):
    """Budgets for uploaded files (readme/CONFIGURE.md, "Backups"): each file over budget is listed on the
    cover with its reason, the rest is compiled, memory stays bounded."""

    def test_files_over_budget_are_listed_with_their_reason(self):
        invoice = self._create_tenth_invoice(self.commitment)
        self.env["ir.attachment"].create({
            "name": "scan.pdf", "raw": huge_png(), "mimetype": "application/pdf",
            "res_model": invoice._name, "res_id": invoice.id,
        })
        self._attach(invoice, "pages.pdf", page_tree_bomb())
        self._attach(invoice, "few pages.pdf", page_tree_bomb(claimed_count=3))
        self._attach(invoice, "bomb.pdf", flate_bomb())
        self._attach(invoice, "waiver.pdf", sample_pdf("Waiver", 2))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        try:
            attachment = self.env["progress.billing.backup"]._compile(invoice)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        cover = pdf_page_texts(attachment.raw)[0]
        self.assertIn("4 attachment(s) could not be included", cover)
        for reason in (
            "Not included: an image of 20000 × 20000 pixels, above the limit of 50 megapixels",
            "Not included: more than 2000 pages",
            "Not included: a part of it decompresses to more than 75 MB",
        ):
            self.assertIn(reason, cover)
        self.assertEqual(cover.count("Not included: more than 2000 pages"), 2, "a claimed count and a fan-out alike")
        self.assertIn("Waiver page 2", pdf_page_texts(attachment.raw)[-1])
        self.assertLess(peak, 64 * 2**20, "Python allocations stay far below the files' claimed sizes")
        self.assertLess(rss_growth_mb, 256, "the process does not grow by the files' claimed sizes")

    def test_pages_of_attachments_are_budgeted_per_backup(self):
        invoice = self._create_tenth_invoice(self.commitment)
        self._attach(invoice, "first.pdf", sample_pdf("First", 3))
        self._attach(invoice, "second.pdf", sample_pdf("Second", 3))
        with patch.object(backup_pdf.Budget, "__init__", _budget_of(pages=4)):
            attachment = self.env["progress.billing.backup"]._compile(invoice)
        cover = pdf_page_texts(attachment.raw)[0]
        self.assertIn("Not included: the backup already holds its limit of 4 pages of attachments", cover)


def _budget_of(**limits):
    """Budget.__init__ with ``limits`` in place of the defaults (a frozen dataclass)."""
    original = backup_pdf.Budget.__init__

    def init(self, **values):
        original(self, **{**limits, **values})
    return init


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupRetries(PayApplicationCase):
    """A background batch that fails is retried a bounded number of times;
    then its backup fails with the reason and the requester is told; the
    next backups are compiled meanwhile."""

    def test_a_failing_batch_is_retried_then_fails_and_the_next_backup_completes(self):
        self.env["ir.config_parameter"].set_param("progress_billing.backup_background_threshold", 0)
        Backup = self.env["progress.billing.backup"].with_user(self.user)
        broken_invoice = self._create_tenth_invoice(self.commitment)
        sound_invoice = self._create_tenth_invoice(self._create_described_commitment(self.project, ["Masonry"]))
        broken = Backup._queue(broken_invoice.with_user(self.user))
        sound = Backup._queue(sound_invoice.with_user(self.user))
        real_render = type(self.env["ir.actions.report"])._render_pay_applications

        def render(reports, report_ref, invoices):
            if broken_invoice in invoices:
                raise RuntimeError("wkhtmltopdf was killed")
            return real_render(reports, report_ref, invoices)

        with patch.object(type(self.env["ir.actions.report"]), "_render_pay_applications", render):
            for run in range(1, 4):
                self._run_cron()
                self.assertEqual((broken.state, broken.attempt_count), ("queued", run), "one attempt per run")
                self.assertEqual(sound.state, "done", "the next backup is not stuck behind the failing one")
                self._run_cron()
                self.assertEqual(broken.attempt_count, run, "no new attempt before retry_after")
                broken.sudo().retry_after -= RETRY_DELAY  # the retry delay has passed
            self._run_cron()
        self.assertEqual(broken.state, "failed")
        self.assertEqual(broken.error, "Compiling stopped 3 times at the same invoices (wkhtmltopdf was killed).")
        message = broken.message_ids.filtered(lambda message: "wkhtmltopdf was killed" in (message.body or ""))
        self.assertEqual(message.partner_ids, self.user.partner_id)

    def test_an_attempt_is_counted_before_the_work_so_a_killed_worker_counts(self):
        self.env["ir.config_parameter"].set_param("progress_billing.backup_background_threshold", 0)
        backup = self.env["progress.billing.backup"].with_user(self.user)._queue(
            self._create_tenth_invoice(self.commitment).with_user(self.user),
        )
        backup.sudo().attempt_count = 3  # three workers were killed in that batch: nothing but the count remains
        self._run_cron()
        self.assertEqual(backup.state, "failed")
        self.assertIn("the background worker was stopped", backup.error)

    def test_double_click_returns_the_queued_backup(self):
        Backup = self.env["progress.billing.backup"].with_user(self.user)
        invoice = self._create_tenth_invoice(self.commitment).with_user(self.user)
        queued = Backup._queue(invoice)
        self.assertEqual(Backup._queue(invoice), queued)
        self.assertNotEqual(self.env["progress.billing.backup"].with_user(self.manager)._queue(invoice.with_user(self.manager)), queued,
                            "another user's request is their own backup")

    def test_the_cron_never_reads_a_part_of_another_record(self):
        self.env["ir.config_parameter"].set_param("progress_billing.backup_background_threshold", 0)
        self.env["ir.config_parameter"].set_param("progress_billing.backup_batch_size", 1)
        invoices = self._create_tenth_invoice(self.commitment) | self._create_tenth_invoice(
            self._create_described_commitment(self.project, ["Masonry"]))
        backup = self.env["progress.billing.backup"].with_user(self.user)._queue(invoices.with_user(self.user))
        foreign = self.env["ir.attachment"].create({
            "name": "foreign.pdf", "raw": sample_pdf("Foreign"), "res_model": "res.partner",
            "res_id": self.env.ref("base.main_partner").id,
        })
        backup.sudo().write({"processed_count": 2, "part_index": [{"attachment_id": foreign.id, "entries": []}]})
        self._run_cron()
        self.assertEqual(backup.state, "failed")
        self.assertTrue(foreign.exists(), "never deleted")
        self.assertIn("missing", backup.error)

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref("progress_billing.ir_cron_compile_backups").method_direct_trigger()


class CommittedInvoiceCase(TransactionCase):
    """A subcontractor invoice committed in setUp (two transactions must both
    see it) and two more database cursors, ``self.envs``; everything is
    deleted in the end."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fixture = type("CommittedFixture", (PayApplicationCase,), {
                "env": env, "company": env.company, "currency": env.company.currency_id,
                "product": env["product.product"].create({"name": "Concurrent Work", "type": "service"}),
                "subcontractor": env["res.partner"].create({"name": "Concurrent Subcontractor"}),
                "owner": env["res.partner"].create({"name": "Concurrent Owner"}),
            })
            project = fixture._create_open_project("Concurrent Tower")
            invoice = fixture._create_tenth_invoice(fixture._create_described_commitment(project, ["Roofing"]))
            self.ids = {"invoice": invoice.id, "order": invoice.purchase_order_id.id, "project": project.id,
                        "partners": (fixture.subcontractor | fixture.owner).ids, "product": fixture.product.id}
        self.envs = [api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _cursor in range(2)]
        self.addCleanup(self._clean)

    def _clean(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoice = env["progress.billing.sub.invoice"].browse(self.ids["invoice"])
            env["progress.billing.backup"].search([("sub_invoice_ids", "in", invoice.ids)]).unlink()
            invoice.unlink()
            order = env["purchase.order"].browse(self.ids["order"])
            order.button_cancel()
            order.unlink()
            project = env["project.project"].browse(self.ids["project"])
            project.billing_period_ids.unlink()
            project.unlink()
            env["product.product"].browse(self.ids["product"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupQueuedOnce(CommittedInvoiceCase):
    """The same selection queued twice is compiled once, also by two
    concurrent requests (two cursors, as account's test_sequence_mixin)."""

    def _queue(self, env):
        return env["progress.billing.backup"]._queue(env["progress.billing.sub.invoice"].browse(self.ids["invoice"]))

    def test_two_concurrent_requests_queue_one_backup(self):
        first, second = self.envs
        second.cr.execute("SELECT 1")  # its transaction starts before the first commits
        queued = self._queue(first)
        first.cr.commit()
        with self.assertRaises(ConcurrencyError), mute_logger("odoo.sql_db"):
            self._queue(second)
        second.cr.rollback()  # what Odoo's retrying does before running the request again
        self.assertEqual(self._queue(second).id, queued.id)
        self.assertEqual(second["progress.billing.backup"].search_count([("selection_key", "=", queued.selection_key)]), 1)
