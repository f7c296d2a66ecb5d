/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function invoiceRow(name) {
    return `.o_list_view .o_data_row:contains(${name})`;
}

/** Catch the download the action opens instead of opening a window. */
function catchDownloads() {
    return {
        content: "Catch the downloads the export opens",
        trigger: ".o_list_view",
        run() {
            browser.open = (url) => {
                document.body.dataset.pbDownload = url;
                return { closed: false };
            };
        },
    };
}

/** Choose the export in the Actions menu, then download what it opens as the user. */
function exportAndDownload(content, expectedSheets) {
    return [
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: ".o-dropdown--menu .o_menu_item:contains(Export G703 to Excel)",
            run: "click",
        },
        {
            content: "The export opened its download; the route serves the workbook",
            trigger: "body[data-pb-download]",
            async run() {
                const url = document.body.dataset.pbDownload;
                delete document.body.dataset.pbDownload;
                if (!url.includes("/progress_billing/g703.xlsx")) {
                    throw new Error(`The export opened no G703 download (${url})`);
                }
                const response = await fetch(url);
                const type = response.headers.get("Content-Type");
                const disposition = response.headers.get("Content-Disposition") || "";
                const bytes = new Uint8Array(await response.arrayBuffer());
                if (response.status !== 200 || type !== XLSX || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
                    throw new Error(`The G703 download failed: ${response.status} ${type}`);
                }
                if (!disposition.includes(".xlsx") || !url.includes(`ids=`) || url.split(",").length !== expectedSheets) {
                    throw new Error(`Unexpected G703 download ${url} (${disposition})`);
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("progress_billing_g703_export_tour", {
    steps: () => [
        catchDownloads(),
        {
            content: "Tick the first subcontractor invoice",
            trigger: `${invoiceRow("PB-G703-1")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Tick the second one",
            trigger: `${invoiceRow("PB-G703-2")} .o_list_record_selector input`,
            run: "click",
        },
        {
            trigger: ".o_selection_box:contains(2)",
        },
        ...exportAndDownload("Export both to Excel", 2),
        {
            content: "Untick the first invoice",
            trigger: `${invoiceRow("PB-G703-1")} .o_list_record_selector input:checked`,
            run: "click",
        },
        {
            content: "Untick the second invoice",
            trigger: `${invoiceRow("PB-G703-2")} .o_list_record_selector input:checked`,
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_selection_box))",
        },
        {
            content: "Open the second invoice",
            trigger: `${invoiceRow("PB-G703-2")} td[name=name]`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]:contains(PB-G703-2)",
        },
        ...exportAndDownload("Export it to Excel from its form", 1),
    ],
});
