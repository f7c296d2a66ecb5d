# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Point-of-view dictionaries: the i18n files, the languages, the settings switch."""

import io
from pathlib import Path

import polib
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import trans_export

from ..hooks import uninstall_hook
from ..tools.dictionaries import DICTIONARIES, term_forms, term_pattern, unprotected_parts
from .common import USER_GROUP, ProgressBillingCase
from .common_pay_application import PayApplicationCase
from .pdf_samples import pdf_page_texts

I18N = Path(file_path("progress_billing/i18n"))
REGENERATE = "run scripts/update_dictionaries.sh and commit progress_billing/i18n/"


def po_entries(path_or_text):
    return {entry.msgid: entry for entry in polib.pofile(str(path_or_text))}


def terms_in(text, pattern):
    """Our words in ``text`` outside placeholders and markup."""
    return [match.group() for protected, part in unprotected_parts(text) if not protected for match in pattern.finditer(part)]


def occurrences(entry):
    # python and JS terms are looked up by their text, wherever they are
    return {"code" if name.startswith("code:") else name for name, _line in entry.occurrences}


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryFiles(TransactionCase):
    """The .pot and the three .po files stay in step with the code, and each
    dictionary translates every string holding one of the terms of tools/dictionaries.py."""

    def test_only_dictionaries_are_shipped(self):
        """No en.po: every English variant, English (US) included, would load it."""
        self.assertEqual(
            sorted(path.name for path in I18N.iterdir()),
            sorted(["progress_billing.pot", *(f"{dictionary.lang}.po" for dictionary in DICTIONARIES)]),
        )

    def test_each_dictionary_translates_every_term(self):
        pot = po_entries(I18N / "progress_billing.pot")
        for dictionary in DICTIONARIES:
            forms = term_forms(dictionary.key)
            pattern = term_pattern(forms)
            replaced = term_pattern({ours: theirs for ours, theirs in forms.items() if ours != theirs})
            po = po_entries(I18N / f"{dictionary.lang}.po")
            for msgid, pot_entry in pot.items():
                terms = terms_in(msgid, pattern)
                if not terms:
                    continue
                with self.subTest(dictionary=dictionary.key, msgid=msgid):
                    entry = po.get(msgid)
                    self.assertTrue(entry and entry.msgstr, f"{dictionary.lang}.po does not translate it: {REGENERATE}")
                    self.assertEqual(occurrences(entry), occurrences(pot_entry), REGENERATE)
                    for term in terms:
                        self.assertIn(forms[term].lower(), entry.msgstr.lower())
                    self.assertFalse(terms_in(entry.msgstr, replaced), "a word of ours is left untranslated")

    def test_pot_covers_every_term_of_the_code(self):
        """New strings cannot slip through: the .pot holds every string of the
        installed addon that holds a term, with all the places it is used."""
        buffer = io.BytesIO()
        trans_export(None, ["progress_billing"], buffer, "po", self.env)
        live = po_entries(buffer.getvalue().decode())
        pot = po_entries(I18N / "progress_billing.pot")
        patterns = [term_pattern(term_forms(dictionary.key)) for dictionary in DICTIONARIES]
        for msgid, entry in live.items():
            if any(terms_in(msgid, pattern) for pattern in patterns):
                with self.subTest(msgid=msgid):
                    self.assertIn(msgid, pot, f"not in progress_billing.pot: {REGENERATE}")
                    self.assertLessEqual(occurrences(entry), occurrences(pot[msgid]), REGENERATE)


def activate_dictionaries(env):
    """Activate the three dictionaries, which loads their translations."""
    langs = {dictionary.key: dictionary.lang for dictionary in DICTIONARIES}
    env["res.lang"].with_context(active_test=False).search([("code", "in", list(langs.values()))]).action_unarchive()
    return langs


class DictionaryCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.langs = activate_dictionaries(cls.env)

    def in_lang(self, key, records):
        return records.with_context(lang=self.langs[key])


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryLanguages(DictionaryCase):
    def test_languages(self):
        names = {lang.code: lang.name for lang in self.env["res.lang"].search([("code", "in", list(self.langs.values()))])}
        self.assertEqual(names, {
            "en@headcontractor": "English (Head Contractor Terminology)",
            "en@owner": "English (Owner Terminology)",
            "en@specialty": "English (Specialty Contractor Terminology)",
        })

    def test_field_labels(self):
        expected = {
            # model, field: Head Contractor, Owner, Specialty Contractor
            ("purchase.order", "is_commitment"): ("Subcontract", "Contract", "Subcontract"),
            ("project.project", "prime_contract_ids"): ("Head Contracts", "Funding", "Client Contracts"),
            ("progress.billing.owner.invoice", "partner_id"): ("Owner/Client", "Owner/Client", "HC/Client"),
            ("progress.billing.sub.invoice", "partner_id"): ("Subcontractor", "Contractor", "Subcontractor"),
            ("progress.billing.change.event.line", "prime_line_id"): ("HCV Line", "FV Line", "CCV Line"),
            ("purchase.order", "sub_invoice_ids"): ("Subcontractor Invoices", "Contractor Invoices", "Subcontractor Invoices"),
            ("sale.order", "owner_invoice_ids"): ("Owner Invoices", "Funding Invoices", "Client Invoices"),
            ("progress.billing.change.order.line", "purchase_line_id"): ("Revised SSOV Line", "Revised CSOV Line", "Revised SSOV Line"),
        }
        for (model, field), words in expected.items():
            for dictionary, word in zip(DICTIONARIES, words, strict=True):
                with self.subTest(model=model, field=field, dictionary=dictionary.key):
                    fields = self.in_lang(dictionary.key, self.env[model]).fields_get([field], ["string"])
                    self.assertEqual(fields[field]["string"], word)
        self.assertEqual(self.env["purchase.order"].fields_get(["is_commitment"], ["string"])["is_commitment"]["string"], "Commitment")

    def test_selection_values(self):
        for dictionary, word in zip(DICTIONARIES, ("Head Contract Variation", "Funding Variation", "Client Contract Variation"), strict=True):
            selection = self.in_lang(dictionary.key, self.env["progress.billing.change.order"]).fields_get(["order_type"])
            self.assertIn(("prime", word), selection["order_type"]["selection"])

    def test_model_descriptions(self):
        for dictionary, word in zip(DICTIONARIES, ("Subcontractor Invoice", "Contractor Invoice", "Subcontractor Invoice"), strict=True):
            model = self.in_lang(dictionary.key, self.env["ir.model"])._get("progress.billing.sub.invoice")
            self.assertEqual(model.name, word)

    def test_python_messages(self):
        """_() messages follow the dictionary, terms inside sentences included."""
        for dictionary, word in zip(DICTIONARIES, ("exactly one head contract", "exactly one funding", "exactly one client contract"), strict=True):
            with self.subTest(dictionary=dictionary.key), self.assertRaisesRegex(ValidationError, word):
                self.in_lang(dictionary.key, self.env["progress.billing.change.order"]).create(
                    {"title": "Extra footing", "order_type": "prime"}
                )

    def test_other_words_fall_back_to_english(self):
        """Strings without a term, and Odoo's own words, stay English (US)."""
        for dictionary in DICTIONARIES:
            fields = self.in_lang(dictionary.key, self.env["purchase.order"]).fields_get(["accounting_method", "partner_id"])
            self.assertEqual(fields["accounting_method"]["string"], "Accounting Method")
            self.assertEqual(fields["partner_id"]["string"], "Vendor")

    def test_date_group_by(self):
        """Date groups of lists, kanbans and pivots get the labels of English
        (US) in every dictionary (a fake territory such as en_XX would raise
        Babel's UnknownLocaleError here; en@<word> would number weeks from Monday)."""
        project = self.env["project.project"].create({"name": "Tower"})
        Period = self.env["progress.billing.period"]
        Period.create({"project_id": project.id, "date_start": "2026-01-01", "date_end": "2026-01-31", "date_due": "2026-01-25"})
        Period.create({"project_id": project.id, "date_start": "2026-02-01", "date_end": "2026-02-28", "date_due": "2026-02-25"})
        domain = [("project_id", "=", project.id)]
        for lang in ("en_US", *self.langs.values()):
            with self.subTest(lang=lang):
                periods = Period.with_context(lang=lang)
                months = periods.formatted_read_group(domain, ["date_start:month"], ["__count"])
                self.assertEqual([group["date_start:month"][1] for group in months], ["January 2026", "February 2026"])
                weeks = periods.formatted_read_group(domain, ["date_start:week"], ["__count"])
                self.assertEqual([group["date_start:week"][1] for group in weeks], ["W1 2026", "W6 2026"])
                listed = periods.web_read_group(domain, ["date_start:quarter"], ["__count"])
                self.assertEqual([group["date_start:quarter"][1] for group in listed["groups"]], ["Q1 2026"])
                pivot = periods.formatted_read_grouping_sets(domain, [["date_start:year"], ["date_start:day"]], ["__count"])
                self.assertEqual([group["date_start:day"][1] for group in pivot[1]], ["01 Jan 2026", "01 Feb 2026"])

    def test_dates_and_numbers_keep_us_formats(self):
        for lang in self.langs.values():
            env = self.env(context={"lang": lang})
            self.assertEqual(env["ir.qweb.field.date"].value_to_html(env.cr.now().date().replace(2026, 3, 4), {}), "03/04/2026")
            self.assertEqual(env["ir.qweb.field.float"].value_to_html(1234567.891, {"precision": 2}), "1,234,567.89")


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryUpdate(DictionaryCase):
    def test_update_refreshes_changed_terms(self):
        """Updating the addon (no --i18n-overwrite) replaces outdated dictionary
        translations and drops those of strings that no longer hold a term."""
        fields = self.env["ir.model.fields"]
        is_commitment = fields._get("purchase.order", "is_commitment")
        accounting_method = fields._get("purchase.order", "accounting_method")
        for field in is_commitment | accounting_method:
            field.update_field_translations("field_description", {"en@owner": "Outdated"})
        self.env["ir.module.module"].search([("name", "=", "progress_billing")])._update_translations(["en@owner"])
        self.assertEqual(self.in_lang("owner", is_commitment).field_description, "Contract")
        self.assertEqual(self.in_lang("owner", accounting_method).field_description, "Accounting Method")

    def test_update_keeps_noupdate_records(self):
        """Data loaded with noupdate (cost types) keeps the names users gave it."""
        cost_type = self.env.ref("progress_billing.cost_type_subcontract")
        self.assertEqual(self.in_lang("owner", cost_type).name, "Contract")
        cost_type.update_field_translations("name", {"en@owner": "Contract Works"})
        self.env["ir.module.module"].search([("name", "=", "progress_billing")])._update_translations(["en@owner"])
        self.assertEqual(self.in_lang("owner", cost_type).name, "Contract Works")


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryUserData(DictionaryCase):
    def test_names_typed_in_a_dictionary_are_everyone_s(self):
        """A project renamed by an Owner-dictionary user is renamed for all."""
        project = self.env["project.project"].create({"name": "Tower"})
        self.in_lang("owner", project).name = "Tower A"
        for lang in ("en_US", *self.langs.values()):
            self.assertEqual(project.with_context(lang=lang).name, "Tower A", lang)

    def test_renamed_dictionary_word_replaces_every_variant(self):
        cost_type = self.env.ref("progress_billing.cost_type_subcontract")
        self.in_lang("head_contractor", cost_type).name = "Trade Subcontract"
        for lang in ("en_US", *self.langs.values()):
            self.assertEqual(cost_type.with_context(lang=lang).name, "Trade Subcontract", lang)

    def test_other_languages_keep_their_translation(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        project = self.env["project.project"].create({"name": "Tower"})
        project.update_field_translations("name", {"fr_FR": "Tour"})
        self.in_lang("owner", project).name = "Tower A"
        self.assertEqual(project.with_context(lang="fr_FR").name, "Tour")
        self.assertEqual(project.with_context(lang="en_US").name, "Tower A")


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionarySettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Owner Developments"})
        cls.other_company = cls.env["res.company"].create({"name": "Builders"})
        cls.env["res.lang"]._activate_lang("fr_FR")

        def user(login, company, lang="en_US", groups="base.group_user"):
            return new_test_user(cls.env, login, groups=groups, company_id=company.id, company_ids=company.ids, lang=lang)

        cls.english_user = user("pb_owner_english", cls.company)
        cls.french_user = user("pb_owner_french", cls.company, lang="fr_FR")
        cls.portal_user = user("pb_owner_portal", cls.company, groups="base.group_portal")
        cls.other_user = user("pb_builder", cls.other_company)

    def choose(self, dictionary):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.progress_billing_dictionary = dictionary
        settings.save().execute()

    def test_switch_to_a_dictionary_and_back(self):
        owner_lang = self.env.ref("progress_billing.lang_owner")
        self.assertFalse(owner_lang.active)
        self.choose("owner")
        self.assertTrue(owner_lang.active)
        self.assertEqual(self.english_user.lang, "en@owner")
        self.assertEqual(self.french_user.lang, "fr_FR", "a dictionary is an English variant")
        self.assertEqual(
            self.portal_user.lang, "en@specialty",
            "portal users are the company's subcontractors: the subcontractor's side of the contract",
        )
        self.assertEqual(self.other_user.lang, "en_US", "another company keeps its dictionary")
        user_env = self.env(user=self.english_user, context=self.english_user.with_user(self.english_user).context_get())
        field = user_env["purchase.order"].fields_get(["is_commitment"], ["string"])
        self.assertEqual(field["is_commitment"]["string"], "Contract")

        self.choose("default")
        self.assertEqual(self.english_user.lang, "en_US")
        self.assertEqual(self.french_user.lang, "fr_FR")
        self.assertEqual(self.portal_user.lang, "en_US")

    def test_users_may_pick_another_dictionary(self):
        self.choose("owner")
        self.env.ref("progress_billing.lang_specialty_contractor").action_unarchive()
        self.english_user.with_user(self.english_user).lang = "en@specialty"
        self.choose("owner")  # saving the settings again changes nobody's choice
        self.assertEqual(self.english_user.lang, "en@specialty")
        self.choose("head_contractor")
        self.assertEqual(self.english_user.lang, "en@headcontractor")

    def test_uninstall_returns_users_to_english(self):
        self.choose("owner")
        uninstall_hook(self.env)
        self.assertEqual(self.english_user.lang, "en_US")
        self.assertFalse(self.env.ref("progress_billing.lang_owner").active)

    def test_new_users_get_the_company_dictionary(self):
        self.choose("specialty_contractor")
        newcomer = self.env["res.users"].create({
            "name": "Newcomer", "login": "pb_newcomer", "company_id": self.company.id, "company_ids": self.company.ids,
        })
        self.assertEqual(newcomer.lang, "en@specialty")


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryWebClient(HttpCase):
    def test_web_client_gets_the_dictionary_and_its_formats(self):
        """The web client turns en@owner into "en" for the browser and asks for
        the translations of "en", which Odoo answers with the user's own
        language: the dictionary's terms and its (US) date formats."""
        langs = self.env.ref("progress_billing.lang_owner") | self.env.ref("progress_billing.lang_specialty_contractor")
        langs.action_unarchive()
        new_test_user(self.env, "pb_owner_web", groups="base.group_user", lang="en@owner", password="pb_owner_web")
        new_test_user(self.env, "pb_specialty_web", groups="base.group_user", lang="en@specialty", password="pb_specialty_web")
        self.authenticate("pb_owner_web", "pb_owner_web")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["user_context"]["lang"], "en@owner")
        translations = self.url_open("/web/webclient/translations?lang=en").json()
        self.assertEqual(translations["lang_parameters"]["code"], "en@owner")
        self.assertEqual(translations["lang_parameters"]["date_format"], "%m/%d/%Y")
        self.assertEqual(translations["lang_parameters"]["week_start"], 7)

        self.authenticate("pb_specialty_web", "pb_specialty_web")
        other = self.url_open("/web/webclient/translations?lang=en").json()
        self.assertEqual(other["lang_parameters"]["code"], "en@specialty")
        self.assertNotEqual(other["hash"], translations["hash"], "a browser switching dictionaries must reload its terms")


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryTour(ProgressBillingCase, HttpCase):
    def test_owner_dictionary_in_the_browser(self):
        """An Owner-dictionary user sees "Funding" where the default shows
        "Prime Contracts", in menus, titles and columns; date groups work."""
        self.env.ref("progress_billing.lang_owner").action_unarchive()
        self.env["progress.billing.direct.cost"].create({
            "project_id": self.project.id, "date": "2026-01-15", "date_received": "2026-01-15",
        })
        owner_user = self._create_user("pb_owner_tour", USER_GROUP)
        owner_user.lang = "en@owner"
        self.start_tour("/odoo", "progress_billing_owner_dictionary_tour", login=owner_user.login)
        self.start_tour("/odoo", "progress_billing_default_dictionary_tour", login=self.user.login)


