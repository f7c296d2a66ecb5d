# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import http
from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import float_is_zero, float_repr
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

INVOICE_MODEL = "progress.billing.sub.invoice"
# the documents a subcontractor downloads from its invoice's page: its pay
# application, and our payment schedule once its claim is certified (readme/USAGE.md, "Claimed and certified amounts")
PORTAL_REPORTS = {
    "pay_application": "progress_billing.action_report_sub_invoice",
    "payment_schedule": "progress_billing.action_report_payment_schedule",
}
# readme/USAGE.md, "The subcontractor's side (portal)": what a subcontractor may attach to its pay application (lien
# waiver, backup, photos), told by the file's first bytes, not its name
UPLOAD_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# room for the multipart envelope around the file: a larger request is
# refused by werkzeug (413) before any of it is read
UPLOAD_REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 64 * 1024
ATTACHMENT_KINDS = ("lien_waiver", "backup", "photo")


class ProgressBillingPortal(portal.CustomerPortal):
    """The subcontractor's side of progress billing (readme/USAGE.md, "The subcontractor's side (portal)"): its
    commitments and pay applications on /my/progress-billing. Pages read the
    documents the user may read (record rules, or the access token of an
    e-mailed link) as Odoo's portal does; every change is written as the
    logged-in user, through the model's own methods and checks."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "progress_billing_count" in counters:
            Invoice = request.env[INVOICE_MODEL]
            values["progress_billing_count"] = Invoice.search_count([]) if Invoice.has_access("read") else 0
        return values

    # pages

    @http.route(
        ["/my/progress-billing", "/my/progress-billing/page/<int:page>"],
        type="http", auth="user", website=True, readonly=True,
    )
    def portal_my_progress_billing(self, page=1, **kw):
        Invoice = request.env[INVOICE_MODEL]
        if not Invoice.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        commitments = request.env["purchase.order"].search(
            [("is_commitment", "=", True), ("state", "=", "purchase")], order="date_order desc, id desc",
        )
        pager = portal_pager(
            url="/my/progress-billing", total=Invoice.search_count([]), page=page, step=self._items_per_page,
        )
        invoices = Invoice.search([], limit=self._items_per_page, offset=pager["offset"])
        request.session["my_progress_billing_history"] = invoices.ids[:100]
        values.update({
            "page_name": "progress_billing",
            "commitments": commitments,
            "commitment_figures": {commitment: self._commitment_figures(commitment) for commitment in commitments},
            "invoices": invoices,
            "pager": pager,
            "default_url": "/my/progress-billing",
        })
        return request.render("progress_billing.portal_my_progress_billing", values)

    def _commitment_figures(self, commitment):
        """Contract sum to date, billed to date and retainage held of a
        commitment, as of its latest approved pay application (what the
        contractor has certified)."""
        approved = commitment.sub_invoice_ids.filtered(lambda invoice: invoice.state in invoice._billable_states)
        latest = max(approved, key=lambda invoice: invoice._application_position(), default=approved)
        return {
            "contract_sum": commitment.revised_contract_sum,
            "billed_to_date": latest.total_completed,
            "retainage_held": latest.total_retainage,
        }

    @http.route(["/my/progress-billing/invoice/<int:invoice_id>"], type="http", auth="public", website=True)
    def portal_my_progress_billing_invoice(
        self, invoice_id, access_token=None, report_type=None, download=False, document="pay_application", **kw,
    ):
        try:
            invoice_sudo = self._document_check_access(INVOICE_MODEL, invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type == "pdf":
            if document not in self._portal_documents(invoice_sudo):
                raise NotFound()
            return self._show_report(invoice_sudo, "pdf", PORTAL_REPORTS[document], download=download)
        return self._render_invoice(invoice_sudo, access_token, **kw)

    def _render_invoice(self, invoice_sudo, access_token, entered=None, error=None, status=200, **kw):
        values = {
            # not "invoice": account's portal breadcrumbs show any ``invoice`` as a customer invoice
            "sub_invoice": invoice_sudo,
            "page_name": "progress_billing_invoice",
            "editable": self._may_edit(invoice_sudo),
            "entered": entered or {},
            "upload_max_mb": UPLOAD_MAX_BYTES // (1024 * 1024),
            "attachments": request.env["ir.attachment"].sudo().search(
                [("res_model", "=", INVOICE_MODEL), ("res_id", "=", invoice_sudo.id)], order="id",
            ),
            "report_url": invoice_sudo.get_portal_url(report_type="pdf", download=True),
            "schedule_url": "payment_schedule" in self._portal_documents(invoice_sudo) and invoice_sudo.get_portal_url(
                report_type="pdf", download=True, query_string="&document=payment_schedule",
            ),
            "attachment_kinds": self._attachment_kind_labels(),
            "amount_input": lambda amount: float_repr(amount, invoice_sudo.currency_id.decimal_places),
        }
        values = self._get_page_view_values(
            invoice_sudo, access_token, values, "my_progress_billing_history", False, **kw,
        )
        if error:
            values["error"] = error
        return request.render("progress_billing.portal_progress_billing_invoice", values, status=status)

    def _portal_documents(self, invoice_sudo):
        """The PDFs of ``invoice_sudo`` its subcontractor may download: the pay
        application always, the payment schedule once a reviewer certified
        the claim (readme/USAGE.md, "Claimed and certified amounts": it answers a certified claim only)."""
        documents = {"pay_application"}
        if invoice_sudo.state in invoice_sudo._schedule_given_states:
            documents.add("payment_schedule")
        return documents

    def _may_edit(self, invoice_sudo):
        """Whether the logged-in user may change the invoice: write access
        as that user (record rules: its own commitment's invoice, Draft or
        Revise and Resubmit) and the model's own editability. A token alone
        never grants it."""
        if request.env.user._is_public():
            return False
        invoice = invoice_sudo.with_env(request.env)
        return invoice.has_access("write") and invoice._editable_reason(False) is None

    def _invoice_for_change(self, invoice_id):
        """The invoice as the logged-in user, refused (403) unless that user
        may write it: edits never rest on a token or on superuser rights."""
        invoice = request.env[INVOICE_MODEL].browse(invoice_id)
        if not invoice.exists():
            raise NotFound()
        try:
            invoice.check_access("write")
        except AccessError as error:
            raise Forbidden() from error
        return invoice

    # changes

    @http.route(["/my/progress-billing/invoice/<int:invoice_id>/save"], type="http", auth="user", methods=["POST"], website=True)
    def portal_my_progress_billing_invoice_save(self, invoice_id, **post):
        """Save what the subcontractor entered (and submit it when asked):
        the lines are written as the user, so the model refuses what the back
        office refuses (over-billing, a locked invoice) with the same message;
        the page then comes back with the error and every value entered."""
        invoice = self._invoice_for_change(invoice_id)
        try:
            line_values = self._parse_line_values(invoice, post)
        except ValueError as error:
            return self._render_invoice(invoice.sudo(), None, entered=post, error=str(error), status=422)
        try:
            with request.env.cr.savepoint():
                if "vendor_reference" in post and post["vendor_reference"] != (invoice.vendor_reference or ""):
                    invoice.vendor_reference = post["vendor_reference"]
                for line, vals in line_values.items():
                    line.write(vals)
                if post.get("submit"):
                    invoice.action_submit()
        except (UserError, ValidationError) as error:
            return self._render_invoice(invoice.sudo(), None, entered=post, error=error.args[0], status=422)
        message = "submitted" if post.get("submit") else "saved"
        return request.redirect(f"{invoice.access_url}?message={message}")

    def _parse_line_values(self, invoice, post):
        """{line: values} of the amounts entered in the form, only those that
        changed. Work completed this period is entered as an amount
        (``work_<id>``) or as a percent complete to date (``percent_<id>``,
        used when no amount is given); unit/quantity-based lines take a
        quantity (``quantity_<id>``). Raises ValueError naming the line of a
        value that is not a number."""
        result = {}
        for line in invoice.line_ids:
            vals = {}
            for name, key in (
                ("work_this_period", f"work_{line.id}"), ("materials_stored", f"stored_{line.id}"),
                ("quantity_this_period", f"quantity_{line.id}"),
            ):
                if post.get(key, "").strip():
                    vals[name] = self._parse_number(post[key], line)
            percent = post.get(f"percent_{line.id}", "").strip()
            if percent and "work_this_period" not in vals and "quantity_this_period" not in vals:
                vals["work_this_period"] = line._work_for_percent_complete(
                    self._parse_number(percent, line), vals.get("materials_stored", line.materials_stored),
                )
            changed = {
                name: value for name, value in vals.items()
                if not float_is_zero(value - line[name], precision_digits=6)
            }
            if line.is_unit_based:
                changed.pop("work_this_period", None)
            if changed:
                result[line] = changed
        return result

    @staticmethod
    def _parse_number(text, line):
        try:
            return float(text.replace(",", "").strip())
        except ValueError:
            raise ValueError(request.env._(
                "Line “%(line)s”: “%(value)s” is not a number.", line=line.name, value=text,
            )) from None

    @http.route(
        ["/my/progress-billing/invoice/<int:invoice_id>/attachment"], type="http", auth="user", methods=["POST"],
        website=True, max_content_length=UPLOAD_REQUEST_MAX_BYTES,
    )
    def portal_my_progress_billing_invoice_attach(self, invoice_id, attachment=None, kind=None, **post):
        """Attach a lien waiver, backup or photo (PDF, PNG, JPEG, at most
        UPLOAD_MAX_BYTES) to an invoice the user may still edit. The file
        lands on the invoice like one attached in the back office, so the
        compiled backup includes it. Portal users cannot create attachments
        themselves: it is created as superuser once the user's own write
        access and the invoice's editability are checked."""
        invoice = self._invoice_for_change(invoice_id)
        if kind not in ATTACHMENT_KINDS or not hasattr(attachment, "read"):
            raise BadRequest()
        content = attachment.read(UPLOAD_MAX_BYTES + 1)
        error = None
        if len(content) > UPLOAD_MAX_BYTES:
            error = request.env._("%(file)s is larger than %(size)s MB.", file=attachment.filename, size=UPLOAD_MAX_BYTES // 2**20)
        elif not any(content.startswith(signature) for signature in UPLOAD_SIGNATURES):
            error = request.env._("%(file)s is not a PDF, PNG or JPEG file.", file=attachment.filename)
        else:
            try:
                invoice._check_editable()
            except UserError as refusal:
                error = refusal.args[0]
        if error:
            return self._render_invoice(invoice.sudo(), None, error=error, status=422)
        mimetype = next(mime for signature, mime in UPLOAD_SIGNATURES.items() if content.startswith(signature))
        request.env["ir.attachment"].sudo().create({
            "name": attachment.filename or kind,
            "raw": content,
            "mimetype": mimetype,
            "res_model": INVOICE_MODEL,
            "res_id": invoice.id,
            "description": self._attachment_kind_labels()[kind],
        })
        return request.redirect(f"{invoice.access_url}?message=attached")

    def _attachment_kind_labels(self):
        return {
            "lien_waiver": request.env._("Lien waiver"),
            "backup": request.env._("Backup"),
            "photo": request.env._("Photo"),
        }
