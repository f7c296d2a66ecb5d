# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models
from odoo.exceptions import AccessError, LockError, UserError

from ..tools.trusted_write import check_trusted_write, is_trusted, trusted

MANAGER_GROUP = "progress_billing.group_progress_billing_manager"


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
                raise AccessError(_(
                    "A new %(document)s starts as %(initial)s and cannot be created as %(state)s. "
                    "Use the workflow buttons of the document to change its status.",
                    document=self._description, initial=self._state_label(initial), state=self._state_label(vals["state"]),
                ))
            locked_states.append(vals.pop("state") if vals.get("state") in self._locked_states else None)
        documents = super().create(vals_list)
        for document, state in zip(documents, locked_states, strict=True):
            if state:
                document.write({"state": state})
        return documents

    def write(self, vals):
        check_trusted_write(self, vals, self._protected_fields)
        if "state" in vals and not self._may_set_state_directly():
            moved = self.filtered(lambda document: document.state != vals["state"])
            if moved:
                raise AccessError(_(
                    "%(documents)s cannot be set to %(state)s by editing its status. "
                    "Use the workflow buttons of the document (only a Progress Billing administrator may set a status directly, e.g. by an import).",
                    documents=", ".join(moved.mapped("display_name")), state=self._state_label(vals["state"]),
                ))
        if set(vals) & set(self._locked_fields):
            self._check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_unlocked(self):
        self._check_unlocked()

    def _may_set_state_directly(self):
        """readme/CONFIGURE.md, "Workflow and locks": a status moves only through the workflow steps (which
        write it through :func:`trusted`) and their group checks; Progress
        Billing administrators, and the superuser loading data files, may
        still set it directly, as an import does."""
        return is_trusted(self.env) or self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _check_unlocked(self):
        """readme/CONFIGURE.md, "Workflow and locks": a certified document (approved change order or direct
        cost) and its lines are locked, for administrators too, until an
        administrator resets it (its status history shows who and when)."""
        for document in self:
            if document.state in self._locked_states:
                raise UserError(_(
                    "%(document)s is %(state)s and can no longer be changed: a Progress Billing administrator must reset it first.",
                    document=document.display_name, state=self._state_label(document.state),
                ))

    def _lock_without_waiting(self, refusal):
        """Row-lock these documents until the transaction ends, without
        waiting: while another transaction holds them, raise the UserError
        ``refusal()`` says at once. Other transactions may still reference
        the rows (a wizard created on them), as nothing changes their ids."""
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError:
            raise UserError(refusal()) from None

    def _lock_for_state_change(self):
        """Two users changing the status of the same documents at once: the
        first one locks their rows, the other is told to try again, so that
        nothing is approved, voided or billed twice (readme/CONFIGURE.md, "Workflow and locks")."""
        self._lock_without_waiting(lambda: _(
            "%(documents)s is being changed by another user: try again in a moment.",
            documents=", ".join(self.mapped("display_name")),
        ))

    def _change_state(self, target, allowed_from, manager_only=False):
        """Move to ``target`` from one of ``allowed_from``, raising a clear
        error naming the document otherwise; ``manager_only`` steps are the
        reviewers' (Progress Billing administrators)."""
        state_label = dict(self._fields["state"]._description_selection(self.env))
        if manager_only and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                _("Only a Progress Billing manager can set %(documents)s to %(state)s.",
                  documents=", ".join(self.mapped("display_name")), state=state_label[target])
            )
        self._lock_for_state_change()
        for document in self:
            if document.state not in allowed_from:
                raise UserError(
                    _("%(document)s cannot go from %(current)s to %(target)s.",
                      document=document.display_name, current=state_label[document.state], target=state_label[target])
                )
        trusted(self).write({"state": target})
