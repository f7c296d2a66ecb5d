# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The documentation ships with the addon (readme/*.md, as OCA addons keep it), and the code cites only what ships:
a readme fragment and its section, the AIA G702/G703 forms or a statute, never a document left outside the addon."""

import re
from pathlib import Path

from odoo.tests import BaseCase, tagged

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
                # the sentence may begin on the line before ("a fixed / seed")
                sentence = " ".join(lines[max(number - 2, 0):number])
                if FOREIGN_CITATIONS.search(line) and not NOT_A_CITATION.search(sentence):
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
