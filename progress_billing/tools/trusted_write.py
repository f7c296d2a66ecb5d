# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Writes that only the addon's own code may make (readme/CONFIGURE.md, "Workflow and locks").

Guards on ``write``/``create`` (workflow statuses, frozen figures, source
links) must still let the addon's workflow steps through. An Odoo context key
alone cannot tell them apart: JSON-RPC callers choose the context they send.
The marker here is a Python object that no JSON value can be, so only code
running in the server can set it.
"""

from odoo.exceptions import AccessError

_TRUSTED = object()
_KEY = "progress_billing_trusted_write"


def trusted(records):
    """``records`` in an environment whose writes the addon's guards let through."""
    return records.with_context(**{_KEY: _TRUSTED})


def is_trusted(env):
    """Whether ``env`` comes from :func:`trusted` (never from a client's context)."""
    return env.context.get(_KEY) is _TRUSTED


def check_trusted_write(records, vals, field_names):
    """Refuse writing or creating any of ``field_names`` in ``vals`` unless
    ``records`` come from :func:`trusted`: figures only the addon's own code
    sets (readme/CONFIGURE.md, "Workflow and locks"), whoever asks (administrators and superuser included)."""
    written = sorted(set(vals) & set(field_names))
    if written and not is_trusted(records.env):
        raise AccessError(records.env._(
            "%(fields)s of %(documents)s are set by Progress Billing itself and cannot be written.",
            fields=", ".join(records._fields[name].string for name in written),
            documents=", ".join(records.mapped("display_name")) or records._description,
        ))
