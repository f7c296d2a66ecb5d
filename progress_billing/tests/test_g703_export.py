# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import io
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

from odoo.tests import HttpCase, tagged
from odoo.tools import float_round

from .common import USER_GROUP, ProgressBillingCase

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMESPACES = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CELL_REFERENCE = re.compile(r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]+)\$?(\d+)")


def read_xlsx(content):
    """The cells of an xlsx file, read with the standard library only:
    {sheet name: {"H7": (value, formula or None)}}, in the workbook's sheet order."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    shared = [
        "".join(text.text or "" for text in item.iter(f"{{{NAMESPACES['main']}}}t"))
        for item in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("main:si", NAMESPACES)
    ] if "xl/sharedStrings.xml" in archive.namelist() else []
    targets = {
        rel.get("Id"): rel.get("Target")
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).findall("pkg:Relationship", NAMESPACES)
    }
    sheets = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).find("main:sheets", NAMESPACES):
        target = targets[sheet.get(f"{{{NAMESPACES['rel']}}}id")].removeprefix("/xl/")
        cells = {}
        for cell in ElementTree.fromstring(archive.read(f"xl/{target}")).iter(f"{{{NAMESPACES['main']}}}c"):
            formula, value = cell.find("main:f", NAMESPACES), cell.find("main:v", NAMESPACES)
            value = value.text if value is not None else None
            if cell.get("t") == "s":
                value = shared[int(value)]
            elif value is not None and cell.get("t") not in ("str", "inlineStr"):
                value = float(value)
            cells[cell.get("r")] = (value, formula.text if formula is not None else None)
        sheets[sheet.get("name")] = cells
    return sheets


def evaluate(sheets, sheet, formula):
    """Recompute an exported formula from the cells it reads (SUM, IF, ROUND
    and arithmetic, all the export writes), as a spreadsheet would."""
    def value_of(sheet_name, column, row):
        cells = sheets[sheet_name.replace("''", "'") if sheet_name else sheet]
        value, cell_formula = cells.get(f"{column}{row}", (0.0, None))
        return evaluate(sheets, sheet_name or sheet, cell_formula) if cell_formula else (value or 0.0)

    def cell_range(match):
        (first_column, first_row), (_column, last_row) = (
            CELL_REFERENCE.fullmatch(reference).groups()[1:] for reference in match.group(1).split(":")
        )
        return "(" + ",".join(str(value_of(None, first_column, row)) for row in range(int(first_row), int(last_row) + 1)) + ",)"

    expression = re.sub(r"SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", lambda match: f"sum({cell_range(match)})", formula)
    expression = CELL_REFERENCE.sub(lambda match: repr(value_of(*match.groups())), expression)
    expression = expression.replace("=", "==")
    return eval(expression, {  # noqa: S307 - formulas of our own test file, names limited below
        "__builtins__": {}, "sum": sum,
        "IF": lambda condition, then, otherwise: then if condition else otherwise,
        "ROUND": lambda number, digits: float_round(number, precision_digits=int(digits)),
    })


@tagged("post_install", "-at_install", "progress_billing")
class TestG703Export(ProgressBillingCase, HttpCase):
    """readme/USAGE.md, "Export G703 to Excel": a G702 summary sheet and one sheet per
    application whose G, %, H and I (and the G702 sums and differences) are
    formulas giving the addon's figures; served to the user who may read the
    applications, refused to another company's user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._create_sub_invoice(amounts={cls.ssov_labor: (6_000, 0), cls.ssov_materials: (4_000, 2_333.33)})
        cls.first.action_submit()
        cls.first.with_user(cls.manager).action_approve()
        cls.second = cls._create_sub_invoice(
            period=cls._create_next_period(), amounts={cls.ssov_labor: (9_000, 0), cls.ssov_materials: (1_000, 1_500)},
        )
        cls.first.name, cls.second.name = "PB-G703-1", "PB-G703-2"

    def _file_name(self, response):
        return unquote(response.headers["Content-Disposition"].split("''", 1)[1])

    def _row_of(self, cells, description):
        return next(int(reference[1:]) for reference, (value, _formula) in cells.items()
                    if reference.startswith("C") and value == description)

    def test_workbook_sheets_and_formulas(self):
        invoices = self.first | self.second
        sheets = read_xlsx(invoices.with_user(self.user)._g703_workbook())
        self.assertEqual(list(sheets), ["G702 Summary", "PB-G703-1", "PB-G703-2"])
        cells = sheets["PB-G703-2"]
        line = self._line_of(self.second, self.ssov_materials)
        row = self._row_of(cells, line.name)
        self.assertEqual(cells[f"B{row}"][0], "T03-300.TM", "the cost code as printed")
        # C, D, E and F are values; G, %, H and I are formulas
        self.assertEqual([cells[f"{column}{row}"] for column in "DEFG"], [
            (40_000, None), (4_000, None), (1_000, None), (1_500, None),
        ])
        self.assertEqual(cells[f"H{row}"][1], f"E{row}+F{row}+G{row}")
        self.assertEqual(cells[f"I{row}"][1], f"IF(D{row}=0,0,H{row}/D{row})")
        self.assertEqual(cells[f"J{row}"][1], f"D{row}-H{row}")
        self.assertEqual(cells[f"K{row}"][1], f"ROUND((E{row}+F{row})*L{row}/100,2)+ROUND(G{row}*M{row}/100,2)-N{row}")
        for column, expected in (("H", line.total_completed), ("I", line.percent_complete / 100),
                                 ("J", line.balance_to_finish), ("K", line.retainage)):
            with self.subTest(column=column):
                self.assertAlmostEqual(evaluate(sheets, "PB-G703-2", cells[f"{column}{row}"][1]), expected, places=6)
                self.assertAlmostEqual(cells[f"{column}{row}"][0], expected, places=6, msg="the cached value")
        total = max(int(reference[1:]) for reference in cells if reference.startswith("H"))
        self.assertEqual(cells[f"C{total}"][0], "Grand Total")
        self.assertEqual(cells[f"H{total}"][1], f"SUM(H7:H{total - 1})")
        self.assertAlmostEqual(evaluate(sheets, "PB-G703-2", cells[f"K{total}"][1]), self.second.total_retainage, places=6)

        summary = sheets["G702 Summary"]
        self.assertEqual([summary["B3"][0], summary["C3"][0]], ["PB-G703-1", "PB-G703-2"])
        labels = {value: int(reference[1:]) for reference, (value, _formula) in summary.items() if reference.startswith("A")}
        for invoice, column in ((self.first, "B"), (self.second, "C")):
            for label, field, formula in (
                ("1. Original Contract Sum", "original_contract_sum", None),
                ("3. Contract Sum to Date (Line 1 ± 2)", "contract_sum_to_date", f"{column}4+{column}5"),
                ("4. Total Completed and Stored to Date (Column G)", "total_completed", f"'{invoice.name}'!H{total}"),
                ("5. Total Retainage (Column I)", "total_retainage", f"'{invoice.name}'!K{total}"),
                ("6. Total Earned Less Retainage (Line 4 − Line 5)", "total_earned", f"{column}7-{column}11"),
                ("7. Less Previous Certificates for Payment (Line 6 of Prior Application)", "previous_certificates", None),
                ("8. Current Payment Due", "current_payment_due", f"{column}12-{column}13"),
                ("9. Balance to Finish, Including Retainage (Line 3 − Line 6)", "balance_to_finish", f"{column}6-{column}12"),
            ):
                with self.subTest(invoice=invoice.name, line=label):
                    value, cell_formula = summary[f"{column}{labels[label]}"]
                    self.assertEqual(cell_formula, formula)
                    computed = evaluate(sheets, "G702 Summary", cell_formula) if formula else value
                    self.assertAlmostEqual(computed, invoice[field], places=6)
        self.assertTrue(self.second.previous_certificates, "the second application follows the first")

    def test_export_action_from_form_and_list(self):
        action = self.env.ref("progress_billing.action_export_g703_xlsx_sub_invoice")
        self.assertEqual(action.binding_model_id.model, "progress.billing.sub.invoice")
        self.assertEqual(action.binding_view_types, "list,form")
        result = action.with_user(self.user).with_context(
            active_model=self.second._name, active_ids=(self.first | self.second).ids, active_id=self.first.id,
        ).run()
        self.assertEqual(result, {
            "type": "ir.actions.act_url",
            "url": f"/progress_billing/g703.xlsx?model=progress.billing.sub.invoice&ids={self.first.id},{self.second.id}",
            "target": "download",
        })

    def test_download_as_user(self):
        self.authenticate(self.user.login, self.user.login)
        response = self.url_open(f"/progress_billing/g703.xlsx?model=progress.billing.sub.invoice&ids={self.first.id},{self.second.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertEqual(self._file_name(response), "G703 - 2 pay applications.xlsx")
        self.assertEqual(list(read_xlsx(response.content)), ["G702 Summary", "PB-G703-1", "PB-G703-2"])

        owner_invoice = self._create_owner_invoice(amounts={self.sov_concrete: (30_000, 0)}, period=self.second.period_id)
        response = self.url_open(f"/progress_billing/g703.xlsx?model=progress.billing.owner.invoice&ids={owner_invoice.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._file_name(response), f"G703 - {owner_invoice.name.replace('/', '-')}.xlsx")

    def test_download_refused(self):
        other_company = self._create_company("Other Builders")
        outsider = self._create_user("pb_g703_outsider", USER_GROUP, company=other_company)
        self.authenticate(outsider.login, outsider.login)
        url = f"/progress_billing/g703.xlsx?model=progress.billing.sub.invoice&ids={self.first.id}"
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 403, "another company's application is not exported")
        response = self.url_open("/progress_billing/g703.xlsx?model=res.partner&ids=1")
        self.assertEqual(response.status_code, 400, "only pay applications export to G703")
        self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303, "anonymous visitors are sent to log in")

    def test_export_tour(self):
        """A user exports two invoices ticked in the list, then one from its
        form, through the Actions menu; the tour downloads each workbook."""
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_sub_invoice",
            "progress_billing_g703_export_tour",
            login=self.user.login,
        )
