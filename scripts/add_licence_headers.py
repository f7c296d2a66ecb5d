"""Gives every Python, XML and JavaScript file of the addon OCA's licence header.

    python3 scripts/add_licence_headers.py          # adds the missing headers, names the files it changed
    python3 scripts/add_licence_headers.py --check  # changes nothing; names the files without one, exits 1 if any

The header names the year the file receives it and the manifest's author, under the manifest's LGPL-3
licence (progress_billing/LICENSE), written as OCA writes it:

    # Copyright 2026 Progress Billing Developers
    # License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

XML files carry it as a comment after the XML declaration, JavaScript files as a block comment. A file
whose first lines already hold a "Copyright" or "License" line keeps the header it has (one written by
another author included), so running the script again changes nothing; files added later get theirs on
the next run. scripts/build_wheel.sh (and so .ci/run) runs the check.
"""

import argparse
import ast
import datetime
import pathlib
import re
import sys

ADDON = pathlib.Path(__file__).resolve().parent.parent / "progress_billing"
LICENCES = {"LGPL-3": "License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl)."}
SKIPPED_FOLDERS = {"__pycache__", "build", "dist"}
HEADER_LINE = re.compile(r"^\W*(Copyright|License)\b")
HEADER_SEARCH_LINES = 5


def header_lines(suffix, holder, licence):
    """The header of a file with this suffix, as a list of lines."""
    copyright_line = f"Copyright {datetime.date.today().year} {holder}"
    if suffix == ".py":
        return [f"# {copyright_line}\n", f"# {licence}\n"]
    if suffix == ".xml":
        return [f"<!-- {copyright_line}\n", f"     {licence} -->\n"]
    return [f"/* {copyright_line}\n", f" * {licence} */\n"]


def insertion_index(suffix, lines):
    """Where the header goes: after a shebang and an encoding line (Python), the XML declaration (XML) or
    an @odoo-module annotation, which Odoo only reads at the very top of a JavaScript file."""
    index = 0
    if suffix == ".py":
        while index < len(lines) and index < 2 and re.match(r"#!|#.*coding[:=]", lines[index]):
            index += 1
    elif suffix == ".xml":
        index = 1 if lines and lines[0].startswith("<?xml") else 0
    elif lines and "@odoo-module" in lines[0]:
        index = 1
    return index


def has_header(lines):
    return any(HEADER_LINE.match(line) for line in lines[:HEADER_SEARCH_LINES])


def with_header(path, holder, licence):
    """The file's lines with the header inserted."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = insertion_index(path.suffix, lines)
    header = header_lines(path.suffix, holder, licence)
    # Python and JavaScript code starts after a blank line; an XML comment sits right above its element.
    if path.suffix != ".xml" and index < len(lines) and lines[index].strip():
        header.append("\n")
    return lines[:index] + header + lines[index:]


def addon_files():
    for path in sorted(ADDON.rglob("*")):
        relative_parts = path.relative_to(ADDON).parts
        if path.suffix in {".py", ".xml", ".js"} and path.is_file() and not (
            SKIPPED_FOLDERS.intersection(relative_parts) or any(part.startswith(".") for part in relative_parts)
        ):
            yield path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a file lacks a header")
    check = parser.parse_args().check
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    licence = LICENCES.get(manifest["license"])
    if not licence:
        sys.exit(f"No header text for the manifest's licence {manifest['license']!r}: add it to LICENCES.")
    missing = [path for path in addon_files() if not has_header(path.read_text(encoding="utf-8").splitlines())]
    for path in missing:
        if not check:
            path.write_text("".join(with_header(path, manifest["author"], licence)), encoding="utf-8")
        print(path.relative_to(ADDON.parent))
    if check and missing:
        sys.exit(f"{len(missing)} file(s) above lack the licence header: run scripts/add_licence_headers.py")


if __name__ == "__main__":
    main()
