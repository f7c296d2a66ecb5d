# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
from collections import Counter, defaultdict
from contextlib import contextmanager

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero, float_round, format_list
from odoo.tools.misc import format_amount, format_date

from ..tools import g703_workbook, retention_rules
from ..tools.company_sql import write_per_record
from ..tools.g703 import G703Line
from ..tools.retention import guarantee_cover
from ..tools.trusted_write import trusted
from ..tools.workflow import MANAGER_GROUP

# Continuation sheets of the pay application PDF (report/progress_billing_pay_application_templates.xml),
# in CSS pixels of a landscape US Letter page at 96 dpi: room for rows under the
# headings, height of a one-line row and of each further line of a wrapped
# description, and characters per description line (rounded down: a sheet is
# better a little short than overflowing onto an extra page).
SHEET_ROWS_HEIGHT = 540
ROW_HEIGHT = 21
WRAPPED_LINE_HEIGHT = 14
DESCRIPTION_LINE_CHARS = 32


# the key in the transaction's cache of the figures shared by ``_sharing_g703_figures``
SHARED_G703_FIGURES = "progress_billing.shared_g703_figures"
# the G702 figures summed from the lines of the application (lines 4, 5a, 5b, 5, 6, 9, work completed this
# period, materials presently stored): frozen whole with a certified application
G702_FROM_LINES = (
    "work_this_period", "materials_stored", "total_completed", "retainage_work", "retainage_materials",
    "retainage_released", "total_retainage", "total_earned", "balance_to_finish",
)


