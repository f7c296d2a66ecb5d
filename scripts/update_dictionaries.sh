#!/usr/bin/env bash
# Regenerates progress_billing/i18n/: exports progress_billing.pot from a scratch
# database with the addon installed from this checkout, then writes the three
# point-of-view dictionaries (en@headcontractor.po, en@owner.po, en@specialty.po)
# from it with scripts/update_dictionaries.py. Run it whenever a user-facing
# string changes, then commit progress_billing/i18n/.
source "$(dirname "$0")/lib.sh"
prepare_all

db=pb_i18n_$(date +%s)_$$
pot=$(mktemp -t progress_billing.XXXXXX.pot)
trap 'drop_database "$db"; rm -f "$pot"' EXIT

create_from_dependency_template "$db"
say "installing progress_billing in $db"
odoo_bin -d "$db" -i progress_billing --stop-after-init --log-level warn --max-cron-threads 0 --no-http
odoo_bin i18n export -d "$db" progress_billing -o "$pot" >/dev/null 2>&1 \
    || die "exporting the .pot from $db failed: run 'odoo-bin i18n export -d $db progress_billing -o x.pot' to see why"

"$PB_VENV/bin/python" "$PB_REPO/scripts/update_dictionaries.py" "$pot"
