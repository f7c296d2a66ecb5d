#!/usr/bin/env bash
# Regenerates the subcontractors' pay application PDFs of the demo data
# (progress_billing/demo/files/*_pay_app.pdf) from the figures of a scratch
# database holding the demo, with scripts/demo_pay_app_pdfs.py. Run it whenever
# the demo's invoices or the maths change, then commit the PDFs.
source "$(dirname "$0")/lib.sh"
prepare_all

db=pb_demo_pdfs_$(date +%s)_$$
trap 'drop_database "$db"' EXIT

say "installing progress_billing with its demo data in $db"
odoo_bin -d "$db" -i progress_billing --with-demo --stop-after-init --log-level warn --max-cron-threads 0 --no-http
odoo_bin shell -d "$db" --no-http --log-level warn < "$PB_REPO/scripts/demo_pay_app_pdfs.py"
