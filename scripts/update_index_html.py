"""Write progress_billing/static/description/index.html (the addon's page in Apps) and progress_billing/README.rst
from its readme fragments.

Usage: python3 scripts/update_index_html.py
Run it whenever a fragment of progress_billing/readme/ changes; TestIndexHtml fails until both are rewritten.
"""

import ast
import importlib.util
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "progress_billing"


def load_readme_html():
    """tools/readme_html.py on its own: it imports nothing from Odoo."""
    spec = importlib.util.spec_from_file_location("readme_html", ADDON / "tools" / "readme_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    readme_html = load_readme_html()
    fragments = {path.name: path.read_text(encoding="utf-8") for path in sorted((ADDON / "readme").glob("*.md"))}
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    target = ADDON / "static" / "description" / "index.html"
    target.write_text(readme_html.index_html(fragments, manifest), encoding="utf-8")
    print(f"wrote {target}")
    readme = ADDON / "README.rst"
    readme.write_text(readme_html.readme_rst(fragments, manifest), encoding="utf-8")
    print(f"wrote {readme}")


if __name__ == "__main__":
    main()
