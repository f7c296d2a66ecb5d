/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const MENU = "progress_billing.menu_progress_billing_";

/**
 * Opens the prime contracts from the app's menus and checks the words the
 * user's dictionary shows in the menus, the list's title and its columns
 * (and that the other dictionary's are absent), then groups direct costs by
 * month to check the date group labels.
 */
function dictionarySteps({ app, primeContracts, absent, approvedChanges }) {
    return () => [
        stepUtils.showAppsMenuItem(),
        {
            content: `The app is called ${app}`,
            trigger: `.o_app[data-menu-xmlid="${MENU}root"]:contains(${app})`,
            run: "click",
        },
        {
            content: "Open the Contracts menu",
            trigger: `.o_menu_sections [data-menu-xmlid="${MENU}contracts"]`,
            run: "click",
        },
        {
            content: `The menu shows ${primeContracts}, not ${absent}`,
            trigger: `.o-dropdown--menu:not(:contains(${absent})) [data-menu-xmlid="${MENU}prime_contract"]:contains(${primeContracts})`,
            run: "click",
        },
        {
            content: `The list is titled ${primeContracts}`,
            trigger: `.o_breadcrumb:contains(${primeContracts}):not(:contains(${absent}))`,
        },
        {
            content: `A column is labelled ${approvedChanges}`,
            trigger: `.o_list_view th[data-name=approved_change_orders_amount]:contains(${approvedChanges})`,
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Open the direct costs",
            trigger: `.o_menu_sections [data-menu-xmlid="${MENU}billing"]`,
            run: "click",
        },
        {
            trigger: `.o-dropdown--menu [data-menu-xmlid="${MENU}direct_cost"]`,
            run: "click",
        },
        {
            // the contracts' rows stay on screen until the direct costs' list replaces them
            content: "The direct costs' list is loaded",
            trigger: ".o_list_view:has(th[data-name=date_received]) .o_data_row",
        },
        {
            content: "Group them by month received",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_accordion_toggle:contains(Date Received)",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_accordion_values .o_item_option:contains(Month)",
            run: "click",
        },
        {
            content: "Date groups are labelled in English (US)",
            trigger: ".o_group_header:contains(January 2026)",
        },
        {
            content: "Group by week instead",
            trigger: ".o_group_by_menu .o_accordion_values .o_item_option:contains(Month)",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_accordion_values .o_item_option:contains(Week)",
            run: "click",
        },
        {
            content: "Weeks start on Sunday and are numbered as in English (US)",
            trigger: ".o_group_header:contains(W3 2026):not(:contains(January))",
        },
    ];
}

registry.category("web_tour.tours").add("progress_billing_owner_dictionary_tour", {
    steps: dictionarySteps({
        app: "Progress Claiming", primeContracts: "Funding", absent: "Prime Contracts", approvedChanges: "Approved Variations",
    }),
});

registry.category("web_tour.tours").add("progress_billing_default_dictionary_tour", {
    steps: dictionarySteps({
        app: "Progress Billing", primeContracts: "Prime Contracts", absent: "Funding", approvedChanges: "Approved Change Orders",
    }),
});
