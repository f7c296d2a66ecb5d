"""Write the subcontractors' pay application PDFs of the demo data
(progress_billing/demo/files/<name>_pay_app.pdf) from the figures of a
database holding the demo, so that what each subcontractor "sent" (change
orders, stored materials, previous applications, lines 1-9) is what the
database holds. Run by scripts/demo_pay_app_pdfs.sh inside `odoo-bin shell`
(``env`` is the shell's environment); ReportLab draws them, with a fixed date
so that the same figures give the same file.
"""

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from odoo.modules.module import get_module_path

FILES = Path(get_module_path("progress_billing"), "demo", "files")
PREFIX = "attachment_sub_invoice_"
SUFFIX = "_pay_app"
LEFT, RIGHT, TOP = 54, 558, 738


def amount(value):
    return f"{value:,.2f}"


def fitted(text, width, font="Helvetica", size=8):
    """``text`` cut to ``width`` points, with an ellipsis when cut."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def address(partner):
    state = partner.state_id.code or ""
    return ", ".join(filter(None, [partner.street, partner.city, f"{state} {partner.zip or ''}".strip()]))


def draw(invoice, path):
    commitment = invoice.purchase_order_id
    vendor = invoice.partner_id
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    title = "APPLICATION FOR PAYMENT" if commitment.commitment_type == "subcontract" else "INVOICE"
    pdf.setTitle(f"{title.title()} No. {invoice.position} - {vendor.name}")
    pdf.setAuthor(vendor.name)
    y = TOP
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(LEFT, y, f"{title} No. {invoice.position}")
    y -= 18
    pdf.setFont("Helvetica", 9)
    pdf.drawString(LEFT, y, f"{vendor.name} - {address(vendor)}")
    y -= 30
    for label, value in (
        ("To (contractor)", invoice.company_id.name),
        ("Project", invoice.project_id.name),
        ("Owner", invoice.project_id.partner_id.name),
        ("Contract", commitment.partner_ref or commitment.name),
        ("Billing period", f"No. {invoice.position}"),
        ("Our reference", invoice.vendor_reference or ""),
    ):
        pdf.drawString(LEFT, y, label)
        pdf.drawString(LEFT + 150, y, value)
        y -= 14
    y -= 14
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(LEFT, y, "Contractor's summary")
    y -= 16
    pdf.setFont("Helvetica", 9)
    for label, value in (
        ("1. Original contract sum", invoice.original_contract_sum),
        ("2. Net change by change orders", invoice.net_change_orders),
        ("3. Contract sum to date (1 + 2)", invoice.contract_sum_to_date),
        ("4. Total completed and stored to date", invoice.total_completed),
        ("5. Retainage", invoice.total_retainage),
        ("6. Total earned less retainage (4 - 5)", invoice.total_earned),
        ("7. Less previous payment applications", invoice.previous_certificates),
        ("8. Current payment due (6 - 7)", invoice.current_payment_due),
        ("9. Balance to finish, including retainage (3 - 6)", invoice.balance_to_finish),
    ):
        pdf.drawString(LEFT + 8, y, label)
        pdf.drawRightString(RIGHT - 80, y, amount(value))
        y -= 14
    y -= 14
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(LEFT, y, "Continuation sheet")
    y -= 16
    columns = (("Scheduled", 330), ("Previous", 392), ("This period", 454), ("Stored", 506), ("To date", RIGHT))
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(LEFT, y, "Description")
    for label, right in columns:
        pdf.drawRightString(right, y, label)
    y -= 14
    pdf.setFont("Helvetica", 8)
    for line in invoice.line_ids:
        code = " ".join(filter(None, [line.cost_code_id.code, line.cost_type_id.code]))
        pdf.drawString(LEFT, y, code)
        pdf.drawString(LEFT + 44, y, fitted(line.name, 180))
        for (_label, right), value in zip(
            columns,
            (
                line.scheduled_value,
                line.previous_work,
                line.work_this_period,
                line.materials_stored,
                line.total_completed,
            ),
            strict=True,
        ):
            pdf.drawRightString(right, y, amount(value))
        y -= 12
        if line.is_unit_based and line.quantity_this_period:
            uom = line.purchase_line_id.product_uom_id.name or ""
            pdf.drawString(LEFT + 8, y, f"{line.quantity_this_period:,.0f} {uom} x {line.price_unit:,.2f}")
            y -= 12
    y -= 40
    pdf.setFont("Helvetica", 9)
    pdf.drawString(
        LEFT, y, "The undersigned certifies that the work covered by this application has been completed in accordance"
    )
    y -= 12
    pdf.drawString(
        LEFT, y, "with the contract documents and that all amounts previously paid have been applied to that work."
    )
    y -= 60
    pdf.line(LEFT, y + 12, LEFT + 250, y + 12)
    pdf.drawString(LEFT, y, f"{vendor.name}, authorized signature")
    pdf.showPage()
    pdf.save()


for data in env["ir.model.data"].search([  # noqa: F821 - odoo shell
    ("module", "=", "progress_billing"), ("model", "=", "ir.attachment"), ("name", "=like", f"{PREFIX}%{SUFFIX}"),
]):
    attachment = env["ir.attachment"].browse(data.res_id)  # noqa: F821 - odoo shell
    invoice = env[attachment.res_model].browse(attachment.res_id)  # noqa: F821 - odoo shell
    path = FILES / (data.name.removeprefix(PREFIX) + ".pdf")
    draw(invoice, path)
    print(f"{path.name}: {invoice.name}, line 8 = {amount(invoice.current_payment_due)}")
