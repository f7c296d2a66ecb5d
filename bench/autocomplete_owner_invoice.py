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
* preview: *Yes* in the wizard, what it computes and stores before the user
  applies (sources gathered and matched, changes, stale fingerprints);
* apply: *Apply* after that preview: the sources gathered again, the stale
  check, the amounts and source links written, the constraints checked;
* link rows alone: inserting again the source links auto-completion just
  wrote, one row per copied source line, nothing else: the floor the
  database sets on keeping those links (each row's foreign keys are checked
  one by one).

Each from a cold ORM cache, 5 times side by side (rolled back to a savepoint
between runs); the medians are printed with their ratio to the SQL. The
preview and the Apply are timed as a plain Progress Billing user, as a real
user runs them (record rules, access checks, the user's companies in every
query), and as the superuser, side by side. Then
every source line of the period is repeated to make 10 times the sources on
the same Schedule of Values, and the same is timed again: the growth of each
figure shows whether auto-completion grows linearly with its sources.
Submit and Approve of the auto-completed invoice are timed once as well
(as the superuser): they freeze the claim and the figures of every line.

Run from the repository root (a few minutes, mostly generating the data):

    bash -c 'source scripts/lib.sh && prepare_all && set +e && db=pb_bench_autocomplete
      dropdb --if-exists $db; createdb $db
      odoo_bin -d $db -i progress_billing --stop-after-init --log-level warn
      odoo_bin shell -d $db --no-http --log-level warn < bench/autocomplete_owner_invoice.py
      dropdb $db'

With PB_BENCH_PROFILE=1 in the environment, one more preview and Apply of the
bench project, as the plain user, run under cProfile and Odoo's profiler
(SQL collector): the functions taking the most time and the queries taking
the most time (grouped by query text) are printed after the timings.
"""

import cProfile
import io
import os
import pstats
import random
import re
import statistics
import time
from collections import defaultdict
from contextlib import closing, contextmanager, nullcontext
from datetime import date

from odoo import Command
from odoo.tools import SQL
from odoo.tools.profiler import Profiler

RUNS = 5
# the second size: this many times the sources of the timed period
SCALE = 10
SOV_LINES = 1000
COMMITMENTS = 200
COMMITMENT_LINES = 20
DIRECT_COSTS = 2000
PERIODS = [
    (date(2026, 1, 1), date(2026, 1, 31)),
    (date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 3, 1), date(2026, 3, 31)),
]
SUB_INVOICE_STATES = ["approved"] * 5 + ["approved_as_noted", "pending_owner_approval", "under_review", "draft"]

env = globals()["env"]  # given by odoo-bin shell
rng = random.Random(42)


def build_master_data():
    """50 divisions of 5 cost codes; the shipped cost types."""
    divisions = env["progress.billing.division"].create([
        {"code": f"B{index:02d}", "name": f"Bench division {index}"} for index in range(50)
    ])
    codes = env["progress.billing.cost.code"].create(
        [
            {
                "code": f"{division.code}-{number}00",
                "name": f"Bench code {division.code}-{number}",
                "division_id": division.id,
            }
            for division in divisions
            for number in range(1, 6)
        ]
    )
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
    # scheduled values that 10 times the sources stay within: the plain user may not bill above them
    prime_contract = env["sale.order"].create({
        "partner_id": customer.id, "project_id": project.id, "is_prime_contract": True,
        "retainage_rate": 10, "retainage_rate_materials": 5,
        "order_line": [
            Command.create({"name": f"SOV {index}", "product_id": product.id, "product_uom_qty": 1,
                            "price_unit": 10_000_000, **values})
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


def timed(function, around=nullcontext):
    """Time ``function`` from a cold ORM cache (run inside ``around()``)."""
    env.flush_all()
    env.invalidate_all()
    with around():
        start = time.perf_counter()
        result = function()
        env.flush_all()
        elapsed = time.perf_counter() - start
    return elapsed, result


def time_preview(invoice, around=nullcontext):
    """The wizard's preview (Yes), rolled back: the wizard and its lines."""
    with closing(env.cr.savepoint()):
        elapsed, _action = timed(invoice.action_autocomplete, around)
    env.invalidate_all()
    return elapsed


