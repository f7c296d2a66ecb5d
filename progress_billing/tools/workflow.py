# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The status transitions of the Progress Billing documents, one table per
model (readme/CONFIGURE.md, "Workflow and locks"), kept as OCA ``contract`` keeps its matrix
of allowed contract line actions: plain data that the action buttons, the
write guard of the status field and the README's table all read.

Each row says from which statuses a document moves to which, who may move
it, what the move freezes, unlocks or starts, and the method that performs it.
"""

from typing import NamedTuple

# the Progress Billing administrators: reviewers, and the only users who may set a status directly (an import)
MANAGER_GROUP = "progress_billing.group_progress_billing_manager"

# who may perform a transition
USER = "user"  # any Progress Billing user the access rights let write the document
PORTAL = "portal"  # the same, and the subcontractor on the portal (its own invoices)
MANAGER = "manager"  # Progress Billing administrators only
SYSTEM = "system"  # only Progress Billing itself, never a user's request
ROLE_LABELS = {
    USER: "User",
    PORTAL: "User, or the subcontractor on the portal",
    MANAGER: "Administrator",
    SYSTEM: "Progress Billing itself",
}


class Transition(NamedTuple):
    """One move of a document's status."""

    action: str  # the model's method that performs it
    label: str  # how the README names it: the button, or what triggers it
    sources: tuple  # the statuses it moves from
    target: str  # the status it moves to
    who: str  # USER, PORTAL, MANAGER or SYSTEM
    effect: str = ""  # what the move freezes, unlocks or starts (README)


# writing the status directly (an import, a list edit, JSON-RPC ``write``) instead of by a step
STATUS_WRITE = Transition(
    "write", "Writing the status directly, e.g. by an import", (), "", MANAGER,
    "None of the steps' checks and effects",
)


def transition_of(table, action):
    """The row of ``table`` that ``action`` performs."""
    for transition in table:
        if transition.action == action:
            return transition
    raise KeyError(f"no transition is performed by {action}")


def markdown_table(table, state_label):
    """``table`` as the Markdown table of the README, statuses named by
    ``state_label(state)``, and the direct write of the status last."""
    rows = [
        "| From | To | Who | Step | Effect |",
        "| --- | --- | --- | --- | --- |",
    ]
    for transition in table:
        rows.append("| {} | {} | {} | {} | {} |".format(
            ", ".join(state_label(state) for state in transition.sources), state_label(transition.target),
            ROLE_LABELS[transition.who], transition.label, transition.effect,
        ))
    rows.append(f"| Any | Any | {ROLE_LABELS[STATUS_WRITE.who]} | {STATUS_WRITE.label} | {STATUS_WRITE.effect} |")
    return "\n".join(rows)
