"""Times the Subcontractor Invoices and Owner Invoices lists of a large project.

Builds, inside one transaction that is rolled back at the end, a project of
20 monthly billing periods with 250 commitments of 4 lines, each billed every
period: 5,000 subcontractor invoices and 20,000 G703 lines, the first 18
periods approved, the 19th under review, the last one a draft; and 5 prime
contracts of 40 Schedule of Values lines billed every period: 100 owner
invoices, approved likewise: each period opened, each contract's
application of it created in one batch ``create``, E and F written, then
submitted and approved together through the workflow's methods. A sample of
the applications is then recomputed by the ORM from nothing and must give
the figures stored (``check_stored_figures``). Then, as a plain Progress Billing user and the
way the web client asks (same methods, specifications and defaults as the
list views), it times:

* the Subcontractor Invoices list: ``web_search_read`` with the list view's
  default columns (G702 line 8, Current Payment Due, among them), latest first;
* the same list grouped by commitment: ``web_read_group`` by
  ``purchase_order_id`` with the aggregates the list asks for its stored
  figures (sums, and the currencies beside the money);
* the Owner Invoices list: ``web_search_read`` with its default columns;

each for 10 rows (or groups) and 80 (the list's page), from a cold ORM cache:
the median server time of 5 runs and the number of queries (the same
whatever the rows, which ``TestListQueries`` checks). It writes E and F on
every line of a draft owner invoice, as auto-completion's Apply does, and
prints what the flush that computes the stored figures again costs. Then it
prints the pay applications of 200 subcontractor invoices selected in the list (the report
action on 200 ids, as Print > Pay Application does): the wkhtmltopdf calls it
makes (the compile's batched rendering, at most 50 applications per call)
and the time.

PB_BENCH_QUICK=1 builds 25 commitments and 1 prime contract of 10 lines
instead (500 and 20 invoices) and prints 20 invoices: a quick check of the
bench itself. PB_BENCH_COMMITMENTS and PB_BENCH_PERIODS set those sizes.
PB_BENCH_DUMP=<file> writes every application's stored figures and its
lines' columns D, G and I, by number, to compare two generations.

Run from the repository root (mostly generating the data):

    bash -c 'source scripts/lib.sh && prepare_all && set +e && db=pb_bench_lists
      dropdb --if-exists $db; createdb $db
      odoo_bin -d $db -i progress_billing --stop-after-init --log-level warn
      odoo_bin shell -d $db --no-http --log-level warn < bench/lists_at_scale.py
      dropdb $db'
"""

import json
import os
import random
import statistics
import time
from contextlib import closing
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tools import SQL
from odoo.tools.date_utils import relativedelta

# the lists' default columns, as the web client reads them: the same the query-count tests read
from odoo.addons.progress_billing.tests.test_list_queries import OWNER_INVOICE_COLUMNS, SUB_INVOICE_COLUMNS

QUICK = os.environ.get("PB_BENCH_QUICK") == "1"
RUNS = 5
PERIODS = int(os.environ.get("PB_BENCH_PERIODS", 20))
COMMITMENTS = int(os.environ.get("PB_BENCH_COMMITMENTS", 25 if QUICK else 250))
# billed through the ORM; the other contracts are copies of these (copy_contracts)
ORM_COMMITMENTS = min(COMMITMENTS, int(os.environ.get("PB_BENCH_ORM_COMMITMENTS", 25)))
COMMITMENT_LINES = 4
PRIME_CONTRACTS = int(os.environ.get("PB_BENCH_PRIME_CONTRACTS", 1 if QUICK else 5))
ORM_PRIME_CONTRACTS = 1
SOV_LINES = 10 if QUICK else 40
PRINTED = 20 if QUICK else 200
SUB_REPORT = "progress_billing.action_report_sub_invoice"

env = globals()["env"]  # given by odoo-bin shell
rng = random.Random(42)


