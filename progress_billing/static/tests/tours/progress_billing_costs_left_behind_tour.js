/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";

const WARNING = "Approved costs of earlier periods not yet billed to the owner";
const CONCRETE_ROW = ".o_form_sheet .o_field_widget[name=line_ids] .o_data_row:contains(Concrete)";
const PREVIEW_LINES = ".o_field_widget[name=preview_lines]";
const PREVIEW_ROW = `.modal ${PREVIEW_LINES} .o_progress_billing_preview_line`;

registry.category("web_tour.tours").add("progress_billing_costs_left_behind_tour", {
    steps: () => [
        {
            content: "Auto-complete the draft owner invoice",
            trigger: ".o_form_view .o_form_statusbar button[name=action_autocomplete]",
            run: "click",
        },
        {
            content: "The preview warns of the costs of the earlier period that no owner invoice billed",
            trigger: `.modal .o_progress_billing_left_behind:contains(${WARNING}):contains(1,700.00)`,
        },
        {
            content: "Left out, this period's amount only",
            trigger: `${PREVIEW_ROW}:contains(Concrete):contains(300.00)`,
        },
        {
            content: "Untick the concrete line",
            trigger: `${PREVIEW_ROW}:contains(Concrete) td[name=apply] input:checked`,
            run: "click",
        },
        {
            trigger: `${PREVIEW_ROW}:contains(Concrete) td[name=apply] input:not(:checked)`,
        },
        {
            trigger: ".modal .nav-link:contains(Costs of Earlier Periods)",
            run: "click",
        },
        {
            content: "It lists them with their documents and amounts",
            trigger: ".modal .o_field_widget[name=earlier_ids] .o_data_row:contains(SI/):contains(1,200.00)",
        },
        {
            trigger: ".modal .o_field_widget[name=earlier_ids] .o_data_row:contains(T09-900):contains(500.00)",
        },
        {
            content: "Include them all",
            trigger: ".modal .o_progress_billing_left_behind button[name=action_include_all]",
            run: "click",
        },
        {
            content: "They land by the matching rules: the concrete line now bills both periods' work",
            trigger: `.modal:not(:has(.o_progress_billing_left_behind)) ${PREVIEW_LINES} .o_progress_billing_preview_line:contains(Concrete):contains(1,300.00)`,
        },
        {
            content: "The line unticked before stays unticked in the new preview; tick it again",
            trigger: `${PREVIEW_ROW}:contains(Concrete) td[name=apply] input:not(:checked)`,
            run: "click",
        },
        {
            trigger: `${PREVIEW_ROW}:contains(Concrete) td[name=apply] input:checked`,
        },
        {
            trigger: ".modal .modal-footer button:contains(Apply)",
            run: "click",
        },
        {
            content: "The invoice bills the costs left behind",
            trigger: `body:not(:has(.modal)) ${CONCRETE_ROW} td[name=work_this_period]:contains(1,300.00)`,
        },
    ],
});
