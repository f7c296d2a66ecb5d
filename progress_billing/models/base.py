# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools import SQL

from ..tools.dictionaries import DEFAULT_LANG, DICTIONARY_LANGS


class Base(models.AbstractModel):
    _inherit = "base"

    def write(self, vals):
        result = super().write(vals)
        if self.env.context.get("lang") in DICTIONARY_LANGS and self.ids:
            self._share_with_english_variants(vals)
        return result

    def _web_read_group_groupby_formatter(self, groupby_spec, values):
        """Date groups of a dictionary get the labels of English (US): Babel
        gives an `en@<word>` locale no territory, so it would number weeks
        from Monday while the groups start on the language's Sunday."""
        if ":" in groupby_spec and self.env.context.get("lang") in DICTIONARY_LANGS:
            self = self.with_context(lang=DEFAULT_LANG)
        return super()._web_read_group_groupby_formatter(groupby_spec, values)

    def _share_with_english_variants(self, field_names):
        """A dictionary changes the UI's words, not the user's data: what a
        dictionary user types into a translated field (a project's or a
        product's name) is what English (US) and the other dictionaries show
        too, instead of becoming a translation only their dictionary sees."""
        translated = [
            field for name in field_names
            if (field := self._fields.get(name)) and field.translate is True and field.store and field.column_type
        ]
        if not translated:
            return
        self.flush_recordset([field.name for field in translated])
        lang = self.env.context["lang"]
        for field in translated:
            self.env.cr.execute(SQL(
                """UPDATE %(table)s SET %(column)s = (%(column)s - %(others)s::text[])
                       || jsonb_build_object(%(en)s, %(column)s -> %(lang)s, %(lang)s, %(column)s -> %(lang)s)
                    WHERE id = ANY(%(ids)s) AND %(column)s ? %(lang)s""",
                table=SQL.identifier(self._table), column=SQL.identifier(field.name),
                others=sorted(DICTIONARY_LANGS - {lang}), en=DEFAULT_LANG, lang=lang, ids=list(self.ids),
            ))
        self.invalidate_recordset([field.name for field in translated])
