# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import dataclasses

from markupsafe import Markup
from pypdf import PdfReader

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.autocomplete_allocation import (
    CHANGE_ORDER_NOT_BILLED,
    NO_COST_CODE,
    NO_MATCHING_LINE,
    UNFUNDED_CHANGE_ORDER,
    TargetLine,
    allocate,
)
from ..tools.company_sql import active_companies_condition
from ..tools.one2many_counts import one2many_counts
from ..tools.workflow import MANAGER, SYSTEM, USER, Transition

# between the Draft and Void of every application
OWNER_INVOICE_STATES = [
    ("under_review", "Under Review"),
    ("revise_resubmit", "Revise and Resubmit"),
    ("approved_as_noted", "Approved as Noted"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("void",),
]
CERTIFIED = "figures certified (G702 lines 1-3 and 7, G703 C and D frozen); the owner's payment schedule is recorded"
# readme/CONFIGURE.md, "Workflow and locks"
OWNER_INVOICE_TRANSITIONS = (
    Transition(
        "action_submit",
        "Submit",
        ("draft", "revise_resubmit"),
        "under_review",
        USER,
        "Claim frozen (E, F, line 8), as when an administrator "
        "writes Under Review directly; the statutory clock starts",
    ),
    Transition(
        "action_request_revision",
        "Revise and Resubmit",
        ("under_review",),
        "revise_resubmit",
        MANAGER,
        "Editable again",
    ),
    Transition(
        "action_approve",
        "Approve",
        ("under_review",),
        "approved",
        MANAGER,
        f"Only as claimed; {CERTIFIED}; invoiced if the company bills on approval",
    ),
    Transition(
        "action_approve_as_noted",
        "Approve as Noted",
        ("under_review",),
        "approved_as_noted",
        MANAGER,
        f"Also when certified at other amounts than claimed; {CERTIFIED}; invoiced if the company bills on approval",
    ),
    Transition("action_mark_paid", "Mark Paid", ("approved", "approved_as_noted"), "paid", MANAGER, "Final"),
    Transition(
        "_set_paid_by_accounting",
        "Its customer invoice is paid",
        ("approved", "approved_as_noted"),
        "paid",
        SYSTEM,
        "Final",
    ),
    Transition(
        "action_void",
        "Void",
        ("draft", "under_review", "revise_resubmit", "approved_as_noted", "approved"),
        "void",
        MANAGER,
        "Only once its customer invoice is cancelled; the billing period takes another invoice",
    ),
    Transition(
        "action_reset_to_draft",
        "Reset to Draft",
        ("under_review", "revise_resubmit", "void"),
        "draft",
        MANAGER,
        "Only once its customer invoice is cancelled; figures no longer frozen",
    ),
)


class ProgressBillingOwnerInvoice(models.Model):
    """Owner invoice (payment application) of a prime contract for one billing period."""

    _name = "progress.billing.owner.invoice"
    # the statutory clock first: its status steps run around the others'
    _inherit = ["progress.billing.statutory.clock.mixin", "progress.billing.billable.mixin"]
    _description = "Owner Invoice"
    _contract_field = "sale_order_id"
    _contract_applications_field = "owner_invoice_ids"
    _sequence_code = "progress.billing.owner.invoice"
    _move_type = "out_invoice"
    _retainage_account_field = "retainage_receivable_account_id"
    _billable_states = ("approved", "approved_as_noted", "paid")
    # readme/USAGE.md, "Payment schedules and the statutory clock": the owner owes us its payment schedule, recorded as
    # the invoice's approval
    _project_regime_field = "owner_payment_regime_id"
    _schedule_given_states = ("approved", "approved_as_noted")
    _transitions = OWNER_INVOICE_TRANSITIONS

    sale_order_id = fields.Many2one(
        "sale.order", "Prime Contract", required=True, index=True, ondelete="restrict", tracking=True,
        domain="[('is_prime_contract', '=', True)]",
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Owner/Client", store=True, index=True)
    state = fields.Selection(
        selection_add=OWNER_INVOICE_STATES, ondelete={state[0]: "set default" for state in OWNER_INVOICE_STATES[:-1]}
    )
    line_ids = fields.One2many("progress.billing.owner.invoice.line", "invoice_id")
    move_ids = fields.One2many("account.move", "progress_billing_owner_invoice_id", string="Customer Invoices")
    autocomplete_prompt_pending = fields.Boolean(
        "Auto-Completion Not Answered",
        default=True,
        copy=False,
        help="The user has not yet said Yes or No Thanks to auto-completing "
        "this invoice from subcontractor invoices, direct costs and change orders.",
    )
    autocomplete_stale_count = fields.Integer("Lines with Changed Sources", compute="_compute_autocomplete_stale_count")

    _one_invoice_per_period = models.UniqueIndex(
        "(sale_order_id, period_id) WHERE state != 'void'",
        "A prime contract has at most one owner invoice per billing period (void the other one first).",
    )

    def _pay_application_parties(self):
        return {
            "document": self.env._("Owner Invoice"),
            "from_label": self.env._("From Contractor"),
            "from": self.company_id.partner_id,
            "to_label": self.env._("To Owner/Client"),
            "to": self.partner_id,
            "contract_label": self.env._("Prime Contract"),
            "contract": self.sale_order_id,
            "certified_label": self.env._("Scheduled"),
        }

    def _new_document_label(self):
        return self.env._("an owner invoice")

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        self._fill_from_contract()

    def action_request_revision(self):
        self._apply_transition("action_request_revision")

    def action_approve(self):
        self._apply_transition("action_approve")

    def action_approve_as_noted(self):
        self._apply_transition("action_approve_as_noted")

    def action_mark_paid(self):
        self._apply_transition("action_mark_paid")

    def _set_paid_by_accounting(self):
        """Paid by accounting: account.move's ``_invoice_paid_hook`` once the customer invoice is paid."""
        self._apply_transition("_set_paid_by_accounting")


    def _line_values_from(self, source, sequence, link):
        return {**super()._line_values_from(source, sequence, link), "division_id": source.division_id.id}

    @api.depends("line_ids.autocomplete_stale")
    def _compute_autocomplete_stale_count(self):
        counts = one2many_counts(self, "line_ids", [("autocomplete_stale", "=", True)])
        for invoice in self:
            invoice.autocomplete_stale_count = counts[invoice]

    # Auto-completion (readme/USAGE.md, "Auto-completing owner invoices")

    def action_autocomplete_prompt(self):
        """The question asked right after the invoice is created: Cancel, No Thanks or Yes."""
        return self._autocomplete_wizard_action("prompt")

    def action_autocomplete(self):
        """Auto-complete a draft invoice at any time: preview first, then apply."""
        return self._autocomplete_wizard_action("preview")

    def action_autocomplete_decline(self):
        """No Thanks: the invoice stays as entered and the question is not asked again."""
        self.autocomplete_prompt_pending = False

    def _autocomplete_wizard_action(self, step):
        self.ensure_one()
        self._check_can_autocomplete()
        wizard = self.env["progress.billing.owner.invoice.autocomplete"].create({"invoice_id": self.id})
        if step == "preview":
            wizard._build_preview()
        return wizard._action_open()

    def _check_can_autocomplete(self):
        for invoice in self:
            if invoice.state != "draft":
                raise UserError(self.env._(
                    "%(invoice)s is not a draft: only a draft owner invoice can be auto-completed.",
                    invoice=invoice.display_name,
                ))
        self._check_editable()

    def _autocomplete_allocation(self, included=()):
        """Where each source amount of the billing period, and of the
        approved costs of earlier periods billed here (``included``: refs of
        those the user adds now), lands on this invoice's lines (rules in
        tools/autocomplete_allocation.py)."""
        self.ensure_one()
        self._check_can_autocomplete()
        sources = self.env["progress.billing.owner.invoice.source"]._sources_to_copy(self, included)
        return allocate(self._autocomplete_targets(), sources)

    def _autocomplete_targets(self):
        """This invoice's lines as allocation targets, in one lean query
        (hundreds of lines, of which matching needs a few columns)."""
        Line = self.env["progress.billing.owner.invoice.line"]
        columns = [field.name for field in dataclasses.fields(TargetLine)]
        Line.flush_model(columns + ["invoice_id", "company_id"])
        self.env.cr.execute(SQL(
            "SELECT %s FROM %s line WHERE invoice_id = %s AND %s",
            SQL(", ").join(SQL.identifier("line", name) for name in columns), SQL.identifier(Line._table), self.id,
            active_companies_condition(self.env, "line"),
        ))
        return [TargetLine(*row) for row in self.env.cr.fetchall()]

    def _autocomplete_proposal(self, allocation):
        """What auto-completion would change, one dict per line whose amounts,
        sources or source snapshots change: the line, its new work and
        materials, the CurrentSources, and the changes in words."""
        self.ensure_one()
        line_of_source = {
            source.key.ref: line_id for line_id, sources in allocation.sources_by_line.items() for source in sources
        }
        # the lines and their links in one go, the record rules applied in SQL: the links read on their own
        # would check the rules of each of the hundreds of lines in Python
        self.line_ids.fetch(["name", "work_this_period", "materials_stored", "autocomplete_source_ids"])
        current = self._autocomplete_current_sources(allocation)
        round_amount, is_zero = self._amount_rounding(), self._amount_is_zero()
        proposal = []
        for line in self.line_ids:
            sources = [source.key for source in allocation.sources_by_line.get(line.id, ())]
            if not sources and not line.autocomplete_source_ids:
                continue
            work, materials = (round_amount(amount) for amount in allocation.totals(line.id))
            changes = line._autocomplete_changes(sources, line_of_source, current)
            unchanged = (
                line.autocomplete_source_ids
                and not changes
                and is_zero(work - line.work_this_period)
                and is_zero(materials - line.materials_stored)
            )
            if unchanged:
                continue
            proposal.append({
                "line": line,
                "work_this_period": work,
                "materials_stored": materials,
                "sources": sources,
                "changes": changes,
            })
        return proposal

    def _autocomplete_current_sources(self, allocation):
        """{source ref: CurrentSource} of the sources gathered for
        ``allocation`` and of those copied onto this invoice before."""
        links = self.line_ids.autocomplete_source_ids
        if not links:
            # nothing copied before, nothing to compare (the first auto-completion of a large invoice)
            return {}
        gathered = [source.key for sources in allocation.sources_by_line.values() for source in sources]
        current = {source.ref: source for source in gathered + [source.key for source, _reason in allocation.unmatched]}
        not_gathered = links.filtered(lambda link: link._source_ref() not in current)
        return current | not_gathered._current_sources_of_links()

    def _lock_for_autocompletion(self):
        """Row-lock the invoice until the transaction ends, so that two
        auto-completions of it never write at once (readme/CONFIGURE.md, "Auto-completion": the second
        would replace links it cannot see yet and copy every amount twice).
        The second is refused at once; an open preview, whose wizard
        references the invoice, does not hold it. Only for a user who may
        write the invoice: nothing is locked nor written for another."""
        self.check_access("write")
        self._lock_without_waiting(
            lambda: self.env._(
                "%(invoice)s is being auto-completed by someone else right now: "
                "auto-complete it again in a moment to see their amounts.",
                invoice=self.display_name,
            )
        )
        self._claim_project_costs()

    def _claim_project_costs(self):
        """readme/CONFIGURE.md, "Auto-completion": a cost is billed to the owner once, also when two owner invoices
        of one project are auto-completed at the same moment, each with the same approved cost of an earlier
        period that both previews offered. The auto-completion claims the project's row until its transaction
        ends: a second one is refused at once while the first runs, and one that read the database before the
        first committed fails on the row (PostgreSQL's concurrent update, which Odoo retries: the retry finds
        the cost billed). The row is written with its own values: a lock alone, once released, would not tell
        a transaction that read the database earlier that the row was claimed."""
        project = self.project_id
        self._lock_without_waiting(
            lambda: self.env._(
                "Another owner invoice of %(project)s is being auto-completed right now: auto-complete "
                "%(invoice)s again in a moment, so that no cost is billed twice.",
                project=project.display_name, invoice=self.display_name,
            ),
            records=project,
        )
        self.env.cr.execute(SQL(
            "UPDATE %s SET write_date = write_date WHERE id = %s", SQL.identifier(project._table), project.id,
        ))

    def _autocomplete_apply(self, proposal):
        """Write the proposed amounts, replace the lines' source links and
        record the answer, in a fixed number of queries whatever the number
        of sources (readme/USAGE.md, "Auto-completing owner invoices"). The caller holds the invoice's lock
        (``_lock_for_autocompletion``) since it read what ``proposal`` says."""
        self._check_can_autocomplete()
        lines = self.env["progress.billing.owner.invoice.line"].concat(*(row["line"] for row in proposal))
        with self._sharing_g703_figures():
            lines._write_autocompleted_amounts({
                row["line"]: (row["work_this_period"], row["materials_stored"]) for row in proposal
            })
            self.env["progress.billing.owner.invoice.source"]._replace_links(
                lines, [(row["line"], source) for row in proposal for source in row["sources"]]
            )
            self.autocomplete_prompt_pending = False
        if proposal:
            self._message_log(
                body=self.env._(
                    "Auto-completed from the subcontractor invoices, "
                    "direct costs and change orders of billing period %(period)s: %(count)s lines updated.",
                    count=len(proposal),
                    period=self.period_id.display_name,
                )
            )

    def _copied_sub_invoices(self):
        """The subcontractor invoices auto-completion copied onto this
        invoice, for their compiled backup. A backup missing some of them
        would mislead the owner, so a user who may not read them all is
        refused (readme/CONFIGURE.md, "Backups": a backup is read by who reads every invoice in
        it); the message counts the others without naming them."""
        self.ensure_one()
        copied_lines = self.line_ids.autocomplete_source_ids._source_lines("sub_invoice_line_id")
        copied = copied_lines.sudo().invoice_id.with_env(self.env)
        readable = copied._filtered_access("read")
        if readable != copied:
            raise UserError(self.env._(
                "%(invoice)s copies amounts from subcontractor invoices you may not read (%(hidden)s of %(count)s): "
                "their compiled backup can only be made by someone who reads them all, such as a Progress Billing "
                "administrator.",
                invoice=self.display_name, hidden=len(copied - readable), count=len(copied),
            ))
        return copied

    def _append_to_pay_application_pdf(self, writer):
        """readme/CONFIGURE.md, "Owner invoice PDF with the backup": when the company asks for
        it (Settings > Progress Billing), the pay application PDF ends with
        the compiled backup of the copied subcontractor invoices (cover and
        index first), so that one file goes to the owner."""
        sub_invoices = self._copied_sub_invoices()
        if not (self.company_id.progress_billing_owner_pdf_backup and sub_invoices):
            return
        Backup = self.env["progress.billing.backup"]
        writer.append(PdfReader(Backup._attachment_content(Backup._compile(sub_invoices))))

    def _attach_subcontractor_backup(self):
        """readme/USAGE.md, "Auto-completing owner invoices": if you choose to compile your subcontractor invoice
        backup, the compiled backup (the pay applications and attachments of the
        subcontractor invoices copied here) is attached to the owner invoice."""
        self.ensure_one()
        sub_invoices = self._copied_sub_invoices()
        if not sub_invoices:
            return
        compiled = self.env["progress.billing.backup"]._compile(sub_invoices)
        backup = self.env["progress.billing.backup"].browse(compiled.res_id)
        # The PDF stays an attachment of its backup, read by who reads every copied invoice; a copy on
        # this invoice would show them to every reader of the owner invoice. The chatter links to the backup.
        self.message_post(body=Markup("%s <a href='%s'>%s</a>") % (
            self.env._("Compiled backup of the %(count)s subcontractor invoices copied onto this invoice:",
                       count=len(sub_invoices)),
            f"/odoo/action-progress_billing.action_progress_billing_backup/{backup.id}", backup.name,
        ))

    def _autocomplete(self):
        """Auto-complete without preview (the wizard previews first)."""
        self._lock_for_autocompletion()
        allocation = self._autocomplete_allocation()
        self._autocomplete_apply(self._autocomplete_proposal(allocation))
        return allocation

    def _autocomplete_unmatched(self, allocation):
        """(source, reason in words) for each source that landed nowhere."""
        reasons = {
            UNFUNDED_CHANGE_ORDER: self.env._(
                "No approved prime contract change order with an "
                "amount funds this commitment change order through a change event."
            ),
            CHANGE_ORDER_NOT_BILLED: self.env._("The prime contract change order funding it is not on this invoice."),
            NO_COST_CODE: self.env._("The source line has no cost code."),
            NO_MATCHING_LINE: self.env._(
                "No line of this invoice bills this cost code and cost type, nor its division."
            ),
        }
        return [(source, reasons[reason]) for source, reason in allocation.unmatched]

    def _autocomplete_ambiguity_warnings(self, allocation):
        """readme/USAGE.md, "Auto-completing owner invoices": never double an amount, and show the ambiguity to the
        user."""
        lines = self.line_ids.grouped("id")
        return [
            self.env._(
                "Lines %(lines)s bill the same cost code, cost type or change: the amounts that "
                "match them (sources: %(count)s) were put on “%(chosen)s” only, the first of them, never on both.",
                lines=", ".join(f"“{lines[line_id].name}”" for line_id in line_ids),
                count=len(sources),
                chosen=lines[line_ids[0]].name,
            )
            for line_ids, sources in allocation.ambiguous.items()
        ]