def time_apply(invoice, around=nullcontext):
    """The wizard's Apply after a preview (what the user waits for once the
    preview shows), rolled back: the stale check, the amounts, the links and
    the constraints. Returns the time, the owner lines' totals of E and F
    applied and the allocation they come from."""
    with closing(env.cr.savepoint()):
        action = invoice.action_autocomplete()
        wizard = invoice.env[action["res_model"]].browse(action["res_id"])
        elapsed, _action = timed(wizard.action_apply, around)
        allocation = invoice._autocomplete_allocation()
        lines = invoice.line_ids.filtered(lambda line: line.id in allocation.sources_by_line)
        totals = sum(lines.mapped("work_this_period")), sum(lines.mapped("materials_stored"))
        link_rows_time = time_link_rows(invoice)
    env.invalidate_all()
    return elapsed, link_rows_time, totals, allocation


def time_link_rows(invoice):
    """One INSERT of a copy of the invoice's source links, rolled back."""
    Link = env["progress.billing.owner.invoice.source"]
    columns = SQL(", ").join(
        SQL.identifier(name)
        for name, field in Link._fields.items()
        if field.store and field.column_type and name != "id"
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


def copy_rows(model, parent_field, parent_ids, copies):
    """Insert ``copies`` copies of every row of ``model`` whose ``parent_field``
    is in ``parent_ids`` (the data generator only: no ORM, no checks)."""
    Model = env[model]
    Model.flush_model()
    columns = SQL(", ").join(
        SQL.identifier(name)
        for name, field in Model._fields.items()
        if field.store and field.column_type and name != "id"
    )
    env.cr.execute(SQL(
        "INSERT INTO %(table)s (%(columns)s) SELECT %(columns)s FROM %(table)s, generate_series(1, %(copies)s) "
        "WHERE %(parent)s = ANY(%(parents)s)",
        table=SQL.identifier(Model._table), columns=columns, copies=copies,
        parent=SQL.identifier(parent_field), parents=parent_ids,
    ))
    env.invalidate_all()


def multiply_sources(invoice, factor):
    """``factor`` times the sources of the invoice's billing period, on the
    same Schedule of Values: each subcontractor invoice line of the period
    and each direct cost line of the project repeated."""
    sub_invoices = env["progress.billing.sub.invoice"].search([
        ("project_id", "=", invoice.project_id.id), ("period_id", "=", invoice.period_id.id),
    ])
    costs = env["progress.billing.direct.cost"].search([("project_id", "=", invoice.project_id.id)])
    copy_rows("progress.billing.sub.invoice.line", "invoice_id", sub_invoices.ids, factor - 1)
    copy_rows("progress.billing.direct.cost.line", "direct_cost_id", costs.ids, factor - 1)
    env.cr.execute("ANALYZE")


def measure(invoices, label):
    """Medians of RUNS runs of the GROUP BY, then the preview and the Apply
    of each of ``invoices`` ({who: the invoice in their environment}), side
    by side."""
    sql_times, preview_times, apply_runs = [], defaultdict(list), defaultdict(list)
    for _run in range(RUNS):
        sql_time, groups = timed(lambda: group_by_sources(next(iter(invoices.values()))))
        sql_times.append(sql_time)
        for who, invoice in invoices.items():
            preview_times[who].append(time_preview(invoice))
            apply_runs[who].append(time_apply(invoice))

    sql = statistics.median(sql_times)
    grouped = sum(float(group[2]) + float(group[3]) for group in groups)
    previews, applies = {}, {}
    for who in invoices:
        *_times, (work, materials), allocation = apply_runs[who][0]
        copied = sum(len(sources) for sources in allocation.sources_by_line.values())
        unmatched = sum(source.work + source.materials for source, _reason in allocation.unmatched)
        assert abs(work + materials + unmatched - grouped) < 0.01, (who, work, materials, unmatched, grouped)
        previews[who] = statistics.median(preview_times[who])
        applies[who] = statistics.median(run[0] for run in apply_runs[who])
    link_rows = statistics.median(run[1] for runs in apply_runs.values() for run in runs)
    print(f"{label}: {copied} source lines copied onto {len(allocation.sources_by_line)} owner invoice lines, "
          f"{len(allocation.unmatched)} unmatched, {len(allocation.ambiguous)} ambiguous line groups; "
          f"copied + unmatched = GROUP BY total = {grouped:,.2f}")
    print(f"  SQL GROUP BY of the same sources:              {sql * 1000:8.1f} ms")
    for title, times in (("preview (Yes, wizard shown)", previews), ("apply (Apply, after the preview)", applies)):
        for who, elapsed in times.items():
            print(f"  {f'{title}, {who}:':<46} {elapsed * 1000:8.1f} ms  ({elapsed / sql:5.1f} x SQL)")
    print(f"  {f'link rows alone ({copied} INSERTed):':<46} {link_rows * 1000:8.1f} ms  ({link_rows / sql:5.1f} x SQL)")
    first = next(iter(invoices))
    return copied, sql, previews[first], applies[first]


def profile(invoice):
    """One preview and one Apply of ``invoice`` under cProfile and Odoo's
    profiler (SQL collector), rolled back: the top functions by own time and
    the top queries by total time, grouped by their text."""
    for title, time_it in (("preview", time_preview), ("apply", time_apply)):
        profilers = {}

        @contextmanager
        def profiling(profilers=profilers):
            profilers["python"] = cProfile.Profile()
            with Profiler(collectors=["sql"], db=None) as profilers["odoo"]:
                profilers["python"].enable()
                yield
                profilers["python"].disable()

        time_it(invoice, profiling)
        stream = io.StringIO()
        stats = pstats.Stats(profilers["python"], stream=stream)
        print(f"--- profile of the {title} ({stats.total_calls:,} function calls, "
              f"{profilers['odoo'].duration * 1000:.0f} ms with the profilers); the top 15 by own time:")
        stats.sort_stats("tottime").print_stats(15)
        print("\n".join(line for line in stream.getvalue().splitlines()[-17:] if line.strip()))
        queries = defaultdict(lambda: [0, 0.0])
        for entry in profilers["odoo"].collectors[0].entries:
            text = re.sub(r"\s+", " ", entry["query"]).strip()
            queries[text][0] += 1
            queries[text][1] += entry["time"]
        print(f"  {sum(count for count, _time in queries.values())} queries, "
              f"{sum(total for _count, total in queries.values()) * 1000:.1f} ms in PostgreSQL; the top 10:")
        for text, (count, total) in sorted(queries.items(), key=lambda item: -item[1][1])[:10]:
            print(f"  {total * 1000:8.1f} ms {count:5d} x {text[:150]}")


def time_certification(invoice):
    """Submit and Approve of the invoice once auto-completed, each from a
    cold ORM cache, rolled back: freezing the claim and the certified figures
    of every line."""
    with closing(env.cr.savepoint()):
        invoice._autocomplete()
        submit, _result = timed(invoice.action_submit)
        approve, _result = timed(invoice.action_approve)
    env.invalidate_all()
    print(f"certification of the auto-completed invoice ({len(invoice.line_ids)} lines): "
          f"Submit {submit * 1000:.0f} ms, Approve {approve * 1000:.0f} ms")


def plain_user():
    """A Progress Billing user of the bench company, nothing more."""
    return env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench project accountant", "login": "bench_project_accountant",
        "company_id": env.company.id, "company_ids": [Command.set(env.company.ids)],
        "group_ids": [Command.set([env.ref("progress_billing.group_progress_billing_user").id])],
    })


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
    print(
        f"data generated in {time.perf_counter() - start:.0f} s: {len(invoice.line_ids)} SOV lines, "
        f"{len(commitments)} commitments x {COMMITMENT_LINES} lines, "
        f"{env['progress.billing.sub.invoice'].search_count([('project_id', '=', project.id)])} subcontractor invoices "
        f"over {len(periods)} periods, {DIRECT_COSTS} direct costs; medians of {RUNS} runs"
    )
    invoices = {"plain user": invoice.with_user(plain_user()), "superuser": invoice}
    small = measure(invoices, "bench project")
    time_certification(invoice)
    if os.environ.get("PB_BENCH_PROFILE"):
        profile(invoices["plain user"])
    multiply_sources(invoice, SCALE)
    large = measure(invoices, f"{SCALE} x the sources, same SOV")
    (copied, *small_times), (copied_large, *large_times) = small, large
    print(f"growth for {copied_large / copied:.1f} x the source lines (plain user): "
          + ", ".join(f"{name} {after / before:.1f} x" for name, before, after in zip(
              ("SQL", "preview", "apply"), small_times, large_times, strict=True)))
    env.cr.rollback()


main()
