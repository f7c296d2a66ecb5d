# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Raw SQL filtered by company exactly as the ORM's record rules filter
(readme/CONFIGURE.md, "Companies"): the rows of the companies the user works in (``env.companies``,
the ``company_ids`` of the rules); for the superuser, as for the ORM, none."""

from odoo.tools import SQL


def active_companies_condition(env, alias):
    """SQL condition on the ``company_id`` of the table or alias ``alias``."""
    if env.su:
        return SQL("TRUE")
    return SQL("%s.company_id = ANY(%s)", SQL.identifier(alias), env.companies.ids)
