#!/usr/bin/env bash
# Runs the whole progress_billing test suite inside a real Odoo 19 against a
# fresh PostgreSQL database, then drops the database. Exits non-zero when the
# addon fails to install or any test fails or errors.
#   PB_TEST_TAGS  Odoo --test-tags (default /progress_billing: every test of the addon)
#   PB_FAST=1     developers only: copy the database from a cached template that
#                 already has the addon's dependencies installed (CI never sets it)
source "$(dirname "$0")/lib.sh"
prepare_all

db=pb_test_$(date +%s)_$$
log=$(mktemp -t progress_billing-test.XXXXXX.log)
port=$("$PB_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
demo_db=${db}_demo
trap 'drop_database "$db"; drop_database "$demo_db"' EXIT

if [ "${PB_FAST:-}" = 1 ]; then
    create_from_dependency_template "$db"
fi

say "testing in database $db (log: $log)"
set +e
odoo_bin -d "$db" -i progress_billing --test-enable --test-tags "${PB_TEST_TAGS:-/progress_billing}" \
    --stop-after-init --http-port "$port" --http-interface 127.0.0.1 --log-level info \
    --max-cron-threads 0 2>&1 | tee "$log" | grep -E "(ERROR|CRITICAL|FAIL|Ran |tests? when loading)" --line-buffered
rc=${PIPESTATUS[0]}
set -e

# The whole suite also installs the demo data scripts/serve.sh loads: Odoo only
# warns when demo data fails (and installs without it), so the check is here.
demo_failed=0
if [ -z "${PB_TEST_TAGS:-}" ]; then
    demo_log=$(mktemp -t progress_billing-demo.XXXXXX.log)
    # (never from the PB_FAST template: a database created without demo data
    # installs later modules without theirs, whatever --with-demo says)
    say "installing the demo data in $demo_db (log: $demo_log)"
    odoo_bin -d "$demo_db" -i progress_billing --with-demo --stop-after-init --log-level warn \
        --max-cron-threads 0 --no-http >"$demo_log" 2>&1 || demo_failed=1
    if grep -qE "demo data failed to install|(ERROR|CRITICAL) $demo_db " "$demo_log"; then demo_failed=1; fi
    if [ "$(psql -d "$demo_db" -Atc "SELECT demo FROM ir_module_module WHERE name = 'progress_billing'" 2>/dev/null)" != t ]; then
        say "the addon was installed without its demo data"; demo_failed=1
    fi
    [ "$demo_failed" -eq 0 ] || { say "the demo data failed to install:"; cat "$demo_log" >&2; }
fi

summary=$(grep -E "of [0-9]+ tests when loading database" "$log" | tail -1 || true)
failed=$(sed -nE 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests when loading.*/\1 \2 \3/p' <<<"$summary")
read -r n_failed n_errors n_tests <<<"${failed:-0 0 0}"
problems=$(grep -cE " (ERROR|CRITICAL) $db " "$log" || true)
echo "tests run: $n_tests, failures: $n_failed, errors: $n_errors, error log lines: $problems, demo data failed: $demo_failed"
echo "$((n_tests - n_failed - n_errors)) passed, $((n_failed + n_errors)) failed"
if [ "$rc" -ne 0 ] || [ "$demo_failed" -ne 0 ] || [ "$n_tests" -eq 0 ] || [ "$n_failed" -ne 0 ] || [ "$n_errors" -ne 0 ] || [ "$problems" -ne 0 ]; then
    say "FAILED (odoo exit code $rc); full log: $log"
    exit 1
fi
