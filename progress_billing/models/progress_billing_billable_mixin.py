# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_list
from psycopg2.errors import SerializationFailure

ACCOUNTING_GROUP = "account.group_account_invoice"


class ProgressBillingBillableMixin(models.AbstractModel):
    """A pay application as it is billed in accounting (readme/USAGE.md, "Bills, invoices and retainage"): an approved
    subcontractor invoice becomes a draft vendor bill, an approved owner invoice a draft customer invoice. The untaxed
    total of the bill is the application's G702 line 8 (current payment due)
    to the cent: one line per contract line billed this period (see
    ``progress.billing.billable.line.mixin``), the retainage withheld this
    period on one line and the retainage released on another, both on the
    company's retainage account and untaxed (taxes follow the order lines on
    the amounts billed)."""

    _name = "progress.billing.billable.mixin"
    _inherit = ["progress.billing.application.mixin"]
    _description = "Billable Pay Application"

    # set by each application model
    _move_type = None
    _retainage_account_field = None
    _billable_states = ("approved", "approved_as_noted")

    # each application model defines move_ids, the One2many of its documents (inverse field on account.move)
    move_id = fields.Many2one(
        "account.move", "Bill / Invoice", compute="_compute_move_id", store=True, index="btree_not_null",
        help="The draft or posted bill or invoice of this application; cancelled or reversed ones are not counted.",
    )
    move_payment_state = fields.Selection(related="move_id.payment_state", string="Payment Status")
    move_count = fields.Integer(compute="_compute_move_count")
    certified_retainage_withheld = fields.Monetary(
        "Retainage Withheld (Certified)", compute="_compute_certified_retainage", store=True,
        help="Retainage this application withheld, as certified when it left review (its bill's retainage withheld "
        "line); nothing while it is still being edited or reviewed. The retention ledger adds these up.",
    )
    certified_retainage_released = fields.Monetary(
        "Retainage Released (Certified)", compute="_compute_certified_retainage", store=True,
        help="Retainage this application released, as certified when it left review (its bill's retainage released "
        "line); nothing while it is still being edited or reviewed. The retention ledger adds these up.",
    )
    billing_blocked_reason = fields.Char(
        "Why It Cannot Be Billed", compute="_compute_billing_blocked_reason",
        help="What must happen before this application can be billed, if anything.",
    )

    @api.depends("move_ids.state", "move_ids.payment_state")
    def _compute_move_id(self):
        for application in self:
            application.move_id = application.move_ids.filtered(lambda move: move._is_active_progress_billing_move())[:1]

    @api.depends("move_ids")
    def _compute_move_count(self):
        for application in self:
            application.move_count = len(application.move_ids)

    @api.depends(
        "frozen_values", "line_ids.frozen_values", "line_ids.work_this_period", "line_ids.materials_stored",
        "line_ids.retainage_rate", "line_ids.retainage_rate_materials", "line_ids.retainage_released",
    )
    def _compute_certified_retainage(self):
        """The retention ledger (readme/USAGE.md, "The ledger") reads stored amounts: the retainage
        withheld and released by each certified application, the amounts of
        its bill's two retainage lines (``_prepare_retainage_move_line_values``).
        An application is certified once frozen (out of review): its figures
        then depend on its own lines and frozen values only, every one of them
        a stored field listed here, so the amounts stay right; they are
        written when it is frozen and cleared when it goes back to draft."""
        for application in self:
            lines = application.line_ids if application.frozen_values else application.line_ids.browse()
            application.certified_retainage_withheld = sum(lines.mapped("retainage_withheld"))
            application.certified_retainage_released = sum(lines.mapped("retainage_released"))

    # accounting rights and checks

    def _has_accounting_rights(self):
        return self.env.su or self.env.user.has_group(ACCOUNTING_GROUP)

    def _check_accounting_rights(self):
        """Only users with accounting rights create bills (readme/CONFIGURE.md, "Groups: who may do what")."""
        if not self._has_accounting_rights():
            raise AccessError(_(
                "%(user)s has no accounting rights: only billing users create bills and invoices.", user=self.env.user.name
            ))

    def _lock_for_billing(self):
        """Lock the application row before checking and writing its bill, so
        that two users billing it at once never bill it twice (readme/CONFIGURE.md, "Accounting"). The
        loser does not wait: the row is locked by a bill still being created,
        or was changed by a bill committed since its transaction
        began (a serialization failure under Odoo's repeatable read). Either
        way it gets a clear error and the transaction stays usable; the unique
        index on the bill's application field stays the last guard. SKIP
        LOCKED as in Odoo's own ``lock_for_update``, which would log the lost
        race as a bad query."""
        self.ensure_one()
        query = SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED", SQL.identifier(self._table), self.id)
        try:
            with self.env.cr.savepoint(flush=False):
                # a lost race is a user error, not a database error to log
                self.env.cr.execute(query, log_exceptions=False)
                locked = self.env.cr.fetchall()
        except SerializationFailure as error:
            raise UserError(self._billed_meanwhile_message()) from error
        if not locked:
            raise UserError(self._billed_meanwhile_message())

    def _billed_meanwhile_message(self):
        """The loser's message, naming the bill the other user committed: this
        transaction's snapshot predates it, so a fresh cursor reads it."""
        with self.env.registry.cursor() as cr:
            move = self.with_env(self.env(cr=cr)).move_id
            if move:
                return _(
                    "%(invoice)s was billed on %(move)s by another user in the meantime: reload it to see its bill.",
                    invoice=self.display_name, move=move.display_name,
                )
        return _(
            "%(invoice)s is being billed by another user right now: reload it in a moment to see its bill.",
            invoice=self.display_name,
        )

    def _check_billable(self):
        """Refuse to bill an application for the reason ``_billing_blocked_reason`` gives."""
        self.ensure_one()
        reason = self._billing_blocked_reason()
        if reason:
            raise UserError(reason)

    @api.depends_context("uid")
    def _compute_billing_blocked_reason(self):
        for application in self:
            application.billing_blocked_reason = application._billing_blocked_reason() or False

    def _billing_blocked_reason(self):
        """Why the application cannot be billed yet, or None. What must hold
        before an application is billed: approved, not billed yet (never
        twice), its contract confirmed, and every earlier application of the
        contract with something to bill already billed. The same text refuses
        the bill and explains on the form why Create Bill is not offered
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        self.ensure_one()
        state_label = dict(self._fields["state"]._description_selection(self.env))
        if self.state not in self._billable_states:
            return _(
                "%(invoice)s is %(state)s: only approved applications are billed.",
                invoice=self.display_name, state=state_label[self.state],
            )
        if self.move_id:
            return _(
                "%(invoice)s is already billed on %(move)s: cancel that document before billing it again.",
                invoice=self.display_name, move=self.move_id.display_name,
            )
        contract = self._contract()
        if contract.state != contract._confirmed_state:
            return _(
                "%(contract)s is not confirmed: confirm it before billing %(invoice)s.",
                contract=contract.display_name, invoice=self.display_name,
            )
        position = self._application_position()
        unbilled = self.search([
            (self._contract_field, "=", contract.id), ("state", "!=", "void"), ("id", "!=", self.id), ("move_id", "=", False),
        ]).filtered(lambda other: other._application_position() < position and other.line_ids._has_amount_to_bill())
        if len(unbilled) == 1:
            return _(
                "%(invoice)s comes after %(earlier)s, which is not billed yet: approve and bill it first.",
                invoice=self.display_name, earlier=unbilled.display_name,
            )
        if unbilled:
            return _(
                "%(invoice)s comes after %(earlier)s, which are not billed yet: approve and bill them first.",
                invoice=self.display_name, earlier=format_list(self.env, unbilled.mapped("display_name")),
            )
        return None

    def _move_untaxed_amount(self, move):
        """Untaxed amount of ``move`` counted positively for an invoice or bill, negatively for a credit note."""
        return move.amount_untaxed if move.move_type == self._move_type else -move.amount_untaxed

    def _check_move_amount(self, move):
        """The untaxed total of the bill is the current payment due (G702 line 8) to the cent
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        self.ensure_one()
        billed = self._move_untaxed_amount(move)
        if self.currency_id.compare_amounts(billed, self.current_payment_due):
            raise UserError(_(
                "%(move)s bills %(billed)s untaxed, but the current payment due of %(invoice)s is %(due)s: "
                "its amounts must stay those of the pay application.",
                move=move.display_name, billed=billed, invoice=self.display_name, due=self.current_payment_due,
            ))

    # bill creation

    def _retainage_account(self):
        account = self.company_id[self._retainage_account_field]
        if not account:
            raise UserError(_(
                "%(company)s has no %(account)s: set it in Settings > Progress Billing before billing %(invoice)s.",
                company=self.company_id.display_name, invoice=self.display_name,
                account=self.company_id._fields[self._retainage_account_field].string,
            ))
        return account

    def _prepare_retainage_move_line_values(self):
        """The retainage withheld this period (a deduction) and the retainage
        released (an addition), each on its own untaxed line."""
        withheld = sum(self.line_ids.mapped("retainage_withheld"))
        released = sum(self.line_ids.mapped("retainage_released"))
        values = []
        for label, amount in ((_("Retainage withheld"), -withheld), (_("Retainage released"), released)):
            if not self.currency_id.is_zero(amount):
                values.append({
                    "name": f"{label} – {self.name}",
                    "account_id": self._retainage_account().id,
                    "quantity": 1.0,
                    "price_unit": amount,
                    "tax_ids": [fields.Command.clear()],
                })
        return values

    def _prepare_move_values(self):
        self.ensure_one()
        billed_lines = self.line_ids.filtered(lambda line: not self.currency_id.is_zero(line.amount_to_bill))
        line_values = [line._prepare_move_line_values() for line in billed_lines]
        line_values += self._prepare_retainage_move_line_values()
        if not line_values:
            raise UserError(_("%(invoice)s has nothing to bill.", invoice=self.display_name))
        contract = self._contract().with_company(self.company_id)
        return {
            **contract.with_context(default_move_type=self._move_type)._prepare_invoice(),
            "move_type": self._move_type,
            "invoice_date": self.date,
            "invoice_origin": f"{contract.name}, {self.name}",
            self._fields["move_ids"].inverse_name: self.id,
            "invoice_line_ids": [fields.Command.create(values) for values in line_values],
        }

    def _create_moves(self):
        """Bill each application, earliest first; a negative current payment
        due becomes a credit note, as purchase and sale do."""
        moves = self.env["account.move"]
        for application in self.sorted(lambda application: application._application_position()):
            application._lock_for_billing()
            application._check_billable()
            # the unique index of active bills reads the database: a bill cancelled earlier in this transaction
            # must be cancelled there before the new one is inserted
            moves.flush_model(["state", "payment_state"])
            move = moves.with_company(application.company_id).create(application._prepare_move_values())
            if move.currency_id.compare_amounts(move.amount_total, 0) < 0:
                move.action_switch_move_type()
            application._check_move_amount(move)
            application.message_post(body=_("%(move)s created.", move=move._get_html_link()))
            moves |= move
        return moves

    def action_create_move(self):
        """Create the draft bill / invoice of approved applications, on demand
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        self._check_accounting_rights()
        return self._create_moves()._get_records_action()

    def action_view_moves(self):
        return self.move_ids._get_records_action()

    def _create_moves_on_approval(self):
        """Company setting: approving an application bills it at once. An
        approver without accounting rights approves all the same, and the
        application says that an accountant still has to bill it."""
        to_bill = self.filtered(
            lambda application: application.company_id.progress_billing_bill_on_approval
            and not application.move_id and application.line_ids._has_amount_to_bill()
        )
        if not to_bill:
            return
        if not self._has_accounting_rights():
            for application in to_bill:
                application.message_post(body=_(
                    "No bill was created on approval: %(user)s has no accounting rights. "
                    "A billing user can create it from this application.",
                    user=self.env.user.name,
                ))
            return
        to_bill._create_moves()

    # workflow

    def _change_state(self, target, allowed_from, manager_only=False):
        """An application leaves its approved states only once its bill is
        cancelled; an application reaching them is billed at once when its
        company bills on approval."""
        if target not in self._billable_states:
            self._check_not_billed()
        super()._change_state(target, allowed_from, manager_only)
        if target in self._billable_states:
            self._create_moves_on_approval()

    def _check_not_billed(self):
        billed = self.filtered("move_id")
        if billed:
            raise UserError(_(
                "%(invoices)s billed on %(moves)s: cancel these documents first "
                "(reset to draft and cancel them, or reverse them with a credit note).",
                invoices=", ".join(billed.mapped("display_name")),
                moves=", ".join(billed.move_id.mapped("display_name")),
            ))

    def action_void(self):
        """Voiding a billed application first asks to cancel its bill, naming it."""
        if len(self) == 1 and self.move_id:
            return self.env["progress.billing.move.cancel.wizard"]._action_open(self)
        return super().action_void()
