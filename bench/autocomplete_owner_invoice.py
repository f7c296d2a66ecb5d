"""Times the auto-completion of one owner invoice against one SQL GROUP BY of the same sources.

Builds, inside one transaction that is rolled back at the end, a project with
a prime contract of 1,000 Schedule of Values lines (cost code lines, division
lines and a few duplicate cost code/cost type lines), 200 commitments of 20
lines each (one in ten unit/quantity based), their subcontractor invoices for
3 billing periods in mixed statuses, and 2,000 direct costs received over the
3 periods (mixed statuses, one in ten from an ERP). The owner invoices of the
first two periods are auto-completed and approved; the one of the third
period is then timed:

* SQL: one GROUP BY (cost code, cost type) over the eligible subcontractor
  invoice lines and direct cost lines of the period;
* auto-completion: ``_autocomplete()`` (gather, match, write amounts and
  source links), from a cold ORM cache, split into its steps;
* preview: what the wizard computes before the user applies;
* link rows alone: inserting again the source links auto-completion just
  wrote, one row per copied source line, nothing else: the floor the
  database sets on keeping those links (each row's foreign keys are checked
  one by one).

Each is run 5 times (auto-completion rolled back to a savepoint between
runs); the medians are printed, with the ratio auto-completion / SQL.

Run from the repository root (a few minutes, mostly generating the data):

    bash -c 'source scripts/lib.sh && prepare_all && set +e && db=pb_bench_autocomplete
      dropdb --if-exists $db; createdb $db
      odoo_bin -d $db -i progress_billing --stop-after-init --log-level warn
      odoo_bin shell -d $db --no-http --log-level warn < bench/autocomplete_owner_invoice.py
      dropdb $db'
"""

import random
import statistics
import time
from contextlib import closing
from datetime import date

from odoo import Command
from odoo.tools import SQL

RUNS = 5
SOV_LINES = 1000
COMMITMENTS = 200
COMMITMENT_LINES = 20
DIRECT_COSTS = 2000
PERIODS = [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 3, 1), date(2026, 3, 31))]
SUB_INVOICE_STATES = ["approved"] * 5 + ["approved_as_noted", "pending_owner_approval", "under_review", "draft"]

env = globals()["env"]  # given by odoo-bin shell
rng = random.Random(42)


def build_master_data():
    """50 divisions of 5 cost codes; the shipped cost types."""
    divisions = env["progress.billing.division"].create([
        {"code": f"B{index:02d}", "name": f"Bench division {index}"} for index in range(50)
    ])
    codes = env["progress.billing.cost.code"].create([
        {"code": f"{division.code}-{number}00", "name": f"Bench code {division.code}-{number}", "division_id": division.id}
        for division in divisions for number in range(1, 6)
    ])
    cost_types = env["progress.billing.cost.type"].search([("code", "in", ["L", "M", "E", "S"])])
    keys = [(code, cost_type) for code in codes for cost_type in cost_types]
    return divisions, keys


def build_contracts(project, divisions, keys, product):
    """1,000 SOV lines: 940 cost code lines, 50 division lines, 10 duplicates;
    200 commitments of 20 lines drawn from every cost code and cost type."""
    customer = env["res.partner"].create({"name": "Bench owner"})
    vendor = env["res.partner"].create({"name": "Bench subcontractor"})
    sov_keys = keys[:940]
    sov = [{"cost_code_id": code.id, "cost_type_id": cost_type.id} for code, cost_type in sov_keys]
    sov += [{"division_id": division.id} for division in divisions]
    sov += [{"cost_code_id": code.id, "cost_type_id": cost_type.id} for code, cost_type in sov_keys[:10]]
    assert len(sov) == SOV_LINES
    prime_contract = env["sale.order"].create({
        "partner_id": customer.id, "project_id": project.id, "is_prime_contract": True,
        "retainage_rate": 10, "retainage_rate_materials": 5,
        "order_line": [
            Command.create({"name": f"SOV {index}", "product_id": product.id, "product_uom_qty": 1,
                            "price_unit": 1_000_000, **values})
            for index, values in enumerate(sov)
        ],
    })
    commitments = env["purchase.order"].create([
        {
            "partner_id": vendor.id, "project_id": project.id, "is_commitment": True,
            "accounting_method": "unit" if index % 10 == 0 else "amount",
            "order_line": [
                Command.create({"name": f"SSOV {index}-{number}", "product_id": product.id,
                                "product_qty": 1000, "price_unit": 50,
                                "cost_code_id": code.id, "cost_type_id": cost_type.id})
                for number, (code, cost_type) in enumerate(rng.sample(keys, COMMITMENT_LINES))
            ],
        }
        for index in range(COMMITMENTS)
    ])
    return prime_contract, commitments


