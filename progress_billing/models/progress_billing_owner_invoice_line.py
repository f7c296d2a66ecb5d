# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.company_sql import active_companies_condition, write_per_record
from .progress_billing_owner_invoice_source import SNAPSHOT_FIELDS


class ProgressBillingOwnerInvoiceLine(models.Model):
    """An owner invoice line: one Schedule of Values line (division or cost
    code) or one separately billed prime contract change order line."""

    _name = "progress.billing.owner.invoice.line"
    _inherit = ["progress.billing.billable.line.mixin"]
    _description = "Owner Invoice Line"
    _source_fields = ("sale_line_id", "change_order_line_id")

    invoice_id = fields.Many2one("progress.billing.owner.invoice", required=True)
    sale_line_id = fields.Many2one("sale.order.line", "Schedule of Values Line", index=True, ondelete="restrict")
    change_order_line_id = fields.Many2one("progress.billing.change.order.line", index=True, ondelete="restrict")
    division_id = fields.Many2one("progress.billing.division", index=True, ondelete="restrict")
    autocomplete_source_ids = fields.One2many(
        "progress.billing.owner.invoice.source", "owner_line_id", string="Auto-Completed From"
    )
    autocomplete_stale = fields.Boolean(
        "Source Changed",
        compute="_compute_autocomplete_stale",
        store=True,
        help="A subcontractor invoice or direct cost copied onto this "
        "line was revised since: auto-complete again to see what changed.",
    )

    @api.depends("autocomplete_source_ids.is_stale")
    def _compute_autocomplete_stale(self):
        """In one query for all the lines (readme/USAGE.md, "Auto-completing owner invoices"): auto-completion
        replaces the links of hundreds of lines at once, and reading each
        line's links to find one stale took a third of it."""
        stale = {
            line.id for [line] in self.env["progress.billing.owner.invoice.source"]._read_group(
                [("owner_line_id", "in", self._origin.ids), ("is_stale", "=", True)], ["owner_line_id"],
            )
        }
        for line in self:
            line.autocomplete_stale = line._origin.id in stale

    def _write_autocompleted_amounts(self, amounts):
        """Set E and F of these lines ({line: (work, materials)}) in one
        query: auto-completion writes hundreds of lines (readme/USAGE.md, "Auto-completing owner invoices")."""
        write_per_record(self, {
            "work_this_period": [amounts[line][0] for line in self],
            "materials_stored": [amounts[line][1] for line in self],
        })
        self._validate_fields(["work_this_period", "materials_stored"])

    def _autocomplete_fingerprints(self):
        """{line id: fingerprint} of what auto-completion reads and writes on
        these lines: their amounts E and F and, for each of their source
        links, its source and snapshot. Taken when the preview is built and
        again at Apply, in one query: any change in between, by hand or by
        another auto-completion (which replaces the links), changes it. The
        line's write_date would not do: two writes in one transaction share
        it (readme/CONFIGURE.md, "Auto-completion")."""
        Link = self.env["progress.billing.owner.invoice.source"]
        self.flush_recordset(["work_this_period", "materials_stored"])
        Link.flush_model()
        link_columns = ["id", "period_id", "sub_invoice_line_id", "direct_cost_line_id", *SNAPSHOT_FIELDS]
        self.env.cr.execute(SQL(
            """SELECT line.id, md5(concat_ws('|', line.work_this_period, line.materials_stored, (
                   SELECT string_agg(concat_ws(',', %(link_columns)s), ';' ORDER BY link.id)
                     FROM %(link_table)s link WHERE link.owner_line_id = line.id)))
                 FROM %(table)s line
                WHERE line.id = ANY(%(ids)s) AND %(companies)s""",
            link_columns=SQL(", ").join(SQL.identifier("link", name) for name in link_columns),
            link_table=SQL.identifier(Link._table), table=SQL.identifier(self._table),
            ids=self.ids, companies=active_companies_condition(self.env, "line"),
        ))
        return dict(self.env.cr.fetchall())

    def _has_manual_amounts(self):
        """The line holds amounts nobody copied: typed in, or edited after
        the last auto-completion (readme/USAGE.md, "Auto-completing owner invoices": never overwritten without
        confirmation)."""
        self.ensure_one()
        return bool(self._with_manual_amounts())

    def _with_manual_amounts(self):
        """Those of these lines (of one owner invoice) that hold amounts
        nobody copied (``_has_manual_amounts``). The copied amounts of all
        the lines are summed in one query: the preview asks this of every
        line it shows, hundreds on a large Schedule of Values."""
        copied = {
            line.id: (work, materials)
            for line, work, materials in self.env["progress.billing.owner.invoice.source"]._read_group(
                [("owner_line_id", "in", self.ids)],
                ["owner_line_id"],
                ["work_this_period:sum", "materials_stored:sum"],
            )
        }
        is_zero = self.invoice_id._amount_is_zero()
        return self.filtered(lambda line: not all(
            is_zero(amount - copied_amount)
            for amount, copied_amount in zip(
                (line.work_this_period, line.materials_stored), copied.get(line.id, (0.0, 0.0)), strict=True,
            )
        ))

    def _autocomplete_changes(self, sources, line_of_source, current):
        """Source by source, what changed since this line was last
        auto-completed (readme/USAGE.md, "Auto-completing owner invoices": re-running shows exactly what changed);
        nothing for a line never auto-completed. ``sources``: the CurrentSources that
        land on this line now; ``line_of_source``: source ref -> id of the
        line it lands on now; ``current``: source ref -> CurrentSource of
        every source copied here before."""
        self.ensure_one()
        if not self.autocomplete_source_ids:
            return []
        linked = {link._source_ref(): link for link in self.autocomplete_source_ids}
        changes = []
        for source in sources:
            link = linked.get(source.ref)
            if not link:
                changes.append(self.env._("%(document)s: newly copied", document=source.name))
            else:
                changes += [f"{link.display_name}: {change}" for change in link._changes_since_copy(source)]
        lines = self.invoice_id.line_ids.grouped("id")
        landing_here = {source.ref for source in sources}
        for link in self.autocomplete_source_ids.filtered(lambda link: link._source_ref() not in landing_here):
            moved_to = line_of_source.get(link._source_ref())
            if moved_to:
                changes.append(
                    self.env._(
                        "%(document)s: now copied onto line “%(line)s”",
                        document=link.display_name,
                        line=lines[moved_to].name,
                    )
                )
            else:
                reasons = link._changes_since_copy(current.get(link._source_ref())) or [
                    self.env._("no longer meets the auto-completion rules")
                ]
                changes.append(
                    self.env._(
                        "%(document)s: no longer copied (%(reasons)s)",
                        document=link.display_name,
                        reasons="; ".join(reasons),
                    )
                )
        return changes

    def action_view_autocomplete_sources(self):
        """Drill down from the line to the source lines its amounts came from."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Auto-Completed From"),
            "res_model": "progress.billing.owner.invoice.source",
            "view_mode": "list,form",
            "domain": [("owner_line_id", "=", self.id)],
            "context": {"create": False},
        }
