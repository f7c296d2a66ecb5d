/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const LINES = ".o_field_widget[name=line_ids]";

function lineCell(line, column) {
    return `${LINES} .o_data_row:contains(${line}) td[name=${column}]`;
}

// readme/USAGE.md, "Bills, invoices and retainage": Materials Presently Stored (F) is a balance, a new
// application starts with the previous application's F of each line.
registry.category("web_tour.tours").add("progress_billing_stored_materials_tour", {
    steps: () => [
        {
            content: "Create a subcontractor invoice",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the commitment whose previous invoice stored materials",
            trigger: ".o_field_widget[name=purchase_order_id] input",
            run: "edit PB-TOUR-SC-002",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(PB-TOUR-SC-002)",
            run: "click",
        },
        {
            content: "The stored materials still on site are carried forward",
            trigger: `${lineCell("Concrete materials", "materials_stored")}:contains(8,000.00)`,
        },
        {
            content: "Nothing is due before anything is installed or stored (line 8 is not −F)",
            trigger: ".o_form_view .o_field_widget[name=current_payment_due]:not(:contains(-)):contains(0.00)",
        },
        ...stepUtils.saveForm(),
        {
            trigger: `${lineCell("Concrete materials", "materials_stored")}:contains(8,000.00)`,
        },
    ],
});
