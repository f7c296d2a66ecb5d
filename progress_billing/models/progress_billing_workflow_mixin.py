# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.exceptions import AccessError, LockError, UserError

from ..tools.trusted_write import check_trusted_write, is_trusted, trusted
from ..tools.workflow import MANAGER, MANAGER_GROUP, STATUS_WRITE, SYSTEM, transition_of


class ProgressBillingWorkflowMixin(models.AbstractModel):
    """Documents that move through their statuses by explicit steps (readme/CONFIGURE.md, "Workflow and locks")."""

    _name = "progress.billing.workflow.mixin"
    _description = "Progress Billing Status Workflow"

    # statuses in which the document is certified (readme/CONFIGURE.md, "Workflow and locks"): its lines and
    # ``_locked_fields`` no longer change until an administrator resets it
    _locked_states = ()
    _locked_fields = ()
    # figures only the addon's own code writes, through ``trusted`` (readme/CONFIGURE.md, "Workflow and locks")
    _protected_fields = ()
    # every status move of the document, as tools/workflow.py
    # Transition rows (readme/CONFIGURE.md, "Workflow and locks")
    _transitions = ()

    @api.model_create_multi
    def create(self, vals_list):
        """A document created directly in a locked status (an administrator's
        import, demo data) is created unlocked with its lines, then set to
        that status."""
        initial = self._fields["state"].default(self)
        vals_list = [dict(vals) for vals in vals_list]
        locked_states = []
        for vals in vals_list:
            check_trusted_write(self, vals, self._protected_fields)
            if vals.get("state", initial) != initial and not self._may_set_state_directly():
                raise AccessError(
                    self.env._(
                        "A new %(document)s starts as %(initial)s and cannot be created as %(state)s. "
                        "Use the workflow buttons of the document to change its status.",
                        document=self._description,
                        initial=self._state_label(initial),
                        state=self._state_label(vals["state"]),
                    )
                )
            locked_states.append(vals.pop("state") if vals.get("state") in self._locked_states else None)
        documents = super().create(vals_list)
        for document, state in zip(documents, locked_states, strict=True):
            if state:
                document.write({"state": state})
        return documents

    def write(self, vals):
        """Every check first (protected figures, the status, the locks), then
        what must happen before the status moves (``_before_state_write``),
        then the write: a refused write leaves no effect."""
        check_trusted_write(self, vals, self._protected_fields)
        if "state" in vals and not self._may_set_state_directly():
            moved = self.filtered(lambda document: document.state != vals["state"])
            if moved:
                raise AccessError(
                    self.env._(
                        "%(documents)s cannot be set to %(state)s by editing its status. "
                        "Use the workflow buttons of the document (only a "
                        "Progress Billing administrator may set a status directly, e.g. by an import).",
                        documents=", ".join(moved.mapped("display_name")),
                        state=self._state_label(vals["state"]),
                    )
                )
        if set(vals) & set(self._locked_fields):
            self._check_unlocked()
        if "state" in vals:
            # the access rights before any effect too (Odoo checks them again as it writes)
            self.check_access("write")
            self._before_state_write(vals["state"])
        return super().write(vals)

    def _before_state_write(self, state):
        """What must happen before these documents are written in ``state``
        (by a transition or an administrator's direct write), once every
        check passed; nothing by default."""

    @api.ondelete(at_uninstall=False)
    def _unlink_unlocked(self):
        self._check_unlocked()

    def _may_set_state_directly(self):
        """readme/CONFIGURE.md, "Workflow and locks": a status moves only through the workflow steps (which
        write it through :func:`trusted`) and their group checks; Progress
        Billing administrators, and the superuser loading data files, may
        still set it directly, as an import does."""
        return is_trusted(self.env) or self.env.su or self._has_role(STATUS_WRITE.who)

    def _has_role(self, who):
        """Whether this user is ``who`` of a transition row (tools/workflow.py):
        Progress Billing administrators for MANAGER, the addon's own code for
        SYSTEM, anyone the access rights let write the document otherwise."""
        if who == MANAGER:
            return self.env.user.has_group(MANAGER_GROUP)
        if who == SYSTEM:
            return self.env.su or is_trusted(self.env)
        return True

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _check_unlocked(self):
        """readme/CONFIGURE.md, "Workflow and locks": a certified document (approved change order or direct
        cost) and its lines are locked, for administrators too, until an
        administrator resets it (its status history shows who and when)."""
        for document in self:
            if document.state in self._locked_states:
                raise UserError(
                    self.env._(
                        "%(document)s is %(state)s and can no longer be changed: "
                        "a Progress Billing administrator must reset it first.",
                        document=document.display_name,
                        state=self._state_label(document.state),
                    )
                )

    def _lock_without_waiting(self, refusal, records=None):
        """Row-lock these documents (or ``records``, e.g. their project) until
        the transaction ends, without waiting: while another transaction
        holds them, raise the UserError ``refusal()`` says at once. Other
        transactions may still reference the rows (a wizard created on them),
        as nothing changes their ids."""
        try:
            (self if records is None else records).lock_for_update(allow_referencing=True)
        except LockError:
            raise UserError(refusal()) from None

    def _lock_for_state_change(self):
        """Two users changing the status of the same documents at once: the
        first one locks their rows, the other is told to try again, so that
        nothing is approved, voided or billed twice (readme/CONFIGURE.md, "Workflow and locks")."""
        self._lock_without_waiting(
            lambda: self.env._(
                "%(documents)s is being changed by another user: try again in a moment.",
                documents=", ".join(self.mapped("display_name")),
            )
        )

    def _apply_transition(self, action):
        """Perform the transition of ``_transitions`` that ``action`` names:
        every check first (who may, the current status, the document's own
        rules: ``_check_transition``), then what must precede the status
        (``_before_transition``), the status, and what follows it
        (``_after_transition``). A refused move leaves no effect."""
        transition = transition_of(self._transitions, action)
        self._check_transition(transition)
        self._before_transition(transition)
        trusted(self).write({"state": transition.target})
        self._after_transition(transition)

    def _check_transition(self, transition):
        """Refuse ``transition`` with a clear error naming the documents
        unless this user may perform it (reviewing steps are the Progress
        Billing administrators', some only Progress Billing's own) and each
        document is in one of its statuses. The rows are locked first."""
        if not self._has_role(transition.who):
            if transition.who == MANAGER:
                raise UserError(
                    self.env._(
                        "Only a Progress Billing manager can set %(documents)s to %(state)s.",
                        documents=", ".join(self.mapped("display_name")),
                        state=self._state_label(transition.target),
                    )
                )
            raise UserError(
                self.env._(
                    "%(documents)s can only be set to %(state)s by Progress Billing itself.",
                    documents=", ".join(self.mapped("display_name")),
                    state=self._state_label(transition.target),
                )
            )
        self._lock_for_state_change()
        for document in self:
            if document.state not in transition.sources:
                raise UserError(
                    self.env._(
                        "%(document)s cannot go from %(current)s to %(target)s.",
                        document=document.display_name,
                        current=self._state_label(document.state),
                        target=self._state_label(transition.target),
                    )
                )

    def _before_transition(self, transition):
        """What ``transition`` does before the status moves, once every check
        passed; nothing by default."""

    def _after_transition(self, transition):
        """What ``transition`` does once the status moved; nothing by default."""
