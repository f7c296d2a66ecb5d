# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Numbers of the pay application PDFs, written as Odoo's QWeb ``float`` and
``monetary`` widgets write them, without the widget's round trip per number
(readme/USAGE.md, "Pay application PDFs and compiled backups"): a pay
application prints about a hundred numbers, and the widget (a model looked
up, the language fetched and its grouping parsed again for each number) took
more time than the rest of the document's rendering. The language is read
once per rendering; the text is the same, character for character."""

import ast

from markupsafe import Markup

from odoo.tools.float_utils import float_is_zero, float_round

from odoo.addons.base.models.res_lang import intersperse


class NumberFormat:
    """The number formats of one language (``res.lang`` data: decimal point,
    thousands separator, grouping)."""

    def __init__(self, lang):
        self.decimal_point = lang.decimal_point
        self.thousands_sep = lang.thousands_sep or ""
        self.grouping = ast.literal_eval(lang.grouping)

    def _grouped(self, value, digits):
        """``res.lang.format("%.<digits>f", value, grouping=True)``."""
        parts = f"{value:.{digits}f}".split(".")
        parts[0] = intersperse(parts[0], self.grouping, self.thousands_sep)[0]
        return self.decimal_point.join(parts)

    def number(self, value, digits):
        """The ``float`` widget with ``precision`` ``digits``."""
        return self._grouped(float_round(value, precision_digits=digits), digits).replace(
            "-", "-\N{ZERO WIDTH NO-BREAK SPACE}"
        )

    def amount(self, value, currency):
        """The ``monetary`` widget with ``display_currency`` ``currency``:
        the amount rounded by the currency, its symbol before or after."""
        digits = currency.decimal_places
        if float_is_zero(value, precision_digits=digits):
            value = 0.0
        text = self._grouped(currency.round(value), digits).replace(" ", "\N{NO-BREAK SPACE}").replace(
            "-", "-\N{ZERO WIDTH NO-BREAK SPACE}"
        )
        symbol = currency.symbol or ""
        pre, post = (f"{symbol}\N{NO-BREAK SPACE}", "") if currency.position == "before" else (
            "", f"\N{NO-BREAK SPACE}{symbol}"
        )
        return Markup('{pre}<span class="oe_currency_value">{0}</span>{post}').format(text, pre=pre, post=post)
