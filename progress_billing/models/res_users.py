# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models

from ..tools.dictionaries import ENGLISH_LANGS


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.browse([user.id for user, vals in zip(users, vals_list, strict=True) if "lang" not in vals])._follow_company_dictionary()
        return users

    def _follow_company_dictionary(self):
        """Internal users working in English use their company's point-of-view
        dictionary (readme/CONFIGURE.md, "Choosing a dictionary"), its portal users (subcontractors)
        the dictionary of the subcontractor's side (readme/USAGE.md, "The subcontractor's side (portal)"); other
        languages are left alone."""
        for user in self.filtered(lambda user: (not user.share or user._is_portal()) and user.lang in ENGLISH_LANGS):
            company = user.company_id
            lang = company._progress_billing_portal_lang() if user._is_portal() else company._progress_billing_lang()
            if user.lang != lang and self.env["res.lang"]._get_data(code=lang):
                user.lang = lang
