# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.shared_json_field import SharedJson
from ..tools.sql_rows import rows_table


class ProgressBillingOwnerInvoiceAutocomplete(models.TransientModel):
    """Asks whether to auto-complete an owner invoice (readme/USAGE.md, "Auto-completing owner invoices": Cancel, No
    Thanks, Yes), then previews per line the current and new amounts and the
    sources behind them; nothing is written before the user applies."""

    _name = "progress.billing.owner.invoice.autocomplete"
    _description = "Auto-Complete Owner Invoice"

    invoice_id = fields.Many2one("progress.billing.owner.invoice", "Owner Invoice", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    period_id = fields.Many2one(related="invoice_id.period_id")
    step = fields.Selection([("prompt", "Question"), ("preview", "Preview")], default="prompt", required=True)
    preview_lines = SharedJson(
        "Changes",
        help="One dict per owner invoice line auto-completion would change (_build_preview): the line, its amounts "
        "now and after, its sources, what changed and whether to apply it.",
    )
    unmatched_ids = fields.One2many(
        "progress.billing.owner.invoice.autocomplete.unmatched", "wizard_id", string="Unmatched Sources"
    )
    ambiguity_warning = fields.Text(readonly=True)
    line_fingerprints = SharedJson(
        readonly=True, help="{owner line id: its fingerprint} when the preview was built (_autocomplete_fingerprints).",
    )
    earlier_ids = fields.One2many(
        "progress.billing.owner.invoice.autocomplete.earlier", "wizard_id",
        string="Approved Costs of Earlier Periods Not Yet Billed",
    )
    left_behind_count = fields.Integer(compute="_compute_left_behind")
    left_behind_amount = fields.Monetary("Left Behind", compute="_compute_left_behind")
    attach_backup = fields.Boolean(
        "Attach Compiled Backup",
        help="Attach to the owner invoice one PDF of the copied "
        "subcontractor invoices' pay applications and attachments.",
    )
    manual_line_count = fields.Integer(compute="_compute_totals")
    current_work_total = fields.Monetary("Work Completed This Period, Now", compute="_compute_totals")
    new_work_total = fields.Monetary("Work Completed This Period, After", compute="_compute_totals")
    current_materials_total = fields.Monetary("Materials Presently Stored, Now", compute="_compute_totals")
    new_materials_total = fields.Monetary("Materials Presently Stored, After", compute="_compute_totals")

    @api.depends("preview_lines")
    def _compute_totals(self):
        """Invoice totals of E and F now and once the ticked lines are applied."""
        for wizard in self:
            invoice_lines = wizard.invoice_id.line_ids
            previewed = wizard._previewed_lines()
            applied = {line: previewed[line.id] for line in invoice_lines if previewed.get(line.id, {}).get("apply")}
            wizard.manual_line_count = sum(1 for row in applied.values() if row.get("is_manual"))
            wizard.current_work_total = sum(invoice_lines.mapped("work_this_period"))
            wizard.current_materials_total = sum(invoice_lines.mapped("materials_stored"))
            wizard.new_work_total = sum(
                applied[line]["new_work"] if line in applied else line.work_this_period for line in invoice_lines
            )
            wizard.new_materials_total = sum(
                applied[line]["new_materials"] if line in applied else line.materials_stored
                for line in invoice_lines
            )

    def _previewed_lines(self):
        """{owner line id: its row of ``preview_lines``}, the rows that are
        well formed only: ``preview_lines`` comes back from the browser, and a
        row whose line, amounts or tick are not what ``_build_preview`` wrote
        counts as a line the preview did not show, which refuses Apply
        (readme/CONFIGURE.md, "Auto-completion")."""
        self.ensure_one()
        rows = self.preview_lines
        if not isinstance(rows, list):
            return {}
        return {
            row["owner_line_id"]: row
            for row in rows
            if isinstance(row, dict)
            and isinstance(row.get("owner_line_id"), int)
            and all(
                isinstance(row.get(name), (int, float)) and not isinstance(row.get(name), bool)
                for name in ("new_work", "new_materials")
            )
            and isinstance(row.get("apply"), bool)
        }

    @api.depends("earlier_ids.include", "earlier_ids.amount")
    def _compute_left_behind(self):
        """The approved costs of earlier periods the preview lists that this invoice would still leave unbilled."""
        for wizard in self:
            left_behind = wizard.earlier_ids.filtered(lambda cost: not cost.include)
            wizard.left_behind_count = len(left_behind)
            wizard.left_behind_amount = sum(left_behind.mapped("amount"))

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Auto-Complete %(invoice)s", invoice=self.invoice_id.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"dialog_size": "extra-large" if self.step == "preview" else "medium"},
        }

    def action_yes(self):
        """Yes: compute what would change and show it; nothing is written yet."""
        self._build_preview()
        return self._action_open()

    def action_no_thanks(self):
        """No Thanks: the invoice stays as entered."""
        self.invoice_id.action_autocomplete_decline()
        return {"type": "ir.actions.act_window_close"}

    def action_include_all(self):
        """Include every approved cost of an earlier period not yet billed, and show the preview that follows."""
        self.earlier_ids.include = True
        self._build_preview()
        return self._action_open()

    def _included(self):
        """Refs of the approved costs of earlier periods the user included."""
        return [cost._source_ref() for cost in self.earlier_ids if cost.include]

    def action_apply(self):
        """Write the ticked lines, provided nothing changed since the preview:
        checked and written under the invoice's lock, so that no other
        auto-completion or edit slips in between."""
        self.ensure_one()
        invoice = self.invoice_id
        invoice._lock_for_autocompletion()
        included = self._included()
        proposal = invoice._autocomplete_proposal(invoice._autocomplete_allocation(included))
        previewed = self._previewed_lines()
        ticked = invoice.line_ids.filtered(lambda line: previewed.get(line.id, {}).get("apply"))
        self._check_still_current(proposal, previewed, ticked)
        # by id: a recordset's membership test scans it, and there are hundreds of lines
        ticked_ids = set(ticked.ids)
        applied = [row for row in proposal if row["line"].id in ticked_ids]
        invoice._autocomplete_apply(applied)
        self._log_included(applied, included)
        if self.attach_backup:
            invoice._attach_subcontractor_backup()
        return {"type": "ir.actions.act_window_close"}

    def _log_included(self, applied, included):
        """Say in the chatter which approved costs of earlier periods this invoice now bills."""
        included = set(included)
        names = [source.name for row in applied for source in row["sources"] if source.ref in included]
        if names:
            self.invoice_id._message_log(body=self.env._(
                "Approved costs of earlier periods not yet billed to the owner, included in this invoice: %(costs)s.",
                costs=", ".join(names),
            ))

    def _build_preview(self):
        """Compute what would change, with the approved costs of earlier
        periods the user included, keeping the lines the user unticked."""
        self.ensure_one()
        invoice = self.invoice_id
        included = set(self._included())
        unticked = {line_id for line_id, row in self._previewed_lines().items() if not row["apply"]}
        allocation = invoice._autocomplete_allocation(included)
        left_behind = self.env["progress.billing.owner.invoice.source"]._left_behind_sources(invoice)
        proposal = invoice._autocomplete_proposal(allocation)
        owner_lines = invoice.line_ids.browse(row["line"].id for row in proposal)
        manual = set(owner_lines._with_manual_amounts().ids)
        stale = set(owner_lines.filtered("autocomplete_stale").ids)
        self.write(
            {
                "step": "preview",
                "line_fingerprints": {
                    str(line_id): fingerprint
                    for line_id, fingerprint in owner_lines._autocomplete_fingerprints().items()
                },
                "ambiguity_warning": "\n".join(invoice._autocomplete_ambiguity_warnings(allocation)) or False,
                # one json value rather than a record per line: inserting those took a fifth of the preview of a
                # large project (readme/USAGE.md, "Auto-completing owner invoices")
                "preview_lines": [
                    {
                        "owner_line_id": row["line"].id,
                        "name": row["line"].name,
                        "current_work": row["line"].work_this_period,
                        "new_work": row["work_this_period"],
                        "current_materials": row["line"].materials_stored,
                        "new_materials": row["materials_stored"],
                        "is_manual": row["line"].id in manual,
                        "is_stale": row["line"].id in stale,
                        "source_names": "\n".join(source.name for source in row["sources"]),
                        "changes": "\n".join(row["changes"]),
                        "apply": row["line"].id not in unticked,
                    }
                    for row in proposal
                ],
            }
        )
        self._replace_rows("unmatched_ids", [
            {
                "name": source.key.name,
                "cost_code_id": source.cost_code_id,
                "cost_type_id": source.cost_type_id,
                "work_this_period": source.work,
                "materials_stored": source.materials,
                "reason": reason,
            }
            for source, reason in invoice._autocomplete_unmatched(allocation)
        ])
        self._replace_rows("earlier_ids", [
            {
                "source_kind": source.link_field,
                "source_line_id": source.id,
                "name": source.name,
                "period_id": source.source_period_id,
                "date_received": source.source_date_received,
                "cost_code_id": source.source_cost_code_id,
                "cost_type_id": source.source_cost_type_id,
                "work_this_period": source.work_this_period,
                "materials_stored": source.materials_stored,
                "amount": source.work_this_period + source.materials_stored,
                "include": source.ref in included,
            }
            for source in sorted(left_behind, key=lambda source: source.name)
        ])

    def _replace_rows(self, field_name, vals_list):
        """Replace the preview rows of the one2many ``field_name`` by one row
        per dict of ``vals_list`` (every column given, amounts already rounded
        to the currency), in one INSERT (readme/USAGE.md, "Auto-completing owner invoices"): the preview of a large
        project may list hundreds of sources or costs, and the ORM's create
        converts each amount through a new record of its currency, which took
        most of the preview's time. Rows of a wizard the user just opened:
        no defaults, constraints nor stored computations to honour."""
        self.ensure_one()
        self[field_name].unlink()
        Rows = self.env[self._fields[field_name].comodel_name]
        Rows.check_access("create")
        if vals_list:
            row_fields = [Rows._fields[name] for name in vals_list[0]]
            now = self.env.cr.now()
            self.env.cr.execute(SQL(
                """INSERT INTO %(table)s (%(inverse)s, create_uid, create_date, write_uid, write_date, %(columns)s)
                   SELECT %(wizard)s, %(uid)s, %(now)s, %(uid)s, %(now)s, %(columns)s
                     FROM %(preview)s""",
                table=SQL.identifier(Rows._table), inverse=SQL.identifier(self._fields[field_name].inverse_name),
                columns=SQL(", ").join(SQL.identifier(field.name) for field in row_fields),
                wizard=self.id, uid=self.env.uid, now=now,
                preview=rows_table(
                    "preview", [(field.name, field.column_type[0]) for field in row_fields],
                    [
                        tuple(field.convert_to_column(vals[field.name], Rows) for field in row_fields)
                        for vals in vals_list
                    ],
                ),
            ))
        self.invalidate_recordset([field_name])
        self.modified([field_name])

    def _check_still_current(self, proposal, previewed, ticked):
        """readme/CONFIGURE.md, "Auto-completion": Apply writes exactly what the preview showed, or
        nothing. Refused, naming the lines, when auto-completion would now
        change other lines or other amounts than previewed (a source
        changed), or when a ticked line's amounts or source links changed
        since the preview (typed by hand, another auto-completion).
        ``previewed``: ``_previewed_lines``."""
        # by line id, without a record call per amount: hundreds of lines
        is_zero = self.invoice_id._amount_is_zero()
        current = {row["line"].id: (row["work_this_period"], row["materials_stored"]) for row in proposal}
        ticked_ids = set(ticked.ids)
        fingerprints = ticked._autocomplete_fingerprints()
        previewed_fingerprints = self.line_fingerprints or {}
        changed = [
            line
            for line in self.invoice_id.line_ids
            if (line.id in previewed) != (line.id in current)
            or (
                line.id in current
                and not all(
                    is_zero(amount - previewed[line.id][name])
                    for amount, name in zip(current[line.id], ("new_work", "new_materials"), strict=True)
                )
            )
            or (line.id in ticked_ids and fingerprints.get(line.id) != previewed_fingerprints.get(str(line.id)))
        ]
        if changed:
            raise UserError(self.env._(
                "The sources or amounts of %(invoice)s changed while you were reviewing them, on lines %(lines)s: "
                "nothing was written. Auto-complete again to see the new amounts.",
                invoice=self.invoice_id.display_name, lines=", ".join(f"“{line.name}”" for line in changed),
            ))