def sub_invoice_values(commitment, period):
    unit = commitment.accounting_method == "unit"
    return {
        "purchase_order_id": commitment.id,
        "period_id": period.id,
        "line_ids": [
            Command.create({
                "purchase_line_id": line.id, "name": line.name, "cost_code_id": line.cost_code_id.id,
                "cost_type_id": line.cost_type_id.id,
                **({"quantity_this_period": rng.randint(1, 100)} if unit else {
                    "work_this_period": rng.randint(100, 5000),
                    "materials_stored": rng.choice([0, 0, rng.randint(10, 1000)]),
                }),
            })
            for line in commitment.order_line
        ],
    }


def build_invoices_and_costs(project, prime_contract, commitments, keys, periods):
    """Subcontractor invoices of every commitment for each period, 2,000 direct
    costs, and the owner invoices of the first periods (auto-completed, approved)."""
    for period in periods:
        period.action_open()
        invoices = env["progress.billing.sub.invoice"].create([sub_invoice_values(c, period) for c in commitments])
        for invoice in invoices:
            invoice.state = rng.choice(SUB_INVOICE_STATES)
    env["progress.billing.direct.cost"].create([
        {
            "project_id": project.id,
            "date_received": date.fromordinal(rng.randint(PERIODS[0][0].toordinal(), PERIODS[-1][1].toordinal())),
            "state": rng.choice(["approved"] * 4 + ["pending"]),
            "origin": "erp" if index % 10 == 0 else "manual",
            "line_ids": [Command.create({"name": f"{code.code} {cost_type.name}", "cost_code_id": code.id,
                                         "cost_type_id": cost_type.id, "amount": rng.randint(50, 2000)})],
        }
        for index, (code, cost_type) in enumerate(rng.choice(keys) for _i in range(DIRECT_COSTS))
    ])
    OwnerInvoice = env["progress.billing.owner.invoice"]
    for period in periods[:-1]:
        period.action_open()
        invoice = OwnerInvoice.create({"sale_order_id": prime_contract.id, "period_id": period.id})
        invoice._autocomplete()
        invoice.state = "approved"
    periods[-1].action_open()
    return OwnerInvoice.create({"sale_order_id": prime_contract.id, "period_id": periods[-1].id})


def group_by_sources(invoice):
    """The same source amounts in one SQL GROUP BY."""
    period = invoice.period_id
    env.cr.execute(SQL(
        """
        SELECT cost_code_id, cost_type_id, SUM(work), COALESCE(SUM(materials), 0)
          FROM (
                SELECT line.cost_code_id, line.cost_type_id, COALESCE(line.work_this_period, 0) AS work,
                       COALESCE(line.materials_stored, 0) AS materials
                  FROM progress_billing_sub_invoice_line line
                  JOIN progress_billing_sub_invoice sub_invoice ON sub_invoice.id = line.invoice_id
                 WHERE sub_invoice.project_id = %(project)s AND sub_invoice.period_id = %(period)s
                   AND sub_invoice.state IN %(states)s
             UNION ALL
                SELECT line.cost_code_id, line.cost_type_id, line.amount, 0
                  FROM progress_billing_direct_cost_line line
                  JOIN progress_billing_direct_cost cost ON cost.id = line.direct_cost_id
                 WHERE cost.project_id = %(project)s AND cost.state = 'approved' AND cost.origin = 'manual'
                   AND cost.date_received BETWEEN %(start)s AND %(end)s
               ) sources
         GROUP BY cost_code_id, cost_type_id
        """,
        project=invoice.project_id.id, period=period.id, start=period.date_start, end=period.date_end,
        states=("approved", "approved_as_noted", "pending_owner_approval"),
    ))
    return env.cr.fetchall()


def timed(function):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    result = function()
    env.flush_all()
    return time.perf_counter() - start, result


def time_autocompletion(invoice):
    """One auto-completion, step by step, rolled back afterwards."""
    with closing(env.cr.savepoint()):
        allocation_time, allocation = timed(invoice._autocomplete_allocation)
        start = time.perf_counter()
        proposal = invoice._autocomplete_proposal(allocation)
        proposal_time = time.perf_counter() - start
        start = time.perf_counter()
        invoice._autocomplete_apply(proposal)
        env.flush_all()
        apply_time = time.perf_counter() - start
        totals = (sum(invoice.line_ids.mapped("work_this_period")), sum(invoice.line_ids.mapped("materials_stored")))
        link_rows_time = time_link_rows(invoice)
    env.invalidate_all()
    total = allocation_time + proposal_time + apply_time
    return total, allocation_time, proposal_time, apply_time, link_rows_time, allocation, totals


