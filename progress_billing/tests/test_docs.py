# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The documentation ships with the addon (readme/*.md, as OCA addons keep it), and the code cites only what ships:
a readme fragment and its section, the AIA G702/G703 forms or a statute, never a document left outside the addon."""

import ast
import re
from pathlib import Path

from odoo.tests import BaseCase, TransactionCase, tagged

from ..tools.readme_html import index_html, readme_rst

THIS_FILE = Path(__file__).resolve()
ADDON = THIS_FILE.parent.parent
README = ADDON / "readme"
FRAGMENTS = ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "CONTRIBUTORS.md", "HISTORY.md")
# the files whose docstrings and comments cite their sources (i18n files are generated from the code)
SOURCE_SUFFIXES = {".py", ".xml", ".js", ".scss", ".csv", ".md"}
# citations of documents that do not ship with the addon
FOREIGN_CITATIONS = re.compile(
    r"\bissues?\s*#\s*\d+|\bissues?\s+\d+\b|\(issues?\b|\bissue:|\bissue \""
    r"|\bseeds?\b"
    r"|\(spec\b|\bspec[,:)]|\bthe spec\b|\bspec's\b"
    r"|\.\./shared|\bshared/(?:spec|seeds)\b|\bproduct\.md\b|\bmarket\.md\b|\bodoo-patterns\b"
    r"|\bfounding documents?\b|\bthe brief\b|\bproject brief\b",
    re.IGNORECASE,
)
# a random seed is not a document: the wkhtmltopdf font order is fixed by a hash seed
NOT_A_CITATION = re.compile(r"\bhash\b|\brandom|\bfixed\s+seed\b", re.IGNORECASE)
README_CITATION = re.compile(r'readme/([A-Za-z]+\.md)(?:, "([^"]+)")?')
DESCRIPTION = ADDON / "static" / "description"
INDEX_HTML = DESCRIPTION / "index.html"
IMAGE_SRC = re.compile(r'<img [^>]*src="([^"]+)"')
# the screenshots of the Apps page are kept small (PNG)
MAX_IMAGE_BYTES = 250 * 1024


def source_files():
    for path in sorted(ADDON.rglob("*")):
        relative = path.relative_to(ADDON)
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and relative.parts[0] != "i18n" and path != THIS_FILE:
            yield relative, path.read_text(encoding="utf-8")


def headings(fragment):
    return {
        match.group(1).strip()
        for match in re.finditer(r"^#+\s+(.+)$", (README / fragment).read_text(encoding="utf-8"), re.MULTILINE)
    }


@tagged("post_install", "-at_install", "progress_billing")
class TestDocumentationCitations(BaseCase):
    def test_readme_fragments_ship(self):
        """The fragments OCA's readme generator reads are in the addon, none empty."""
        for fragment in FRAGMENTS:
            with self.subTest(fragment=fragment):
                self.assertTrue((README / fragment).read_text(encoding="utf-8").strip())

    def test_no_citation_of_documents_that_do_not_ship(self):
        """No docstring, comment or fragment cites an issue number, a founding "seed" or a spec file."""
        found = []
        for relative, text in source_files():
            lines = text.splitlines()
            for number, line in enumerate(lines, 1):
                # a citation may begin on the line before ("Issue / #15"),
                # a sentence two lines before ("a fixed / seed")
                joined = " ".join(part.strip() for part in lines[max(number - 2, 0):number])
                sentence = " ".join(lines[max(number - 3, 0):number])
                if FOREIGN_CITATIONS.search(joined) and not NOT_A_CITATION.search(sentence):
                    found.append(f"{relative}:{number}: {line.strip()}")
        self.assertEqual(found, [], "cite readme/<FRAGMENT>.md and its section, the AIA form or the statute instead")

    def test_cited_readme_sections_exist(self):
        """Every `readme/<FRAGMENT>.md, "<section>"` cited names a fragment that ships and one of its headings."""
        cited = 0
        for relative, text in source_files():
            for match in README_CITATION.finditer(text):
                fragment, section = match.groups()
                with self.subTest(file=str(relative), citation=match.group(0)):
                    self.assertTrue((README / fragment).is_file(), f"{relative} cites {fragment}, which does not ship")
                    if section:
                        self.assertIn(section, headings(fragment), f"{relative} cites a section {fragment} lacks")
                cited += 1
        self.assertGreater(cited, 100, "the code cites the readme fragments")


@tagged("post_install", "-at_install", "progress_billing")
class TestIndexHtml(TransactionCase):
    """The Apps page (static/description/index.html) is built from the readme fragments, with screenshots."""

    def test_index_html_is_built_from_the_fragments(self):
        fragments = {path.name: path.read_text(encoding="utf-8") for path in sorted(README.glob("*.md"))}
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
        self.assertEqual(
            INDEX_HTML.read_text(encoding="utf-8"), index_html(fragments, manifest),
            "static/description/index.html is out of date: run python3 scripts/update_index_html.py",
        )

    def test_addon_readme_is_built_from_the_fragments(self):
        """progress_billing/README.rst (what OCA's checks and pylint-odoo's missing-readme look for) is the
        description of the fragments and where the rest is, its images shipped."""
        fragments = {path.name: path.read_text(encoding="utf-8") for path in sorted(README.glob("*.md"))}
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
        readme = (ADDON / "README.rst").read_text(encoding="utf-8")
        self.assertEqual(readme, readme_rst(fragments, manifest),
                         "progress_billing/README.rst is out of date: run python3 scripts/update_index_html.py")
        for image in re.findall(r"^\.\. image:: (\S+)", readme, re.MULTILINE):
            with self.subTest(image=image):
                self.assertTrue((ADDON / image).is_file())

    def test_every_image_ships(self):
        images = IMAGE_SRC.findall(INDEX_HTML.read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(images), 8, "the page shows the addon's screens")
        for image in images:
            with self.subTest(image=image):
                path = DESCRIPTION / image
                self.assertTrue(path.is_file(), f"{image} is not in static/description")
                self.assertEqual(path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
                self.assertLessEqual(path.stat().st_size, MAX_IMAGE_BYTES)

    def test_apps_page_shows_the_screenshots(self):
        """Odoo sanitizes the page into the module's description_html: the screenshots survive it, each pointing at
        the file Odoo serves from the addon's static/description."""
        module = self.env["ir.module.module"].search([("name", "=", "progress_billing")])
        shown = IMAGE_SRC.findall(module.description_html)
        expected = [f"/progress_billing/static/description/{image}" for image in IMAGE_SRC.findall(
            INDEX_HTML.read_text(encoding="utf-8"))]
        self.assertEqual(shown, expected)
        self.assertIn("Table of contents", module.description_html)
