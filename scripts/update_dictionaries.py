"""Write the point-of-view dictionaries (i18n/<code>.po) from progress_billing.pot.

Usage: python scripts/update_dictionaries.py [EXPORTED_POT]
EXPORTED_POT, when given, replaces progress_billing/i18n/progress_billing.pot
first (scripts/update_dictionaries.sh exports it from a scratch database).

Every entry holding one of the terms of tools/dictionaries.py (TERMS) gets each dictionary's word, in
the case it is written in, with "a"/"an" fixed after the swap; every other
entry keeps an empty msgstr and falls back to English (US). Placeholders and
markup are never touched. OVERRIDES fixes the few sentences the word swap
gets wrong; the script names overrides whose msgid no longer exists.
"""

import importlib.util
import re
import sys
from pathlib import Path

import polib

ADDON = Path(__file__).resolve().parent.parent / "progress_billing"
_spec = importlib.util.spec_from_file_location("pb_dictionaries", ADDON / "tools" / "dictionaries.py")
dictionaries = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dictionaries)

# {dictionary key: {msgid: msgstr}} where the word swap alone reads wrong
OVERRIDES = {
    "head_contractor": {},
    "owner": {
        # the subcontractor is the Contractor here, and the user's company the Owner
        "To Contractor": "To Owner",
        "What the contractor bills the owner for one billing period, line by line of the prime contract's schedule "
        "of values.": "What the contractor bills the owner for one billing period, line by line of the funding "
        "schedule of values.",
    },
    "specialty_contractor": {},
}

# words that take no "a"/"an" when they head the phrase: "A prime contract
# has" becomes "Funding has", but "a prime contract line" "a funding line"
MASS_NOUNS = frozenset({"funding", "revenue"})
# words after which a term is the head of its phrase
FUNCTION_WORDS = frozenset(
    "has have had is are was were be been can cannot could may must should will would does did "
    "of with and or for to in on at by from as than that which who whose not".split()
)
# letters whose English name starts with a vowel sound: "an SSOV", "an HCV"
VOWEL_SOUND_LETTERS = "AEFHILMNORSX"
DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")


def takes_an(phrase):
    first_word = re.split(r"[\s/-]", phrase, maxsplit=1)[0]
    if len(first_word) > 1 and first_word.isupper():
        return first_word[0] in VOWEL_SOUND_LETTERS
    return first_word[:1].lower() in "aeiou" and not re.match(r"(?i)(uni|use|eu|one)", first_word)


def heads_phrase(match):
    """Whether the matched term ends its noun phrase (no noun follows it)."""
    next_word = re.match(r"\s*([A-Za-z]+)", match.string[match.end():])
    return not next_word or next_word.group(1).lower() in FUNCTION_WORDS


class Translator:
    """Swaps our words for one dictionary's words in a text."""

    def __init__(self, dictionary_key):
        self.forms = dictionaries.term_forms(dictionary_key)
        alternatives = dictionaries.term_pattern(self.forms).pattern
        self.pattern = re.compile(rf"(?:(?<![\w-])(?P<article>[Aa]n?)(?P<space>\s+))?{alternatives}")

    def has_term(self, text):
        return any(
            not protected and self.pattern.search(part) for protected, part in dictionaries.unprotected_parts(text)
        )

    def translate(self, text):
        return "".join(
            part if protected else self.pattern.sub(self._replace, part)
            for protected, part in dictionaries.unprotected_parts(text)
        )

    def _replace(self, match):
        article = match.group("article")
        term = match.group()[len(article) + len(match.group("space")) :] if article else match.group()
        theirs = self.forms[term]
        if not article:
            return theirs
        if theirs.lower() in MASS_NOUNS and heads_phrase(match):
            return theirs[:1].upper() + theirs[1:] if article[0].isupper() else theirs
        new_article = "an" if takes_an(theirs) else "a"
        if article[0].isupper():
            new_article = new_article.capitalize()
        return f"{new_article}{match.group('space')}{theirs}"


def dictionary_po(pot, dictionary):
    """The .po of one dictionary: the .pot's entries, translated where they hold a term."""
    translator = Translator(dictionary.key)
    overrides = OVERRIDES[dictionary.key]
    po = polib.POFile(wrapwidth=pot.wrapwidth)
    po.header = pot.header
    po.metadata = {**pot.metadata, "Language": dictionary.lang, "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for entry in pot:
        msgstr = overrides.get(entry.msgid) or (
            translator.translate(entry.msgid) if translator.has_term(entry.msgid) else ""
        )
        po.append(polib.POEntry(
            msgid=entry.msgid, msgstr=msgstr, occurrences=entry.occurrences,
            comment=entry.comment, tcomment=entry.tcomment, flags=entry.flags,
        ))
    unused = set(overrides) - {entry.msgid for entry in pot}
    for msgid in sorted(unused):
        print(f"warning: override of {dictionary.key} for a msgid no longer in the .pot: {msgid!r}", file=sys.stderr)
    return po


def without_dates(text):
    return re.sub(rf'^"({"|".join(DATE_HEADERS)}): .*\\n"$', "", text, flags=re.MULTILINE)


def write_if_changed(path, text):
    """Write ``text`` unless the file differs only by its dates (keeps diffs to real changes)."""
    if path.exists() and without_dates(path.read_text(encoding="utf-8")) == without_dates(text):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(exported_pot=None):
    pot_path = ADDON / "i18n" / "progress_billing.pot"
    if exported_pot:
        changed = write_if_changed(pot_path, Path(exported_pot).read_text(encoding="utf-8"))
        print(f"{pot_path.name}: {'updated' if changed else 'unchanged'}")
    pot = polib.pofile(str(pot_path))
    for dictionary in dictionaries.DICTIONARIES:
        po = dictionary_po(pot, dictionary)
        path = pot_path.parent / f"{dictionary.lang}.po"
        translated = sum(1 for entry in po if entry.msgstr)
        changed = write_if_changed(path, str(po))
        print(f"{path.name}: {translated} of {len(po)} entries translated{'' if changed else ' (unchanged)'}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
