/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";

function invoiceRow(name) {
    return `.o_list_view .o_data_row:contains(${name})`;
}

registry.category("web_tour.tours").add("progress_billing_compile_backups_tour", {
    steps: () => [
        {
            content: "Tick the first subcontractor invoice",
            trigger: `${invoiceRow("PB-TOUR-INV-1")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Tick the second one",
            trigger: `${invoiceRow("PB-TOUR-INV-2")} .o_list_record_selector input`,
            run: "click",
        },
        {
            trigger: ".o_selection_box:contains(2)",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Choose Compile Progress Billing Backups",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Compile Progress Billing Backups)",
            run: "click",
        },
        {
            content: "The dialog lists the ticked invoices",
            trigger: ".modal .o_field_widget[name=sub_invoice_ids] .o_data_row:contains(PB-TOUR-INV-2)",
        },
        {
            trigger: ".modal .o_field_widget[name=sub_invoice_ids] .o_data_row:contains(PB-TOUR-INV-1)",
        },
        {
            content: "Compile",
            trigger: ".modal .modal-footer button[name=action_compile]",
            run: "click",
        },
        {
            content: "A success message at the top says what was compiled and links to the PDF",
            trigger: ".o_notification:contains(Compilation successful):contains(2 invoices compiled) a:contains(Download)",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