def build_project():
    product = env["product.product"].create({"name": "Bench work", "type": "service", "taxes_id": False,
                                             "supplier_taxes_id": False})
    project = env["project.project"].create({"name": "Bench campus", "company_id": env.company.id})
    first = date(2025, 1, 1)
    periods = env["progress.billing.period"].create([
        {"project_id": project.id, "date_start": first + relativedelta(months=index),
         "date_end": first + relativedelta(months=index + 1, days=-1),
         "date_due": first + relativedelta(months=index + 1, days=-1)}
        for index in range(PERIODS)
    ])
    cost_types = env["progress.billing.cost.type"].search([("code", "in", ["L", "M", "E", "S"])])
    division = env["progress.billing.division"].create({"code": "LB", "name": "Bench division"})
    codes = env["progress.billing.cost.code"].create(
        [
            {"code": f"LB-{index:03d}", "name": f"Bench code {index}", "division_id": division.id}
            for index in range(SOV_LINES)
        ]
    )
    vendors = env["res.partner"].create([{"name": f"Bench subcontractor {index}"} for index in range(25)])
    commitments = env["purchase.order"].create([
        {
            "partner_id": vendors[index % len(vendors)].id, "project_id": project.id, "is_commitment": True,
            "retainage_rate": 10, "retainage_rate_materials": 5,
            "order_line": [
                Command.create({"name": f"SSOV {index}-{number}", "product_id": product.id, "product_qty": 1,
                                "price_unit": 200_000, "cost_code_id": codes[(index + number) % SOV_LINES].id,
                                "cost_type_id": cost_types[number % len(cost_types)].id})
                for number in range(COMMITMENT_LINES)
            ],
        }
        for index in range(ORM_COMMITMENTS)
    ])
    owner = env["res.partner"].create({"name": "Bench owner"})
    prime_contracts = env["sale.order"].create([
        {
            "partner_id": owner.id, "project_id": project.id, "is_prime_contract": True,
            "retainage_rate": 10, "retainage_rate_materials": 5,
            "order_line": [
                Command.create({"name": f"SOV {index}-{number}", "product_id": product.id, "product_uom_qty": 1,
                                "price_unit": 5_000_000, "cost_code_id": code.id, "cost_type_id": cost_types[0].id})
                for number, code in enumerate(codes)
            ],
        }
        for index in range(ORM_PRIME_CONTRACTS)
    ])
    return project, periods, commitments, prime_contracts


def bill_period(model, contract_field, contracts, period, status):
    """One application of each contract in ``period``, created in one batch,
    billed (E, F) a few amounts over its lines, then taken to ``status``."""
    invoices = env[model].create([{contract_field: contract.id, "period_id": period.id} for contract in contracts])
    lines = invoices.line_ids
    for share in range(4):
        lines[share::4].write({"work_this_period": rng.choice([1000, 2500, 4000]) * (share + 1),
                               "materials_stored": rng.choice([0, 0, 500])})
    if status != "draft":
        invoices.action_submit()
    if status == "approved":
        invoices.with_user(manager()).action_approve()
    return invoices


def manager():
    return env.ref("base.user_admin")


APPLICATIONS = ("progress.billing.sub.invoice", "progress.billing.owner.invoice")


def build_invoices(periods, commitments, prime_contracts):
    """Bill the periods one after the other, as a project lives: each period
    opened, every contract's application of it created in one batch,
    billed, submitted and approved together through the workflow's methods."""
    for index, period in enumerate(periods):
        period.action_open()
        status = "approved" if index < PERIODS - 2 else "under_review" if index == PERIODS - 2 else "draft"
        bill_period("progress.billing.sub.invoice", "purchase_order_id", commitments, period, status)
        bill_period("progress.billing.owner.invoice", "sale_order_id", prime_contracts, period, status)
        env.flush_all()
        env.invalidate_all()


def clone_rows(table, ids, remaps, names=None):
    """Copy rows ``ids`` of ``table`` in SQL, each column as is but the
    foreign keys in ``remaps`` ({column: {old id: new id}}) and ``names``
    ({column: SQL of the new value, the row being ``t``}); returns
    {old id: new id}."""
    env.cr.execute(SQL(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'", table,
    ))
    columns = [name for (name,) in env.cr.fetchall()]
    env.cr.execute(SQL(
        "SELECT id, nextval(pg_get_serial_sequence(%s, 'id')) FROM %s WHERE id = ANY(%s) ORDER BY id",
        table, SQL.identifier(table), list(ids),
    ))
    mapping = dict(env.cr.fetchall())
    values = []
    for name in columns:
        if name in remaps:
            values.append(SQL("(%s::jsonb ->> t.%s::text)::int", json.dumps(remaps[name]), SQL.identifier(name)))
        elif names and name in names:
            values.append(names[name])
        else:
            values.append(SQL("t.%s", SQL.identifier(name)))
    env.cr.execute(SQL(
        "INSERT INTO %s (id, %s) SELECT (%s::jsonb ->> t.id::text)::int, %s FROM %s t WHERE t.id = ANY(%s)",
        SQL.identifier(table), SQL(", ").join(SQL.identifier(name) for name in columns), json.dumps(mapping),
        SQL(", ").join(values), SQL.identifier(table), list(mapping),
    ))
    return mapping


