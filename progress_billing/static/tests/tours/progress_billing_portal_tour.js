/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";

// readme/USAGE.md, "The subcontractor's side (portal)": a subcontractor bills its invoice on the portal, the contractor
// sends one line back, the subcontractor resubmits (tests/test_portal_tour.py)

const LIEN_WAIVER_PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

function line(name) {
    return `tr.o_pb_portal_line:contains(${name})`;
}

registry.category("web_tour.tours").add("progress_billing_portal_submit_tour", {
    steps: () => [
        {
            content: "The e-mailed link shows the invoice; sign in to edit it",
            trigger: "a.o_pb_portal_login",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "input[name=login]",
            run: "edit sub_portal",
        },
        {
            trigger: "input[name=password]",
            run: "edit sub_portal",
        },
        {
            trigger: "form.oe_login_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form computes as the subcontractor types",
            trigger: ".o_pb_portal_form[data-live]",
        },
        {
            content: "Bill the labor line in money",
            trigger: `${line("Concrete labor")} input.o_pb_work`,
            run: "edit 15000",
        },
        {
            content: "G702 line 8 follows as the subcontractor types (10% retainage)",
            trigger: ".o_pb_portal_g702 [data-g702=due]:contains(13,500.00)",
        },
        {
            content: "Bill the materials line as a percent complete to date",
            trigger: `${line("Concrete materials")} input.o_pb_percent`,
            run: "edit 25",
        },
        {
            trigger: ".o_pb_portal_g702 [data-g702=due]:contains(22,500.00)",
        },
        {
            trigger: `${line("Concrete materials")} .o_pb_completed:contains(10,000.00)`,
        },
        {
            content: "Save before attaching files",
            trigger: "button.o_pb_portal_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(Your amounts are saved)",
        },
        {
            content: "Choose the lien waiver",
            trigger: "select[name=kind]",
            run: "select lien_waiver",
        },
        {
            trigger: "input#pb_attachment_file",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File([LIEN_WAIVER_PDF], "lien_waiver.pdf", { type: "application/pdf" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            trigger: "button.o_pb_portal_attach",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_pb_portal_attachments:contains(lien_waiver.pdf)",
        },
        {
            content: "Submit for review",
            trigger: "button.o_pb_portal_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(the contractor is reviewing your pay application)",
        },
        {
            content: "Read-only now",
            trigger: ".o_pb_portal_invoice_page:not(:has(input.o_pb_work))",
        },
    ],
});

registry.category("web_tour.tours").add("progress_billing_portal_review_tour", {
    steps: () => [
        {
            content: "The reviewer rejects the materials line",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Concrete materials) button[name=action_reject_line]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] input",
            run: "edit Delivery note missing",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The invoice goes back to the subcontractor",
            trigger: ".o_statusbar_status button[aria-checked=true]:contains(Revise and Resubmit)",
        },
    ],
});

registry.category("web_tour.tours").add("progress_billing_portal_resubmit_tour", {
    steps: () => [
        {
            trigger: ".o_pb_portal_form[data-live]",
        },
        {
            content: "The reason is shown next to the rejected line",
            trigger: `${line("Concrete materials")} .o_pb_rejection_reason:contains(Delivery note missing)`,
        },
        {
            trigger: `${line("Concrete materials")} input.o_pb_work`,
            run: "edit 8000",
        },
        {
            trigger: ".o_pb_portal_g702 [data-g702=due]:contains(20,700.00)",
        },
        {
            trigger: "button.o_pb_portal_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(the contractor is reviewing your pay application)",
        },
    ],
});
