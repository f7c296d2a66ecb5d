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
        dictionary (issue: settings switch); other languages are left alone."""
        for user in self.filtered(lambda user: not user.share and user.lang in ENGLISH_LANGS):
            lang = user.company_id._progress_billing_lang()
            if user.lang != lang and self.env["res.lang"]._get_data(code=lang):
                user.lang = lang
