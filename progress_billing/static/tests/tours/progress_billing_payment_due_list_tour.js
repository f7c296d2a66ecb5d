/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";

function paymentDue(reference) {
    return `.o_list_renderer .o_data_row:contains(${reference}) td[name=current_payment_due]`;
}

// readme/USAGE.md, "Bills, invoices and retainage": line 8 of an application listed with its previous
// application is line 6 less the previous line 6, as on the form (it used to show line 6).
registry.category("web_tour.tours").add("progress_billing_payment_due_list_tour", {
    steps: () => [
        {
            content: "The later application, listed first, shows its line 8",
            trigger: `${paymentDue("PB-TOUR-LATER")}:contains(18,650.00)`,
        },
        {
            content: "The earlier application shows its own line 8",
            trigger: `${paymentDue("PB-TOUR-EARLIER")}:contains(21,100.00)`,
        },
        {
            content: "The form shows the same line 8",
            trigger: ".o_list_renderer .o_data_row:contains(PB-TOUR-LATER) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=current_payment_due]:contains(18,650.00)",
        },
    ],
});
