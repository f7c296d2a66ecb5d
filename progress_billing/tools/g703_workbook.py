# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The G703 Excel export (readme/USAGE.md, "Export G703 to Excel"): a G702 summary
sheet, then one continuation sheet per pay application with the columns of
the printed pay application (report/progress_billing_pay_application_templates.xml).

G, %, H and I are Excel formulas, as are the sums and differences of the
G702 lines, so that an accountant's checks recompute in the spreadsheet;
each formula also carries the value the addon computed, shown by readers
that do not recalculate. Retainage (I) is computed as on the PDF: the rate on
completed work (D + E) plus the rate on stored materials (F), each rounded
to the currency, less the retainage released to date; a line following the
contract's retention rules (readme/USAGE.md, "Bills, invoices and retainage") shows I as computed, its
retention depending on the earlier applications rather than on its row. The rates and the
released retainage it needs are extra columns to the right of I.

No database here: the caller gives plain figures and translated labels."""

import dataclasses
import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

# sheet columns, left to right: the printed columns A-I (and the unlettered
# cost code and %), then what the retainage formula reads
ITEM, COST_CODE, DESCRIPTION, SCHEDULED, PREVIOUS, THIS_PERIOD, STORED, COMPLETED, PERCENT, BALANCE, RETAINAGE, \
    RATE_WORK, RATE_MATERIALS, RELEASED = range(14)
# the G703 letter printed under each heading
LETTERS = {ITEM: "A", DESCRIPTION: "B", SCHEDULED: "C", PREVIOUS: "D", THIS_PERIOD: "E", STORED: "F",
           COMPLETED: "G", BALANCE: "H", RETAINAGE: "I"}
# the G703Line attribute holding each amount column
LINE_ATTRIBUTES = {
    SCHEDULED: "scheduled", PREVIOUS: "previous", THIS_PERIOD: "this_period", STORED: "stored",
    COMPLETED: "completed", BALANCE: "balance", RETAINAGE: "retainage", RELEASED: "retainage_released",
}
AMOUNT_COLUMNS = tuple(LINE_ATTRIBUTES)
# the headings of an application sheet take these rows; lines start below
HEADER_ROWS = 6
# Excel forbids these in sheet names, which it limits to 31 characters
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


@dataclasses.dataclass
class G703Line:
    item: int
    cost_code: str
    description: str
    scheduled: float
    previous: float
    this_period: float
    stored: float
    retainage_rate: float
    retainage_rate_materials: float
    retainage_released: float
    # as the addon computed them: the cached values of the formulas
    completed: float
    percent: float
    balance: float
    retainage: float
    # I of a line following the contract's retention rules depends on the earlier
    # applications, not on this row: the sheet shows it as computed, without rates or formula
    retainage_by_rules: bool = False


@dataclasses.dataclass
class G703Application:
    name: str
    details: list  # (label, value) rows above the lines
    lines: list  # G703Line
    original_contract_sum: float
    net_change_orders: float
    retainage_work: float
    retainage_materials: float
    retainage_released: float
    previous_certificates: float
    # G702 lines as the addon computed them, for the cached values
    figures: dict


def sheet_names(names):
    """Names Excel accepts for sheets of these applications, unique, in order."""
    result = []
    for name in names:
        base = SHEET_NAME_FORBIDDEN.sub("-", name or "-")[:SHEET_NAME_LENGTH]
        candidate, number = base, 2
        while candidate.lower() in {taken.lower() for taken in result}:
            suffix = f" ({number})"
            candidate = base[:SHEET_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        result.append(candidate)
    return result


def quoted(sheet):
    return "'" + sheet.replace("'", "''") + "'"


def cell(row, col):
    return xl_rowcol_to_cell(row, col)


class G703Workbook:
    """Writes the workbook of ``applications`` (G703Application) into bytes."""

    def __init__(self, labels, decimal_places):
        self.labels = labels
        self.decimal_places = decimal_places

    def build(self, applications):
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"in_memory": True})
        self._formats(workbook)
        names = sheet_names([application.name for application in applications])
        summary = workbook.add_worksheet(sheet_names([self.labels["summary_sheet"]])[0])
        totals = [self._application_sheet(workbook, name, application) for name, application in zip(names, applications, strict=True)]
        self._summary_sheet(summary, names, applications, totals)
        workbook.close()
        return out.getvalue()

    def _formats(self, workbook):
        amount = "#,##0" + ("." + "0" * self.decimal_places if self.decimal_places else "")
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.label = workbook.add_format({"bold": True, "font_color": "#555555"})
        self.heading = workbook.add_format({
            "bold": True, "text_wrap": True, "valign": "bottom", "align": "center",
            "bg_color": "#1a1a1a", "font_color": "#ffffff", "border": 1,
        })
        self.letter = workbook.add_format({"bold": True, "align": "center", "bg_color": "#e6e6e6", "border": 1})
        self.text = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.amount = workbook.add_format({"num_format": amount, "valign": "top"})
        self.rate = workbook.add_format({"num_format": "0.00", "valign": "top"})
        self.percent = workbook.add_format({"num_format": "0.0%", "valign": "top"})
        self.total_text = workbook.add_format({"bold": True, "top": 2, "bottom": 2, "bg_color": "#f0f0f0"})
        self.total_amount = workbook.add_format({
            "bold": True, "num_format": amount, "top": 2, "bottom": 2, "bg_color": "#f0f0f0",
        })
        self.total_percent = workbook.add_format({
            "bold": True, "num_format": "0.0%", "top": 2, "bottom": 2, "bg_color": "#f0f0f0",
        })
        self.due = workbook.add_format({"bold": True, "num_format": amount, "top": 2, "bottom": 2})

    def _round(self, expression):
        return f"ROUND({expression},{self.decimal_places})"

    def _application_sheet(self, workbook, name, application):
        """The continuation sheet of one application; returns the row of its grand total."""
        sheet = workbook.add_worksheet(name)
        labels = self.labels
        sheet.write(0, 0, f"{labels['continuation_sheet']} — {application.name}", self.title)
        for position, (label, value) in enumerate(application.details):
            row, col = 1 + position // 3, (position % 3) * 4
            sheet.write(row, col, label, self.label)
            sheet.write(row, col + 2, value)
        heading_row, letter_row = HEADER_ROWS - 2, HEADER_ROWS - 1
        for col, key in enumerate((
            "item", "cost_code", "description", "scheduled", "previous", "this_period", "stored", "completed",
            "percent", "balance", "retainage", "rate_work", "rate_materials", "released",
        )):
            sheet.write(heading_row, col, labels[key], self.heading)
            sheet.write(letter_row, col, LETTERS.get(col, ""), self.letter)
        sheet.set_row(heading_row, 45)
        sheet.set_column(ITEM, ITEM, 6)
        sheet.set_column(COST_CODE, COST_CODE, 11)
        sheet.set_column(DESCRIPTION, DESCRIPTION, 40)
        sheet.set_column(SCHEDULED, RELEASED, 15)
        sheet.set_column(PERCENT, PERCENT, 8)
        sheet.set_column(RATE_WORK, RATE_MATERIALS, 11)
        sheet.freeze_panes(HEADER_ROWS, DESCRIPTION + 1)

        first = HEADER_ROWS
        for row, line in enumerate(application.lines, start=first):
            sheet.write_number(row, ITEM, line.item)
            sheet.write_string(row, COST_CODE, line.cost_code or "")
            sheet.write_string(row, DESCRIPTION, line.description or "", self.text)
            for col, value in ((SCHEDULED, line.scheduled), (PREVIOUS, line.previous),
                               (THIS_PERIOD, line.this_period), (STORED, line.stored), (RELEASED, line.retainage_released)):
                sheet.write_number(row, col, value, self.amount)
            if line.retainage_by_rules:
                sheet.write_blank(row, RATE_WORK, None, self.rate)
                sheet.write_blank(row, RATE_MATERIALS, None, self.rate)
            else:
                sheet.write_number(row, RATE_WORK, line.retainage_rate, self.rate)
                sheet.write_number(row, RATE_MATERIALS, line.retainage_rate_materials, self.rate)
            self._line_formulas(sheet, row, line)

        total = first + len(application.lines)
        sheet.write(total, DESCRIPTION, labels["grand_total"], self.total_text)
        for col in (ITEM, COST_CODE, RATE_WORK, RATE_MATERIALS):
            sheet.write_blank(total, col, None, self.total_text)
        for col in AMOUNT_COLUMNS:
            value = sum(getattr(line, LINE_ATTRIBUTES[col]) for line in application.lines)
            formula = f"=SUM({cell(first, col)}:{cell(total - 1, col)})" if application.lines else "=0"
            sheet.write_formula(total, col, formula, self.total_amount, value)
        scheduled = sum(line.scheduled for line in application.lines)
        completed = sum(line.completed for line in application.lines)
        sheet.write_formula(
            total, PERCENT, f"=IF({cell(total, SCHEDULED)}=0,0,{cell(total, COMPLETED)}/{cell(total, SCHEDULED)})",
            self.total_percent, completed / scheduled if scheduled else 0.0,
        )
        return total

    def _line_formulas(self, sheet, row, line):
        """G = D + E + F, % = G / C, H = C - G, I as the PDF computes it."""
        c, d, e, f, g = (cell(row, col) for col in (SCHEDULED, PREVIOUS, THIS_PERIOD, STORED, COMPLETED))
        rate, rate_materials, released = (cell(row, col) for col in (RATE_WORK, RATE_MATERIALS, RELEASED))
        sheet.write_formula(row, COMPLETED, f"={d}+{e}+{f}", self.amount, line.completed)
        sheet.write_formula(row, PERCENT, f"=IF({c}=0,0,{g}/{c})", self.percent, line.percent / 100)
        sheet.write_formula(row, BALANCE, f"={c}-{g}", self.amount, line.balance)
        if line.retainage_by_rules:
            sheet.write_number(row, RETAINAGE, line.retainage, self.amount)
            return
        sheet.write_formula(
            row, RETAINAGE,
            f"={self._round(f'({d}+{e})*{rate}/100')}+{self._round(f'{f}*{rate_materials}/100')}-{released}",
            self.amount, line.retainage,
        )

    def _summary_sheet(self, sheet, names, applications, totals):
        """G702 lines 1-9, one column per application: 3 = 1 + 2, 4 and 5 from
        the application's sheet (G and I), 6 = 4 - 5, 8 = 6 - 7, 9 = 3 - 6."""
        labels = self.labels
        sheet.write(0, 0, labels["summary_title"], self.title)
        sheet.set_column(0, 0, 52)
        sheet.set_column(1, max(1, len(applications)), 18)
        rows = ["original", "net_change", "sum_to_date", "completed", "retainage_work", "retainage_materials",
                "retainage_released", "total_retainage", "earned", "previous_certificates", "due", "balance_to_finish",
                "work_this_period", "materials_stored"]
        row_of = {key: 3 + position for position, key in enumerate(rows)}
        sheet.write(2, 0, labels["application"], self.heading)
        for key, row in row_of.items():
            sheet.write(row, 0, labels[f"g702_{key}"], self.text)
        for col, (name, application, total) in enumerate(zip(names, applications, totals, strict=True), start=1):
            sheet.write(2, col, application.name, self.heading)
            figures = application.figures
            at = {key: cell(row, col) for key, row in row_of.items()}
            on_sheet = {column: f"{quoted(name)}!{cell(total, column)}" for column in (COMPLETED, RETAINAGE, THIS_PERIOD, STORED)}
            for key, value in (
                ("original", application.original_contract_sum), ("net_change", application.net_change_orders),
                ("retainage_work", application.retainage_work), ("retainage_materials", application.retainage_materials),
                ("retainage_released", -application.retainage_released),
                ("previous_certificates", application.previous_certificates),
            ):
                sheet.write_number(row_of[key], col, value, self.amount)
            for key, formula, fmt in (
                ("sum_to_date", f"={at['original']}+{at['net_change']}", self.amount),
                ("completed", f"={on_sheet[COMPLETED]}", self.amount),
                ("total_retainage", f"={on_sheet[RETAINAGE]}", self.amount),
                ("earned", f"={at['completed']}-{at['total_retainage']}", self.amount),
                ("due", f"={at['earned']}-{at['previous_certificates']}", self.due),
                ("balance_to_finish", f"={at['sum_to_date']}-{at['earned']}", self.amount),
                ("work_this_period", f"={on_sheet[THIS_PERIOD]}", self.amount),
                ("materials_stored", f"={on_sheet[STORED]}", self.amount),
            ):
                sheet.write_formula(row_of[key], col, formula, fmt, figures[key])
