# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval

from .common import ProgressBillingCase

NUMBERED_MODELS = [
    "progress.billing.sub.invoice",
    "progress.billing.owner.invoice",
    "progress.billing.direct.cost",
    "progress.billing.change.order",
    "progress.billing.change.event",
]


@tagged("post_install", "-at_install", "progress_billing")
class TestScreens(ProgressBillingCase):
    """Screens: what the lists and forms show."""

    def _arch(self, model, view_type, context=None, user=None):
        views = (
            self.env[model].with_user(user or self.user).with_context(**(context or {})).get_views([(False, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_new_records_are_named_new(self):
        """The breadcrumb of a record being created reads "New", not "/"."""
        for model in NUMBERED_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user)
                defaults = Model.onchange({}, [], {"name": {}, "display_name": {}})["value"]
                self.assertEqual((defaults["name"], defaults["display_name"]), ("/", "New"))
        invoice = self._create_sub_invoice()
        self.assertEqual(invoice.display_name, invoice.name, "a saved invoice shows its number")
        self.assertTrue(invoice.name.startswith("SI/"))

    def test_contract_picker_names_contract_partner_and_project(self):
        for model, contract, field in (
            ("progress.billing.sub.invoice", self.commitment, "purchase_order_id"),
            ("progress.billing.owner.invoice", self.prime_contract, "sale_order_id"),
        ):
            with self.subTest(model=model):
                form = self._arch(model, "form")
                context = safe_eval(form.xpath(f"//field[@name='{field}']")[0].get("context"))
                expected = f"{contract.name} · {contract.partner_id.name} · Riverside Tower"
                picked = contract.with_user(self.user).with_context(**context)
                self.assertEqual(picked.display_name, expected)
                self.assertIn((contract.id, expected), [
                    tuple(choice) for choice in
                    picked.browse().name_search(contract.name, domain=[("project_id", "=", self.project.id)])
                ])
                self.assertEqual(contract.with_user(self.user).display_name.split(" ")[0], contract.name,
                                 "elsewhere a contract keeps Odoo's display name")
                self.assertNotIn("Riverside Tower", contract.with_user(self.user).display_name)

    def test_change_order_lists_show_the_contract_of_their_kind(self):
        """The PCCO list shows the prime contract column, the CCO list the commitment one."""
        for xmlid, shown, hidden in (
            ("progress_billing.action_progress_billing_prime_change_order", "sale_order_id", "purchase_order_id"),
            ("progress_billing.action_progress_billing_commitment_change_order", "purchase_order_id", "sale_order_id"),
        ):
            with self.subTest(action=xmlid):
                context = safe_eval(self.env.ref(xmlid).context)
                arch = self._arch("progress.billing.change.order", "list", context)
                column_invisible = {
                    name: safe_eval(arch.xpath(f"//field[@name='{name}']")[0].get("column_invisible", "False"),
                                    {"context": context})
                    for name in (shown, hidden)
                }
                self.assertEqual(column_invisible, {shown: False, hidden: True})
        arch = self._arch("progress.billing.change.order", "list")
        for name in ("sale_order_id", "purchase_order_id"):
            self.assertFalse(
                safe_eval(arch.xpath(f"//field[@name='{name}']")[0].get("column_invisible"), {"context": {}}),
                "the list of all change orders shows both",
            )

    def test_direct_cost_list_shows_origin_and_currency(self):
        arch = self._arch("progress.billing.direct.cost", "list")
        self.assertEqual(arch.xpath("//field[@name='origin']")[0].get("optional"), "show")
        self.assertTrue(arch.xpath("//field[@name='currency_id']"), "the amounts read their currency")

    def test_g703_line_tables_fit_the_form(self):
        """The G703 lines of an invoice form read without scrolling at 1600 px
        beside the chatter: one compact Code column (cost code or division,
        and cost type, as printed) instead of three, amounts without the
        currency symbol, Balance (H), Retainage (I, also in the footer) and the
        codes' details optional."""
        always_shown = ["name", "g703_code", "scheduled_value", "previous_work", "work_this_period", "total_completed",
                        "percent_complete"]
        for model in ("progress.billing.sub.invoice", "progress.billing.owner.invoice"):
            with self.subTest(model=model):
                lines = self._arch(model, "form").xpath("//field[@name='line_ids']/list")[0]
                shown = [
                    field.get("name") for field in lines.xpath("field")
                    if field.get("optional") != "hide" and not field.get("column_invisible")
                ]
                # (the subcontractor's stored materials,
                # quantities and review columns show by the invoice's kind and status)
                stored = ["materials_stored"] if model == "progress.billing.owner.invoice" else []
                self.assertEqual(shown, always_shown[:5] + stored + always_shown[5:])
                for name in ("scheduled_value", "previous_work", "work_this_period", "total_completed", "retainage"):
                    self.assertEqual(
                        safe_eval(lines.xpath(f"field[@name='{name}']")[0].get("options")), {"no_symbol": True}
                    )
                # Odoo's list footer prefixes each total with the currency symbol whenever the currency
                # field is in the list: 7-digit totals were cut at 1600 px ("$ 1,087,60…")
                self.assertFalse(lines.xpath("field[@name='currency_id']"),
                                 "the totals read without the currency symbol, as printed on the G703")
        invoice = self._create_owner_invoice()
        self.assertEqual(self._line_of(invoice, self.sov_concrete).g703_code, "T03-300.TL")
        self.assertEqual(self._line_of(invoice, self.sov_finishes).g703_code, "T09", "a line billing a division")

    def test_line_descriptions_take_the_free_width(self):
        """The Description of the G703 lines has no fixed width: it takes what
        the fixed amount columns leave (at 1366 px it was cut at 110 px beside
        empty space), while each amount keeps room for 7-digit values."""
        for model in ("progress.billing.sub.invoice", "progress.billing.owner.invoice"):
            with self.subTest(model=model):
                lines = self._arch(model, "form").xpath("//field[@name='line_ids']/list")[0]
                self.assertIsNone(lines.xpath("field[@name='name']")[0].get("width"))
                for name in ("previous_work", "work_this_period", "materials_stored", "total_completed",
                             "balance_to_finish", "retainage"):
                    self.assertGreaterEqual(int(lines.xpath(f"field[@name='{name}']")[0].get("width").removesuffix("px")),
                                            105, name)
                self.assertEqual(lines.xpath("field[@name='scheduled_value']")[0].get("width"), "125px",
                                 "its total, the contract sum, is the widest")
        sources = self._arch("progress.billing.owner.invoice", "form").xpath(
            "//field[@name='line_ids']/list/button[@name='action_view_autocomplete_sources']")[0]
        self.assertEqual(sources.get("width"), "20px", "an icon button leaves the rest to the Description")

    def test_review_columns_are_compact(self):
        """Under Review the subcontractor invoice's lines still fit at 1600 px
        beside the chatter: the review status as coloured text in a narrow
        column (no badge), the rejection reason optional and hidden, and the
        approve / reject buttons in narrow columns shown Under Review only."""
        # (the buttons are the reviewers', the managers')
        lines = self._arch("progress.billing.sub.invoice", "form", user=self.manager).xpath(
            "//field[@name='line_ids']/list"
        )[0]
        review = lines.xpath("field[@name='review_state']")[0]
        self.assertEqual((review.get("widget"), review.get("width")), (None, "70px"))
        self.assertEqual(lines.xpath("field[@name='rejection_reason']")[0].get("optional"), "hide")
        for name in ("action_approve_line", "action_reject_line"):
            button = lines.xpath(f"button[@name='{name}']")[0]
            self.assertEqual((button.get("width"), button.get("column_invisible")),
                             ("20px", "parent.state != 'under_review'"), name)

    def test_autocomplete_preview_headings_are_short(self):
        """The columns of the auto-completion preview (an extra-large dialog,
        1140 px at 1366 and 1600 px) read whole: short labels in the view,
        the field's full name staying in the header's tooltip."""
        form = self._arch("progress.billing.owner.invoice.autocomplete", "form")
        wizard_fields = self.env["progress.billing.owner.invoice.autocomplete"]._fields
        for one2many in ("earlier_ids", "unmatched_ids"):
            columns = self.env[wizard_fields[one2many].comodel_name]._fields
            for field in form.xpath(f"//field[@name='{one2many}']/list/field[not(@column_invisible)]"):
                label = field.get("string") or columns[field.get("name")].string
                with self.subTest(list=one2many, column=field.get("name")):
                    self.assertLessEqual(len(label), 12, label)
        self.assertEqual(form.xpath("//field[@name='earlier_ids']/list/field[@name='include']")[0].get("width"), "70px",
                         "a readonly checkbox column is narrower than its heading otherwise")
        earlier = form.xpath("//field[@name='earlier_ids']/list")[0]
        self.assertEqual(earlier.xpath("field[@name='period_id']")[0].get("width"), "200px",
                         "a period's name (2026-09-01 – 2026-09-30) reads whole")
        for name in ("source_kind", "cost_type_id"):
            # the document's number says its kind, the cost code its line: both stay one click away
            self.assertEqual(earlier.xpath(f"field[@name='{name}']")[0].get("optional"), "hide", name)
        self.assertEqual(form.xpath("//field[@name='preview_lines']")[0].get("widget"),
                         "progress_billing_autocomplete_preview_lines")
        with file_open("progress_billing/static/src/fields/autocomplete_preview_lines_field.xml", "rb") as template:
            headings = {th.text: th for th in etree.parse(template).iterfind(".//thead/tr/th")}
        for label in headings:
            with self.subTest(list="preview_lines", column=label):
                self.assertLessEqual(len(label), 12, label)
        self.assertEqual(headings["Stored After"].get("title"), "Materials Presently Stored, After")
        self.assertEqual(headings["Changes"].get("title"), "Changes Since Last Auto-Completion")
        for label in ("By Hand", "Changed"):
            self.assertEqual(headings[label].get("style"), "width: 70px",
                             "a checkmark column is narrower than its heading otherwise")

    def test_lists_keep_numbers_and_amounts_whole(self):
        """Application and document numbers and 7-digit amounts with their
        currency symbol get a fixed width wide enough for them."""
        for model, amounts in (
            ("progress.billing.sub.invoice", ["work_this_period", "current_payment_due"]),
            ("progress.billing.owner.invoice", ["work_this_period", "current_payment_due"]),
            ("progress.billing.direct.cost", ["amount_total"]),
            ("progress.billing.change.order", ["amount_total"]),
        ):
            with self.subTest(model=model):
                arch = self._arch(model, "list")
                self.assertEqual(arch.xpath("//field[@name='name']")[0].get("width"), "105px")
                for name in amounts:
                    self.assertEqual(arch.xpath(f"//field[@name='{name}']")[0].get("width"), "120px")

    def test_direct_costs_of_a_shared_project_have_a_currency(self):
        """A project of no company (shared) still gives its direct costs the
        company currency, which the list shows with each amount."""
        shared = self.env["project.project"].create({"name": "Shared yard", "company_id": False})
        cost = self.env["progress.billing.direct.cost"].with_user(self.user).create({
            "project_id": shared.id,
            "line_ids": [Command.create({
                "name": "Fence", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "amount": 1_234_567,
            })],
        })
        self.assertFalse(cost.company_id)
        self.assertEqual(cost.currency_id, self.currency)
        self.assertEqual(cost.line_ids.currency_id, self.currency)
