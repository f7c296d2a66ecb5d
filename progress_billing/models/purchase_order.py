# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.invite_to_bill import INVITABLE_STATES, INVITE_STATUSES


class PurchaseOrder(models.Model):
    """A commitment: a subcontract or purchase order with a subcontractor."""

    _name = "purchase.order"
    _inherit = ["purchase.order", "progress.billing.contract.mixin"]

    is_commitment = fields.Boolean("Commitment", index=True, copy=False)
    commitment_type = fields.Selection(
        [("subcontract", "Subcontract"), ("purchase_order", "Purchase Order")], default="subcontract"
    )
    accounting_method = fields.Selection(
        [("amount", "Amount Based"), ("unit", "Unit/Quantity Based")],
        default="amount",
        required=True,
        help="Unit/quantity-based commitments bill quantity × unit price and have no stored materials.",
    )
    change_order_ids = fields.One2many("progress.billing.change.order", "purchase_order_id", string="Commitment Change Orders")
    retention_rule_ids = fields.One2many(
        "progress.billing.retention.rule", "purchase_order_id", string="Retention Rules", copy=True,
        help="Up to five sliding-scale rules, in order; where set they replace the retainage rates above, and a line "
        "with a rate of its own keeps it.",
    )
    retention_stage_ids = fields.One2many(
        "progress.billing.retention.stage", "purchase_order_id", string="Retention Release Stages", copy=True
    )
    retention_guarantee_ids = fields.One2many(
        "progress.billing.retention.guarantee", "purchase_order_id", string="Retention Guarantees"
    )
    sub_invoice_ids = fields.One2many("progress.billing.sub.invoice", "purchase_order_id", string="Subcontractor Invoices")
    sub_invoice_count = fields.Integer(compute="_compute_sub_invoice_count")
    invoice_contact_id = fields.Many2one(
        "res.partner", "Invoice Contact", compute="_compute_invoice_contact_id", store=True, readonly=False,
        precompute=True, domain="[('commercial_partner_id', '=', vendor_commercial_partner_id)]",
        help="The subcontractor's contact invited by e-mail to bill this commitment on the portal (Invite to Bill): "
        "the vendor's invoice address by default.",
    )
    vendor_commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", string="Vendor Company")
    invite_period_id = fields.Many2one(
        "progress.billing.period", "Invite Billing Period", compute="_compute_invite_status",
        help="The billing period whose invite status is shown: the project's open period, or the period whose "
        "commitments are listed.",
    )
    invite_status = fields.Selection(
        INVITE_STATUSES, compute="_compute_invite_status", search="_search_invite_status",
        help="Where the subcontractor's pay application of the billing period stands (Invite to Bill).",
    )

    _contract_flag_field = "is_commitment"
    _change_order_field = "purchase_order_id"
    _change_order_type = "commitment"
    _applications_field = "sub_invoice_ids"
    _applications_action = "progress_billing.action_progress_billing_sub_invoice"
    _confirmed_state = "purchase"

    @api.depends("partner_id", "project_id")
    @api.depends_context("progress_billing_contract_picker")
    def _compute_display_name(self):
        super()._compute_display_name()
        self._set_picker_display_name()

    @api.depends("sub_invoice_ids")
    def _compute_sub_invoice_count(self):
        for order in self:
            order.sub_invoice_count = len(order.sub_invoice_ids)

    @api.depends("partner_id")
    def _compute_invoice_contact_id(self):
        """The invoice contact defaults to the vendor's invoice address (the
        vendor itself when it has none), as Odoo addresses bills
        (readme/USAGE.md, "Invite to Bill (contractor side)")."""
        for order in self:
            if order.invoice_contact_id.commercial_partner_id != order.partner_id.commercial_partner_id:
                order.invoice_contact_id = order.partner_id.address_get(["invoice"])["invoice"] if order.partner_id else False

    @api.constrains("invoice_contact_id", "partner_id")
    def _check_invoice_contact(self):
        """The invoice contact works for the vendor: it is one of the contacts of
        the vendor's company, whoever sets it (readme/USAGE.md, "Invite to Bill (contractor side)")."""
        for order in self.filtered("invoice_contact_id"):
            if order.invoice_contact_id.commercial_partner_id != order.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "%(contact)s is not a contact of %(vendor)s: the invoice contact of %(order)s must be one of the "
                    "vendor's contacts.",
                    contact=order.invoice_contact_id.display_name, vendor=order.partner_id.commercial_partner_id.display_name,
                    order=order.display_name,
                ))

    def _period_invoice(self, period):
        """The commitment's subcontractor invoice of ``period`` that is not void, if any."""
        self.ensure_one()
        return self.sub_invoice_ids.filtered(lambda invoice: invoice.period_id == period and invoice.state != "void")[:1]

    def _invite_period(self):
        """The billing period of the invite status: the one of the context
        (a period's list of its commitments) if it is the commitment's
        project's, otherwise the project's open period."""
        self.ensure_one()
        period = self.env["progress.billing.period"].browse(self.env.context.get("progress_billing_period_id"))
        if period.exists() and period.project_id == self.project_id:
            return period
        return self.project_id.billing_period_ids.filtered(lambda period: period.state == "open")[:1]

    @api.depends("is_commitment", "project_id.billing_period_ids.state", "sub_invoice_ids.invite_status")
    @api.depends_context("progress_billing_period_id")
    def _compute_invite_status(self):
        for order in self:
            period = order._invite_period() if order.is_commitment else self.env["progress.billing.period"]
            order.invite_period_id = period
            order.invite_status = (order._period_invoice(period).invite_status or "not_invited") if period else False

    def _search_invite_status(self, operator, value):
        """Commitments by invite status in the context's period (their
        project's open one otherwise): the filters Not Invited and Not
        Submitted of a period's commitments."""
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        matching = self.search([("is_commitment", "=", True)]).filtered(lambda order: order.invite_status in value)
        return [("id", operator, matching.ids)]

    def _invite_blocked_reason(self, period):
        """Why the commitment cannot be invited to bill ``period``, or None: it
        must be a confirmed commitment of the period's project, with an
        invoice contact that has an e-mail address, and its invoice of the
        period, if any, still in the subcontractor's hands (Draft or Revise
        and Resubmit) (readme/USAGE.md, "Invite to Bill (contractor side)")."""
        self.ensure_one()
        if not self.is_commitment or self.project_id != period.project_id:
            return _(
                "%(order)s is not a commitment of project %(project)s: only the project's commitments are invited to "
                "bill its billing period %(period)s.",
                order=self.display_name, project=period.project_id.display_name, period=period.display_name,
            )
        if self.state != self._confirmed_state:
            return _("%(order)s is not confirmed: confirm it before inviting its subcontractor to bill.", order=self.display_name)
        if not self.invoice_contact_id.email:
            return _(
                "%(order)s has no invoice contact with an e-mail address: set one on the commitment.",
                order=self.display_name,
            )
        invoice = self._period_invoice(period)
        if invoice and invoice.state not in INVITABLE_STATES:
            return _(
                "%(invoice)s, the invoice of %(order)s for billing period %(period)s, is %(state)s: it is no longer "
                "the subcontractor's to fill in.",
                invoice=invoice.display_name, order=self.display_name, period=period.display_name,
                state=invoice._state_label(invoice.state),
            )
        return None

    def _invite_to_bill(self, period):
        """Invite to Bill (readme/USAGE.md, "Invite to Bill (contractor side)"): give each commitment its draft
        subcontractor invoice of ``period`` (created as in the back office,
        its lines from the SSOV; the existing one when there is one), record
        whom it invites and when, and e-mail the invoice contact a link to
        it. A contact invited twice the same day gets one e-mail; two users
        inviting at once create one invoice (the commitment is locked while
        it is invited). Returns the invoices."""
        invoices = self.env["progress.billing.sub.invoice"]
        for order in self:
            reason = order._invite_blocked_reason(period)
            if reason:
                raise UserError(reason)
            order._lock_for_invitation(period)
            invoice = order._period_invoice(period) or invoices.with_company(order.company_id).create(
                {"purchase_order_id": order.id, "period_id": period.id}
            )
            invoice._invite(order.invoice_contact_id)
            invoices |= invoice
        return invoices

    def _lock_for_invitation(self, period):
        """Lock the commitment while it is invited to bill ``period``: a second
        user inviting it at the same time is told at once to try again, and
        one whose transaction began before an invitation committed meanwhile
        (whose invoice it cannot see) is told to reload, rather than refused by
        the database's one-invoice-per-period index."""
        self.ensure_one()
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError:
            raise UserError(_(
                "%(order)s is being invited to bill by another user right now: try again in a moment.",
                order=self.display_name,
            )) from None
        if self._period_invoice(period) or not self.env.registry.ready:
            # while the registry loads (module installation, its data files) nothing else runs, and other
            # transactions would not see the addon's tables yet
            return
        # this transaction's snapshot may predate an invitation committed since: a fresh transaction reads it
        with self.env.registry.cursor() as cr:
            cr.execute(SQL(
                "SELECT name FROM progress_billing_sub_invoice"
                " WHERE purchase_order_id = %s AND period_id = %s AND state != 'void' LIMIT 1",
                self.id, period.id,
            ))
            committed = cr.fetchone()
        if committed:
            raise UserError(_(
                "%(order)s was invited to bill %(period)s by another user in the meantime (%(invoice)s): reload "
                "to see its invoice.",
                order=self.display_name, period=period.display_name, invoice=committed[0],
            ))

    def action_invite_to_bill(self):
        """Invite to Bill from commitments (form button, list selection): the
        wizard, for the billing period of the context or the project's open one."""
        self.env["progress.billing.invite.wizard"].check_access("create")
        projects = self.project_id
        if not self or not all(self.mapped("is_commitment")) or len(projects) != 1:
            raise UserError(_("Select commitments of one project to invite their subcontractors to bill."))
        period = self[:1]._invite_period()
        if not period:
            raise UserError(_(
                "Project %(project)s has no open billing period: open one before inviting subcontractors to bill.",
                project=projects.display_name,
            ))
        return self.env["progress.billing.invite.wizard"]._action_open(period, self)

    def action_grant_portal_access(self):
        """Give the invoice contact a portal login with Odoo's own portal
        wizard (readme/USAGE.md, "Invite to Bill (contractor side)")."""
        self.ensure_one()
        if not self.invoice_contact_id:
            raise UserError(_("%(order)s has no invoice contact to give portal access to.", order=self.display_name))
        return self.env["portal.wizard"].with_context(default_partner_ids=self.invoice_contact_id.ids).action_open_wizard()

    def action_create_invoice(self, attachment_ids=False):
        self._check_billed_by_applications()
        return super().action_create_invoice(attachment_ids)
