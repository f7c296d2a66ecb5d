import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * Issue #12: the subcontractor's pay application on the portal. As the
 * subcontractor types, each line's G703 columns (G, H, I and the percent
 * complete or work completed this period) and the G702 lines 4 to 9 follow;
 * the server computes them again when the form is saved.
 */
export class PayApplicationForm extends Interaction {
    static selector = ".o_pb_portal_form";
    dynamicContent = {
        ".o_pb_work, .o_pb_stored, .o_pb_quantity": { "t-on-input": this.onAmountInput },
        ".o_pb_percent": { "t-on-input": this.onPercentInput },
    };

    get digits() {
        return parseInt(this.el.dataset.currencyDigits || "2");
    }

    round(amount) {
        const factor = 10 ** this.digits;
        return Math.round(amount * factor) / factor;
    }

    number(input) {
        const value = parseFloat((input?.value || "").replace(/,/g, ""));
        return Number.isFinite(value) ? value : 0;
    }

    format(amount) {
        const text = amount.toLocaleString("en-US", {
            minimumFractionDigits: this.digits,
            maximumFractionDigits: this.digits,
        });
        const symbol = this.el.dataset.currencySymbol || "";
        return this.el.dataset.currencyPosition === "after" ? `${text}\u00a0${symbol}` : `${symbol}\u00a0${text}`;
    }

    /** G = D + E + F, its percent of C, H = C − G, I per the line's retainage rates (G703). */
    lineFigures(row) {
        const data = row.dataset;
        const scheduled = parseFloat(data.scheduled);
        const previous = parseFloat(data.previous);
        const work = data.unitBased
            ? this.round(this.number(row.querySelector(".o_pb_quantity")) * parseFloat(data.priceUnit))
            : this.number(row.querySelector(".o_pb_work"));
        const stored = this.number(row.querySelector(".o_pb_stored"));
        const completed = previous + work + stored;
        const retainageWork = this.round(((previous + work) * parseFloat(data.rate)) / 100);
        const retainageMaterials = this.round((stored * parseFloat(data.rateMaterials)) / 100);
        return {
            scheduled,
            completed,
            percent: scheduled ? (100 * completed) / scheduled : 0,
            balance: scheduled - completed,
            retainageWork,
            retainageMaterials,
            retainage: retainageWork + retainageMaterials - parseFloat(data.released),
        };
    }

    onPercentInput(ev) {
        const row = ev.currentTarget.closest(".o_pb_portal_line");
        const data = row.dataset;
        const work = row.querySelector(".o_pb_work");
        const stored = this.number(row.querySelector(".o_pb_stored"));
        const target = (parseFloat(data.scheduled) * this.number(ev.currentTarget)) / 100;
        work.value = this.round(target - parseFloat(data.previous) - stored).toFixed(this.digits);
        this.refresh(row, false);
    }

    onAmountInput(ev) {
        this.refresh(ev.currentTarget.closest(".o_pb_portal_line"), true);
    }

    refresh(row, updatePercent) {
        const figures = this.lineFigures(row);
        row.querySelector(".o_pb_completed").textContent = this.format(figures.completed);
        row.querySelector(".o_pb_balance").textContent = this.format(figures.balance);
        row.querySelector(".o_pb_retainage").textContent = this.format(figures.retainage);
        const percent = row.querySelector(".o_pb_percent");
        if (updatePercent && percent) {
            percent.value = figures.percent.toFixed(2);
        }
        this.refreshSummary();
    }

    /** G702: 4 = ΣG, 5 = ΣI, 6 = 4 − 5, 8 = 6 − 7, 9 = 3 − 6. */
    refreshSummary() {
        const summary = this.el.querySelector(".o_pb_portal_g702");
        const totals = { completed: 0, retainageWork: 0, retainageMaterials: 0, retainage: 0 };
        for (const row of this.el.querySelectorAll(".o_pb_portal_line")) {
            const figures = this.lineFigures(row);
            for (const key of Object.keys(totals)) {
                totals[key] += figures[key];
            }
        }
        const earned = totals.completed - totals.retainage;
        const values = {
            completed: totals.completed,
            retainage_work: totals.retainageWork,
            retainage_materials: totals.retainageMaterials,
            retainage: totals.retainage,
            earned,
            due: earned - parseFloat(summary.dataset.previousCertificates),
            balance: parseFloat(summary.dataset.contractSum) - earned,
        };
        for (const [key, value] of Object.entries(values)) {
            summary.querySelector(`[data-g702='${key}']`).textContent = this.format(this.round(value));
        }
    }
}

registry.category("public.interactions").add("progress_billing.pay_application_form", PayApplicationForm);
