# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare
from odoo.tools.misc import format_amount

from ..tools.trusted_write import check_trusted_write, is_trusted


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
    scheduled_value = fields.Monetary(compute="_compute_scheduled_value", help="C: scheduled value, revised by approved change orders.")
    previous_work = fields.Monetary(
        "From Previous Application", compute="_compute_previous_amounts",
        help="D: work completed on earlier applications of this contract.",
    )
    work_this_period = fields.Monetary("Work Completed This Period", help="E: work completed this period.")
    materials_stored = fields.Monetary(
        "Materials Presently Stored",
        help="F: materials stored and not yet installed, not in D or E. A balance: under the contract's carry forward "
        "method a new application starts with the previous one's F, reduced as the materials are installed (moved into E).",
    )
    total_completed = fields.Monetary(
        "Completed and Stored to Date", compute="_compute_progress", help="G = D + E + F."
    )
    percent_complete = fields.Float("% (G / C)", compute="_compute_progress", digits=(5, 2))
    balance_to_finish = fields.Monetary(compute="_compute_progress", help="H = C - G.")
    retainage_rate = fields.Float("Retainage (%)", digits=(5, 2))
    retainage_rate_materials = fields.Float("Retainage on Stored Materials (%)", digits=(5, 2))
    retainage_released = fields.Monetary(
        "Retainage Released This Period", help="Retainage held on earlier applications and released by this one."
    )
    previous_retainage_released = fields.Monetary(compute="_compute_previous_amounts")
    retainage_work = fields.Monetary("Retainage on Completed Work", compute="_compute_retainage")
    retainage_on_materials = fields.Monetary("Retainage on Stored Materials", compute="_compute_retainage")
    retainage = fields.Monetary("Retainage Held", compute="_compute_retainage", help="I: retainage held to date.")
    retainage_covered_work = fields.Monetary(
        "Retainage on Work Covered by Guarantees", compute="_compute_retainage",
        help="Retention on completed work the contract requires that bank guarantees and retention bonds cover "
        "instead of cash: not in the retainage on completed work.",
    )
    retainage_covered_materials = fields.Monetary(
        "Retainage on Stored Materials Covered by Guarantees", compute="_compute_retainage",
        help="Retention on stored materials the contract requires that bank guarantees and retention bonds cover "
        "instead of cash: not in the retainage on stored materials.",
    )
    frozen_values = fields.Json(readonly=True, copy=False)
    # readme/USAGE.md, "Claimed and certified amounts": the claim (E and F as submitted), and the certified
    # amounts (the line's own E and F)
    claimed_work_this_period = fields.Monetary(
        "Claimed This Period", readonly=True, copy=False,
        help="Work completed this period (E) as claimed when the application was last submitted.",
    )
    claimed_stored_materials = fields.Monetary(
        "Claimed Stored Materials", readonly=True, copy=False,
        help="Materials presently stored (F) as claimed when the application was last submitted.",
    )
    claimed_amount = fields.Monetary(
        "Claimed", compute="_compute_certification", help="E + F as claimed when the application was last submitted."
    )
    certified_amount = fields.Monetary(
        "Certified", compute="_compute_certification", help="E + F of the line: the amounts certified (or scheduled)."
    )
    certification_difference = fields.Monetary(
        "Difference", compute="_compute_certification", help="Certified less claimed (E + F): negative when less is certified."
    )
    certification_reason = fields.Char(
        "Reason", copy=False, help="Why the amounts certified (or scheduled) differ from the claim.",
    )

    @api.depends(lambda self: ["invoice_id.claim_frozen", *self._claim_fields, *self._claim_fields.values()])
    def _compute_certification(self):
        """readme/USAGE.md, "Claimed and certified amounts": claimed, certified and their difference in E + F; no
        claim, no difference, until the application is first submitted."""
        for line in self:
            claimed = line.claimed_work_this_period + line.claimed_stored_materials
            line.certified_amount = line.work_this_period + line.materials_stored
            line.claimed_amount = claimed if line.invoice_id.claim_frozen else line.certified_amount
            line.certification_difference = line.certified_amount - line.claimed_amount

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
                raise ValidationError(_(
                    "Line “%(line)s” of %(invoice)s is certified at other amounts than claimed (%(certified)s instead of "
                    "%(claimed)s): give the reason for the difference on the line.", **values,
                ))
            if line.currency_id.compare_amounts(line.certified_amount, line.claimed_amount) > 0 and not self.env.user._is_system():
                raise AccessError(_(
                    "Line “%(line)s” of %(invoice)s cannot be certified at %(certified)s, more than the %(claimed)s "
                    "claimed: only an administrator (Settings) may certify more than was claimed.", **values,
                ))

    def _billing_source(self):
        """The contract line or change order line this line bills."""
        self.ensure_one()
        return next((self[name] for name in self._source_fields if self[name]), None)

    def _billing_source_key(self):
        return tuple(self[name]._origin.id for name in self._source_fields)

    def _previous_lines(self):
        """Each line -> the line of the previous application of its contract
        that bills the same source (empty when there is none)."""
        previous_by_key = {
            (invoice, line._billing_source_key()): line
            for invoice in self.invoice_id
            for line in invoice._previous_application().line_ids
        }
        return {line: previous_by_key.get((line.invoice_id, line._billing_source_key()), line.browse()) for line in self}

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
        for line in self:
            if line.frozen_values:
                line.scheduled_value = line.frozen_values["scheduled_value"]
                continue
            source = line._billing_source()
            line.scheduled_value = source.revised_scheduled_value if source else 0.0

    @api.depends(lambda self: ["frozen_values", "invoice_id.state", "invoice_id.period_id", "invoice_id.date", *self._source_fields])
    def _compute_previous_amounts(self):
        """D of G703: sum of E over the earlier non-void applications of the
        same contract that bill the same line; likewise released retainage.
        Under the contract's roll-forward stored materials method (Procore),
        the F of each earlier application, which then starts at zero and
        holds the materials stored that period, is counted in D too."""
        frozen = self.filtered("frozen_values")
        for line in frozen:
            line.previous_work = line.frozen_values["previous_work"]
            line.previous_retainage_released = line.frozen_values["previous_retainage_released"]
        live = self - frozen
        earlier_by_key = defaultdict(list)
        contracts = live.invoice_id._contract()
        if contracts:
            for other in self.search([
                (f"invoice_id.{self.invoice_id._contract_field}", "in", contracts._origin.ids),
                ("invoice_id.state", "!=", "void"),
            ]):
                earlier_by_key[other._billing_source_key()].append(other)
        for line in live:
            position = line.invoice_id._application_position()
            earlier = [
                other for other in earlier_by_key[line._billing_source_key()]
                if other.invoice_id._application_position() < position
            ]
            rolls_stored = line.invoice_id._contract().stored_materials_method == "roll_forward"
            line.previous_work = sum(
                other.work_this_period + (other.materials_stored if rolls_stored else 0.0) for other in earlier
            )
            line.previous_retainage_released = sum(other.retainage_released for other in earlier)

    @api.depends("scheduled_value", "previous_work", "work_this_period", "materials_stored")
    def _compute_progress(self):
        for line in self:
            line.total_completed = line.previous_work + line.work_this_period + line.materials_stored
            line.balance_to_finish = line.scheduled_value - line.total_completed
            line.percent_complete = 100.0 * line.total_completed / line.scheduled_value if line.scheduled_value else 0.0

    @api.depends(lambda self: [
        "previous_work", "work_this_period", "materials_stored", "retainage_rate",
        "retainage_rate_materials", "retainage_released", "previous_retainage_released", "frozen_values",
        "invoice_id.state", "invoice_id.period_id", "invoice_id.line_ids.total_completed",
        "invoice_id.line_ids.retainage_rate", "invoice_id.line_ids.retainage_rate_materials",
        *(f"invoice_id.{self.invoice_id._contract_field}.{name}" for name in (
            "retainage_rate", "stored_materials_method", "original_contract_sum", "revised_contract_sum",
            "retention_rule_ids.sequence", "retention_rule_ids.rate_work", "retention_rule_ids.rate_materials",
            "retention_rule_ids.limit_type", "retention_rule_ids.limit_percent", "retention_rule_ids.limit_amount",
            "retention_rule_ids.contract_sum_basis",
        )),
        "invoice_id.retainage_guarantee_cover",
    ])
    def _compute_retainage(self):
        """I of G703: the retention on work and on stored materials held on
        the line as of the previous application, plus what this application
        withholds on it (``_retention_to_withhold`` of the application), less
        what earlier applications and this one released. Bank guarantees and
        retention bonds cover part of the retention required instead of cash
        (``_guarantee_cover`` of the application): the retainage on work and
        on stored materials (5a, 5b) is the cash part. A certified
        application keeps the retention it was certified with (readme/CONFIGURE.md, "Workflow and locks":
        rules or guarantees changed later do not change certified figures)."""
        frozen = self.filtered(lambda line: "retainage_work" in (line.frozen_values or {}))
        for line in frozen:
            line.retainage_work = line.frozen_values["retainage_work"]
            line.retainage_on_materials = line.frozen_values["retainage_on_materials"]
            line.retainage_covered_work = line.frozen_values.get("retainage_covered_work", 0.0)
            line.retainage_covered_materials = line.frozen_values.get("retainage_covered_materials", 0.0)
        live = self - frozen
        # earliest application first: a later one adds to the retention of the previous one, computed by then
        for invoice in live.invoice_id.sorted(lambda invoice: invoice._application_position()):
            previous = invoice.line_ids._previous_lines()
            required = {
                line: tuple(before + now for before, now in zip(previous[line]._retention_required(), withheld, strict=True))
                for line, withheld in invoice._retention_to_withhold().items()
            }
            covered = invoice._guarantee_cover(required)
            currency = invoice.currency_id or invoice._contract().currency_id
            for line in live.filtered(lambda line: line.invoice_id == invoice):
                (work, materials), (covered_work, covered_materials) = required[line], covered[line]
                line.retainage_covered_work, line.retainage_covered_materials = covered_work, covered_materials
                line.retainage_work = currency.round(work - covered_work)
                line.retainage_on_materials = currency.round(materials - covered_materials)
        for line in self:
            line.retainage = (
                line.retainage_work + line.retainage_on_materials
                - line.previous_retainage_released - line.retainage_released
            )

    def _retention_required(self):
        """(on work, on stored materials) of the retention the contract
        requires held on the line: the cash retention plus what guarantees
        cover instead (readme/USAGE.md, "Bank guarantees and retention bonds"). Retention rules and rates add to it."""
        return (
            self.retainage_work + self.retainage_covered_work,
            self.retainage_on_materials + self.retainage_covered_materials,
        )

    def _follows_retention_rules(self):
        """readme/USAGE.md, "Bills, invoices and retainage": the retention rules of a contract replace its
        single rate; a line whose rate differs from the contract's keeps it, as an
        override of the rules."""
        self.ensure_one()
        contract = self.invoice_id._contract()
        return bool(contract.retention_rule_ids) and not float_compare(
            self.retainage_rate, contract.retainage_rate, precision_digits=self._fields["retainage_rate"].get_digits(self.env)[1]
        )

    def _is_over_billed(self):
        self.ensure_one()
        return self.currency_id.compare_amounts(self.total_completed, self.scheduled_value) > 0

    @api.onchange("work_this_period", "materials_stored")
    def _onchange_warn_over_billed(self):
        if self._is_over_billed():
            return {"warning": {
                "title": _("Billed above the scheduled value"),
                "message": self._over_billed_message(),
            }}

    def _over_billed_message(self):
        # an invoice not saved yet has no number to show
        return _(
            "Line “%(line)s” of %(invoice)s bills %(billed)s to date, above its scheduled value of %(scheduled)s.",
            line=self.name, invoice=self.invoice_id._origin.display_name or _("this invoice"),
            billed=format_amount(self.env, self.total_completed, self.currency_id),
            scheduled=format_amount(self.env, self.scheduled_value, self.currency_id),
        )

    @api.constrains(lambda self: self._billed_fields)
    def _check_not_over_billed(self):
        """Billed to date above the scheduled value: warn, and block unless the
        user is a Progress Billing manager (foundation issue)."""
        if self.env.user.has_group("progress_billing.group_progress_billing_manager"):
            return
        for line in self:
            if line._is_over_billed():
                raise ValidationError(
                    line._over_billed_message() + "\n" + _("Only a Progress Billing manager can bill above the scheduled value.")
                )

    @api.constrains("materials_stored", "retainage_rate", "retainage_rate_materials")
    def _check_amounts_and_rates(self):
        for line in self:
            # the currency only for a negative amount: auto-completion checks hundreds of lines
            if line.materials_stored < 0 and line.currency_id.compare_amounts(line.materials_stored, 0) < 0:
                raise ValidationError(
                    _("Line “%(line)s” of %(invoice)s has negative materials presently stored.",
                      line=line.name, invoice=line.invoice_id.display_name)
                )
            if not (0 <= line.retainage_rate <= 100 and 0 <= line.retainage_rate_materials <= 100):
                raise ValidationError(
                    _("Retainage rates of line “%(line)s” of %(invoice)s must be between 0 and 100%%.",
                      line=line.name, invoice=line.invoice_id.display_name)
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
                raise ValidationError(_(
                    "Line “%(line)s” of %(invoice)s bills “%(source)s” of %(other)s: a line can only bill a line of %(contract)s, the contract of its application.",
                    line=line.name, invoice=line.invoice_id.display_name, source=(contract_line or change_line).display_name,
                    other=source_contract.display_name, contract=contract.display_name,
                ))

    def _check_review_write(self, vals):
        """readme/CONFIGURE.md, "Workflow and locks": the review of a line (approved, rejected, why) is set
        by the review steps and their group checks, or directly by a Progress
        Billing administrator, never by a plain user's write."""
        reviewed = sorted(set(vals) & self._workflow_fields)
        if reviewed and not self.env[self._fields["invoice_id"].comodel_name]._may_set_state_directly():
            raise AccessError(_(
                "%(fields)s of the lines of %(invoice)s are set by the review steps: use the review buttons of the invoice.",
                fields=", ".join(self._fields[name].string for name in reviewed),
                invoice=", ".join(self.invoice_id.mapped("display_name")) or self._description,
            ))

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
                raise UserError(_(
                    "Line “%(line)s” of %(invoice)s cannot be moved to another application: add a line there instead.",
                    line=moved[0].name, invoice=moved[0].invoice_id.display_name,
                ))
        if not (is_trusted(self.env) or set(vals) <= self._workflow_fields | set(self._protected_fields)):
            self.invoice_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.invoice_id._check_editable()
        return super().unlink()