@tagged("post_install", "-at_install", "progress_billing")
class TestDictionaryPayApplication(PayApplicationCase):
    def test_pay_application_prints_in_the_printing_user_s_dictionary(self):
        """The same subcontractor invoice prints with the words of whoever prints it."""
        activate_dictionaries(self.env)
        invoice = self._create_tenth_invoice(self.commitment)
        expected = {
            # language: words on the summary page, words that must not be there
            "en_US": (["subcontractor invoice", "commitment", "net change by change orders"], ["variation"]),
            "en@headcontractor": (["subcontractor invoice", "subcontract", "net change by variations"], ["commitment", "change order"]),
            "en@owner": (["contractor invoice", "contract", "net change by variations", "to owner"], ["subcontract", "commitment", "change order"]),
            "en@specialty": (["subcontractor invoice", "subcontract", "net change by variations"], ["commitment", "change order"]),
        }
        for lang, (present, absent) in expected.items():
            with self.subTest(lang=lang):
                user = self._create_user(f"pb_print_{lang}", USER_GROUP)
                user.lang = lang
                context = dict(user.with_user(user).context_get(), force_report_rendering=True)
                pdf = self.env(user=user, context=context)["ir.actions.report"]._render_qweb_pdf(
                    "progress_billing.action_report_sub_invoice", invoice.ids
                )[0]
                summary = pdf_page_texts(pdf)[0].lower()
                for word in present:
                    self.assertIn(word, summary)
                for word in absent:
                    self.assertNotIn(word, summary)
