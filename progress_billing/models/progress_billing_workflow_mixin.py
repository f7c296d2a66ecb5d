from odoo import _, models
from odoo.exceptions import UserError

MANAGER_GROUP = "progress_billing.group_progress_billing_manager"


class ProgressBillingWorkflowMixin(models.AbstractModel):
    """Documents that move through the spec's statuses by explicit steps."""

    _name = "progress.billing.workflow.mixin"
    _description = "Progress Billing Status Workflow"

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
        for document in self:
            if document.state not in allowed_from:
                raise UserError(
                    _("%(document)s cannot go from %(current)s to %(target)s.",
                      document=document.display_name, current=state_label[document.state], target=state_label[target])
                )
        self.state = target
