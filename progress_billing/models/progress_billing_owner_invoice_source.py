# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from ..tools.autocomplete_allocation import SourceLine
from ..tools.snapshot_field import SnapshotMany2one
from ..tools.sql_rows import rows_table
from ..tools.trusted_write import is_trusted

# readme/USAGE.md, "Auto-completing owner invoices": the subcontractor invoice must have a status of Approved, Approved
# as Noted, or Pending Owner Approval
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


class CurrentSource(NamedTuple):
    """What a subcontractor invoice line or direct cost line says now: one
    row of ``_current_sources``, with the SNAPSHOT_FIELDS a link copies and
    what the matching rules need."""

    link_field: str
    id: int
    name: str
    work_this_period: float
    materials_stored: float
    source_state: str
    source_period_id: int | None
    source_date_received: date | None
    source_cost_code_id: int | None
    source_cost_type_id: int | None
    division_id: int | None
    is_change_order: bool
    pcco_line_id: int | None
    pcco_sale_line_id: int | None

    @property
    def ref(self):
        return self.link_field, self.id


# One query per kind of source reads what its lines say now, for copying
# them and for telling whether a copy is stale. A line billing a commitment
# change order (CCO) line on its own follows the prime contract change order
# (PCCO) line of the same change event line (readme/USAGE.md, "Auto-completing owner invoices"): only approved CCOs that
# have amounts in an approved PCCO count (a change event line has at most one
# PCCO line). A direct cost only has work completed. Each query keeps only
# documents of the user's companies (``companies``, see
# ``_current_sources_query``) and PCCO lines of the source's own company.
CURRENT_SOURCE_QUERIES = {
    "sub_invoice_line_id": (
        ("progress.billing.sub.invoice.line", "progress.billing.sub.invoice", "progress.billing.cost.code",
         "progress.billing.change.order.line"),
        """
        SELECT 'sub_invoice_line_id', line.id, CONCAT(document.name, ' · ', line.name),
               COALESCE(line.work_this_period, 0), COALESCE(line.materials_stored, 0),
               document.state, document.period_id, NULL::date, line.cost_code_id, line.cost_type_id,
               code.division_id, line.purchase_line_id IS NULL AND line.change_order_line_id IS NOT NULL,
               pcco.id, pcco.sale_line_id
          FROM progress_billing_sub_invoice_line line
          JOIN progress_billing_sub_invoice document ON document.id = line.invoice_id
     LEFT JOIN progress_billing_cost_code code ON code.id = line.cost_code_id
     LEFT JOIN progress_billing_change_order_line cco
            ON cco.id = line.change_order_line_id AND line.purchase_line_id IS NULL AND cco.state = 'approved'
     LEFT JOIN progress_billing_change_order_line pcco
            ON pcco.change_event_line_id = cco.change_event_line_id
           AND pcco.order_type = 'prime' AND pcco.state = 'approved' AND pcco.amount != 0
           AND pcco.company_id = document.company_id
         WHERE %(condition)s AND %(companies)s
        """,
    ),
    "direct_cost_line_id": (
        ("progress.billing.direct.cost.line", "progress.billing.direct.cost", "progress.billing.cost.code"),
        """
        SELECT 'direct_cost_line_id', line.id, CONCAT(document.name, ' · ', line.name),
               COALESCE(line.amount, 0), 0.0, document.state, NULL::int, document.date_received,
               line.cost_code_id, line.cost_type_id, code.division_id, FALSE, NULL::int, NULL::int
          FROM progress_billing_direct_cost_line line
          JOIN progress_billing_direct_cost document ON document.id = line.direct_cost_id
     LEFT JOIN progress_billing_cost_code code ON code.id = line.cost_code_id
         WHERE %(condition)s AND %(companies)s
        """,
    ),
}


