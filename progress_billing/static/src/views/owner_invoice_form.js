/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { registry } from "@web/core/registry";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";

/**
 * Right after an owner invoice is first saved, asks whether to auto-complete
 * it (readme/USAGE.md, "Auto-completing owner invoices": Cancel, No Thanks, Yes). Not when the first save comes from a
 * button of the form: that button's own action goes first.
 */
export class OwnerInvoiceFormController extends FormController {
    async beforeExecuteActionButton(clickParams) {
        this.savingForButton = true;
        try {
            return await super.beforeExecuteActionButton(...arguments);
        } finally {
            this.savingForButton = false;
        }
    }

    async onWillSaveRecord(record) {
        this.firstSave = record.isNew && !this.savingForButton;
        return super.onWillSaveRecord(...arguments);
    }

    async onRecordSaved(record) {
        await super.onRecordSaved(...arguments);
        const { autocomplete_prompt_pending, period_id, state } = record.data;
        if (this.firstSave && autocomplete_prompt_pending && period_id && state === "draft") {
            this.firstSave = false;
            const action = await this.orm.call(record.resModel, "action_autocomplete_prompt", [[record.resId]]);
            await this.actionService.doAction(action, { onClose: () => record.load() });
        }
    }
}

registry.category("views").add("progress_billing_owner_invoice_form", {
    ...formView,
    Controller: OwnerInvoiceFormController,
});
