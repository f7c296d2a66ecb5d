# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools import SQL

from ..tools.dictionaries import DICTIONARY_LANGS


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _load_module_terms(self, modules, langs, overwrite=False):
        """Updating the addon refreshes its point-of-view dictionaries: their
        translations are replaced by the current .po files, even without
        --i18n-overwrite, so that dictionary terms that changed reach the database."""
        super()._load_module_terms(modules, langs, overwrite=overwrite)
        dictionary_langs = [lang for lang in langs or () if lang in DICTIONARY_LANGS]
        if "progress_billing" in modules and dictionary_langs:
            self._forget_dictionary_translations(dictionary_langs)
            super()._load_module_terms(["progress_billing"], dictionary_langs, overwrite=True)

    def _forget_dictionary_translations(self, langs):
        """Drop the dictionaries' translations of the addon's own records so
        that a string which no longer holds a term falls back to English.
        Records loaded with noupdate keep theirs, as Odoo does."""
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            "SELECT model, array_agg(res_id) FROM ir_model_data WHERE module = %s AND noupdate IS NOT TRUE GROUP BY model",
            "progress_billing",
        ))
        for model_name, ids in rows:
            if model_name not in self.env:
                continue
            model = self.env[model_name]
            translated = [
                field for field in model._fields.values() if field.translate and field.store and field.column_type
            ]
            for field in translated:
                self.env.cr.execute(SQL(
                    "UPDATE %(table)s SET %(column)s = %(column)s - %(langs)s::text[] WHERE id = ANY(%(ids)s)",
                    table=SQL.identifier(model._table), column=SQL.identifier(field.name), langs=langs, ids=ids,
                ))
            model.invalidate_model([field.name for field in translated])