def renumbered(prefix_parts, offset):
    """SQL of a document number moved on by ``offset``: "SI/2026/0007" -> "SI/2026/0507"."""
    return SQL(
        "regexp_replace(t.name, '[0-9]+$', '') || lpad((substring(t.name from '[0-9]+$')::int + %s)::text, %s, '0')",
        offset, prefix_parts,
    )


def copy_contracts(contracts, count):
    """``count`` contracts in all: ``contracts`` (billed through the ORM) and
    copies of them made in SQL, each with copies of its lines, of its
    applications and of their lines, figures included (the stored G702
    figures and the frozen values are those the ORM computed for the
    original, whose inputs the copy shares). Billing 250 commitments
    through the ORM took about an hour on the 2-core machine (each
    application's figures follow the earlier ones of its contract), most of
    the bench; check_stored_figures then has the ORM recompute a sample of
    the copies from nothing. Returns the contracts and the copies."""
    if count <= len(contracts):
        return contracts
    Application = env[contracts._fields[contracts._name == "purchase.order" and "sub_invoice_ids"
                                       or "owner_invoice_ids"].comodel_name]
    applications = contracts[Application._contract_applications_field]
    lines = contracts.order_line
    env.flush_all()
    contract_column = "purchase_order_id" if contracts._name == "purchase.order" else "sale_order_id"
    for table in ("progress_billing_retention_rule", "progress_billing_retention_stage",
                  "progress_billing_retention_guarantee", "progress_billing_change_order"):
        env.cr.execute(SQL("SELECT count(*) FROM %s WHERE %s = ANY(%s)", SQL.identifier(table),
                           SQL.identifier(contract_column), contracts.ids))
        assert not env.cr.fetchone()[0], f"{table} has rows of the contracts: copy them too"
    contract_field = Application._contract_field
    line_field = env[Application._fields["line_ids"].comodel_name]._source_fields[0]
    copies = []
    for copy in range(1, -(-count // len(contracts))):
        wanted = contracts[:count - len(contracts) * copy]
        wanted_applications = applications.filtered_domain([(contract_field, "in", wanted.ids)])
        contract_map = clone_rows(contracts._table, wanted.ids, {}, {"name": renumbered(5, len(contracts) * copy)})
        line_map = clone_rows(lines._table, lines.filtered_domain([("order_id", "in", wanted.ids)]).ids,
                              {"order_id": contract_map})
        application_map = clone_rows(
            Application._table, wanted_applications.ids, {contract_field: contract_map},
            {"name": renumbered(4, len(applications) * copy), "access_token": SQL("NULL")}
            if "access_token" in Application._fields else {"name": renumbered(4, len(applications) * copy)},
        )
        clone_rows(wanted_applications.line_ids._table, wanted_applications.line_ids.ids,
                   {"invoice_id": application_map, line_field: line_map})
        copies += list(contract_map.values())
    env.invalidate_all()
    return contracts | contracts.browse(copies)


def stored_figures(records):
    """{id: (stored computed values)} of ``records``, as saved in the database."""
    names = sorted(name for name, field in records._fields.items() if field.compute and field.store)
    env.flush_all()
    records.invalidate_recordset()
    return {record.id: tuple(record[name] for name in names) for record in records}


def check_stored_figures(commitments, prime_contracts):
    """Every application of the last three commitments and of the last
    prime contract (copies made in SQL, when the size asks for copies), with
    their lines: their stored figures (G702 lines 1-9 and the others) as
    generated, then recomputed by the ORM from nothing (a cold cache, every
    stored computed field marked to compute), must be the same."""
    checked = 0
    for model, contracts in (("progress.billing.sub.invoice", commitments[-3:]),
                             ("progress.billing.owner.invoice", prime_contracts[-1:])):
        invoices = env[model].search([("id", "in", contracts[env[model]._contract_applications_field].ids)])
        samples = [invoices, invoices.line_ids]
        generated = [stored_figures(records) for records in samples]
        env.invalidate_all()
        for records in samples:
            for field in records._fields.values():
                if field.compute and field.store:
                    env.add_to_compute(field, records)
        env.flush_all()
        recomputed = [stored_figures(records) for records in samples]
        differing = [
            (records._name, record_id) for records, before, after in zip(samples, generated, recomputed, strict=True)
            for record_id in before if before[record_id] != after[record_id]
        ]
        assert not differing, f"stored figures differ from the ORM's: {differing[:10]}"
        checked += len(invoices)
    print(f"check: the stored figures of {checked} applications ({commitments[-3:].mapped('name')}, "
          f"{prime_contracts[-1:].name}) and their lines, recomputed by the ORM from nothing, are those generated")


def dump_figures(path):
    """PB_BENCH_DUMP: every application's stored figures by number, to compare two generations."""
    rows = []
    for model in APPLICATIONS:
        invoices = env[model].search([])
        names = sorted(name for name, field in invoices._fields.items()
                       if field.compute and field.store and not field.relational)
        for invoice in invoices.sorted("name"):
            rows.append([model, invoice.name, invoice.state, {name: invoice[name] for name in names},
                         [[line.name, line.total_completed, line.retainage, line.previous_work]
                          for line in invoice.line_ids]])
    with open(path, "w") as file:
        json.dump(rows, file, indent=0, default=str)
    print(f"figures of {len(rows)} applications written to {path}")


def plain_user():
    return env["res.users"].create({
        "name": "Bench project accountant", "login": "bench_lists_user",
        "group_ids": [Command.set([env.ref("progress_billing.group_progress_billing_user").id])],
    })


def aggregates(Model, columns):
    """What the web client asks a grouped list to sum: each column with an
    aggregator, and the currency beside each amount (web/static/src/model/
    relational_model/utils.js, getAggregateSpecifications)."""
    fields = Model.fields_get(list(columns), ["type", "aggregator", "currency_field"])
    specs = [f"{name}:{field['aggregator']}" for name, field in fields.items()
             if field.get("aggregator") and field["type"] in ("integer", "float", "monetary")]
    for name, field in fields.items():
        if field.get("aggregator") and field.get("currency_field"):
            specs += [f"{field['currency_field']}:array_agg_distinct", f"{name}:sum_currency"]
    return list(dict.fromkeys(specs))


def measure(call):
    """(median ms, queries) of RUNS runs of ``call`` from a cold ORM cache,
    after a first run that fills the registry's caches (access rights,
    record rules, views), as a running server has them."""
    call()
    times, counts = [], set()
    for _run in range(RUNS):
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
        counts.add(env.cr.sql_log_count - queries)
    return statistics.median(times) * 1000, "/".join(map(str, sorted(counts)))


def time_lists(user, project):
    SubInvoice = env["progress.billing.sub.invoice"].with_user(user)
    OwnerInvoice = env["progress.billing.owner.invoice"].with_user(user)
    reads = {
        "Subcontractor Invoices list (web_search_read)": lambda limit: SubInvoice.web_search_read(
            [], SUB_INVOICE_COLUMNS, limit=limit, count_limit=10001),
        "  grouped by commitment with sums (web_read_group)": lambda limit: SubInvoice.web_read_group(
            [], ["purchase_order_id"], aggregates(SubInvoice, SUB_INVOICE_COLUMNS), limit=limit),
        "Owner Invoices list (web_search_read)": lambda limit: OwnerInvoice.web_search_read(
            [], OWNER_INVOICE_COLUMNS, limit=limit, count_limit=10001),
    }
    print(f"{'':52} {'10 rows':>20} {'80 rows':>20}")
    for label, read in reads.items():
        (small_ms, small_queries), (large_ms, large_queries) = (
            measure(lambda read=read, limit=limit: read(limit)) for limit in (10, 80)
        )
        print(f"{label:52} {small_ms:7.1f} ms {small_queries:>3} queries {large_ms:7.1f} ms {large_queries:>3} queries")
    groups = SubInvoice.web_read_group([], ["purchase_order_id"], aggregates(SubInvoice, SUB_INVOICE_COLUMNS), limit=1)
    first = groups["groups"][0]
    invoices = SubInvoice.search([("purchase_order_id", "=", first["purchase_order_id"][0])])
    assert abs(first["current_payment_due:sum"] - sum(invoices.mapped("current_payment_due"))) < 0.01
    print(f"check: the group sum of line 8 of {first['purchase_order_id'][1]} = the sum of its "
          f"{len(invoices)} invoices' line 8 = {first['current_payment_due:sum']:,.2f}")


def time_print(user):
    """Print > Pay Application on PRINTED invoices selected in the list."""
    invoices = env["progress.billing.sub.invoice"].with_user(user).search([], limit=PRINTED)
    report_class = type(env["ir.actions.report"])
    batched, single = [], []
    start_batch, run_single = report_class._start_wkhtmltopdf, report_class._run_wkhtmltopdf

    def count_batch(reports, report, records):
        batched.append(len(records))
        return start_batch(reports, report, records)

    def count_single(reports, *args, **kwargs):
        single.append(1)
        return run_single(reports, *args, **kwargs)

    env.invalidate_all()
    start = time.perf_counter()
    with patch.object(report_class, "_start_wkhtmltopdf", count_batch), \
            patch.object(report_class, "_run_wkhtmltopdf", count_single):
        pdf, _kind = env["ir.actions.report"].with_user(user)._render_qweb_pdf(SUB_REPORT, invoices.ids)
    elapsed = time.perf_counter() - start
    print(f"printing {len(invoices)} selected pay applications: {elapsed:.1f} s, {len(pdf) / 1e6:.1f} MB, "
          f"{len(batched)} batched wkhtmltopdf calls of {batched} applications, "
          f"{len(single)} one-record wkhtmltopdf calls")


def time_owner_lines_write():
    """What the stored figures cost auto-completion's Apply, which writes E
    and F on the owner invoice's lines: the same write on every line of the
    draft owner invoice, then the flush that computes its stored figures
    again (and line 7 of the contract's other applications) and saves them."""
    invoice = env["progress.billing.owner.invoice"].search([("state", "=", "draft")], limit=1)
    with closing(env.cr.savepoint()):
        env.flush_all()
        env.invalidate_all()
        queries, start = env.cr.sql_log_count, time.perf_counter()
        invoice.line_ids.write({"work_this_period": 1234, "materials_stored": 100})
        written, written_queries = time.perf_counter(), env.cr.sql_log_count
        env.flush_all()
        flushed, flushed_queries = time.perf_counter(), env.cr.sql_log_count
    env.invalidate_all()
    print(
        f"writing E and F on the {len(invoice.line_ids)} lines "
        f"of {invoice.name}: write {(written - start) * 1000:.1f} ms "
        f"({written_queries - queries} queries), then the flush (stored figures computed and saved) "
        f"{(flushed - written) * 1000:.1f} ms ({flushed_queries - written_queries} queries)"
    )


def main():
    start, cpu_start = time.perf_counter(), time.process_time()
    project, periods, commitments, prime_contracts = build_project()
    build_invoices(periods, commitments, prime_contracts)
    billed = time.perf_counter() - start
    copied = (copy_contracts(commitments, COMMITMENTS), copy_contracts(prime_contracts, PRIME_CONTRACTS))
    generated, generated_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # fresh planner statistics, as autovacuum keeps them on a live database
    env.cr.execute("ANALYZE")
    user = plain_user()
    print(
        f"data generated in {generated:.0f} s ({generated_cpu:.0f} s of Odoo's CPU; {len(commitments)} commitments "
        f"and {len(prime_contracts)} prime contract billed through the ORM in {billed:.0f} s, the others copied): "
        f"{env['progress.billing.sub.invoice'].search_count([('project_id', '=', project.id)])} subcontractor invoices "
        f"({len(copied[0])} commitments x {PERIODS} periods, "
        f"{env['progress.billing.sub.invoice.line'].search_count([('company_id', '=', env.company.id)])} lines), "
        f"{env['progress.billing.owner.invoice'].search_count([('project_id', '=', project.id)])} owner invoices; "
        f"server time, medians of {RUNS} runs, cold ORM cache, as {user.name}; load {os.getloadavg()[0]:.2f}"
    )
    check_stored_figures(*copied)
    if os.environ.get("PB_BENCH_DUMP"):
        dump_figures(os.environ["PB_BENCH_DUMP"])
    time_lists(user, project)
    time_owner_lines_write()
    time_print(user)
    env.cr.rollback()


main()
