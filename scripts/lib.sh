# shellcheck shell=bash
# Shared set-up steps of scripts/serve.sh and scripts/test.sh.
#
# Environment (all optional):
#   ODOO_SRC   an Odoo 19.0 source tree (the folder holding odoo-bin). Default:
#              /opt/odoo-19.0 if present, else an `odoo` package importable by
#              python3, else a shallow clone of the official 19.0 branch into
#              $PB_HOME/odoo-19.0 (needs internet).
#   PB_HOME    where the virtual environment and the clone live
#              (default ~/.cache/progress_billing).
#   PB_PYTHON  the interpreter the virtual environment is made from (default python3).
set -euo pipefail

PB_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PB_HOME=${PB_HOME:-$HOME/.cache/progress_billing}
PB_PYTHON=${PB_PYTHON:-python3}
PB_VENV=$PB_HOME/venv
ODOO_UPSTREAM=https://github.com/odoo/odoo.git
DEBIAN_PACKAGES=(postgresql wkhtmltopdf poppler-utils qpdf chromium fonts-dejavu-core)

say() { printf '[progress_billing] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
    local missing=() pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    command -v apt-get >/dev/null || die "Install these packages first: ${missing[*]}"
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

is_odoo19_tree() {
    [ -f "$1/odoo-bin" ] && grep -q "^version_info = (19, 0" "$1/odoo/release.py" 2>/dev/null
}

locate_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo19_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19.0 source tree (no odoo-bin with version 19.0): set ODOO_SRC to the folder that holds odoo-bin."
        return
    fi
    local candidate
    for candidate in /opt/odoo-19.0 "$PB_HOME/odoo-19.0"; do
        if is_odoo19_tree "$candidate"; then ODOO_SRC=$candidate; return; fi
    done
    candidate=$("$PB_PYTHON" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))' 2>/dev/null || true)
    if [ -n "$candidate" ] && is_odoo19_tree "$candidate"; then ODOO_SRC=$candidate; return; fi
    say "no local Odoo 19.0 found; cloning the official 19.0 branch into $PB_HOME/odoo-19.0"
    mkdir -p "$PB_HOME"
    git clone -q --depth 1 --branch 19.0 "$ODOO_UPSTREAM" "$PB_HOME/odoo-19.0.part" 2>/dev/null \
        && mv "$PB_HOME/odoo-19.0.part" "$PB_HOME/odoo-19.0" \
        || { rm -rf "$PB_HOME/odoo-19.0.part"; die "No Odoo 19.0 found and the official source could not be cloned: set ODOO_SRC to a local Odoo 19.0 source tree (the folder holding odoo-bin)."; }
    ODOO_SRC=$PB_HOME/odoo-19.0
}

prepare_venv() {
    local requirements=("$PB_REPO/requirements-odoo.txt" "$PB_REPO/requirements.txt")
    local stamp
    stamp=$(cat "${requirements[@]}" | sha1sum | cut -c1-12)
    if [ ! -x "$PB_VENV/bin/python" ] || [ "$(cat "$PB_VENV/.pb-stamp" 2>/dev/null)" != "$stamp" ]; then
        say "preparing the Python environment in $PB_VENV"
        "$PB_PYTHON" -m venv "$PB_VENV"
        "$PB_VENV/bin/pip" install -q --upgrade pip >/dev/null
        "$PB_VENV/bin/pip" install -q "${requirements[@]/#/-r}" >/dev/null
        echo "$stamp" > "$PB_VENV/.pb-stamp"
    fi
    # the pinned linters of scripts/lint.sh, with a stamp of their own: changing a pin
    # reinstalls them only
    stamp=$(sha1sum < "$PB_REPO/requirements-dev.txt" | cut -c1-12)
    if [ "$(cat "$PB_VENV/.pb-dev-stamp" 2>/dev/null)" != "$stamp" ]; then
        say "installing the linters of requirements-dev.txt in $PB_VENV"
        "$PB_VENV/bin/pip" install -q -r "$PB_REPO/requirements-dev.txt" >/dev/null
        echo "$stamp" > "$PB_VENV/.pb-dev-stamp"
    fi
}

start_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        local version
        version=$(pg_lsclusters -h | awk 'NR == 1 { print $1 }')
        [ -n "$version" ] || die "PostgreSQL is installed but has no cluster: run pg_createcluster."
        say "starting PostgreSQL $version"
        as_root pg_ctlcluster "$version" main start
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    fi
    local role
    role=$(id -un)
    # Odoo refuses to connect as "postgres"; it connects as the login user over the socket.
    as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"" | grep -q 1 \
        || as_root su postgres -c "createuser --superuser '$role'"
}

odoo_bin() {
    "$PB_VENV/bin/python" "$ODOO_SRC/odoo-bin" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$PB_REPO" "$@"
}

# Name of a database holding only the addon's dependencies, built on first use
# (developers only: CI installs everything from scratch).
dependency_template() {
    local depends template
    depends=$("$PB_VENV/bin/python" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$PB_REPO/progress_billing/__manifest__.py")
    template=pb_template_$(echo "$depends $ODOO_SRC" | sha1sum | cut -c1-10)
    if ! psql -lqt | cut -d'|' -f1 | grep -qw "$template"; then
        say "building template database $template with $depends"
        odoo_bin -d "$template" -i "$depends" --stop-after-init --log-level warn --max-cron-threads 0 >&2
    fi
    echo "$template"
}

# Creates database $1 as a copy of the dependency template, filestore included.
create_from_dependency_template() {
    local template filestore=$HOME/.local/share/Odoo/filestore
    template=$(dependency_template)
    createdb -T "$template" "$1"
    if [ -d "$filestore/$template" ]; then cp -r "$filestore/$template" "$filestore/$1"; fi
}

# Drops database $1 and its filestore.
drop_database() {
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    rm -rf "$HOME/.local/share/Odoo/filestore/$1"
}

prepare_all() {
    install_debian_packages
    locate_odoo
    prepare_venv
    start_postgres
    say "Odoo source: $ODOO_SRC"
}
