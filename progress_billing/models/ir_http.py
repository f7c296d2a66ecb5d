# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models

from ..tools.dictionaries import DICTIONARY_LANGS


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _get_web_translations_hash(self, modules, lang):
        """The web client asks every dictionary's translations as those of
        "en" (its name for `en@<word>`), which Odoo serves in the user's own
        language: key the cached hash by that language so that a browser
        switching dictionaries reloads the JS terms."""
        if not lang and self.env.context.get("lang") in DICTIONARY_LANGS:
            lang = self.env.context["lang"]
        return super()._get_web_translations_hash(modules, lang)