class ProgressBillingApplicationMixin(models.AbstractModel):
    """A pay application (subcontractor or owner invoice) for one billing
    period, with the AIA G702 summary (lines 1-9)."""

    _name = "progress.billing.application.mixin"
    _description = "Pay Application"
    _inherit = [
        "progress.billing.sequence.mixin",
        "progress.billing.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "period_date_start desc, id desc"
    _check_company_auto = True

    # set by each application model: its contract field, and the contract's one2many of applications
    _contract_field = None
    _contract_applications_field = None
    _editable_states = ("draft", "revise_resubmit")
    _manager_editable_states = ("under_review",)
    # header fields locked with the lines once the application is no longer editable
    _locked_fields = ("period_id", "payment_application_type", "date", "note")
    # G702 figures taken from other documents (contract, earlier applications), frozen with the application
    # with those summed from its lines, which no longer change once it is certified (``_compute_g702``)
    _frozen_fields = (
        "original_contract_sum", "net_change_orders", "contract_sum_to_date", "previous_certificates",
        "retainage_guarantee_cover", *G702_FROM_LINES,
    )
    # readme/CONFIGURE.md, "Workflow and locks": only _freeze and _unfreeze write the frozen figures,
    # only _freeze_claim the claim
    _protected_fields = ("frozen_values", "claim_frozen", "claimed_amount_due")

    project_id = fields.Many2one(
        "project.project", compute="_compute_from_contract", store=True, index=True, readonly=True, precompute=True
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_contract", store=True, index=True, readonly=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # each application model narrows these to its own states and line model
    state = fields.Selection(
        [("draft", "Draft"), ("void", "Void")], default="draft", required=True, tracking=True, index=True
    )
    line_ids = fields.One2many("progress.billing.application.line.mixin", "invoice_id", string="Lines", copy=True)
    period_id = fields.Many2one(
        "progress.billing.period", "Billing Period", required=True, index=True, ondelete="restrict", tracking=True,
        check_company=True, domain="[('project_id', '=', project_id)]",
    )
    period_date_start = fields.Date(related="period_id.date_start", store=True)
    date = fields.Date("Invoice Date", default=fields.Date.context_today, required=True, tracking=True)
    date_start = fields.Date("Billing Date Start", related="period_id.date_start")
    date_end = fields.Date("Billing Date End", related="period_id.date_end")
    payment_application_type = fields.Selection(
        [
            ("work_materials_retainage", "Work, Materials and Retainage"),
            ("work_materials", "Work and Materials"),
            ("retainage_release", "Retainage Release Only"),
        ],
        default="work_materials_retainage",
        required=True,
    )
    note = fields.Html()
    # G702
    original_contract_sum = fields.Monetary("1. Original Contract Sum", compute="_compute_g702", store=True)
    net_change_orders = fields.Monetary("2. Net Change by Change Orders", compute="_compute_g702", store=True)
    contract_sum_to_date = fields.Monetary("3. Contract Sum to Date", compute="_compute_g702", store=True)
    total_completed = fields.Monetary("4. Total Completed and Stored to Date", compute="_compute_g702", store=True)
    retainage_work = fields.Monetary("5a. Retainage on Completed Work", compute="_compute_g702", store=True)
    retainage_materials = fields.Monetary("5b. Retainage on Stored Material", compute="_compute_g702", store=True)
    retainage_released = fields.Monetary("Retainage Released to Date", compute="_compute_g702", store=True)
    total_retainage = fields.Monetary("5. Total Retainage", compute="_compute_g702", store=True)
    total_earned = fields.Monetary("6. Total Earned Less Retainage", compute="_compute_g702", store=True)
    previous_certificates = fields.Monetary(
        "7. Less Previous Certificates for Payment", compute="_compute_payment_due", store=True
    )
    current_payment_due = fields.Monetary("8. Current Payment Due", compute="_compute_payment_due", store=True)
    balance_to_finish = fields.Monetary(
        "9. Balance to Finish, Including Retainage", compute="_compute_g702", store=True
    )
    work_this_period = fields.Monetary("Work Completed This Period", compute="_compute_g702", store=True)
    materials_stored = fields.Monetary("Materials Presently Stored", compute="_compute_g702", store=True)
    retainage_guarantee_cover = fields.Monetary(
        "Retainage Covered by Guarantees", compute="_compute_retainage_guarantee_cover",
        help="Bank guarantees and retention bonds of the contract in force at the end of the billing period: "
        "they replace that much cash retention, which lines 5a and 5b no longer withhold.",
    )
    is_editable = fields.Boolean(compute="_compute_is_editable")
    frozen_values = fields.Json(
        readonly=True, copy=False,
        help="G702 figures that depend on other documents, as they stood when the application left review.",
    )
    # readme/USAGE.md, "Claimed and certified amounts": the claim, frozen at each submission (see _freeze_claim)
    claim_frozen = fields.Boolean(
        readonly=True, copy=False, help="The application was submitted: what it claimed is frozen.",
    )
    claimed_amount_due = fields.Monetary(
        "8. Current Payment Due as Claimed", readonly=True, copy=False, tracking=True,
        help="G702 line 8 as claimed when the application was last submitted.",
    )
    certified_difference = fields.Monetary(
        "Difference from the Claim", compute="_compute_certified_difference",
        help="G702 line 8 as certified (or scheduled) less line 8 as claimed: negative when less is certified.",
    )
    has_certification_difference = fields.Boolean(
        "Certified Differently", compute="_compute_certified_difference",
        help="Some line is certified (or scheduled) at other amounts than claimed.",
    )

    def _contract(self):
        return self[self._contract_field]

    @api.depends(lambda self: [f"{self._contract_field}.project_id", f"{self._contract_field}.company_id"])
    def _compute_from_contract(self):
        """An application belongs to the project and company of its contract."""
        for invoice in self:
            invoice.project_id = invoice._contract().project_id
            invoice.company_id = invoice._contract().company_id

    def _application_position(self):
        """Order of applications within a contract: by billing period, then creation."""
        self.ensure_one()
        return (self.period_id.date_start or self.date or fields.Date.today(), self._origin.id or float("inf"))

    def _other_applications(self):
        """The other non-void applications of the contract, read from the
        contract's one2many: cached once read, so that checking many lines
        costs no query per line."""
        self.ensure_one()
        return self._contract()._origin[self._contract_applications_field].filtered(
            lambda other: other.state != "void" and other != self._origin
        )

    def _previous_application(self):
        self.ensure_one()
        position = self._application_position()
        earlier = self._other_applications().filtered(lambda other: other._application_position() < position)
        return max(earlier, key=lambda other: other._application_position(), default=self.browse())

    def _contract_applications_depends(self, *names):
        """Dependencies on ``names`` of every application of the contract
        (this one included): what an earlier application of the same
        contract holds changes the figures of the later ones."""
        return [f"{self._contract_field}.{self._contract_applications_field}.{name}" for name in names]

    @api.depends(lambda self: [
        "line_ids.total_completed", "line_ids.retainage", "line_ids.work_this_period", "line_ids.materials_stored",
        "line_ids.retainage_released", "period_id", "state", "frozen_values",
        f"{self._contract_field}.original_contract_sum", f"{self._contract_field}.approved_change_orders_amount",
        f"{self._contract_field}.revised_contract_sum",
    ])
    def _compute_g702(self):
        """G702 lines 1-9: 3 = 1 + 2, 6 = 4 - 5, 8 = 6 - 7, 9 = 3 - 6.

        Stored, so that the lists read, sort, group and sum them in SQL.
        They follow the lines, whose columns D and I follow the earlier
        applications of the contract (their dependencies say so): the status,
        billing period and date of each, which tell which applications are
        earlier and whether they count. What an earlier application bills
        cannot change while a later one is not void: only the latest
        application is editable (``_editable_reason``), and a void one is
        frozen.

        A certified application's lines no longer change
        (readme/CONFIGURE.md, "Workflow and locks"): its figures are frozen
        whole, so that the certified applications of a contract, recomputed
        whenever a later one moves, cost no line each."""
        earlier_figures = {}
        for invoice in self.sorted(lambda invoice: invoice._application_position()):
            contract = invoice._contract()
            frozen = invoice.frozen_values or {}
            if all(name in frozen for name in G702_FROM_LINES):
                for name in ("original_contract_sum", "net_change_orders", "contract_sum_to_date", *G702_FROM_LINES):
                    invoice[name] = frozen[name]
                continue
            lines = invoice._g703_lines(earlier_figures=earlier_figures).values()
            invoice.original_contract_sum = frozen.get("original_contract_sum", contract.original_contract_sum)
            invoice.net_change_orders = frozen.get("net_change_orders", contract.approved_change_orders_amount)
            invoice.contract_sum_to_date = frozen.get("contract_sum_to_date", contract.revised_contract_sum)
            invoice.work_this_period = sum(line.work_this_period for line in lines)
            invoice.materials_stored = sum(line.materials_stored for line in lines)
            invoice.total_completed = sum(line.total_completed for line in lines)
            invoice.retainage_work = sum(line.retainage_work for line in lines)
            invoice.retainage_materials = sum(line.retainage_on_materials for line in lines)
            invoice.retainage_released = sum(
                line.previous_retainage_released + line.retainage_released for line in lines
            )
            invoice.total_retainage = sum(line.retainage for line in lines)
            invoice.total_earned = invoice.total_completed - invoice.total_retainage
            invoice.balance_to_finish = invoice.contract_sum_to_date - invoice.total_earned

    def _g703_lines(self, lines=None, with_retention=True, earlier_figures=None):
        """{line: tools.g703.G703Line}: the G703 columns of each line of this
        application, worked out once for the whole application on plain
        values (readme/USAGE.md, "Bills, invoices and retainage": the same
        figures everywhere). The G702 lines, the line columns on the form and
        the over-billing check all read them, so a Schedule of Values of a
        thousand lines costs no computation field by field.

        D sums E (and, under the roll forward stored materials method, F)
        over the earlier non-void applications of the contract that bill the
        same source, likewise the retainage released (``_billed_before``).
        The retention (left at zero unless ``with_retention``) follows the
        previous application's (``_retention_to_withhold``), less what
        guarantees cover (``_guarantee_cover``). A frozen line keeps the
        figures frozen with it (readme/CONFIGURE.md, "Workflow and locks").
        ``lines``: the application's lines, when some are being edited on
        their own (the form's onchange of one line). ``earlier_figures``:
        {application: its figures} worked out by the caller, filled as the
        previous applications are worked out, so that the applications of a
        contract recomputed together, earliest first, each work out their
        own lines once; an application already in it is not worked out
        again. Within ``_sharing_g703_figures``, the figures of the saved
        lines are worked out once, with retention, for every reader."""
        self.ensure_one()
        shared = self.env.cr.cache.get(SHARED_G703_FIGURES)
        shared_key = (self.id, self.env.su) if shared is not None and lines is None else None
        if shared_key:
            with_retention = True
            if shared_key in shared:
                if earlier_figures is not None:
                    earlier_figures[self] = shared[shared_key]
                return shared[shared_key]
        if lines is None and with_retention and earlier_figures and self in earlier_figures:
            return earlier_figures[self]
        lines = self.line_ids if lines is None else lines
        contract = self._contract()
        round_amount = self._amount_rounding()
        frozen_of = {line: line.frozen_values or {} for line in lines}
        key_of = {line: line._billing_source_key() for line in lines}
        billed_before = self._billed_before() if not all(frozen_of.values()) else {}
        scheduled = lines._scheduled_values(frozen_of)
        has_rules = bool(contract.retention_rule_ids)
        figures = {}
        for line, frozen in frozen_of.items():
            if frozen:
                previous_work, previous_released = frozen["previous_work"], frozen["previous_retainage_released"]
            else:
                previous_work, previous_released = billed_before.get(key_of[line], (0.0, 0.0))
            figures[line] = G703Line(
                source=key_of[line],
                scheduled_value=scheduled[line],
                previous_work=round_amount(previous_work),
                work_this_period=line.work_this_period,
                materials_stored=line.materials_stored,
                retainage_rate=line.retainage_rate,
                retainage_rate_materials=line.retainage_rate_materials,
                follows_rules=has_rules and line._follows_retention_rules(),
                retainage_released=line.retainage_released,
                previous_retainage_released=round_amount(previous_released),
                retainage_work=frozen.get("retainage_work", 0.0),
                retainage_on_materials=frozen.get("retainage_on_materials", 0.0),
                retainage_covered_work=frozen.get("retainage_covered_work", 0.0),
                retainage_covered_materials=frozen.get("retainage_covered_materials", 0.0),
            )
        live = [line for line, frozen in frozen_of.items() if "retainage_work" not in frozen]
        if with_retention and live:
            previous_application = self._previous_application()
            previous_figures = {}
            if previous_application:
                earlier_figures = {} if earlier_figures is None else earlier_figures
                previous_figures = previous_application._g703_lines(earlier_figures=earlier_figures)
            previous_by_key = {figure.source: figure for figure in previous_figures.values()}
            previous = {line: previous_by_key.get(key_of[line], G703Line()) for line in lines}
            required = {
                line: tuple(
                    before + now for before, now in zip(previous[line].retention_required(), withheld, strict=True)
                )
                for line, withheld in self._retention_to_withhold(figures, previous, previous_figures).items()
            }
            covered = self._guarantee_cover(required, figures)
            for line in live:
                (work, materials), (covered_work, covered_materials) = required[line], covered[line]
                figure = figures[line]
                figure.retainage_covered_work, figure.retainage_covered_materials = covered_work, covered_materials
                figure.retainage_work = round_amount(work - covered_work)
                figure.retainage_on_materials = round_amount(materials - covered_materials)
        if with_retention and earlier_figures is not None and lines == self.line_ids:
            earlier_figures[self] = figures
        if shared_key:
            shared[shared_key] = figures
        return figures

    @contextmanager
    def _sharing_g703_figures(self):
        """Within the block, each application's G703 figures (``_g703_lines``
        of its saved lines) are worked out once, with retention, and read by
        all: the over-billing check of a bulk write of the lines' amounts, then
        the G702 figures recomputed when it is flushed, which would otherwise
        each work out a thousand lines
        (readme/USAGE.md, "Auto-completing owner invoices").
        For a block that, after its lines' amounts, writes nothing the
        figures depend on; it flushes before the end, and the figures are
        forgotten when it ends."""
        cache = self.env.cr.cache
        if SHARED_G703_FIGURES in cache:
            yield
            return
        cache[SHARED_G703_FIGURES] = {}
        try:
            yield
            self.env.flush_all()
        finally:
            cache.pop(SHARED_G703_FIGURES, None)

    def _amount_currency(self):
        """The currency of the application's amounts: its own, else its contract's (not saved yet)."""
        return self.currency_id or self._contract().currency_id

    def _amount_rounding(self):
        """res.currency.round of the application's currency as a plain
        function, for the thousands of amounts of a Schedule of Values worked
        out at once (no record call per amount)."""
        return functools.partial(float_round, precision_rounding=self._amount_currency().rounding)

    def _amount_is_zero(self):
        """res.currency.is_zero of the application's currency as a plain
        function, for the hundreds of amounts auto-completion compares at once
        (no record call per amount)."""
        return functools.partial(float_is_zero, precision_rounding=self._amount_currency().rounding)

    def _billed_before(self):
        """{billing source key: (D, retainage released before)} of the lines
        of this application: what the earlier non-void applications of the
        contract billed and released on the same source, in one grouped read.
        Under the roll forward stored materials method (Procore), the F of
        each earlier application, which then starts at zero and holds the
        materials stored that period, is counted in D too."""
        self.ensure_one()
        position = self._application_position()
        earlier = self._other_applications().filtered(lambda other: other._application_position() < position)
        if not earlier:
            return {}
        Line = self.env[self.line_ids._name]
        rolls_stored = self._contract().stored_materials_method == "roll_forward"
        return {
            tuple(source.id for source in sources): (work + (materials if rolls_stored else 0.0), released)
            for *sources, work, materials, released in Line._read_group(
                [("invoice_id", "in", earlier.ids)],
                list(Line._source_fields),
                ["work_this_period:sum", "materials_stored:sum", "retainage_released:sum"],
            )
        }

    @api.depends(lambda self: [
        "frozen_values", "period_id.date_end", *(
            f"{self._contract_field}.retention_guarantee_ids.{name}"
            for name in ("amount", "date_start", "date_expiry", "date_returned")
        ),
    ])
    def _compute_retainage_guarantee_cover(self):
        """The guarantees of the contract in force on the last day of the
        billing period (readme/USAGE.md, "Bank guarantees and retention bonds"), frozen with the application: a
        guarantee recorded or returned later changes no certified application. One
        frozen before guarantees existed had none."""
        Guarantee = self.env["progress.billing.retention.guarantee"]
        for invoice in self:
            if invoice.frozen_values:
                invoice.retainage_guarantee_cover = invoice.frozen_values.get("retainage_guarantee_cover", 0.0)
                continue
            day = invoice.period_id.date_end
            guarantees = invoice._contract().retention_guarantee_ids
            in_force = guarantees.filtered_domain(Guarantee._in_force_domain(day)) if day else guarantees.browse()
            invoice.retainage_guarantee_cover = sum(in_force.mapped("amount"))

    @api.depends(lambda self: [
        "total_earned", "frozen_values", "period_id", "date", "state",
        *self._contract_applications_depends("total_earned", "state", "period_date_start", "date"),
    ])
    def _compute_payment_due(self):
        """G702 lines 7 and 8: 7 = line 6 of the previous application, 8 = 6 - 7.

        A compute of its own (readme/USAGE.md, "Bills, invoices and retainage",
        the same figures everywhere): line 6 of the previous application is read while lines 7-8
        are computed, and a field is computed as 0 when read on a record
        whose own compute is under way. Line 6 being another compute, reading
        it computes it first, so the figures do not depend on which
        applications are read together nor in which order."""
        for invoice in self:
            frozen = invoice.frozen_values or {}
            if "previous_certificates" in frozen:
                invoice.previous_certificates = frozen["previous_certificates"]
            else:
                invoice.previous_certificates = (
                    invoice._previous_application().total_earned if invoice._contract() else 0.0
                )
            invoice.current_payment_due = invoice.total_earned - invoice.previous_certificates

    @api.depends("claim_frozen", "claimed_amount_due", "current_payment_due", "line_ids.certification_difference")
    def _compute_certified_difference(self):
        for invoice in self:
            claimed = invoice.claimed_amount_due if invoice.claim_frozen else invoice.current_payment_due
            invoice.certified_difference = invoice.current_payment_due - claimed
            invoice.has_certification_difference = any(line._differs_from_claim() for line in invoice.line_ids)

    @api.depends("state", "period_id")
    @api.depends_context("uid")
    def _compute_is_editable(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for invoice in self:
            invoice.is_editable = invoice._editable_reason(is_manager) is None

    def _editable_reason(self, is_manager):
        """Why the user may not edit this application, or None. Only Draft and
        Revise and Resubmit applications (and, for managers, those Under
        Review) are editable, and only the latest one of a contract (readme/USAGE.md, "Pay applications")."""
        editable = self._editable_states + (self._manager_editable_states if is_manager else ())
        if self.state not in editable:
            return self.env._(
                "%(invoice)s is %(state)s and can no longer be edited.",
                invoice=self.display_name,
                state=self._fields["state"].convert_to_export(self.state, self),
            )
        later = self._later_applications()
        if later:
            return self.env._(
                "%(invoice)s is followed by %(later)s: only the latest application of a contract can be edited.",
                invoice=self.display_name,
                later=later[0].display_name,
            )
        return None

    def _later_applications(self):
        self.ensure_one()
        if not self._origin.id:
            return self.browse()
        position = self._application_position()
        return self._other_applications().filtered(lambda other: other._application_position() > position)

    def _check_editable(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP) or self.env.su
        for invoice in self:
            reason = invoice._editable_reason(is_manager)
            if reason:
                raise UserError(reason)

    @api.constrains("period_id", "project_id")
    def _check_period_project(self):
        for invoice in self.filtered("period_id"):
            if invoice.period_id.project_id != invoice.project_id:
                raise ValidationError(
                    self.env._(
                        "%(invoice)s is for project %(project)s "
                        "but billing period %(period)s belongs to project %(other)s.",
                        invoice=invoice.display_name,
                        project=invoice.project_id.display_name,
                        period=invoice.period_id.display_name,
                        other=invoice.period_id.project_id.display_name,
                    )
                )

    def _check_period_not_billed(self, vals):
        """A contract has at most one non-void application per billing period
        (foundation issue). Checked on the values about to be saved, before the
        unique index (kept against concurrent requests) refuses them, so that
        the message names the application already there."""
        # on create, ``self`` is empty: check the new values alone
        for invoice in self or [self]:
            contract_id = vals.get(self._contract_field, invoice[self._contract_field].id)
            period_id = vals.get("period_id", invoice.period_id.id)
            if not (contract_id and period_id) or vals.get("state", invoice.state) == "void":
                continue
            other = self.search([
                (self._contract_field, "=", contract_id), ("period_id", "=", period_id),
                ("state", "!=", "void"), ("id", "not in", invoice.ids),
            ], limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(contract)s already has %(invoice)s in "
                        "billing period %(period)s: void it before billing this period again.",
                        contract=other._contract().display_name,
                        invoice=other.display_name,
                        period=other.period_id.display_name,
                    )
                )

    def _check_creates_latest(self, vals):
        """A new application comes after every other one of its contract: only
        the latest application is editable (readme/USAGE.md, "Pay applications"), so one slipped in before a
        later one could never get its lines."""
        period = self.env["progress.billing.period"].browse(vals.get("period_id"))
        contract_id = vals.get(self._contract_field)
        if not (period and contract_id) or vals.get("state", "draft") == "void":
            return
        later = self.search([
            (self._contract_field, "=", contract_id), ("state", "!=", "void"),
            ("period_date_start", ">", period.date_start),
        ], order="period_date_start, id")
        if not later:
            return
        names = format_list(
            self.env,
            [
                # self.env._: a comprehension's frame has no ``self`` for _() to find the language in
                self.env._(
                    "%(invoice)s (billing period %(period)s)",
                    invoice=invoice.display_name,
                    period=invoice.period_id.display_name,
                )
                for invoice in later
            ],
        )
        values = {"document": self._new_document_label(), "contract": later._contract()[:1].display_name,
                  "period": period.display_name, "later": names}
        if len(later) == 1:
            raise UserError(
                self.env._(
                    "Cannot create %(document)s of %(contract)s "
                    "for billing period %(period)s: %(later)s already exists, "
                    "and only the latest pay application of a contract can be edited. "
                    "Create it in the latest billing period, or void the later application first.",
                    **values,
                )
            )
        raise UserError(
            self.env._(
                "Cannot create %(document)s of %(contract)s for billing period %(period)s: %(later)s already exist, "
                "and only the latest pay application of a contract can be edited. "
                "Create it in the latest billing period, or void the later applications first.",
                **values,
            )
        )

    def _check_has_period(self, vals):
        """An application bills one billing period (readme/USAGE.md, "Pay applications"): one saved without
        would count as the latest and lock the real one."""
        if not vals.get("period_id"):
            raise ValidationError(
                self.env._(
                    "Cannot save %(document)s without a billing period: choose the billing period it bills.",
                    document=self._new_document_label(),
                )
            )

    def _new_document_label(self):
        """The application model's name as a sentence says it: “an owner invoice”."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        """Every check on the new values runs before ``super().create`` draws
        the number, so a refused application consumes none (readme/USAGE.md, "Pay applications")."""
        # the checks read the values as saved, defaults included
        vals_list = [self._add_missing_default_values(vals) for vals in vals_list]
        for vals in vals_list:
            self._check_has_period(vals)
            self._check_period_not_billed(vals)
            self._check_creates_latest(vals)
            self.env["progress.billing.period"].browse(vals.get("period_id"))._check_accepts_new_invoice(
                self._new_document_label()
            )
        # several applications of one contract (an import): created and given their lines one at a time, earliest
        # period first, each while it is the latest of its contract (only the latest is editable), as one by one
        periods = self.env["progress.billing.period"].browse({vals["period_id"] for vals in vals_list})
        starts = {period.id: period.date_start for period in periods}
        rounds, per_contract = defaultdict(list), Counter()
        for index in sorted(range(len(vals_list)), key=lambda index: starts[vals_list[index]["period_id"]]):
            contract_id = vals_list[index].get(self._contract_field)
            rounds[per_contract[contract_id]].append(index)
            per_contract[contract_id] += 1
        created = {}
        for indexes in rounds.values():
            batch = super().create([vals_list[index] for index in indexes])
            batch._sync_lines()
            created.update(zip(indexes, batch.ids, strict=True))
        invoices = self.browse([created[index] for index in range(len(vals_list))])
        # an administrator's import of applications Under Review: what they claim is frozen as by Submit
        invoices.filtered(lambda invoice: invoice.state == "under_review")._freeze_claim()
        return invoices

    def write(self, vals):
        if set(vals) & {self._contract_field, *self._locked_fields}:
            self._check_editable()
        if "period_id" in vals:
            self._check_has_period(vals)
        if set(vals) & {"period_id", self._contract_field, "state"}:
            self._check_period_not_billed(vals)
        if vals.get("period_id"):
            self.env["progress.billing.period"].browse(vals["period_id"])._check_accepts_new_invoice(self._new_document_label())
        result = super().write(vals)
        if set(vals) & {"state", "period_id", "date"}:
            # D, I (retention adds to the previous application's)
            # and line 7 of the other applications depend on this one
            self.env[self.line_ids._name].invalidate_model([
                "previous_work", "previous_retainage_released", "retainage_work", "retainage_on_materials", "retainage",
            ])
            self.invalidate_model()
        if "state" in vals:
            self._freeze_for_state(vals["state"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_latest_draft(self):
        """Only a draft is deleted, and only the latest application of its
        contract: the later ones count its work in D and line 7."""
        for invoice in self:
            if invoice.state != "draft":
                raise UserError(
                    self.env._(
                        "%(invoice)s is not a draft: void it instead of deleting it.", invoice=invoice.display_name
                    )
                )
        self._check_editable()

    def _sync_lines(self):
        """Give the application a line for each line of the schedule of values
        and each approved change order line billed on its own."""
        for invoice in self:
            billed = {line._billing_source_key() for line in invoice.line_ids}
            source_fields = invoice.line_ids._source_fields
            new_lines = [
                vals for vals in invoice._prepare_line_values()
                if tuple(vals.get(name, False) for name in source_fields) not in billed
            ]
            if new_lines:
                invoice.line_ids = [fields.Command.create(vals) for vals in new_lines]

    def _fill_from_contract(self):
        """On the form, picking the contract shows its schedule of values at
        once (the lines create() would add) and proposes the project's Open
        billing period (readme/USAGE.md, "Billing periods": a new invoice goes in the Open period). The
        period comes first: it tells which application is the previous one,
        whose stored materials the lines start with."""
        if self.period_id.project_id != self.project_id:
            self.period_id = self.project_id.billing_period_ids.filtered(lambda period: period.state == "open")[:1]
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(vals) for vals in self._prepare_line_values()
        ]

    def action_sync_lines(self):
        self._check_editable()
        self._sync_lines()

    def _prepare_line_values(self):
        """Values of one line per contract line and separately billed approved change order line."""
        self.ensure_one()
        contract = self._contract()
        source_field, change_field = self.line_ids._source_fields
        values = []
        for sequence, contract_line in enumerate(contract._schedule_of_values(), start=1):
            values.append(self._line_values_from(contract_line, sequence, {source_field: contract_line.id}))
        approved = contract.change_order_ids.filtered(lambda order: order.state == "approved")
        for sequence, change_line in enumerate(
            approved.line_ids.filtered(lambda line: not line[source_field]), start=len(values) + 1
        ):
            values.append(self._line_values_from(change_line, sequence, {change_field: change_line.id}))
        opening_stored = self._opening_stored_materials()
        for vals in values:
            vals["materials_stored"] = opening_stored.get(
                (vals.get(source_field, False), vals.get(change_field, False)), 0.0
            )
        return values

    def _opening_stored_materials(self):
        """{billing source key: F} a new application of the contract starts
        with. Materials Presently Stored (F) is a balance, not a period
        amount (AIA G703; readme/USAGE.md, "Bills, invoices and retainage"): under the carry forward method
        a line starts with the F of the same line on the previous
        application, the materials still on site, which the user reduces as
        they are installed (moving them into E); under roll forward the
        previous F is counted in D and F starts at zero."""
        self.ensure_one()
        if self._contract().stored_materials_method != "carry_forward":
            return {}
        return {line._billing_source_key(): line.materials_stored for line in self._previous_application().line_ids}

    def _line_values_from(self, source, sequence, link):
        contract = self._contract()
        return {
            **link,
            "sequence": sequence,
            "name": source.name,
            "cost_code_id": source.cost_code_id.id,
            "cost_type_id": source.cost_type_id.id,
            "retainage_rate": source.retainage_rate if "retainage_rate" in source._fields else contract.retainage_rate,
            "retainage_rate_materials": contract.retainage_rate_materials,
        }

    def _retention_to_withhold(self, figures, previous, previous_figures):
        """The retention this application withholds this period, per line:
        {line: (on work, on stored materials)}, the increase of the line's
        retention on work (5a) and on stored materials (5b) over the previous
        application. G702 line 5, G703 column I and the retention line of the
        bill all follow from it (readme/USAGE.md, "Bills, invoices and retainage", sliding-scale retention:
        the one place where what is withheld is decided). ``figures``: the
        G703Line of each line (``_g703_lines``); ``previous``: the G703Line
        of the same source on the previous application (all zeros without
        one); ``previous_figures``: the previous application's.

        A line at its own rate (a contract without retention rules, or a line
        overriding them) holds its rate on work completed to date (D + E) and
        its materials rate on the materials presently stored (F), each rounded
        to the currency, as it always has. The lines following the rules
        withhold what ``_retention_by_rules`` gives."""
        self.ensure_one()
        round_amount = self._amount_rounding()
        withheld = {}
        by_rules = []
        for line, figure in figures.items():
            if figure.follows_rules:
                by_rules.append(line)
                continue
            before_work, before_materials = previous[line].retention_required()
            withheld[line] = (
                round_amount((figure.previous_work + figure.work_this_period) * figure.retainage_rate / 100)
                - before_work,
                round_amount(figure.materials_stored * figure.retainage_rate_materials / 100) - before_materials,
            )
        if by_rules:
            withheld.update(self._retention_by_rules(by_rules, figures, previous, previous_figures, withheld))
        return withheld

    def _retention_by_rules(self, lines, figures, previous, previous_figures, withheld_at_own_rate):
        """{line: (on work, on stored materials)} withheld this period on
        ``lines`` by the contract's retention rules (readme/USAGE.md, "Bills, invoices and retainage"),
        computed by the pure function of tools/retention_rules.py from the contract's
        completed and stored (G702 line 4) and retention withheld (5a + 5b)
        of the previous application, the lines at their own rate of this
        period counted first.

        What a line claims this period is the increase of its G: the materials
        newly stored are claimed as materials, the rest as work. Materials
        installed (leaving F: the decrease of F under the carry forward method,
        the whole previous F under roll forward) were claimed when stored: the
        retention held on them moves from stored materials to work, at the
        share of the previous F they are, and they are not claimed again."""
        self.ensure_one()
        contract = self._contract()
        round_amount = self._amount_rounding()
        completed = sum(figure.total_completed for figure in previous_figures.values()) + sum(
            figures[line].total_completed - previous[line].total_completed for line in withheld_at_own_rate
        )
        # guarantees count with the cash: retention stops once both reach what the rules require
        withheld = (
            sum(sum(figure.retention_required()) for figure in previous_figures.values())
            + sum(work + materials for work, materials in withheld_at_own_rate.values())
        )
        rules = [
            rule._limit(contract.revised_contract_sum, contract.original_contract_sum)
            for rule in contract.retention_rule_ids
        ]
        rolls_stored = contract.stored_materials_method == "roll_forward"
        claims, moved = [], []
        for line in lines:
            figure, before = figures[line], previous[line]
            stored_before = before.materials_stored
            installed = stored_before if rolls_stored else max(stored_before - figure.materials_stored, 0.0)
            moved.append(
                round_amount(before.retention_required()[1] * installed / stored_before) if stored_before else 0.0
            )
            claimed_materials = figure.materials_stored - stored_before + installed
            claims.append(retention_rules.Claim(
                work=figure.total_completed - before.total_completed - claimed_materials, materials=claimed_materials,
            ))
        shares = retention_rules.withhold(rules, completed, withheld, claims, self._amount_currency().rounding)
        return {
            line: (move + share.work, share.materials - move)
            for line, move, share in zip(lines, moved, shares, strict=True)
        }

    def _guarantee_cover(self, required, figures):
        """{line: (on work, on stored materials)} of the retention ``required``
        (the same, per line, to date) that bank guarantees and retention bonds
        cover instead of cash (readme/USAGE.md, "Bank guarantees and retention bonds"). The cover in force for the
        application (``retainage_guarantee_cover``, frozen with it) is split
        over the lines in proportion to the retention each still holds
        (required less released before), exact to the cent and never above it
        (tools/retention.py), and taken from the retention on work first.
        Cash is withheld only once what the contract requires exceeds the
        cover; a guarantee expired or returned lets it be withheld again."""
        self.ensure_one()
        if not self.retainage_guarantee_cover:
            return dict.fromkeys(required, (0.0, 0.0))
        unit = 10 ** self.currency_id.decimal_places
        shares = guarantee_cover(
            round(self.retainage_guarantee_cover * unit),
            [
                round((work + materials - figures[line].previous_retainage_released) * unit)
                for line, (work, materials) in required.items()
            ],
        )
        covered = {}
        for (line, (work, _materials)), share in zip(required.items(), shares, strict=True):
            on_work = min(share / unit, max(work, 0.0))
            covered[line] = (on_work, share / unit - on_work)
        return covered

    def _before_state_write(self, state):
        """The claim is frozen once every check of the status write passed,
        before the status moves: a subcontractor submitting from the portal
        may write its invoice only while it is a draft (or sent back)."""
        super()._before_state_write(state)
        if state == "under_review":
            self.filtered(lambda invoice: invoice.state != "under_review")._freeze_claim()

    def _check_transition(self, transition):
        super()._check_transition(transition)
        if transition.target == "approved":
            self._check_certified_as_claimed()

    def _freeze_for_state(self, state):
        """readme/CONFIGURE.md, "Workflow and locks": an application is frozen
        once out of review, and unfrozen when it is back in an editable
        status, whichever way its status moved: a workflow step, or an
        administrator's status write or import (the figures frozen do not
        depend on the application's own status)."""
        if self._is_frozen_state(state):
            self.filtered(lambda invoice: not invoice.frozen_values)._freeze()
        else:
            self._unfreeze()

    def _is_frozen_state(self, state):
        return state not in self._editable_states + self._manager_editable_states

    def _freeze(self):
        """Once out of review, an application is a certified document: the
        figures it takes from its contract and from earlier applications (C,
        D, G702 lines 1-3 and 7) no longer follow later change orders, edits
        or voids."""
        # every figure read before any is written: each write makes the figures of the application computed again;
        # those of the lines as the applications work them out for all their lines at once
        figures = self.line_ids._g703_figures()
        frozen = [
            {
                line: {
                    name: line.currency_id.round(getattr(figures[line], name)) for name in line._frozen_fields
                }
                for line in self.line_ids
            },
            {invoice: {name: invoice[name] for name in invoice._frozen_fields} for invoice in self},
        ]
        for values in frozen:
            self._write_frozen_values(values)

    def _write_frozen_values(self, values):
        """Write the frozen figures ``values`` ({record: its frozen values},
        records of one model: these applications or their lines) in one
        UPDATE: freezing writes every line of an application, a thousand on a
        large Schedule of Values, and each write through the ORM made the
        application's figures computed again. Only freezing writes them
        (``_protected_fields``); whoever may write the applications may have
        them frozen by their workflow."""
        if values:
            records = self.env[next(iter(values))._name].concat(*values)
            write_per_record(records, {"frozen_values": list(values.values())})

    def _unfreeze(self):
        """Only what is frozen is written: a subcontractor submitting from the
        portal may no longer write its invoice once it is Under Review."""
        trusted(self.line_ids.filtered("frozen_values")).frozen_values = False
        trusted(self.filtered("frozen_values")).frozen_values = False

    def _freeze_claim(self):
        """readme/USAGE.md, "Claimed and certified amounts": whenever an application goes Under Review (Submit, a
        resubmission after Revise and Resubmit, an administrator's status
        write or import), what it claims is frozen: E, F (and quantities) per
        line, G702 line 8 on the header. Only this method writes them
        (``_protected_fields``); the reviewers then certify by changing the
        line amounts, each difference with its reason. A resubmission freezes
        the new claim: the chatter keeps the earlier one (line 8 is tracked,
        and the lines whose claim changed are listed with their earlier claim)."""
        for invoice in self:
            if invoice.claim_frozen:
                invoice._log_replaced_claim()
            invoice.line_ids._write_claim()
            trusted(invoice).write({"claim_frozen": True, "claimed_amount_due": invoice.current_payment_due})

    def _log_replaced_claim(self):
        """Before a resubmission freezes the new claim: the lines whose claim
        changes, with what they claimed before, in the chatter."""
        self.ensure_one()
        changed = self.line_ids.filtered(
            lambda line: any(line[claimed] != value for claimed, value in line._claim_values().items())
        )
        if not changed:
            return
        rows = Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(line)s: claimed %(work)s this period and %(stored)s stored before",
                line=line.name,
                work=format_amount(self.env, line.claimed_work_this_period, line.currency_id),
                stored=format_amount(self.env, line.claimed_stored_materials, line.currency_id),
            )
            for line in changed
        )
        self._message_log(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "%(invoice)s was resubmitted: its new claim replaces the earlier one on these lines.",
                    invoice=self.display_name,
                ),
                rows,
            )
        )

    def _check_certified_as_claimed(self):
        """readme/USAGE.md, "Claimed and certified amounts" (as Procore): an application certified at other amounts
        than claimed is Approved as Noted, never plainly Approved."""
        for invoice in self:
            differing = invoice.line_ids.filtered(lambda line: line._differs_from_claim())
            if differing:
                raise UserError(
                    self.env._(
                        "%(invoice)s is certified at other amounts than claimed on %(lines)s: approve it as noted.",
                        invoice=invoice.display_name,
                        lines=format_list(self.env, differing.mapped("name")),
                    )
                )


    def action_submit(self):
        """Draft or Revise and Resubmit -> Under Review; an application bills
        one billing period (readme/USAGE.md, "Pay applications"), required on every application."""
        self._apply_transition("action_submit")

    def action_void(self):
        """Managers void any application not in a final status."""
        self._apply_transition("action_void")

    def action_reset_to_draft(self):
        self._apply_transition("action_reset_to_draft")

    # pay application PDF (report/progress_billing_pay_application_templates.xml)

    def _pay_application_parties(self):
        """Who bills whom, and the words naming them, on the pay application PDF."""
        raise NotImplementedError

    def _pay_application_sheets(self):
        """The G703 lines split into continuation sheets that each fit one
        page, the last one keeping room for the grand total. Explicit sheets
        repeat the column headings on every page and give each application a
        known number of pages, even where wkhtmltopdf cannot repeat table
        headers (unpatched Qt)."""
        self.ensure_one()
        return self._split_into_sheets(self.line_ids, lambda line: line.name)

    def _certification_sheets(self):
        """readme/USAGE.md, "Claimed and certified amounts": when some lines are certified (or scheduled) at other
        amounts than claimed, sheets after the G703 list them with the claimed
        and certified amounts, the difference and its reason; none otherwise."""
        self.ensure_one()
        differing = self.line_ids.filtered(lambda line: line._differs_from_claim())
        if not differing:
            return []
        return self._split_into_sheets(
            differing, lambda line: max(line.name or "", line.certification_reason or "", key=len)
        )

    def _split_into_sheets(self, lines, text_of):
        """``lines`` split into sheets of one page each, a line's height
        following the wrapping of its longest text (``text_of(line)``), the
        last sheet keeping room for a total row."""
        sheets, sheet, used = [], [], 0
        for line in lines:
            wrapped_lines = max(0, (len(text_of(line) or "") - 1) // DESCRIPTION_LINE_CHARS)
            height = ROW_HEIGHT + wrapped_lines * WRAPPED_LINE_HEIGHT
            if sheet and used + height > SHEET_ROWS_HEIGHT:
                sheets.append(sheet)
                sheet, used = [], 0
            sheet.append(line)
            used += height
        if len(sheet) > 1 and used + ROW_HEIGHT > SHEET_ROWS_HEIGHT:
            # the grand total row needs room on the last sheet
            sheets.append(sheet[:-1])
            sheet = sheet[-1:]
        sheets.append(sheet)
        return [lines.browse([line.id for line in sheet]) for sheet in sheets]

    def _append_to_pay_application_pdf(self, writer):
        """Add pages after the pay application's own in its PDF (the pypdf
        ``writer`` holding them); nothing by default."""

    def _pay_application_page_count(self):
        """Pages of the pay application PDF: the G702 summary, then the sheets."""
        self.ensure_one()
        return 1 + len(self._pay_application_sheets()) + len(self._certification_sheets())

    # G703 Excel export (tools/g703_workbook.py, controllers/progress_billing_export.py)

    def action_export_g703_xlsx(self):
        """Export G703 to Excel (readme/USAGE.md, "Export G703 to Excel"): the download of the workbook of
        these applications, from the form or a selection in the list. The
        route reads them again as the requesting user."""
        if not self:
            raise UserError(self.env._("Select at least one pay application to export."))
        self.check_access("read")
        ids = ",".join(str(record_id) for record_id in self.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/progress_billing/g703.xlsx?model={self._name}&ids={ids}",
            "target": "download",
        }

    def _g703_workbook(self):
        """The G703 workbook of these applications, as bytes: a G702 summary
        sheet, then one continuation sheet per application, in this order."""
        currency = self.company_id.currency_id[:1] or self.env.company.currency_id
        return g703_workbook.G703Workbook(self._g703_workbook_labels(), currency.decimal_places).build(
            [application._g703_workbook_application() for application in self]
        )

    def _g703_workbook_application(self):
        self.ensure_one()
        parties = self._pay_application_parties()
        return g703_workbook.G703Application(
            name=self.name,
            details=[
                (self.env._("Project"), self.project_id.name or ""),
                (parties["contract_label"], parties["contract"].name or ""),
                (parties["from_label"], parties["from"].name or ""),
                (self.env._("Application No."), self.name),
                (self.env._("Invoice Date"), format_date(self.env, self.date)),
                (self.env._("Period To"), format_date(self.env, self.date_end)),
            ],
            lines=[
                g703_workbook.G703Line(
                    item=line.sequence,
                    cost_code=line.g703_code,
                    description=line.name,
                    scheduled=line.scheduled_value,
                    previous=line.previous_work,
                    this_period=line.work_this_period,
                    stored=line.materials_stored,
                    retainage_rate=line.retainage_rate,
                    retainage_rate_materials=line.retainage_rate_materials,
                    retainage_released=line.previous_retainage_released + line.retainage_released,
                    completed=line.total_completed,
                    percent=line.percent_complete,
                    balance=line.balance_to_finish,
                    retainage=line.retainage,
                    retainage_by_rules=line._follows_retention_rules(),
                )
                for line in self.line_ids
            ],
            original_contract_sum=self.original_contract_sum,
            net_change_orders=self.net_change_orders,
            retainage_work=self.retainage_work,
            retainage_materials=self.retainage_materials,
            retainage_released=self.retainage_released,
            previous_certificates=self.previous_certificates,
            figures={
                "sum_to_date": self.contract_sum_to_date,
                "completed": self.total_completed,
                "total_retainage": self.total_retainage,
                "earned": self.total_earned,
                "due": self.current_payment_due,
                "balance_to_finish": self.balance_to_finish,
                "work_this_period": self.work_this_period,
                "materials_stored": self.materials_stored,
            },
        )

    def _g703_workbook_labels(self):
        return {
            "summary_sheet": self.env._("G702 Summary"),
            "summary_title": self.env._("Application and Certificate for Payment"),
            "continuation_sheet": self.env._("Continuation Sheet"),
            "application": self.env._("Application No."),
            "grand_total": self.env._("Grand Total"),
            "item": self.env._("Item No."),
            "cost_code": self.env._("Cost Code"),
            "description": self.env._("Description of Work"),
            "scheduled": self.env._("Scheduled Value"),
            "previous": self.env._("Work Completed From Previous Application"),
            "this_period": self.env._("Work Completed This Period"),
            "stored": self.env._("Materials Presently Stored (Not in D or E)"),
            "completed": self.env._("Total Completed and Stored to Date (D+E+F)"),
            "percent": self.env._("% (G ÷ C)"),
            "balance": self.env._("Balance to Finish (C − G)"),
            "retainage": self.env._("Retainage"),
            "rate_work": self.env._("Retainage on Work (%)"),
            "rate_materials": self.env._("Retainage on Stored Materials (%)"),
            "released": self.env._("Retainage Released to Date"),
            "g702_original": self.env._("1. Original Contract Sum"),
            "g702_net_change": self.env._("2. Net Change by Change Orders"),
            "g702_sum_to_date": self.env._("3. Contract Sum to Date (Line 1 ± 2)"),
            "g702_completed": self.env._("4. Total Completed and Stored to Date (Column G)"),
            "g702_retainage_work": self.env._("5a. Retainage on Completed Work (Columns D + E)"),
            "g702_retainage_materials": self.env._("5b. Retainage on Stored Material (Column F)"),
            "g702_retainage_released": self.env._("less Retainage Released to Date"),
            "g702_total_retainage": self.env._("5. Total Retainage (Column I)"),
            "g702_earned": self.env._("6. Total Earned Less Retainage (Line 4 − Line 5)"),
            "g702_previous_certificates": self.env._(
                "7. Less Previous Certificates for Payment (Line 6 of Prior Application)"
            ),
            "g702_due": self.env._("8. Current Payment Due"),
            "g702_balance_to_finish": self.env._("9. Balance to Finish, Including Retainage (Line 3 − Line 6)"),
            "g702_work_this_period": self.env._("Work Completed This Period (Column E)"),
            "g702_materials_stored": self.env._("Materials Presently Stored (Column F)"),
        }