class ProgressBillingOwnerInvoiceSource(models.Model):
    """Where an auto-completed owner invoice amount came from: one
    subcontractor invoice line or direct cost line copied onto one owner
    invoice line, with what the source said when it was copied. The copy is
    stale once the source says something else (readme/USAGE.md, "Auto-completing owner invoices": flag lines whose
    source changed since)."""

    _name = "progress.billing.owner.invoice.source"
    _description = "Auto-Completed Owner Invoice Amount"
    _order = "owner_line_id, id"
    # an auto-completion writes thousands of links at once, each foreign key
    # checked per row; who and when is in the owner invoice's chatter
    _log_access = False

    owner_line_id = fields.Many2one(
        "progress.billing.owner.invoice.line", "Owner Invoice Line", required=True, index=True, ondelete="cascade"
    )
    # not stored: thousands of links are created at once, each stored column costs
    invoice_id = fields.Many2one(related="owner_line_id.invoice_id", string="Owner Invoice")
    company_id = fields.Many2one(related="owner_line_id.company_id")
    currency_id = fields.Many2one(related="owner_line_id.currency_id")
    # The source line and the label copied with it are read by the addon's
    # code only: users see them through display_name, sub_invoice_id and
    # direct_cost_id, which show what the user may read of the source and a
    # placeholder otherwise (readme/CONFIGURE.md, "Auto-completion"). The
    # source line is a snapshot too: its id stays once the line is deleted,
    # which ``source_deleted`` tells.
    sub_invoice_line_id = SnapshotMany2one(
        "progress.billing.sub.invoice.line", "Subcontractor Invoice Line", index="btree_not_null",
        groups="base.group_system",
    )
    direct_cost_line_id = SnapshotMany2one(
        "progress.billing.direct.cost.line", index="btree_not_null", groups="base.group_system",
    )
    source_deleted = fields.Boolean(compute="_compute_source_deleted")
    name = fields.Char(
        "Source", required=True, groups="base.group_system",
        help="The source document and line, kept when the source is deleted.",
    )
    sub_invoice_id = fields.Many2one(
        "progress.billing.sub.invoice", "Subcontractor Invoice", compute="_compute_source_document"
    )
    direct_cost_id = fields.Many2one("progress.billing.direct.cost", compute="_compute_source_document")
    period_id = SnapshotMany2one(
        "progress.billing.period", "Copied for Billing Period", required=True,
        help="The owner invoice's billing period when the amount was copied.",
    )
    # snapshot of the source when copied (SNAPSHOT_FIELDS)
    work_this_period = fields.Monetary("Work Completed This Period", help="Amount copied into E.")
    materials_stored = fields.Monetary("Materials Presently Stored", help="Amount copied into F.")
    source_state = fields.Selection("_selection_source_state", "Source Status When Copied")
    source_period_id = SnapshotMany2one("progress.billing.period", "Source Billing Period When Copied")
    source_date_received = fields.Date("Date Received When Copied")
    source_cost_code_id = SnapshotMany2one("progress.billing.cost.code", "Cost Code When Copied")
    source_cost_type_id = SnapshotMany2one("progress.billing.cost.type", "Cost Type When Copied")
    is_stale = fields.Boolean(
        "Source Changed", compute="_compute_is_stale", store=True,
        help="The source was revised or deleted after it was copied: auto-complete again to see what changed.",
    )
    stale_reason = fields.Char("What Changed", compute="_compute_stale_reason")

    @api.model
    def _selection_source_state(self):
        """The statuses of subcontractor invoices and of direct costs."""
        states = {}
        for model in ("progress.billing.sub.invoice", "progress.billing.direct.cost"):
            states.update(self.env[model]._fields["state"].selection)
        return list(states.items())

    # readme/CONFIGURE.md, "Auto-completion": only auto-completion writes links, in SQL (``_replace_links``);
    # the ACL is read-only for every group, and these guards also refuse the
    # superuser's ORM calls (server actions, imports) unless the addon marked
    # them with ``trusted()``, which no JSON-RPC context can forge.

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._check_written_by_autocompletion("create")
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_autocompletion("write")
        return super().write(vals)

    def unlink(self):
        self._check_written_by_autocompletion("unlink")
        return super().unlink()

    def _check_written_by_autocompletion(self, operation):
        # the ACL's refusal first, as for any read-only model
        self.check_access(operation)
        if not is_trusted(self.env):
            raise AccessError(self.env._(
                "Auto-completed amounts keep the link to their source as auto-completion wrote it: "
                "auto-complete the owner invoice again instead of changing the links."
            ))

    @api.depends(
        "sub_invoice_line_id.work_this_period", "sub_invoice_line_id.materials_stored",
        "sub_invoice_line_id.cost_code_id", "sub_invoice_line_id.cost_type_id",
        "sub_invoice_line_id.invoice_id.state", "sub_invoice_line_id.invoice_id.period_id",
        "direct_cost_line_id.amount", "direct_cost_line_id.cost_code_id", "direct_cost_line_id.cost_type_id",
        "direct_cost_line_id.direct_cost_id.state", "direct_cost_line_id.direct_cost_id.date_received",
        "owner_line_id.invoice_id.period_id", "period_id", *SNAPSHOT_FIELDS,
    )
    def _compute_is_stale(self):
        current = self._current_sources_of_links()
        for link in self:
            link.is_stale = bool(link._changes_since_copy(current.get(link._source_ref())))

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_stale_reason(self):
        """What changed, as far as the user may read the source (readme/CONFIGURE.md, "Auto-completion")."""
        current = self._current_sources_of_links()
        for link in self:
            link.stale_reason = "; ".join(link._changes_since_copy(current.get(link._source_ref())))

    @api.depends("sub_invoice_line_id", "direct_cost_line_id")
    def _compute_source_deleted(self):
        """The source line was deleted since it was copied: the link keeps
        its id (SnapshotMany2one), or none at all if written while a foreign
        key emptied it. Worked out for all the links read at once, one query
        per kind of source (the preview asks it of thousands of links).
        Whether a line exists is the link's own data, checked as superuser
        on the ids the links hold: nothing else of the source is read."""
        links = self.sudo()
        existing = {link_field: set(links[link_field].exists().ids) for link_field in CURRENT_SOURCE_QUERIES}
        for link, held in zip(self, links, strict=True):
            link.source_deleted = not any(held[name].id in existing[name] for name in CURRENT_SOURCE_QUERIES)

    def _source_lines(self, link_field):
        """The source lines of these links held in ``link_field`` that still
        exist, in the user's environment. The field is the addon's own (group
        base.group_system): read past that group, since these ids are the
        links' own; what of them is shown goes through ``_readable_sources``."""
        return self.sudo().filtered(lambda link: not link.source_deleted)[link_field].with_env(self.env)

    def _readable_sources(self):
        """{link field: the source lines of these links the user may read}."""
        return {
            link_field: self._source_lines(link_field)._filtered_access("read") for link_field in CURRENT_SOURCE_QUERIES
        }

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_display_name(self):
        """The source document and line as copied (kept once the source is
        deleted), or a placeholder when the user may not read the source."""
        readable = self._readable_sources()
        for link in self:
            source = link._source()
            restricted = source and source not in readable[link._link_field()]
            link.display_name = self.env._("Source you may not read") if restricted else link.sudo().name

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_source_document(self):
        """The subcontractor invoice or direct cost copied, if the user may read it."""
        readable = self._readable_sources()
        for link in self:
            link.sub_invoice_id = (
                link._source_lines("sub_invoice_line_id") & readable["sub_invoice_line_id"]
            ).invoice_id
            link.direct_cost_id = (
                link._source_lines("direct_cost_line_id") & readable["direct_cost_line_id"]
            ).direct_cost_id

    def _source(self):
        self.ensure_one()
        return self._source_lines("sub_invoice_line_id") or self._source_lines("direct_cost_line_id")

    def _link_field(self):
        """The field holding the source line; None once the source is deleted."""
        ref = self._source_ref()
        return ref and ref[0]

    def _source_ref(self):
        """(link field, source line id) as in ``CurrentSource.ref``; None once
        the source is deleted. Read past the fields' group as
        ``_source_lines`` does, once per link: the preview asks it of
        thousands of links."""
        self.ensure_one()
        link = self.sudo()
        if link.source_deleted:
            return None
        return next((name, link[name].id) for name in CURRENT_SOURCE_QUERIES if link[name])

    def _changes_since_copy(self, current):
        """What the source says now (``current``, a CurrentSource, None once
        deleted or when the user may not read it) that it did not say when
        copied, as readable phrases ("Work Completed This Period: 100.00 →
        120.00"). Nothing is told of a source the user may not read."""
        self.ensure_one()
        if current is None and self._source_ref():
            return [self.env._("you may not read the source")]
        if current is None:
            return [self.env._("the source line was deleted")]
        invoice_period = self.owner_line_id.invoice_id.period_id
        moved = [] if invoice_period == self.period_id else [self.env._(
            "Billing period of the owner invoice: %(before)s → %(after)s",
            before=self._display_snapshot_value("period_id", self.period_id.id),
            after=invoice_period.display_name or self.env._("none"),
        )]
        copied = {name: self._fields[name].convert_to_write(self[name], self) for name in SNAPSHOT_FIELDS}
        return moved + [
            self.env._(
                "%(what)s: %(before)s → %(after)s",
                what=self._fields[name]._description_string(self.env),
                before=self._display_snapshot_value(name, copied[name]),
                after=self._display_snapshot_value(name, getattr(current, name)),
            )
            for name in SNAPSHOT_FIELDS
            if not self._same_snapshot_value(name, copied[name], getattr(current, name))
        ]

    def _same_snapshot_value(self, name, copied, current):
        if self._fields[name].type == "monetary":
            return self.currency_id.is_zero((copied or 0.0) - (current or 0.0))
        return (copied or False) == (current or False)

    def _display_snapshot_value(self, name, value):
        field = self._fields[name]
        if field.type == "monetary":
            return self.currency_id.format(value or 0.0)
        if not value:
            return self.env._("none")
        if field.type == "selection":
            return dict(field._description_selection(self.env))[value]
        if field.type == "many2one":
            # a snapshot keeps the id of a record deleted since (SnapshotMany2one)
            return self.env[field.comodel_name].browse(value).exists().display_name or self.env._("none")
        return format_date(self.env, value)

    @api.model
    def _document_field(self, source):
        return "invoice_id" if source._name == "progress.billing.sub.invoice.line" else "direct_cost_id"

    @api.model
    def _current_sources_query(self, link_field, condition):
        """The query of what the source lines of one kind (``link_field``)
        that meet ``condition`` (SQL on ``line`` and its ``document``) say
        now, one row per line with the columns of CurrentSource.

        readme/CONFIGURE.md, "Companies": only documents of the companies the user has active
        (``env.companies``, the ``company_ids`` of the record rules), as the
        record rules on subcontractor invoices and direct costs would filter
        them; for the superuser, as for the ORM, no company filter."""
        models_read, query = CURRENT_SOURCE_QUERIES[link_field]
        for model in models_read:
            self.env[model].flush_model()
        companies = SQL("TRUE") if self.env.su else self._company_condition(link_field, self.env.companies)
        return SQL(query, condition=condition, companies=companies)

    @api.model
    def _company_condition(self, link_field, companies):
        """SQL: the source ``document`` belongs to one of ``companies``; a
        direct cost of a project without company is shared by all companies
        (rules in security/progress_billing_security.xml)."""
        if link_field == "direct_cost_line_id":
            return SQL("(document.company_id IS NULL OR document.company_id = ANY(%s))", companies.ids)
        return SQL("document.company_id = ANY(%s)", companies.ids)

    @api.model
    def _current_sources(self, link_field, condition):
        """What the source lines of ``_current_sources_query`` say now: a CurrentSource per line."""
        self.env.cr.execute(self._current_sources_query(link_field, condition))
        return [CurrentSource(*row) for row in self.env.cr.fetchall()]

    def _current_sources_of_links(self):
        """{source ref: CurrentSource} for the sources of these links, one query per kind."""
        current = {}
        for link_field in CURRENT_SOURCE_QUERIES:
            line_ids = self._source_lines(link_field).ids
            if line_ids:
                sources = self._current_sources(link_field, SQL("line.id = ANY(%s)", line_ids))
                current.update((source.ref, source) for source in sources)
        return current

    @api.model
    def _sources_to_copy(self, invoice, included=()):
        """The subcontractor invoice lines and direct cost lines auto-completion
        copies (readme/USAGE.md, "Auto-completing owner invoices") onto ``invoice``, and the approved costs of earlier
        periods it bills (``_earlier_sources_to_copy``, ``included``: their refs), as
        allocation sources keyed by their CurrentSource.

        readme/CONFIGURE.md, "Companies": a company bills its owner from its own costs. Besides the
        user's companies (``_current_sources_query``), the owner invoice's
        company bounds the sources (``_company_condition``): its subcontractor
        invoices and its (or shared) direct costs only, even on a project
        without company whose contracts belong to several companies."""
        self.env["progress.billing.sub.invoice.line"].check_access("read")
        self.env["progress.billing.direct.cost.line"].check_access("read")
        return [
            SourceLine(
                key=source, work=source.work_this_period, materials=source.materials_stored,
                cost_code_id=source.source_cost_code_id, cost_type_id=source.source_cost_type_id,
                division_id=source.division_id, is_change_order=source.is_change_order,
                pcco_line_id=source.pcco_line_id, pcco_sale_line_id=source.pcco_sale_line_id,
            )
            for source in (
                self._sub_invoice_sources(invoice) + self._direct_cost_sources(invoice)
                + self._earlier_sources_to_copy(invoice, included)
            )
        ]

    @api.model
    def _sub_invoice_sources(self, invoice):
        """readme/USAGE.md, "Auto-completing owner invoices": lines of subcontractor invoices of the project's
        commitments associated with the invoice's billing period, in status Approved,
        Approved as Noted or Pending Owner Approval (an invoice without lines
        has nothing to copy, nor has a line of zero amounts). Work Completed
        This Period and Materials Presently Stored are copied; for
        unit/quantity-based commitments the value only (quantity × unit
        price), never the quantity. A line another owner invoice of the
        project already bills is not copied again (``_unbilled_condition``:
        two prime contracts of one project sharing cost codes)."""
        return self._current_sources("sub_invoice_line_id", SQL(
            "document.project_id = %s AND document.period_id = %s AND %s AND %s",
            invoice.project_id.id, invoice.period_id.id, self._unbilled_condition("sub_invoice_line_id", invoice),
            self._company_condition("sub_invoice_line_id", invoice.company_id),
        ))

    @api.model
    def _direct_cost_sources(self, invoice):
        """readme/USAGE.md, "Auto-completing owner invoices": lines of direct costs of the project in status Approved
        whose Date Received falls within the billing period (start and end dates
        included), entered in the Direct Costs tool: direct costs synced from
        an ERP are never copied (nor is a line of zero amount), nor a line
        another owner invoice of the project already bills."""
        return self._current_sources("direct_cost_line_id", SQL(
            "document.project_id = %s AND document.date_received BETWEEN %s AND %s AND %s AND %s",
            invoice.project_id.id, invoice.period_id.date_start, invoice.period_id.date_end,
            self._unbilled_condition("direct_cost_line_id", invoice),
            self._company_condition("direct_cost_line_id", invoice.company_id),
        ))

    @api.model
    def _copied_condition(self, link_field):
        """readme/USAGE.md, "Auto-completing owner invoices": which source lines of one kind auto-completion copies,
        whatever their period (SQL on ``line`` and its ``document``):
        subcontractor invoices Approved, Approved as Noted or Pending Owner
        Approval; Approved direct costs entered in the Direct Costs tool,
        never those synced from an ERP; no line of zero amounts."""
        if link_field == "sub_invoice_line_id":
            return SQL(
                "document.state IN %s AND (line.work_this_period != 0 OR line.materials_stored != 0)",
                COPIED_SUB_INVOICE_STATES,
            )
        return SQL("document.state = 'approved' AND document.origin = 'manual' AND line.amount != 0")

    @api.model
    def _linked_condition(self, link_field, owner_invoice_condition):
        """SQL: a link of an owner invoice meeting ``owner_invoice_condition``
        (SQL on ``owner_invoice``) points at the source ``line``."""
        self.flush_model()
        self.env["progress.billing.owner.invoice.line"].flush_model(["invoice_id"])
        self.env["progress.billing.owner.invoice"].flush_model(["state", "project_id"])
        return SQL(
            """EXISTS (SELECT 1
                         FROM progress_billing_owner_invoice_source link
                         JOIN progress_billing_owner_invoice_line owner_line ON owner_line.id = link.owner_line_id
                         JOIN progress_billing_owner_invoice owner_invoice ON owner_invoice.id = owner_line.invoice_id
                        WHERE link.%s = line.id AND %s)""",
            SQL.identifier(link_field), owner_invoice_condition,
        )

    @api.model
    def _unbilled_condition(self, link_field, invoice=None):
        """readme/USAGE.md, "Auto-completing owner invoices" (costs left behind): an approved cost not yet billed to
        the owner is a source line auto-completion copies
        (``_copied_condition``) that no link of a non-void owner invoice of
        its project points at, the links of ``invoice`` aside (the one being
        auto-completed, whose links are about to be replaced). The one
        definition, read by the auto-completion preview and by the project's
        Unbilled Costs."""
        return SQL(
            "%s AND NOT %s",
            self._copied_condition(link_field),
            self._linked_condition(
                link_field,
                SQL(
                    "owner_invoice.state != 'void' AND "
                    "owner_invoice.project_id = document.project_id AND owner_invoice.id != %s",
                    invoice.id if invoice else 0,
                ),
            ),
        )

    @api.model
    def _carried_condition(self, link_field, invoice):
        """readme/USAGE.md, "Auto-completing owner invoices": the source line is a cost of an earlier period that
        ``invoice`` was auto-completed with in its current billing period
        (included then): auto-completing it again keeps it. Once the invoice
        moves to another period, it is offered again like any cost left behind."""
        return self._linked_condition(
            link_field, SQL("owner_invoice.id = %s AND link.period_id = owner_invoice.period_id", invoice.id)
        )

    @api.model
    def _earlier_condition(self, link_field, invoice):
        """readme/USAGE.md, "Auto-completing owner invoices": the source lines of ``invoice``'s project from before
        its billing period, which auto-completion of that period alone
        leaves behind: subcontractor invoices of an earlier billing period,
        direct costs received before the period starts."""
        date_column = "period_date_start" if link_field == "sub_invoice_line_id" else "date_received"
        return SQL(
            "document.project_id = %s AND %s < %s AND %s",
            invoice.project_id.id, SQL.identifier("document", date_column), invoice.period_id.date_start,
            self._company_condition(link_field, invoice.company_id),
        )

    @api.model
    def _left_behind_sources(self, invoice):
        """readme/USAGE.md, "Auto-completing owner invoices": the approved costs of earlier periods not yet billed to
        the owner that the preview of ``invoice`` offers to include (those it
        carries aside), as CurrentSources."""
        self.env["progress.billing.sub.invoice.line"].check_access("read")
        self.env["progress.billing.direct.cost.line"].check_access("read")
        return [
            source
            for link_field in CURRENT_SOURCE_QUERIES
            for source in self._current_sources(link_field, SQL(
                "%s AND %s AND NOT %s", self._earlier_condition(link_field, invoice),
                self._unbilled_condition(link_field, invoice), self._carried_condition(link_field, invoice),
            ))
        ]

    @api.model
    def _earlier_sources_to_copy(self, invoice, included):
        """readme/USAGE.md, "Auto-completing owner invoices": the source lines of earlier periods ``invoice`` bills:
        those it carries (``_carried_condition``), and those of ``included``
        (refs of ``_left_behind_sources``) still not billed to the owner;
        either only while auto-completion would copy it (``_copied_condition``).

        One query for each: PostgreSQL misjudges the two conditions joined by
        OR as a scan of every source line against the links, and compiles it
        (JIT) before running it, which took 170 ms of a 10 ms query."""
        sources = {}
        for link_field in CURRENT_SOURCE_QUERIES:
            conditions = [
                SQL("%s AND %s", self._copied_condition(link_field), self._carried_condition(link_field, invoice)),
            ]
            included_ids = [line_id for field, line_id in included if field == link_field]
            if included_ids:
                conditions.append(
                    SQL("line.id = ANY(%s) AND %s", included_ids, self._unbilled_condition(link_field, invoice)),
                )
            for condition in conditions:
                for source in self._current_sources(
                    link_field, SQL("%s AND %s", self._earlier_condition(link_field, invoice), condition),
                ):
                    sources.setdefault(source.ref, source)
        return list(sources.values())

    @api.model
    def _replace_links(self, owner_lines, copies):
        """Replace the links of ``owner_lines`` by one per (owner line,
        CurrentSource) of ``copies``, in two queries however many there are
        (readme/USAGE.md, "Auto-completing owner invoices": a bounded number of queries). Links are written
        here only, in SQL: whoever may write the owner lines may have them
        auto-completed, nobody writes links through the ORM (readme/CONFIGURE.md, "Auto-completion")."""
        owner_lines.check_access("write")
        self.flush_model()
        self.env.cr.execute(SQL(
            "DELETE FROM %s WHERE owner_line_id = ANY(%s)", SQL.identifier(self._table), owner_lines.ids,
        ))
        if copies:
            self._insert_links(copies)
        self.invalidate_model()
        owner_lines.invalidate_recordset(["autocomplete_source_ids"])
        owner_lines.modified(["autocomplete_source_ids"])

    @api.model
    def _insert_links(self, copies):
        """Link each (owner line, CurrentSource) of ``copies``, with the
        owner invoice's billing period and the snapshot of what the source
        said when auto-completion read it, the amounts it copies: one INSERT
        of the values in hand (reading the sources again in the
        INSERT cost as much as the rows). No new link is stale."""
        self.env["progress.billing.owner.invoice"].flush_model(["period_id"])
        columns = ["owner_line_id", *CURRENT_SOURCE_QUERIES, "name", *SNAPSHOT_FIELDS]
        rows = [
            (
                owner_line.id,
                *(source.id if source.link_field == link_field else None for link_field in CURRENT_SOURCE_QUERIES),
                source.name,
                *(getattr(source, name) for name in SNAPSHOT_FIELDS),
            )
            for owner_line, source in copies
        ]
        self.env.cr.execute(SQL(
            """INSERT INTO %(table)s (%(columns)s, period_id, is_stale)
               SELECT %(copied_columns)s, owner_invoice.period_id, FALSE
                 FROM %(copied)s
                 JOIN progress_billing_owner_invoice_line owner_line ON owner_line.id = copied.owner_line_id
                 JOIN progress_billing_owner_invoice owner_invoice ON owner_invoice.id = owner_line.invoice_id""",
            table=SQL.identifier(self._table),
            columns=SQL(", ").join(SQL.identifier(name) for name in columns),
            copied_columns=SQL(", ").join(SQL.identifier("copied", name) for name in columns),
            copied=rows_table("copied", [(name, self._fields[name].column_type[0]) for name in columns], rows),
        ))

    def action_open_source(self):
        """Drill down to the subcontractor invoice or direct cost copied here."""
        self.ensure_one()
        source = self._source()
        if not source:
            raise UserError(self.env._("The source of “%(link)s” was deleted.", link=self.display_name))
        if not source._filtered_access("read"):
            raise UserError(self.env._("You may not read the source of this auto-completed amount."))
        document = source[self._document_field(source)]
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
