# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models


class ProgressBillingBackupWizard(models.TransientModel):
    """Compile Progress Billing Backups (readme/USAGE.md, "Pay application PDFs and compiled backups"): from the
    subcontractor invoices ticked in the list, or every invoice of a commitment or billing period;
    small selections are compiled at once and downloaded, large ones in the
    background."""

    _name = "progress.billing.backup.wizard"
    _description = "Compile Progress Billing Backups"

    sub_invoice_ids = fields.Many2many(
        "progress.billing.sub.invoice", string="Subcontractor Invoices", default=lambda self: self._default_invoices(),
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    in_background = fields.Boolean(compute="_compute_invoice_count")

    @api.model
    def _default_invoices(self):
        """The ticked invoices, or the non-void invoices of the commitments or
        billing periods the wizard was opened from."""
        records = self.env[self.env.context.get("active_model") or "progress.billing.sub.invoice"].browse(
            self.env.context.get("active_ids") or []
        )
        if records._name == "progress.billing.sub.invoice":
            return records
        if records._name in ("purchase.order", "progress.billing.period"):
            return records.sub_invoice_ids.filtered(lambda invoice: invoice.state != "void")
        return self.env["progress.billing.sub.invoice"]

    @api.depends("sub_invoice_ids")
    def _compute_invoice_count(self):
        threshold = self.env["progress.billing.backup"]._background_threshold()
        for wizard in self:
            wizard.invoice_count = len(wizard.sub_invoice_ids)
            wizard.in_background = wizard.invoice_count > threshold

    def action_compile(self):
        self.ensure_one()
        Backup = self.env["progress.billing.backup"]
        if self.in_background:
            backup = Backup._queue(self.sub_invoice_ids)
            return self._notification("info", _("Compiling in the background"), _(
                "%(count)s invoices are being compiled into %(name)s. You will be notified when it is ready.",
                count=backup.invoice_count, name=backup.name,
            ).replace("%", "%%") + " %s", [{"label": _("Follow it"), "url": f"/odoo/action-progress_billing.action_progress_billing_backup/{backup.id}"}])
        attachment = Backup._compile(self.sub_invoice_ids)
        backup = Backup.browse(attachment.res_id)
        message = _(
            "%(count)s invoices compiled into %(name)s (%(pages)s pages).",
            count=backup.invoice_count, name=backup.name, pages=backup.page_count,
        )
        if backup.skipped_count:
            message += " " + _("%(count)s attachments could not be included: the cover page lists them.",
                               count=backup.skipped_count)
        return self._notification("success", _("Compilation successful"), message.replace("%", "%%") + " %s",
                                  [{"label": _("Download"), "url": backup._download_url()}])

    def _notification(self, kind, title, message, links):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "title": title,
                "message": message,
                "links": links,
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
