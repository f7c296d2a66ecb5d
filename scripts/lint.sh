#!/usr/bin/env bash
# Runs the linters with the pinned versions of requirements-dev.txt and the repository's
# configuration, and exits non-zero on any finding:
#   ruff         ruff.toml: pycodestyle (lines of 120 at most), pyflakes, bugbear, pyupgrade,
#                Odoo's import sections, complexity; on progress_billing, bench and scripts
#   pylint       .pylintrc: pylint-odoo with OCA's checks, on progress_billing
#   odoo-module  oca-checks-odoo-module: OCA's manifest, XML and CSV checks, on progress_billing
#   po           oca-checks-po: OCA's checks of the dictionaries (.po/.pot)
# Usage: scripts/lint.sh [ruff|pylint|odoo-module|po [FILE...]]
#   no argument: every linter on the whole repository (what .ci/run does);
#   one linter and files: that linter on those files only (what the pre-commit hooks do).
source "$(dirname "$0")/lib.sh"
prepare_venv
cd "$PB_REPO"

run_ruff() {
    if [ $# -eq 0 ]; then set -- progress_billing bench scripts; fi
    "$PB_VENV/bin/ruff" check --no-cache "$@"
}
run_pylint() {
    if [ $# -eq 0 ]; then set -- progress_billing; fi
    "$PB_VENV/bin/pylint" --rcfile=.pylintrc "$@"
}
run_odoo_module() { "$PB_VENV/bin/oca-checks-odoo-module" progress_billing; }
run_po() {
    if [ $# -eq 0 ]; then set -- progress_billing/i18n/*.po progress_billing/i18n/*.pot; fi
    # po-pretty-format is off as in OCA's template: the files are written by Odoo's exporter
    "$PB_VENV/bin/oca-checks-po" --disable=po-pretty-format "$@"
}

if [ $# -gt 0 ]; then
    linter=$1
    shift
    case $linter in
        ruff) run_ruff "$@" ;;
        pylint) run_pylint "$@" ;;
        odoo-module) run_odoo_module ;;
        po) run_po "$@" ;;
        *) die "unknown linter $linter: use ruff, pylint, odoo-module or po" ;;
    esac
    exit
fi

failed=()
for linter in ruff pylint odoo-module po; do
    say "lint: $linter"
    "run_${linter/-/_}" || failed+=("$linter")
done
if [ ${#failed[@]} -gt 0 ]; then
    say "lint FAILED: ${failed[*]}"
    exit 1
fi
say "lint: clean"
