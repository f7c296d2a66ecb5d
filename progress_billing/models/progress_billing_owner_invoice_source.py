from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.autocomplete_allocation import SourceLine

# seed: the subcontractor invoice must have a status of Approved, Approved as Noted, or Pending Owner Approval
COPIED_SUB_INVOICE_STATES = ("approved", "approved_as_noted", "pending_owner_approval")

# what was true of a source when it was copied; any difference later makes the copy stale
SNAPSHOT_FIELDS = (
    "work_this_period",
    "materials_stored",
    "source_state",
    "source_period_id",
    "source_date_received",
    "source_cost_code_id",
    "source_cost_type_id",
)


class ProgressBillingOwnerInvoiceSource(models.Model):
    """Where an auto-completed owner invoice amount came from: one
    subcontractor invoice line or direct cost line copied onto one owner
    invoice line, with what the source said when it was copied. The copy is
    stale once the source says something else (spec: flag lines whose source
    changed since)."""

    _name = "progress.billing.owner.invoice.source"
    _description = "Auto-Completed Owner Invoice Amount"
    _order = "owner_line_id, id"

    owner_line_id = fields.Many2one(
        "progress.billing.owner.invoice.line", "Owner Invoice Line", required=True, index=True, ondelete="cascade"
    )
    # not stored: thousands of links are created at once, each stored column costs
    invoice_id = fields.Many2one(related="owner_line_id.invoice_id", string="Owner Invoice")
    company_id = fields.Many2one(related="owner_line_id.company_id")
    # computed, not related: creating links in bulk would otherwise build a throwaway
    # record per amount to find its currency
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    sub_invoice_line_id = fields.Many2one(
        "progress.billing.sub.invoice.line", "Subcontractor Invoice Line", index="btree_not_null", ondelete="set null"
    )
    sub_invoice_id = fields.Many2one(related="sub_invoice_line_id.invoice_id", string="Subcontractor Invoice")
    direct_cost_line_id = fields.Many2one(
        "progress.billing.direct.cost.line", "Direct Cost Line", index="btree_not_null", ondelete="set null"
    )
    direct_cost_id = fields.Many2one(related="direct_cost_line_id.direct_cost_id", string="Direct Cost")
    name = fields.Char("Source", required=True, help="The source document and line, kept when the source is deleted.")
    period_id = fields.Many2one(
        "progress.billing.period", "Copied for Billing Period", required=True,
        help="The owner invoice's billing period when the amount was copied.",
    )
    # snapshot of the source when copied (SNAPSHOT_FIELDS)
    work_this_period = fields.Monetary("Work Completed This Period", help="Amount copied into E.")
    materials_stored = fields.Monetary("Materials Presently Stored", help="Amount copied into F.")
    source_state = fields.Selection("_selection_source_state", "Source Status When Copied")
    source_period_id = fields.Many2one("progress.billing.period", "Source Billing Period When Copied")
    source_date_received = fields.Date("Date Received When Copied")
    source_cost_code_id = fields.Many2one("progress.billing.cost.code", "Cost Code When Copied")
    source_cost_type_id = fields.Many2one("progress.billing.cost.type", "Cost Type When Copied")
    # editable only so that a new link can say it is not stale without computing it
    is_stale = fields.Boolean(
        "Source Changed", compute="_compute_is_stale", store=True, readonly=False,
        help="The source was revised or deleted after it was copied: auto-complete again to see what changed.",
    )
    stale_reason = fields.Char("What Changed", compute="_compute_stale_reason")

    @api.depends("owner_line_id.currency_id")
    def _compute_currency_id(self):
        for link in self:
            link.currency_id = link.owner_line_id.currency_id

    @api.model
    def _selection_source_state(self):
        """The statuses of subcontractor invoices and of direct costs."""
        states = {}
        for model in ("progress.billing.sub.invoice", "progress.billing.direct.cost"):
            states.update(self.env[model]._fields["state"].selection)
        return list(states.items())

    @api.depends(
        "sub_invoice_line_id.work_this_period", "sub_invoice_line_id.materials_stored",
        "sub_invoice_line_id.cost_code_id", "sub_invoice_line_id.cost_type_id",
        "sub_invoice_line_id.invoice_id.state", "sub_invoice_line_id.invoice_id.period_id",
        "direct_cost_line_id.amount", "direct_cost_line_id.cost_code_id", "direct_cost_line_id.cost_type_id",
        "direct_cost_line_id.direct_cost_id.state", "direct_cost_line_id.direct_cost_id.date_received",
        "owner_line_id.invoice_id.period_id", "period_id", *SNAPSHOT_FIELDS,
    )
    def _compute_is_stale(self):
        for link in self:
            link.is_stale = bool(link._changes_since_copy())

    def _compute_stale_reason(self):
        for link in self:
            link.stale_reason = "; ".join(link._changes_since_copy())

    def _source(self):
        self.ensure_one()
        return self.sub_invoice_line_id or self.direct_cost_line_id

    def _changes_since_copy(self):
        """What the source says now that it did not say when copied, as
        readable phrases ("Work Completed This Period: 100.00 → 120.00")."""
        self.ensure_one()
        source = self._source()
        if not source:
            return [self.env._("the source line was deleted")]
        copied = {name: self[name] for name in SNAPSHOT_FIELDS}
        current = self._snapshot(source)
        invoice_period = self.owner_line_id.invoice_id.period_id
        moved = [] if invoice_period == self.period_id else [self.env._(
            "Billing period of the owner invoice: %(before)s → %(after)s",
            before=self.period_id.display_name, after=invoice_period.display_name or self.env._("none"),
        )]
        return moved + [
            self.env._(
                "%(what)s: %(before)s → %(after)s",
                what=self._fields[name]._description_string(self.env),
                before=self._display_snapshot_value(name, copied[name]),
                after=self._display_snapshot_value(name, current[name]),
            )
            for name in SNAPSHOT_FIELDS
            if not self._same_snapshot_value(name, copied[name], current[name])
        ]

    def _same_snapshot_value(self, name, copied, current):
        if self._fields[name].type == "monetary":
            return self.currency_id.is_zero(copied - current)
        return (copied or False) == (current or False)

    def _display_snapshot_value(self, name, value):
        field_type = self._fields[name].type
        if field_type == "monetary":
            return self.currency_id.format(value or 0.0)
        if not value:
            return self.env._("none")
        if field_type == "selection":
            return dict(self._fields[name]._description_selection(self.env))[value]
        if field_type == "many2one":
            return value.display_name
        return format_date(self.env, value)

    @api.model
    def _document_field(self, source):
        return "invoice_id" if source._name == "progress.billing.sub.invoice.line" else "direct_cost_id"

    @api.model
    def _snapshot(self, source):
        """The SNAPSHOT_FIELDS values of a subcontractor invoice line or direct cost line now."""
        document = source[self._document_field(source)]
        is_sub_invoice = source._name == "progress.billing.sub.invoice.line"
        return {
            "work_this_period": source.work_this_period if is_sub_invoice else source.amount,
            "materials_stored": source.materials_stored if is_sub_invoice else 0.0,
            "source_state": document.state,
            "source_period_id": document.period_id if is_sub_invoice else self.env["progress.billing.period"],
            "source_date_received": False if is_sub_invoice else document.date_received,
            "source_cost_code_id": source.cost_code_id,
            "source_cost_type_id": source.cost_type_id,
        }

    @api.model
    def _link_values(self, owner_line, source):
        """Values of the link recording that ``source`` was copied onto ``owner_line``."""
        snapshot = {
            name: value.id if isinstance(value, models.BaseModel) else value
            for name, value in self._snapshot(source).items()
        }
        return {
            **snapshot,
            "owner_line_id": owner_line.id,
            "period_id": owner_line.invoice_id.period_id.id,
            "sub_invoice_line_id" if source._name == "progress.billing.sub.invoice.line" else "direct_cost_line_id": source.id,
            "name": self._source_name(source),
            # just copied: the snapshot is what the source says now (saves computing it)
            "is_stale": False,
        }

    @api.model
    def _source_name(self, source):
        return f"{source[self._document_field(source)].display_name} · {source.name}"

    @api.model
    def _sources_to_copy(self, invoice):
        """The subcontractor invoice lines and direct cost lines the seed
        copies onto ``invoice``, as allocation sources keyed by their record."""
        return self._sub_invoice_sources(invoice) + self._direct_cost_sources(invoice)

    @api.model
    def _sub_invoice_sources(self, invoice):
        """Seed: lines of subcontractor invoices of the project's commitments
        associated with the invoice's billing period, in status Approved,
        Approved as Noted or Pending Owner Approval (an invoice without lines
        has nothing to copy). Work Completed This Period and Materials
        Presently Stored are copied; for unit/quantity-based commitments the
        value only (quantity × unit price), never the quantity."""
        rows = self._matching_rows("progress.billing.sub.invoice.line", [
            ("invoice_id.project_id", "=", invoice.project_id.id),
            ("invoice_id.period_id", "=", invoice.period_id.id),
            ("invoice_id.state", "in", COPIED_SUB_INVOICE_STATES),
        ], ["purchase_line_id", "change_order_line_id"], ["work_this_period:sum", "materials_stored:sum"])
        # a line billing a CCO line on its own follows the PCCO line funding it
        change_of = {line: cco_line for line, *_keys, purchase_line, cco_line, _work, _stored in rows
                     if cco_line and not purchase_line}
        funding = self._funding_pcco_lines(self.env["progress.billing.change.order.line"].concat(*change_of.values()))
        currency = invoice.currency_id
        sources = []
        for line, cost_code, cost_type, division, _purchase_line, _cco_line, work, stored in rows:
            if currency.is_zero(work or 0.0) and currency.is_zero(stored or 0.0):
                continue
            funded_by = funding.get(change_of.get(line), {})
            sources.append(SourceLine(
                key=line, work=work or 0.0, materials=stored or 0.0,
                cost_code_id=cost_code.id, cost_type_id=cost_type.id, division_id=division.id,
                is_change_order=line in change_of,
                pcco_line_id=funded_by.get("id"), pcco_sale_line_id=funded_by.get("sale_line_id"),
            ))
        return sources

    @api.model
    def _matching_rows(self, model, domain, groupby, aggregates):
        """One query for the source lines of ``domain``: (line, cost code,
        cost type, division of the cost code, *groupby, *aggregates) per line
        (grouped by id, so one row per line)."""
        return self.env[model]._read_group(
            domain, ["id", "cost_code_id", "cost_type_id", "cost_code_id.division_id", *groupby], aggregates,
        )

    @api.model
    def _funding_pcco_lines(self, cco_lines):
        """Seed: CCO billed amounts follow the PCCO on the same change event
        line; only approved CCOs that have amounts in an approved PCCO count.
        Returns {CCO line: {"id": PCCO line id, "sale_line_id": SOV line it revises}}."""
        funding = {}
        for cco_line in cco_lines.filtered(lambda line: line.state == "approved" and line.change_event_line_id):
            pcco_line = cco_line.change_event_line_id.change_order_line_ids.filtered(
                lambda line: line.order_type == "prime" and line.state == "approved" and not line.currency_id.is_zero(line.amount)
            )[:1]
            if pcco_line:
                funding[cco_line] = {"id": pcco_line.id, "sale_line_id": pcco_line.sale_line_id.id}
        return funding

    @api.model
    def _direct_cost_sources(self, invoice):
        """Seed: lines of direct costs of the project in status Approved whose
        Date Received falls within the billing period (start and end dates
        included), entered in the Direct Costs tool: direct costs synced from
        an ERP are never copied. A direct cost only has work completed."""
        rows = self._matching_rows("progress.billing.direct.cost.line", [
            ("direct_cost_id.project_id", "=", invoice.project_id.id),
            ("direct_cost_id.state", "=", "approved"),
            ("direct_cost_id.origin", "=", "manual"),
            ("direct_cost_id.date_received", ">=", invoice.period_id.date_start),
            ("direct_cost_id.date_received", "<=", invoice.period_id.date_end),
        ], [], ["amount:sum"])
        return [
            SourceLine(key=line, work=amount, cost_code_id=cost_code.id, cost_type_id=cost_type.id, division_id=division.id)
            for line, cost_code, cost_type, division, amount in rows
            if not invoice.currency_id.is_zero(amount)
        ]

    def action_open_source(self):
        """Drill down to the subcontractor invoice or direct cost copied here."""
        self.ensure_one()
        source = self._source()
        if not source:
            raise UserError(self.env._("The source of “%(link)s” was deleted.", link=self.name))
        document = source[self._document_field(source)]
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
