/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const LINES = ".o_field_widget[name=line_ids]";

function lineCell(line, column) {
    return `${LINES} .o_data_row:contains(${line}) td[name=${column}]`;
}

function enterOnLine(line, column, value) {
    return [
        {
            content: `Edit ${column} of line ${line}`,
            trigger: lineCell(line, column),
            run: "click",
        },
        {
            trigger: `${LINES} .o_selected_row div[name=${column}] input`,
            run: `edit ${value}`,
        },
        {
            content: "Leave the cell so that the line is recomputed",
            trigger: ".o_form_sheet .oe_title",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("progress_billing_sub_invoice_tour", {
    steps: () => [
        {
            content: "Create a subcontractor invoice",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the commitment",
            trigger: ".o_field_widget[name=purchase_order_id] input",
            run: "edit PB-TOUR-SC-001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(PB-TOUR-SC-001)",
            run: "click",
        },
        {
            content: "The commitment's SSOV lines are listed at once",
            trigger: `${LINES} .o_data_row:contains(Concrete materials)`,
        },
        {
            content: "Pick the open billing period of the project",
            trigger: ".o_field_widget[name=period_id] input",
            run: "edit 20",
        },
        {
            trigger: ".o_field_widget[name=period_id] .o-autocomplete--dropdown-item a:contains( – )",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=period_id]:not(:has(.o-autocomplete--dropdown-menu))",
        },
        ...enterOnLine("Concrete labor", "work_this_period", "15000"),
        {
            content: "G (total completed to date) follows E",
            trigger: `${lineCell("Concrete labor", "total_completed")}:contains(15,000.00)`,
        },
        ...enterOnLine("Concrete materials", "work_this_period", "50000"),
        {
            content: "Billing above the scheduled value warns",
            trigger: ".modal:contains(Billed above the scheduled value):contains(this invoice)",
        },
        {
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The over-billed line is highlighted",
            trigger: `${LINES} .o_data_row.text-danger:contains(Concrete materials)`,
        },
        ...enterOnLine("Concrete materials", "work_this_period", "10000"),
        {
            content: "G follows the corrected E (Balance (H) is an optional column)",
            trigger: `${lineCell("Concrete materials", "total_completed")}:contains(10,000.00)`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The saved invoice is a numbered draft",
            trigger: ".o_field_widget[name=name]:contains(SI/)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Draft)",
        },
        {
            content: "The saved lines keep the amounts",
            trigger: `${lineCell("Concrete labor", "work_this_period")}:contains(15,000.00)`,
        },
        {
            trigger: `${lineCell("Concrete materials", "work_this_period")}:contains(10,000.00)`,
        },
    ],
});
