#!/usr/bin/env bash
# Installs everything needed, creates the database (addon + demo data) on first
# run, and serves Odoo at http://localhost:8069 until interrupted.
#   PB_DB    database name (default progress_billing)
#   PB_PORT  HTTP port (default 8069)
source "$(dirname "$0")/lib.sh"
prepare_all

db=${PB_DB:-progress_billing}
port=${PB_PORT:-8069}
if ! psql -lqt | cut -d'|' -f1 | grep -qw "$db"; then
    say "creating database $db with progress_billing and its demo data"
    odoo_bin -d "$db" -i progress_billing --with-demo --stop-after-init --log-level warn
fi
say "Odoo is at http://localhost:$port  database: $db  login: admin  password: admin"
odoo_bin -d "$db" --db-filter "^$db\$" --http-port "$port"
