# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""What a subcontractor may write from the portal (readme/USAGE.md, "The subcontractor's side (portal)").

Both the subcontractor invoice and its lines name the few fields a portal user
writes in ``_portal_writable_fields``; every other field is read-only to that
user whatever way it calls (portal page or JSON-RPC), while the workflow steps
still write the status and review through :func:`trusted`.
"""

from .trusted_write import is_trusted


def portal_may_write(records, field):
    """Whether the user of ``records`` may write ``field`` as far as the
    portal is concerned (always, for internal users and the superuser)."""
    env = records.env
    if env.su or is_trusted(env) or not env.user._is_portal():
        return True
    return field.name in records._portal_writable_fields
