#!/usr/bin/env bash
# Builds progress_billing as a wheel with whool (progress_billing/pyproject.toml) and proves it
# installs the way an integrator installs it (README "Installing into an existing Odoo"):
#   0. checks every Python, XML and JavaScript file of the addon has its licence header
#      (scripts/add_licence_headers.py --check);
#   1. builds odoo_addon_progress_billing-<version>-py3-none-any.whl;
#   2. checks the wheel holds every file git tracks in progress_billing/ under
#      odoo/addons/progress_billing/ (manifest, data, views, report, i18n, static, demo, ...);
#   3. installs it with --no-deps into a scratch virtual environment that has Odoo but not the
#      addon, then the requirements the wheel declares besides Odoo itself, and imports
#      odoo.addons.progress_billing from there.
# Exits non-zero when any step fails. .ci/run runs it before the tests.
#   PB_WHEEL_DIR=dir  keep the wheel in dir (default: a temporary folder, removed on exit)
#   --odoo            also install the addon from the wheel into a scratch database with
#                     Odoo's default addons path only (no --addons-path), then drop it
source "$(dirname "$0")/lib.sh"

with_odoo=0
[ "${1:-}" = --odoo ] && with_odoo=1
locate_odoo
prepare_venv
"$PB_VENV/bin/python" "$PB_REPO/scripts/add_licence_headers.py" --check

tmp=$(mktemp -d -t progress_billing-wheel.XXXXXX)
db=pb_wheel_$(date +%s)_$$
trap 'rm -rf "$tmp"; [ "$with_odoo" = 0 ] || drop_database "$db"' EXIT
out=${PB_WHEEL_DIR:-$tmp/dist}
mkdir -p "$out"

# whool and its own requirements, kept apart from Odoo's environment
tools=$PB_HOME/whool-venv
if [ ! -x "$tools/bin/whool" ]; then
    say "preparing whool in $tools"
    "$PB_PYTHON" -m venv "$tools"
    "$tools/bin/pip" install -q whool >/dev/null
fi

say "building the wheel into $out"
rm -f "$out"/odoo_addon_progress_billing-*.whl
"$tools/bin/pip" wheel -q --no-deps --no-build-isolation --wheel-dir "$out" "$PB_REPO/progress_billing" >/dev/null
wheel=$(ls "$out"/odoo_addon_progress_billing-*-py3-none-any.whl)
echo "wheel: $wheel"

git -C "$PB_REPO/progress_billing" ls-files >"$tmp/tracked"
"$PB_VENV/bin/python" - "$wheel" "$tmp/tracked" <<'EOF'
import collections
import sys
import zipfile

wheel, tracked = sys.argv[1:]
prefix = "odoo/addons/progress_billing/"
packed = {name[len(prefix):] for name in zipfile.ZipFile(wheel).namelist() if name.startswith(prefix)}
# every file git tracks (whool leaves pyproject.toml out), and by name those an install cannot do without
expected = set(open(tracked).read().split()) - {"pyproject.toml"}
expected |= {"__manifest__.py", "LICENSE", "i18n/progress_billing.pot", "static/description/icon.png"}
missing = sorted(expected - packed)
if missing:
    sys.exit(f"the wheel lacks {len(missing)} file(s) of the addon: {', '.join(missing)}")
folders = collections.Counter(name.split("/")[0] if "/" in name else "." for name in packed)
print(f"{len(packed)} files under {prefix}: " + ", ".join(f"{k} {v}" for k, v in sorted(folders.items())))
EOF

# A scratch environment with Odoo but without the addon: Odoo's source tree and its runtime
# packages (the project's environment) come in through a .pth file; the addon only from the wheel.
# (created without pip: whool's pip installs into it with --python)
"$PB_PYTHON" -m venv --without-pip "$tmp/venv"
site=$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
odoo_site=$("$PB_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
printf '%s\n%s\n' "$ODOO_SRC" "$odoo_site" >"$site/odoo_runtime.pth"
say "installing the wheel into the scratch environment $tmp/venv"
"$tools/bin/pip" --python "$tmp/venv/bin/python" install -q --no-deps "$wheel"
mapfile -t requirements < <("$PB_VENV/bin/python" -c 'import sys; from importlib.metadata import Distribution as D
print("\n".join(r for r in D.at(sys.argv[1]).requires if not r.startswith("odoo=")))' "$site"/odoo_addon_progress_billing-*.dist-info)
echo "requirements besides Odoo: ${requirements[*]}"
"$tools/bin/pip" --python "$tmp/venv/bin/python" install -q "${requirements[@]}"
"$tmp/venv/bin/python" - "$site" <<'EOF'
import importlib
import os
import sys

from odoo.modules.module import initialize_sys_path
from odoo.tools import config

config.parse_config(["--config", os.devnull, "--http-interface", "127.0.0.1"])  # defaults: no --addons-path
initialize_sys_path()
addon = importlib.import_module("odoo.addons.progress_billing")

folder = os.path.dirname(addon.__file__)
if not folder.startswith(sys.argv[1]):
    sys.exit(f"odoo.addons.progress_billing was imported from {folder}, not from the wheel")
print(f"odoo.addons.progress_billing imported from {folder}: {' '.join(sorted(os.listdir(folder)))}")
EOF

if [ "$with_odoo" = 1 ]; then
    start_postgres
    say "installing progress_billing from the wheel into $db (Odoo's default addons path)"
    "$tmp/venv/bin/python" "$ODOO_SRC/odoo-bin" -d "$db" -i progress_billing --stop-after-init \
        --no-http --max-cron-threads 0 --log-level warn
    state=$(psql -d "$db" -Atc "SELECT state FROM ir_module_module WHERE name = 'progress_billing'")
    echo "progress_billing in $db: $state"
    [ "$state" = installed ] || die "the addon did not install from the wheel"
fi
say "the wheel builds and installs"
