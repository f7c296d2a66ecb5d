/* Copyright 2026 Progress Billing Developers
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * readme/USAGE.md, "The subcontractor's side (portal)": the subcontractor's pay application on the portal. As the
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

    /** Figures typed before the page's scripts loaded count too; then the form is live. */
    start() {
        for (const row of this.el.querySelectorAll(".o_pb_portal_line")) {
            this.refresh(row, false);
        }
        this.el.dataset.live = "1";
    }

    get digits() {
        return parseInt(this.el.dataset.currencyDigits || "2");
    }

    round(amount) {
        const factor = 10 ** this.digits;
        return Math.round(amount * factor) / factor;
    }

    /** A figure the page renders as a data attribute (QWeb leaves out those that are zero). */
    figure(data, key) {
        return parseFloat(data[key] || "0");
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
        const scheduled = this.figure(data, "scheduled");
        const previous = this.figure(data, "previous");
        const work = data.unitBased
            ? this.round(this.number(row.querySelector(".o_pb_quantity")) * this.figure(data, "priceUnit"))
            : this.number(row.querySelector(".o_pb_work"));
        const stored = this.number(row.querySelector(".o_pb_stored"));
        const completed = previous + work + stored;
        const retainageWork = this.round(((previous + work) * this.figure(data, "rate")) / 100);
        const retainageMaterials = this.round((stored * this.figure(data, "rateMaterials")) / 100);
        return {
            scheduled,
            completed,
            percent: scheduled ? (100 * completed) / scheduled : 0,
            balance: scheduled - completed,
            retainageWork,
            retainageMaterials,
            retainage: retainageWork + retainageMaterials - this.figure(data, "released"),
        };
    }

    onPercentInput(ev) {
        const row = ev.currentTarget.closest(".o_pb_portal_line");
        const data = row.dataset;
        const work = row.querySelector(".o_pb_work");
        const stored = this.number(row.querySelector(".o_pb_stored"));
        const target = (this.figure(data, "scheduled") * this.number(ev.currentTarget)) / 100;
        work.value = this.round(target - this.figure(data, "previous") - stored).toFixed(this.digits);
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
            due: earned - this.figure(summary.dataset, "previousCertificates"),
            balance: this.figure(summary.dataset, "contractSum") - earned,
        };
        for (const [key, value] of Object.entries(values)) {
            summary.querySelector(`[data-g702='${key}']`).textContent = this.format(this.round(value));
        }
    }
}

registry.category("public.interactions").add("progress_billing.pay_application_form", PayApplicationForm);
