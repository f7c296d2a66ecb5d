# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import hashlib
import logging
import os
import tempfile
from contextlib import contextmanager
from datetime import timedelta

from markupsafe import Markup
from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, file_open
from odoo.tools.image import IMAGE_MAX_RESOLUTION

from ..report import backup_pdf

_logger = logging.getLogger(__name__)

SUB_INVOICE_REPORT = "progress_billing.action_report_sub_invoice"
# attempts at one batch before its backup fails; an attempt is committed before its work, so a killed worker counts
MAX_BATCH_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=5)


class ProgressBillingBackup(models.Model):
    """A compiled progress billing backup (readme/USAGE.md, "Pay application PDFs and compiled backups"): ONE PDF
    holding, for each selected subcontractor invoice in the
    order project, commitment, billing period, number, its pay application
    followed by its PDF and image attachments, after a cover page indexing
    them. The record keeps the PDF as its attachment, so that the user finds
    it again; large selections are compiled in the background by a scheduled
    action, batch by batch.

    Other features compile through ``_compile(invoices)``, which returns the
    ``ir.attachment`` of the PDF.

    Security (readme/CONFIGURE.md, "Backups"): users only read backups (read-only access rights);
    the compile code creates and updates them, as superuser but only the
    backups it created after checking that the requester reads every
    selected invoice. A backup holds the invoices of one company; the record
    rules let the requester, the company's Progress Billing administrators
    and users who read every one of its invoices read it, and its PDF is an
    attachment of the backup, so ir.attachment applies the same rules."""

    _name = "progress.billing.backup"
    _description = "Compiled Progress Billing Backup"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    _queued_selection_unique = models.UniqueIndex(
        "(selection_key) WHERE state = 'queued'",
        "This selection is already being compiled in the background.",
    )

    name = fields.Char("File Name", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", "Requested By", required=True, readonly=True, default=lambda self: self.env.user, index=True,
    )
    sub_invoice_ids = fields.Many2many(
        "progress.billing.sub.invoice", string="Subcontractor Invoices", readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    project_names = fields.Char("Projects", compute="_compute_project_names")
    state = fields.Selection(
        [("queued", "In Progress"), ("done", "Done"), ("failed", "Failed")],
        default="queued", required=True, readonly=True, index=True,
    )
    processed_count = fields.Integer(
        "Invoices Compiled", readonly=True, help="Invoices already compiled into parts by the scheduled action.",
    )
    part_index = fields.Json(readonly=True, copy=False, help="Parts compiled so far in the background and their index.")
    attachment_id = fields.Many2one("ir.attachment", "Compiled PDF", readonly=True, ondelete="set null", copy=False)
    page_count = fields.Integer("Pages", readonly=True)
    skipped_count = fields.Integer("Attachments Skipped", readonly=True)
    skipped_summary = fields.Text("Skipped Attachments", readonly=True)
    error = fields.Text(readonly=True)
    date_done = fields.Datetime("Compiled On", readonly=True)
    selection_key = fields.Char(
        readonly=True, copy=False, index=True,
        help="The requester, company and invoices of the selection: one selection is queued once at a time.",
    )
    attempt_count = fields.Integer(
        "Attempts", readonly=True, copy=False,
        help="Attempts of the scheduled action at the current batch; each is recorded before the batch starts.",
    )
    retry_after = fields.Datetime(
        readonly=True, copy=False, help="The current batch failed or is under way: not attempted again before then.",
    )
    all_invoices_readable = fields.Boolean(
        compute="_compute_all_invoices_readable", search="_search_all_invoices_readable",
        help="Whether you may read every invoice of this backup (who else than the requester may read it).",
    )

    @api.depends("sub_invoice_ids")
    def _compute_invoice_count(self):
        for backup in self:
            backup.invoice_count = len(backup.sub_invoice_ids)

    @api.depends("sub_invoice_ids.project_id")
    def _compute_project_names(self):
        for backup in self:
            backup.project_names = ", ".join(backup.sub_invoice_ids.project_id.sorted("name").mapped("name"))

    def _compute_all_invoices_readable(self):
        """readme/CONFIGURE.md, "Backups": evaluated for the real user even when the record rules
        are (as superuser), never as superuser."""
        as_user = self.env(su=False)
        for backup in self:
            invoices = backup.sudo().sub_invoice_ids.with_env(as_user)
            backup.all_invoices_readable = invoices._filtered_access("read") == invoices

    def _search_all_invoices_readable(self, operator, value):
        """Backups none of whose invoices is outside what the real user reads:
        the invoices' own access rights and record rules, applied in SQL."""
        if operator not in ("in", "not in"):
            return NotImplemented
        as_user = self.env(su=False)
        Invoice = as_user["progress.billing.sub.invoice"]
        if not Invoice.has_access("read"):
            readable = Domain.FALSE
        else:
            readable = Domain("sub_invoice_ids", "not any", ~as_user["ir.rule"]._compute_domain(Invoice._name, "read"))
        return readable if (True in value) == (operator == "in") else ~readable

    # selection

    @api.model
    def _check_compilable(self, invoices):
        """Nothing is compiled when the selection is empty or when any invoice
        has no billing period or its billing period no longer exists: one
        message lists every such invoice (readme/USAGE.md, "Pay application PDFs and compiled backups")."""
        if not invoices:
            raise UserError(self.env._("Select at least one subcontractor invoice to compile a backup."))
        invoices = invoices.with_env(self.env)
        invoices.check_access("read")
        if len(invoices.company_id) > 1:
            raise UserError(
                self.env._(
                    "A backup holds the invoices of one company, and this selection mixes %(companies)s: "
                    "compile one backup for each company.",
                    companies=", ".join(invoices.company_id.sorted("name").mapped("name")),
                )
            )
        existing_periods = invoices.sudo().period_id.exists()
        without_period = invoices.filtered(lambda invoice: invoice.sudo().period_id not in existing_periods)
        if without_period:
            raise UserError(
                self.env._(
                    "Nothing was compiled: a backup needs the "
                    "billing period of each invoice, and these invoices have none:"
                )
                + "\n"
                + "\n".join(
                    f"- {invoice.display_name} ({invoice.purchase_order_id.display_name}, "
                    f"{invoice.partner_id.display_name})"
                    for invoice in without_period
                )
            )

    @api.model
    def _ordered(self, invoices):
        """The documented order of a backup: project, commitment, billing
        period (by start date), invoice number."""
        return invoices.sorted(lambda invoice: (
            invoice.project_id.name or "", invoice.project_id.id,
            invoice.purchase_order_id.name or "", invoice.purchase_order_id.id,
            invoice.period_id.date_start, invoice.name or "", invoice.id,
        ))

    @api.model
    def _file_name(self, invoices):
        """Procore's name: "Subcontractor invoice backup - <project name> -
        <project number> - <date> - <time>.pdf"; the project number is the
        reference of the project's analytic account, left out when empty."""
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        projects = invoices.project_id
        if len(projects) == 1:
            project = " - ".join(filter(None, [projects.name, projects.account_id.code]))
        else:
            project = self.env._("%(count)s projects", count=len(projects))
        name = self.env._(
            "Subcontractor invoice backup - %(project)s - %(date)s - %(time)s",
            project=project,
            date=now.strftime("%Y-%m-%d"),
            time=now.strftime("%H-%M-%S"),
        )
        return name.replace("/", "-") + ".pdf"

    @api.model
    def _selection_key(self, invoices):
        ids = ",".join(str(invoice_id) for invoice_id in sorted(invoices.ids))
        return hashlib.sha256(f"{self.env.uid}:{invoices.company_id.id}:{ids}".encode()).hexdigest()

    @api.model
    def _prepare(self, invoices, selection_key=False):
        """A new backup of ``invoices``, not compiled yet, requested by the
        current user. Users cannot create backups (readme/CONFIGURE.md, "Backups"): this code
        does, as superuser, once the user was checked to read every invoice."""
        self._check_compilable(invoices)
        backup = self.sudo().create({
            "name": self._file_name(invoices),
            "company_id": invoices.company_id.id,
            "user_id": self.env.uid,
            "sub_invoice_ids": [fields.Command.set(invoices.ids)],
            "selection_key": selection_key,
        })
        return backup.with_env(self.env)

    def _record(self, values):
        """Write ``values`` on backups this code created (users only read them)."""
        self.sudo().write(values)

    # compiling

    @api.model
    def _compile(self, invoices):
        """Compile the backup of ``invoices`` now and return the attachment of
        its PDF (kept on a new backup record). The entry point for other
        features, e.g. attaching a compiled backup to an owner invoice."""
        backup = self._prepare(invoices)
        with backup._pdf_file() as (out, builder):
            backup._add_invoices(builder, backup._ordered(backup.sub_invoice_ids))
            backup._finish(out, builder)
        return backup.attachment_id

    @api.model
    def _queue(self, invoices):
        """A backup compiled later by the scheduled action, batch by batch.
        readme/CONFIGURE.md, "Backups": the same selection queued twice (a double-click) is
        compiled once: the backup already queued for it by the same user is
        returned. A unique index keeps two concurrent requests from both
        queuing it; the one that loses is retried by Odoo (ConcurrencyError)
        and then finds the other's backup."""
        selection_key = self._selection_key(invoices)
        queued = self.search([("selection_key", "=", selection_key), ("state", "=", "queued")], limit=1)
        if queued:
            return queued
        try:
            with self.env.cr.savepoint():
                backup = self._prepare(invoices, selection_key)
                backup.flush_recordset()
        except UniqueViolation as error:
            raise ConcurrencyError(self.env._("This selection is already being queued by another request.")) from error
        self._trigger_compile()
        return backup

    @contextmanager
    def _pdf_file(self, attachment_pages=0):
        """A temporary file and a builder writing the PDF into it: the PDF
        never has to fit in memory before it is stored. Attachments are
        copied within the budget (readme/CONFIGURE.md, "Backups"), Odoo's own pixel limit for
        images."""
        budget = backup_pdf.Budget(image_pixels=int(IMAGE_MAX_RESOLUTION))
        with tempfile.TemporaryFile() as out:
            yield out, backup_pdf.BackupBuilder(out, budget, attachment_pages)

    def _add_invoices(self, builder, invoices):
        """Each invoice's pay application then its attachments
        (readme/USAGE.md, "Pay application PDFs and compiled backups"):
        while wkhtmltopdf renders the pay applications of a batch (in its own
        process, on the other core), the batch's attachments are copied
        after the places reserved for them, then those of as many invoices
        after it, so that Odoo does not wait for wkhtmltopdf while it has
        work left; then the batch's pay applications are copied in, before
        the next batch is started (two wkhtmltopdf processes at most)."""
        attachments = self._attachments_by_invoice(invoices)
        reasons = self._skip_reasons()
        places, rendered = {}, 0
        for batch in self.env["ir.actions.report"]._render_pay_applications(SUB_INVOICE_REPORT, invoices):
            rendered += len(batch.records)
            for invoice in invoices[len(places):rendered + len(batch.records)]:
                places[invoice] = builder.reserve_pdf(
                    self._invoice_title(invoice), invoice._pay_application_page_count()
                )
                self._add_attachments(builder, attachments.get(invoice.id, []), reasons)
            for pdf, ranges in batch.documents():
                with backup_pdf.open_source(pdf) as report:
                    for invoice, first_page, page_count in ranges:
                        builder.fill(places[invoice], report, range(first_page, first_page + page_count))

    def _attachments_by_invoice(self, invoices):
        attachments = {}
        for attachment in self.env["ir.attachment"].search(
            [("res_model", "=", invoices._name), ("res_id", "in", invoices.ids)], order="id",
        ):
            attachments.setdefault(attachment.res_id, []).append(attachment)
        return attachments

    def _add_attachments(self, builder, attachments, reasons):
        """In upload order; an attachment with a signed version (see
        backup_pdf.signed_base_name) is listed, not included."""
        replaced_by = backup_pdf.prefer_signed_versions([attachment.name for attachment in attachments])
        for position, attachment in enumerate(attachments):
            if position in replaced_by:
                signed = attachments[replaced_by[position]]
                builder.add_skipped(attachment.name, self.env._("replaced by its signed version %s", signed.name))
            else:
                builder.add_attachment(attachment.name, self._attachment_content(attachment), reasons)

    def _attachment_content(self, attachment):
        """The path of the attachment's file in the filestore, read lazily
        while its pages are copied, or its bytes when it is kept in the database."""
        stored = attachment.sudo().store_fname
        path = stored and attachment._full_path(stored)
        return path if path and os.path.isfile(path) else attachment.raw or b""

    def _skip_reasons(self):
        return {
            "unsupported": self.env._("not a PDF, PNG or JPEG file"),
            "damaged": self.env._("damaged or unreadable"),
            "encrypted": self.env._("protected by a password"),
            "empty": self.env._("has no pages"),
            "image_too_large": self.env._(
                "an image of {width} × {height} pixels, above the limit of {limit} megapixels"
            ),
            "too_many_pages": self.env._("more than {limit} pages"),
            "bomb": self.env._("a part of it decompresses to more than {limit} MB"),
            "page_budget": self.env._("the backup already holds its limit of {limit} pages of attachments"),
        }

    def _invoice_title(self, invoice):
        return " · ".join(filter(None, [
            invoice.name, invoice.purchase_order_id.name, invoice.partner_id.name, invoice.period_id.display_name,
        ]))

    def _cover_text(self):
        invoices = self.sub_invoice_ids
        projects = invoices.project_id.sorted("name")
        return backup_pdf.CoverText(
            title=self.env._("Subcontractor Invoice Backup"),
            details=[
                self.env._(
                    "Project: %s",
                    ", ".join(
                        " ".join(
                            filter(None, [project.name, project.account_id.code and f"({project.account_id.code})"])
                        )
                        for project in projects
                    ),
                ),
                self.env._("Company: %s", self.company_id.name),
                self.env._(
                    "%(count)s subcontractor invoices, ordered by project, commitment, billing period and number.",
                    count=len(invoices),
                ),
            ],
            skipped_summary=self.env._("{count} attachment(s) could not be included; the index below says why."),
            document=self.env._("Document"),
            pages=self.env._("Pages"),
            page=self.env._("Page"),
            not_included=self.env._("Not included: {reason}"),
            cover_page=self.env._("Index, page {page} of {count}"),
        )

    def _finish(self, out, builder):
        """Prepend the cover, write the outline and store the PDF on the backup."""
        page_count = builder.close(self._cover_text())
        skipped = [entry for entry in builder.entries if not entry.included]
        attachment = self._attach_pdf(self.name, out)
        self._record({
            "state": "done",
            "attachment_id": attachment.id,
            "page_count": page_count,
            "skipped_count": len(skipped),
            "skipped_summary": "\n".join(f"{entry.title}: {entry.note}" for entry in skipped) or False,
            "date_done": fields.Datetime.now(),
            "part_index": False,
            "error": False,
            "attempt_count": 0,
            "retry_after": False,
        })

    def _attach_pdf(self, name, out):
        """Attach the PDF written in the file ``out`` to the backup. The file
        is streamed into the filestore, never read into memory whatever its
        size (readme/CONFIGURE.md, "Deployment: workers and several servers").
        Created as superuser on the backup (which users cannot write), so
        that reading it takes read access to the backup.

        It comes with its thumbnail, Odoo's PDF icon: the chatter asks the
        browser to draw the thumbnail of a PDF that has none and to store it
        on the attachment, which needs write access to the backup, so every
        user opening the backup got an error instead."""
        out.flush()
        with file_open("web/static/img/mimetypes/pdf.svg", "rb") as icon:
            thumbnail = base64.b64encode(icon.read())
        return self.env["ir.attachment"].sudo()._create_from_file({
            "name": name,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
            "thumbnail": thumbnail,
        }, out).with_env(self.env)

    def _download_url(self):
        return f"/web/content/{self.attachment_id.id}?download=true"

    # background compiling

    @api.model
    def _background_threshold(self):
        """Selections above this many invoices are compiled in the background."""
        return int(self.env["ir.config_parameter"].sudo().get_param("progress_billing.backup_background_threshold", 25))

    @api.model
    def _batch_size(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("progress_billing.backup_batch_size", 10))

    @api.model
    def _cron_compile_queued(self):
        """Scheduled action: compile queued backups one batch of invoices at a
        time, committing after each batch, as their requesters (access rights
        and language); the requester is notified when a backup is done or failed.

        readme/CONFIGURE.md, "Backups": each attempt at a batch is counted on the backup and
        committed, with a retry of this action, before the batch starts, so
        that a worker killed in the middle (memory, time limit) still counts
        it. A batch that fails is retried at a later run, MAX_BATCH_ATTEMPTS
        times in all, RETRY_DELAY apart, then its backup fails with the
        reason; meanwhile the next backups are compiled (those with fewer
        failed attempts first).

        readme/CONFIGURE.md, "Deployment: workers and several servers": several cron workers, on one server or several
        sharing the database and the filestore, run this action at once (one scheduled
        action per worker, see _trigger_compile): each batch is claimed with a
        row lock (_claim_batch, _lock_claimed), so that a batch is compiled
        by one worker only and two backups progress in parallel."""
        cron = self.env["ir.cron"]
        queued = self.search([("state", "=", "queued")])
        cron._commit_progress(remaining=sum(backup.invoice_count - backup.processed_count + 1 for backup in queued))
        while backup := self._claim_batch():
            user = backup.user_id
            as_requester = backup.with_user(user).with_context(
                lang=user.lang, allowed_company_ids=((backup.company_id & user.company_ids) | user.company_ids).ids,
            )
            processed = 1
            if as_requester._start_attempt():
                attempt = backup.attempt_count
                cron._commit_progress()
                if backup._lock_claimed(attempt):
                    processed = as_requester._compile_next_batch()
            if not cron._commit_progress(processed):
                return

    @api.model
    def _claim_batch(self):
        """The queued backup whose next batch this worker compiles, locked
        until the transaction ends, or none. A backup locked by another
        worker (FOR NO KEY UPDATE SKIP LOCKED, as ir.cron claims its jobs)
        or whose batch is under way or waits for its retry (retry_after) is
        skipped; those with fewer failed attempts first. The claim lasts
        past the commit of the attempt through retry_after, and through the
        batch by _lock_claimed."""
        self.flush_model(["state", "retry_after", "attempt_count"])
        for _attempt in range(3):
            try:
                self.env.cr.execute(SQL(
                    """SELECT id FROM progress_billing_backup
                        WHERE state = 'queued' AND (retry_after IS NULL OR retry_after <= %s)
                        ORDER BY attempt_count, id
                        LIMIT 1
                          FOR NO KEY UPDATE SKIP LOCKED""",
                    fields.Datetime.now(),
                ), log_exceptions=False)
                return self.browse(self.env.cr.fetchone() or [])
            except SerializationFailure:
                # another worker claimed it after this transaction began: a new
                # transaction sees that claim
                self.env.cr.rollback()
        return self.browse()

    def _lock_claimed(self, attempt):
        """Lock the claimed backup again for the transaction of its batch,
        unless another worker claimed it since this worker committed its
        ``attempt`` (the attempt count it recorded; this batch outlived
        RETRY_DELAY): whether this worker compiles the batch. Held until the
        batch commits, the lock keeps any other worker from claiming it."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL(
                    """SELECT id FROM progress_billing_backup
                        WHERE id = %s AND state = 'queued' AND attempt_count = %s
                          FOR NO KEY UPDATE SKIP LOCKED""",
                    self.id, attempt,
                ), log_exceptions=False)
                return bool(self.env.cr.fetchone())
        except SerializationFailure:
            return False

    @api.model
    def _trigger_compile(self, at=None):
        """Run, now or ``at``, the scheduled actions compiling queued backups:
        one per cron worker meant to compile at the same time (Odoo runs a
        scheduled action in one worker at a time; an administrator adds one
        by duplicating *Progress Billing: compile queued backups*)."""
        for cron in self.env["ir.cron"].sudo().search([
            ("model_id.model", "=", self._name), ("code", "ilike", "_cron_compile_queued"),
        ]):
            cron._trigger(at)

    def _start_attempt(self):
        """Count an attempt at the next batch and schedule a run to retry it
        should this one never end; or, past MAX_BATCH_ATTEMPTS, fail the
        backup with the last error. Returns whether to attempt the batch."""
        if self.attempt_count >= MAX_BATCH_ATTEMPTS:
            self._fail(
                self.env._(
                    "Compiling stopped %(count)s times at the same invoices (%(reason)s).",
                    count=self.attempt_count,
                    reason=self.error
                    or self.env._("the background worker was stopped, e.g. by its memory or time limit"),
                )
            )
            return False
        retry_after = fields.Datetime.now() + RETRY_DELAY
        self._record({"attempt_count": self.attempt_count + 1, "retry_after": retry_after})
        self._trigger_compile(retry_after)
        return True

    def _compile_next_batch(self):
        """Compile the next batch of invoices into a part, or, when every
        invoice is in a part, assemble the parts into the backup. Returns the
        work done (invoices, or 1 for the assembly). A refusal (UserError)
        fails the backup at once and tells the requester why; another error
        is kept as the reason and the batch is retried (_start_attempt)."""
        self.ensure_one()
        invoices = self._ordered(self.sub_invoice_ids)
        batch = invoices[self.processed_count:self.processed_count + self._batch_size()]
        # with several cron workers, the log line (and its process id) tells which worker compiles which batch
        if batch:
            _logger.info("Backup %s: compiling invoices %s-%s of %s (attempt %s)", self.id, self.processed_count + 1,
                         self.processed_count + len(batch), len(invoices), self.attempt_count)
        else:
            _logger.info("Backup %s: assembling %s parts", self.id, len(self.part_index or []))
        try:
            with self.env.cr.savepoint():
                if not self.processed_count:
                    self._check_compilable(invoices)
                if batch:
                    self._compile_part(batch)
                else:
                    self._assemble_parts()
                    self._notify_done()
        except UserError as error:
            _logger.info("Compiling backup %s refused", self.id, exc_info=True)
            self._fail(error)
        except Exception as error:  # noqa: BLE001 - whatever went wrong, the requester must learn it
            _logger.warning("Compiling backup %s failed, attempt %s", self.id, self.attempt_count, exc_info=True)
            self._record({"error": str(error) or type(error).__name__})
        return len(batch) or 1

    def _compile_part(self, invoices):
        attachment_pages = sum(
            entry["page_count"] for part in self.part_index or [] for entry in part["entries"] if entry["level"]
        )
        with self._pdf_file(attachment_pages) as (out, builder):
            self._add_invoices(builder, invoices)
            builder.close()
            part = self._attach_pdf(
                self.env._("%(name)s (part %(number)s)", name=self.name, number=len(self.part_index or []) + 1), out,
            )
        self._record({
            "attempt_count": 0,
            "retry_after": False,
            "error": False,
            "processed_count": self.processed_count + len(invoices),
            "part_index": [
                *(self.part_index or []),
                {"attachment_id": part.id, "entries": [entry.to_dict() for entry in builder.entries]},
            ],
        })

    def _own_parts(self):
        """The parts listed in ``part_index``, each checked to be an
        attachment of this very backup (readme/CONFIGURE.md, "Backups": the background job reads
        and deletes nothing else, whatever the index says)."""
        ids = [part["attachment_id"] for part in self.part_index or []]
        parts = self.env["ir.attachment"].sudo().search(
            [("id", "in", ids), ("res_model", "=", self._name), ("res_id", "=", self.id)],
        )
        if len(parts) != len(set(ids)) or len(ids) != len(set(ids)):
            raise UserError(self.env._("The parts compiled so far are missing; compile the backup again."))
        return parts.browse(ids)

    def _assemble_parts(self):
        parts = self._own_parts()
        with self._pdf_file() as (out, builder):
            for part, index in zip(parts, self.part_index or [], strict=True):
                builder.add_part(self._attachment_content(part), index["entries"])
            self._finish(out, builder)
        parts.unlink()

    def _notify_done(self):
        self.sudo().message_post(
            body=Markup("%s <a href='%s'>%s</a>") % (
                self.env._("The backup of %(count)s subcontractor invoices is compiled.", count=self.invoice_count),
                self._download_url(), self.name,
            ),
            attachment_ids=self.attachment_id.ids,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": "success",
                "title": self.env._("Progress billing backup compiled"),
                "message": self.env._(
                    "%(name)s is ready: find it in Progress Billing Backups or in your inbox.", name=self.name
                ),
                "sticky": True,
            },
        )

    def _fail(self, error):
        """Fail the backup with ``error`` (an exception or the reason in
        words), delete its parts and tell the requester."""
        reason = error.args[0] if isinstance(error, UserError) and error.args else str(error)
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("id", "!=", self.attachment_id.id)],
        ).unlink()
        self._record({"state": "failed", "error": reason, "part_index": False})
        self.sudo().message_post(
            body=self.env._(
                "Compiling the backup of %(count)s subcontractor invoices failed: %(reason)s",
                count=self.invoice_count,
                reason=reason,
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self.user_id._bus_send("simple_notification", {
            "type": "danger",
            "title": self.env._("Progress billing backup failed"),
            "message": reason,
            "sticky": True,
        })

    # actions

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("%(name)s is not compiled yet.", name=self.name))
        return {"type": "ir.actions.act_url", "url": self._download_url(), "target": "download"}
