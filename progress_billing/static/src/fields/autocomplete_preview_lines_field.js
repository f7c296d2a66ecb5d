/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { Component, useState } from "@odoo/owl";
import { CheckBox } from "@web/core/checkbox/checkbox";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** Rows rendered before "Show all": a screenful or two, whatever the size of the invoice. */
export const SHOWN_ROWS = 80;

/**
 * The lines of the auto-completion preview (readme/USAGE.md, "Auto-completing owner invoices"), one row per
 * dict of the wizard's json field: its amounts now and after, its sources and what changed, and the Apply
 * checkbox, which writes the tick into the json value (the totals follow by onchange). The first rows only
 * until the user asks for all: a large project's preview holds a thousand lines.
 */
export class AutocompletePreviewLinesField extends Component {
    static template = "progress_billing.AutocompletePreviewLinesField";
    static components = { CheckBox };
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ shown: SHOWN_ROWS });
    }

    get rows() {
        return this.props.record.data[this.props.name] || [];
    }

    get shownRows() {
        return this.rows.slice(0, this.state.shown);
    }

    get showAllLabel() {
        return _t("Show all %(count)s lines", { count: this.rows.length });
    }

    formatAmount(amount) {
        return formatMonetary(amount, { currencyId: this.props.record.data.currency_id?.id });
    }

    rowClass(row) {
        return { "text-warning": row.is_manual, "text-danger": row.is_stale };
    }

    onToggle(lineId, apply) {
        const rows = this.rows.map((row) => (row.owner_line_id === lineId ? { ...row, apply } : row));
        this.props.record.update({ [this.props.name]: rows });
    }

    showAll() {
        this.state.shown = this.rows.length;
    }
}

registry.category("fields").add("progress_billing_autocomplete_preview_lines", {
    component: AutocompletePreviewLinesField,
    displayName: _t("Auto-Completion Preview Lines"),
    supportedTypes: ["json"],
});