def time_link_rows(invoice):
    """One INSERT of a copy of the invoice's source links, rolled back."""
    Link = env["progress.billing.owner.invoice.source"]
    columns = SQL(", ").join(
        SQL.identifier(name) for name, field in Link._fields.items() if field.store and field.column_type and name != "id"
    )
    with closing(env.cr.savepoint()):
        start = time.perf_counter()
        env.cr.execute(SQL(
            """INSERT INTO progress_billing_owner_invoice_source (%(columns)s)
               SELECT %(columns)s FROM progress_billing_owner_invoice_source
                WHERE owner_line_id = ANY(%(lines)s)""",
            columns=columns, lines=invoice.line_ids.ids,
        ))
        return time.perf_counter() - start


def time_preview(invoice):
    with closing(env.cr.savepoint()):
        elapsed, _action = timed(invoice.action_autocomplete)
    env.invalidate_all()
    return elapsed


def main():
    start = time.perf_counter()
    product = env["product.product"].create({"name": "Bench work", "type": "service", "taxes_id": False,
                                             "supplier_taxes_id": False})
    project = env["project.project"].create({"name": "Bench tower", "company_id": env.company.id})
    periods = env["progress.billing.period"].create([
        {"project_id": project.id, "date_start": start_date, "date_end": end_date, "date_due": end_date}
        for start_date, end_date in PERIODS
    ])
    divisions, keys = build_master_data()
    prime_contract, commitments = build_contracts(project, divisions, keys, product)
    invoice = build_invoices_and_costs(project, prime_contract, commitments, keys, periods)
    env.flush_all()
    # fresh planner statistics, as autovacuum keeps them on a live database
    env.cr.execute("ANALYZE")
    print(f"data generated in {time.perf_counter() - start:.0f} s: {len(invoice.line_ids)} SOV lines, "
          f"{len(commitments)} commitments x {COMMITMENT_LINES} lines, "
          f"{env['progress.billing.sub.invoice'].search_count([('project_id', '=', project.id)])} subcontractor invoices "
          f"over {len(periods)} periods, {DIRECT_COSTS} direct costs")

    sql_times, auto_runs, preview_times = [], [], []
    for _run in range(RUNS):
        sql_time, groups = timed(lambda: group_by_sources(invoice))
        sql_times.append(sql_time)
        auto_runs.append(time_autocompletion(invoice))
        preview_times.append(time_preview(invoice))

    *_times, allocation, (work, materials) = auto_runs[0]
    copied = sum(len(sources) for sources in allocation.sources_by_line.values())
    unmatched = sum(source.work + source.materials for source, _reason in allocation.unmatched)
    grouped = sum(float(group[2]) + float(group[3]) for group in groups)
    assert abs(work + materials + unmatched - grouped) < 0.01, (work, materials, unmatched, grouped)
    print(f"sources: {copied} lines copied onto {len(allocation.sources_by_line)} owner invoice lines, "
          f"{len(allocation.unmatched)} unmatched, {len(allocation.ambiguous)} ambiguous line groups; "
          f"copied + unmatched = GROUP BY total = {grouped:,.2f}")

    def median(index):
        return statistics.median(run[index] for run in auto_runs)

    sql, auto = statistics.median(sql_times), median(0)
    print(f"SQL GROUP BY of the same sources: {sql * 1000:8.1f} ms")
    print(f"auto-completion:                  {auto * 1000:8.1f} ms  (gather + match {median(1) * 1000:.1f} ms, "
          f"proposal {median(2) * 1000:.1f} ms, write amounts and links {median(3) * 1000:.1f} ms)")
    print(f"ratio auto-completion / SQL:      {auto / sql:8.1f}")
    print(f"gather + match / SQL:             {median(1) / sql:8.1f}")
    print(f"link rows alone ({copied} INSERTed): {median(4) * 1000:8.1f} ms  ({median(4) / sql:.1f} x SQL)")
    print(f"preview (wizard before Apply):    {statistics.median(preview_times) * 1000:8.1f} ms")
    print(f"medians of {RUNS} runs")
    env.cr.rollback()


main()
