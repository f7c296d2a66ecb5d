# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import http
from odoo.http import content_disposition, request
from werkzeug.exceptions import BadRequest

# the pay applications the G703 export serves
EXPORTED_MODELS = ("progress.billing.sub.invoice", "progress.billing.owner.invoice")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProgressBillingExport(http.Controller):
    @http.route("/progress_billing/g703.xlsx", type="http", auth="user", methods=["GET"], readonly=True)
    def g703_xlsx(self, model, ids):
        """Export G703 to Excel (readme/USAGE.md, "Export G703 to Excel"): the workbook of the pay
        applications ``ids``, read as the requesting user in their allowed
        companies (record rules apply: another company's application is
        refused with an access error, never read as superuser)."""
        if model not in EXPORTED_MODELS:
            raise BadRequest(request.env._("Only subcontractor and owner invoices export to G703."))
        try:
            record_ids = list(dict.fromkeys(int(record_id) for record_id in ids.split(",")))
        except ValueError as error:
            raise BadRequest(request.env._("Invalid pay application ids: %s", ids)) from error
        applications = request.env[model].browse(record_ids).exists()
        if len(applications) != len(record_ids):
            raise request.not_found()
        applications.check_access("read")
        content = applications._g703_workbook()
        if len(applications) == 1:
            name = request.env._("G703 - %s", applications.name)
        else:
            name = request.env._("G703 - %s pay applications", len(applications))
        return request.make_response(content, headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Disposition", content_disposition(name.replace("/", "-") + ".xlsx")),
        ])
