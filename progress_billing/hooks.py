# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from .tools.dictionaries import DEFAULT_LANG, DICTIONARY_LANGS


def post_init_hook(env):
    """Companies already on the generic chart of accounts get its retainage accounts."""
    ChartTemplate = env["account.chart.template"]
    for company in env["res.company"].search([("chart_template", "=", "generic_coa")], order="parent_path"):
        ChartTemplate._load_progress_billing_accounts(company)


def uninstall_hook(env):
    """The point-of-view dictionaries go with the addon: their users and
    contacts return to English (US) so that their languages can be removed
    (Odoo refuses to delete a language in use)."""
    env["res.lang"]._activate_lang(DEFAULT_LANG)
    for model in ("res.users", "res.partner"):
        env[model].with_context(active_test=False).search([("lang", "in", list(DICTIONARY_LANGS))]).lang = DEFAULT_LANG
    langs = env["res.lang"].search([("code", "in", list(DICTIONARY_LANGS))])
    langs.active = False
