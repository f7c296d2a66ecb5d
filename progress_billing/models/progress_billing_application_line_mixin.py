# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
from collections import defaultdict

from odoo import api, fields, models
from odoo.api import NewId
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.misc import format_amount

from ..tools.g703 import G703Line
from ..tools.shared_json_field import SharedJson
from ..tools.trusted_write import check_trusted_write, is_trusted
from ..tools.workflow import MANAGER_GROUP

# G703 columns in money that the application works out for all its lines at once (tools.g703.G703Line)
G703_AMOUNT_COLUMNS = (
    "previous_work", "previous_retainage_released", "total_completed", "balance_to_finish", "retainage_work",
    "retainage_on_materials", "retainage_covered_work", "retainage_covered_materials", "retainage",
)


class ProgressBillingApplicationLineMixin(models.AbstractModel):
    """A line of a pay application (subcontractor or owner invoice) with the
    AIA G703 columns C-I."""

    _name = "progress.billing.application.line.mixin"
    _description = "Pay Application Line"
    _order = "invoice_id, sequence, id"

    # set by each line model: the fields naming what the line bills (a contract line or a change order line)
    _source_fields = ()
    # fields of the review workflow, written while the application itself is locked
    _workflow_fields = frozenset()
    # columns taken from other documents (contract, earlier applications), frozen with the application
    _frozen_fields = (
        "scheduled_value", "previous_work", "previous_retainage_released", "retainage_work", "retainage_on_materials",
        "retainage_covered_work", "retainage_covered_materials",
    )
    # fields the user enters to bill an amount
    _billed_fields = ("work_this_period", "materials_stored")
    # readme/USAGE.md, "Claimed and certified amounts": claimed field -> the field whose value the claim froze
    _claim_fields = {"claimed_work_this_period": "work_this_period", "claimed_stored_materials": "materials_stored"}
    # figures only the addon's own code writes, through ``trusted`` (readme/CONFIGURE.md, "Workflow and locks")
    _protected_fields = ("frozen_values", "claimed_work_this_period", "claimed_stored_materials")

    # each line model narrows this to its own application model
    invoice_id = fields.Many2one("progress.billing.application.mixin", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char("Description", required=True)
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    cost_code_id = fields.Many2one("progress.billing.cost.code", index=True, ondelete="restrict")
    cost_type_id = fields.Many2one("progress.billing.cost.type", index=True, ondelete="restrict")
    g703_code = fields.Char(
        "Code", compute="_compute_g703_code",
        help="Cost code (or division) and cost type codes of the line, as on the printed G703.",
    )
    scheduled_value = fields.Monetary(
        compute="_compute_scheduled_value", help="C: scheduled value, revised by approved change orders."
    )
    previous_work = fields.Monetary(
        "From Previous Application", compute="_compute_g703_columns",
        help="D: work completed on earlier applications of this contract.",
    )
    work_this_period = fields.Monetary("Work Completed This Period", help="E: work completed this period.")
    materials_stored = fields.Monetary(
        "Materials Presently Stored",
        help="F: materials stored and not yet installed, not in D or E. A balance: under the contract's carry forward "
        "method a new application starts with the previous one's F, "
        "reduced as the materials are installed (moved into E).",
    )
    total_completed = fields.Monetary(
        "Completed and Stored to Date", compute="_compute_g703_columns", help="G = D + E + F."
    )
    percent_complete = fields.Float("% (G / C)", compute="_compute_g703_columns", digits=(5, 2))
    balance_to_finish = fields.Monetary(compute="_compute_g703_columns", help="H = C - G.")
    retainage_rate = fields.Float("Retainage (%)", digits=(5, 2))
    retainage_rate_materials = fields.Float("Retainage on Stored Materials (%)", digits=(5, 2))
    retainage_released = fields.Monetary(
        "Retainage Released This Period", help="Retainage held on earlier applications and released by this one."
    )
    previous_retainage_released = fields.Monetary(compute="_compute_g703_columns")
    retainage_work = fields.Monetary("Retainage on Completed Work", compute="_compute_g703_columns")
    retainage_on_materials = fields.Monetary("Retainage on Stored Materials", compute="_compute_g703_columns")
    retainage = fields.Monetary("Retainage Held", compute="_compute_g703_columns", help="I: retainage held to date.")
    retainage_covered_work = fields.Monetary(
        "Retainage on Work Covered by Guarantees", compute="_compute_g703_columns",
        help="Retention on completed work the contract requires that bank guarantees and retention bonds cover "
        "instead of cash: not in the retainage on completed work.",
    )
    retainage_covered_materials = fields.Monetary(
        "Retainage on Stored Materials Covered by Guarantees", compute="_compute_g703_columns",
        help="Retention on stored materials the contract requires that bank guarantees and retention bonds cover "
        "instead of cash: not in the retainage on stored materials.",
    )
    frozen_values = SharedJson(readonly=True, copy=False)
    # readme/USAGE.md, "Claimed and certified amounts": the claim (E and F as submitted), and the certified
    # amounts (the line's own E and F)
    claimed_work_this_period = fields.Monetary(
        "Claimed This Period", readonly=True, copy=False,
        help="Work completed this period (E) as claimed when the application was last submitted.",
    )
    claimed_stored_materials = fields.Monetary(
        readonly=True, copy=False,
        help="Materials presently stored (F) as claimed when the application was last submitted.",
    )
    claimed_amount = fields.Monetary(
        "Claimed", compute="_compute_certification", help="E + F as claimed when the application was last submitted."
    )
    certified_amount = fields.Monetary(
        "Certified", compute="_compute_certification", help="E + F of the line: the amounts certified (or scheduled)."
    )
    certification_difference = fields.Monetary(
        "Difference",
        compute="_compute_certification",
        help="Certified less claimed (E + F): negative when less is certified.",
    )
    certification_reason = fields.Char(
        "Reason", copy=False, help="Why the amounts certified (or scheduled) differ from the claim.",
    )

    @api.depends(lambda self: ["invoice_id.claim_frozen", *self._claim_fields, *self._claim_fields.values()])
    def _compute_certification(self):
        """readme/USAGE.md, "Claimed and certified amounts": claimed, certified and their difference in E + F; no
        claim, no difference, until the application is first submitted."""
        amounts = {}
        for line in self:
            certified = line.work_this_period + line.materials_stored
            claimed = (
                line.claimed_work_this_period + line.claimed_stored_materials
                if line.invoice_id.claim_frozen else certified
            )
            amounts[line] = {
                "certified_amount": certified,
                "claimed_amount": claimed,
                "certification_difference": certified - claimed,
            }
        self._set_computed_amounts(amounts)

    def _differs_from_claim(self):
        """Whether any amount of the line (E, F, a quantity) differs from its claim."""
        self.ensure_one()
        if not self.invoice_id.claim_frozen:
            return False
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        for claimed, certified in self._claim_fields.items():
            field = self._fields[certified]
            if field.type == "monetary":
                differs = self.currency_id.compare_amounts(self[claimed], self[certified])
            else:
                differs = float_compare(self[claimed], self[certified], precision_digits=digits)
            if differs:
                return True
        return False

    def _claim_values(self):
        """The values that freeze this line's claim: its amounts as they stand."""
        self.ensure_one()
        return {claimed: self[certified] for claimed, certified in self._claim_fields.items()}

    def _write_claim(self):
        """Freeze the claim of these lines
        (readme/USAGE.md, "Claimed and certified amounts"): each claimed
        column takes the value of the column it freezes (``_claim_fields``, as
        ``_claim_values`` reads them), and the reason of a difference is
        cleared, in one UPDATE: a submission freezes every line of the
        application, a thousand on a large Schedule of Values. Only the
        submission writes them (``_protected_fields``); whoever may write the
        lines may submit them."""
        if not self:
            return
        self.check_access("write")
        self.flush_recordset([*self._claim_fields.values(), *self._claim_fields, "certification_reason"])
        self.env.cr.execute(SQL(
            "UPDATE %(table)s SET %(claims)s, certification_reason = NULL, write_uid = %(uid)s, write_date = %(now)s "
            "WHERE id = ANY(%(ids)s)",
            table=SQL.identifier(self._table), uid=self.env.uid, now=self.env.cr.now(), ids=self.ids,
            claims=SQL(", ").join(
                SQL("%s = %s", SQL.identifier(claimed), SQL.identifier(certified))
                for claimed, certified in self._claim_fields.items()
            ),
        ))
        written = [*self._claim_fields, "certification_reason"]
        self.invalidate_recordset([*written, "write_uid", "write_date"])
        self.modified(written)
        self._validate_fields(written)

    @api.constrains(lambda self: ("certification_reason", *self._claim_fields.values()))
    def _check_certification(self):
        """readme/USAGE.md, "Claimed and certified amounts": a reviewer certifies an application Under Review at
        other amounts than claimed only with a reason on each such line, and
        above the claim only when an Odoo Settings administrator (paying more
        than was claimed is not a reviewer's call). Constraints run as
        superuser: the user asking is ``env.user``."""
        for line in self:
            if line.invoice_id.state != "under_review" or not line._differs_from_claim():
                continue
            values = {
                "line": line.name, "invoice": line.invoice_id.display_name,
                "certified": format_amount(self.env, line.certified_amount, line.currency_id),
                "claimed": format_amount(self.env, line.claimed_amount, line.currency_id),
            }
            if not (line.certification_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s is "
                        "certified at other amounts than claimed (%(certified)s instead of "
                        "%(claimed)s): give the reason for the difference on the line.",
                        **values,
                    )
                )
            if (
                line.currency_id.compare_amounts(line.certified_amount, line.claimed_amount) > 0
                and not self.env.user._is_system()
            ):
                raise AccessError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s cannot "
                        "be certified at %(certified)s, more than the %(claimed)s "
                        "claimed: only an administrator (Settings) may certify more than was claimed.",
                        **values,
                    )
                )

    def _billing_source(self):
        """The contract line or change order line this line bills."""
        self.ensure_one()
        for name in self._source_fields:
            if source := self[name]:
                return source
        return None

    def _billing_source_key(self):
        """The ids of what this line bills, one per source field: the saved
        records' ids also when the line is edited in a form (onchange)."""
        key = []
        for name in self._source_fields:
            source_id = self[name].id
            key.append((source_id.origin or False) if isinstance(source_id, NewId) else source_id)
        return tuple(key)

    def _previous_lines(self):
        """Each line -> the line of the previous application of its contract
        that bills the same source (empty when there is none)."""
        previous_by_key = {
            (invoice, line._billing_source_key()): line
            for invoice in self.invoice_id
            for line in invoice._previous_application().line_ids
        }
        return {
            line: previous_by_key.get((line.invoice_id, line._billing_source_key()), line.browse()) for line in self
        }

    @api.depends(lambda self: [
        "cost_code_id.code", "cost_type_id.code", *(["division_id.code"] if "division_id" in self._fields else []),
    ])
    def _compute_g703_code(self):
        """The cost code column of the G703 (form, PDF and Excel export): the
        cost code, or the division of a line billing one, then the cost type."""
        for line in self:
            code = line.cost_code_id.code or ("division_id" in line._fields and line.division_id.code)
            line.g703_code = ".".join(filter(None, [code, line.cost_type_id.code]))

    @api.depends(lambda self: ["frozen_values", *(f"{name}.revised_scheduled_value" for name in self._source_fields)])
    def _compute_scheduled_value(self):
        scheduled = self._scheduled_values()
        self._set_computed_amounts({line: {"scheduled_value": scheduled[line]} for line in self})

    def _scheduled_values(self, frozen_of=None):
        """{line: C}: the scheduled value frozen with the application, else
        the revised scheduled value of what the line bills, read for all the
        lines at once (``frozen_of``: {line: its frozen values} when already
        read)."""
        frozen_of = frozen_of or {line: line.frozen_values for line in self}
        scheduled = {}
        billing = defaultdict(dict)
        for line in self:
            if frozen_of[line]:
                scheduled[line] = frozen_of[line]["scheduled_value"]
            elif source := line._billing_source():
                billing[source._name][line] = source
            else:
                scheduled[line] = 0.0
        for model, sources in billing.items():
            revised = self.env[model].concat(*sources.values())._revised_scheduled_values()
            scheduled.update((line, revised[source]) for line, source in sources.items())
        return scheduled

    @api.depends(lambda self: [
        "frozen_values", "scheduled_value", "work_this_period", "materials_stored", "retainage_rate",
        "retainage_rate_materials", "retainage_released", *self._source_fields,
        "invoice_id.state", "invoice_id.period_id", "invoice_id.date",
        *(f"invoice_id.{name}" for name in self.invoice_id._contract_applications_depends(
            "state", "period_date_start", "date",
        )),
        # the retention rules share what is withheld over all the lines of the application
        "invoice_id.line_ids.work_this_period", "invoice_id.line_ids.materials_stored",
        "invoice_id.line_ids.retainage_rate", "invoice_id.line_ids.retainage_rate_materials",
        *(f"invoice_id.{self.invoice_id._contract_field}.{name}" for name in (
            "retainage_rate", "stored_materials_method", "original_contract_sum", "revised_contract_sum",
            "retention_rule_ids.sequence", "retention_rule_ids.rate_work", "retention_rule_ids.rate_materials",
            "retention_rule_ids.limit_type", "retention_rule_ids.limit_percent", "retention_rule_ids.limit_amount",
            "retention_rule_ids.contract_sum_basis",
        )),
        "invoice_id.retainage_guarantee_cover",
    ])
    def _compute_g703_columns(self):
        """D, G, H and I of G703, with % complete and the retention split
        between cash and guarantees, as the application works them out for
        all its lines at once (``_g703_lines`` of the application: D sums the
        earlier applications, I adds what this one withholds to the
        previous application's retention, less releases and guarantees). A
        certified application keeps the figures it was certified with
        (readme/CONFIGURE.md, "Workflow and locks": rules or guarantees
        changed later do not change certified figures)."""
        figures = self._g703_figures()
        amounts = {}
        for line in self:
            figure = figures.get(line) or G703Line()
            line.percent_complete = figure.percent_complete
            amounts[line] = {name: getattr(figure, name) for name in G703_AMOUNT_COLUMNS}
        self._set_computed_amounts(amounts)

    def _set_computed_amounts(self, amounts):
        """Set computed Monetary fields that are not stored ({line: {field
        name: amount}}), each amount rounded to its application's currency as
        the Monetary field's own setter rounds it. That setter looks up the
        record's currency as superuser for every amount it sets (new
        environments each time, and again to compare with the value cached):
        setting the G703 columns of a thousand lines took more than half of
        the time of opening their application. For compute methods only:
        the values go into the cache, nothing is written to the database."""
        rounding_of = {}
        for line, values in amounts.items():
            currency = line.currency_id
            if currency not in rounding_of:
                # as the setter: an amount without a currency (a line not saved yet) is kept as it is
                rounding_of[currency] = (
                    functools.partial(float_round, precision_rounding=currency.rounding) if currency else float
                )
            round_amount = rounding_of[currency]
            for name, amount in values.items():
                self._fields[name]._update_cache(line, round_amount(amount))

    def _g703_figures(self, with_retention=True, earlier_figures=None):
        """{line: tools.g703.G703Line} of these lines, as their applications
        work them out for all their lines at once (``_g703_lines``). A line
        edited on its own (the form's onchange of one line) is worked out in
        place of the saved one; a line without application has none.
        ``earlier_figures``: a dict the caller gets back filled with the
        figures of the applications worked out on the way (``_g703_lines``)."""
        figures = {}
        earlier_figures = {} if earlier_figures is None else earlier_figures
        by_invoice = self.grouped("invoice_id")
        for invoice in self.invoice_id.sorted(lambda invoice: invoice._application_position()):
            outside = by_invoice[invoice] - invoice.line_ids
            figures.update(invoice._g703_lines(
                invoice.line_ids - outside._origin + outside if outside else None,
                with_retention=with_retention, earlier_figures=earlier_figures,
            ))
        return figures

    def _follows_retention_rules(self):
        """readme/USAGE.md, "Bills, invoices and retainage": the retention rules of a contract replace its
        single rate; a line whose rate differs from the contract's keeps it, as an
        override of the rules."""
        self.ensure_one()
        contract = self.invoice_id._contract()
        return bool(contract.retention_rule_ids) and not float_compare(
            self.retainage_rate,
            contract.retainage_rate,
            precision_digits=self._fields["retainage_rate"].get_digits(self.env)[1],
        )

    def _is_over_billed(self, figure=None, currency=None):
        """G above C, to the currency's rounding. ``figure``: the line's
        tools.g703.G703Line when the application already worked it out;
        ``currency``: its application's, when checking many lines."""
        self.ensure_one()
        figure = figure or self
        currency = currency or self.currency_id
        return float_compare(figure.total_completed, figure.scheduled_value, precision_rounding=currency.rounding) > 0

    @api.onchange("work_this_period", "materials_stored")
    def _onchange_warn_over_billed(self):
        if self._is_over_billed():
            return {"warning": {
                "title": self.env._("Billed above the scheduled value"),
                "message": self._over_billed_message(),
            }}

    def _over_billed_message(self):
        # an invoice not saved yet has no number to show
        return self.env._(
            "Line “%(line)s” of %(invoice)s bills %(billed)s to date, above its scheduled value of %(scheduled)s.",
            line=self.name,
            invoice=self.invoice_id._origin.display_name or self.env._("this invoice"),
            billed=format_amount(self.env, self.total_completed, self.currency_id),
            scheduled=format_amount(self.env, self.scheduled_value, self.currency_id),
        )

    @api.constrains(lambda self: self._billed_fields)
    def _check_not_over_billed(self):
        """Billed to date above the scheduled value: warn, and block unless the
        user is a Progress Billing manager (foundation issue)."""
        if self.env.user.has_group(MANAGER_GROUP):
            return
        figures = self._g703_figures(with_retention=False)
        currencies = {invoice: invoice.currency_id for invoice in self.invoice_id}
        for line in self:
            if line._is_over_billed(figures[line], currencies.get(line.invoice_id)):
                raise ValidationError(
                    line._over_billed_message()
                    + "\n"
                    + self.env._("Only a Progress Billing manager can bill above the scheduled value.")
                )

    @api.constrains("materials_stored", "retainage_rate", "retainage_rate_materials")
    def _check_amounts_and_rates(self):
        for line in self:
            # the currency only for a negative amount: auto-completion checks hundreds of lines
            if line.materials_stored < 0 and line.currency_id.compare_amounts(line.materials_stored, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s has negative materials presently stored.",
                        line=line.name,
                        invoice=line.invoice_id.display_name,
                    )
                )
            if not (0 <= line.retainage_rate <= 100 and 0 <= line.retainage_rate_materials <= 100):
                raise ValidationError(
                    self.env._(
                        "Retainage rates of line “%(line)s” of %(invoice)s must be between 0 and 100%%.",
                        line=line.name,
                        invoice=line.invoice_id.display_name,
                    )
                )

    @api.constrains(lambda self: ("invoice_id", *self._source_fields))
    def _check_source_contract(self):
        """readme/CONFIGURE.md, "Workflow and locks": a line bills a line of its own application's contract
        (a contract line, or a change order line of one of its change orders)."""
        contract_line_field, change_line_field = self._source_fields
        for line in self:
            contract = line.invoice_id._contract()
            contract_line, change_line = line[contract_line_field], line[change_line_field]
            if not (contract_line or change_line):
                continue
            source_contract = contract_line.order_id if contract_line else change_line.change_order_id._contract()
            if source_contract != contract:
                raise ValidationError(self.env._(
                    "Line “%(line)s” of %(invoice)s bills “%(billed_line)s” of %(other)s: "
                    "a line can only bill a line of %(contract)s, the contract of its application.",
                    line=line.name,
                    invoice=line.invoice_id.display_name,
                    billed_line=(contract_line or change_line).display_name,
                    other=source_contract.display_name,
                    contract=contract.display_name,
                ))

    def _check_review_write(self, vals):
        """readme/CONFIGURE.md, "Workflow and locks": the review of a line (approved, rejected, why) is set
        by the review steps and their group checks, or directly by a Progress
        Billing administrator, never by a plain user's write."""
        reviewed = sorted(set(vals) & self._workflow_fields)
        if reviewed and not self.env[self._fields["invoice_id"].comodel_name]._may_set_state_directly():
            raise AccessError(
                self.env._(
                    "%(fields)s of the lines of %(invoice)s are "
                    "set by the review steps: use the review buttons of the invoice.",
                    fields=", ".join(self._fields[name].string for name in reviewed),
                    invoice=", ".join(self.invoice_id.mapped("display_name")) or self._description,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_trusted_write(self, vals, self._protected_fields)
            self._check_review_write(vals)
        lines = super().create(vals_list)
        lines.invoice_id._check_editable()
        return lines

    def write(self, vals):
        """Only the lines of an editable application change, except for their
        review (reviewers approve or reject lines of a locked application).
        D of later applications is computed from these lines' E, but only the
        latest application is editable: no D depends on an editable line.
        A line never moves to another application (readme/CONFIGURE.md, "Workflow and locks"): the
        application it is on before the write is the one it is on after.
        The addon's own writes (``trusted``: the review and the claim frozen
        at submission) follow their workflow step, not the editability."""
        check_trusted_write(self, vals, self._protected_fields)
        self._check_review_write(vals)
        if "invoice_id" in vals:
            moved = self.filtered(lambda line: line.invoice_id.id != vals["invoice_id"])
            if moved:
                raise UserError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s cannot "
                        "be moved to another application: add a line there instead.",
                        line=moved[0].name,
                        invoice=moved[0].invoice_id.display_name,
                    )
                )
        if not (is_trusted(self.env) or set(vals) <= self._workflow_fields | set(self._protected_fields)):
            self.invoice_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.invoice_id._check_editable()
        return super().unlink()
