/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const PROMPT = "Do you want to automatically complete";
const CONCRETE_ROW = ".o_form_sheet .o_field_widget[name=line_ids] .o_data_row:contains(Concrete)";
const PREVIEW_ROW = ".modal .o_field_widget[name=preview_lines] .o_progress_billing_preview_line:contains(Concrete)";

registry.category("web_tour.tours").add("progress_billing_owner_invoice_autocomplete_tour", {
    steps: () => [
        {
            content: "Create an owner invoice",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=sale_order_id] input",
            run: "edit PB-TOUR-PC-001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(PB-TOUR-PC-001)",
            run: "click",
        },
        {
            trigger: CONCRETE_ROW,
        },
        {
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
        ...stepUtils.saveForm(),
        {
            content: "Right after creation the user is asked, with three choices",
            trigger: `.modal:contains(${PROMPT}) .modal-footer:has(button:contains(Yes)):has(button:contains(No Thanks))`,
        },
        {
            content: "Cancel closes the question and changes nothing",
            trigger: `.modal:contains(${PROMPT}) .modal-footer button:contains(Cancel)`,
            run: "click",
        },
        {
            content: "The question stays on the draft until answered",
            trigger: `body:not(:has(.modal)) .alert-info:contains(${PROMPT}) button:contains(Yes)`,
            run: "click",
        },
        {
            content: "Yes shows what would change before writing it",
            trigger: `${PREVIEW_ROW}:contains(1,000.00)`,
        },
        {
            content: "Untick the line to leave it as it is",
            trigger: `${PREVIEW_ROW} td[name=apply] input:checked`,
            run: "click",
        },
        {
            content: "The totals after follow the ticks",
            trigger: ".modal .o_field_widget[name=new_work_total]:contains(0.00):not(:contains(1,000.00))",
        },
        {
            trigger: `${PREVIEW_ROW} td[name=apply] input:not(:checked)`,
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=new_work_total]:contains(1,000.00)",
        },
        {
            trigger: ".modal .modal-footer button:contains(Apply)",
            run: "click",
        },
        {
            content: "The line holds the subcontractor invoice's work",
            trigger: `body:not(:has(.modal)) ${CONCRETE_ROW} td[name=work_this_period]:contains(1,000.00)`,
        },
        {
            trigger: `.o_form_view:not(:has(.alert-info:contains(${PROMPT})))`,
        },
        {
            content: "Drill down to the sources of the line",
            trigger: `${CONCRETE_ROW} button[name=action_view_autocomplete_sources]`,
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(SI/):contains(Concrete labor)",
        },
    ],
});
