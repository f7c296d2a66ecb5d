# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Point-of-view dictionaries (readme/CONFIGURE.md, "Point-of-view dictionaries").

Each dictionary is an English variant of the UI shipped as ``i18n/<code>.po``
and installed as a ``res.lang`` record. This module holds the term table
shared by the addon (settings, tests) and by ``scripts/update_dictionaries.py``
which writes the ``.po`` files from the ``.pot``; it imports nothing from
Odoo so that the script can load it on its own.
"""

import re
from typing import NamedTuple

DEFAULT = "default"
DEFAULT_LANG = "en_US"


class Dictionary(NamedTuple):
    key: str
    label: str
    lang: str


DICTIONARIES = (
    # `en@<word>` codes: Odoo loads only i18n/<code>.po for them (never an en.po),
    # Babel accepts them and the web client keeps their formats; the
    # res.lang records are in data/res_lang_data.xml
    Dictionary("head_contractor", "Head Contractor", "en@headcontractor"),
    Dictionary("owner", "Owner", "en@owner"),
    Dictionary("specialty_contractor", "Specialty Contractor", "en@specialty"),
)
# readme/USAGE.md, "The subcontractor's side (portal)": the dictionary of the subcontractor's side of a contract, which
# the portal shows subcontractors when their contractor's company uses a
# dictionary (as Procore gives subcontractors "English (Speciality
# Contractor Terminology)")
SUBCONTRACTOR_DICTIONARY = "specialty_contractor"
DICTIONARY_LANGS = frozenset(dictionary.lang for dictionary in DICTIONARIES)
# users of these languages follow their company's dictionary
ENGLISH_LANGS = frozenset({DEFAULT_LANG, *DICTIONARY_LANGS})


class Term(NamedTuple):
    """One of our words in Title Case and its word in each dictionary.
    ``lower`` gives a dictionary's lower-case word when it is not simply the
    lower-cased Title Case one."""

    ours: str
    head_contractor: str
    owner: str
    specialty_contractor: str
    lower: dict | None = None


# Longer terms win over the shorter ones they contain ("Prime Contract Change
# Order" over "Prime Contract"); the order here does not matter.
TERMS = (
    Term("Subcontractor Schedule of Values", "Subcontractor Schedule of Values",
         "Contractor Schedule of Values", "Subcontractor Schedule of Values"),
    Term("Subcontractor Schedules of Values", "Subcontractor Schedules of Values",
         "Contractor Schedules of Values", "Subcontractor Schedules of Values"),
    Term("SSOV", "SSOV", "CSOV", "SSOV"),
    Term("SSOVs", "SSOVs", "CSOVs", "SSOVs"),
    Term("Prime Contract Change Order", "Head Contract Variation", "Funding Variation", "Client Contract Variation"),
    Term("Prime Contract Change Orders", "Head Contract Variations", "Funding Variations", "Client Contract Variations"),
    Term("PCCO", "HCV", "FV", "CCV"),
    Term("PCCOs", "HCVs", "FVs", "CCVs"),
    Term("Commitment Change Order", "Subcontract Variation", "Contract Variation", "Subcontract Variation"),
    Term("Commitment Change Orders", "Subcontract Variations", "Contract Variations", "Subcontract Variations"),
    Term("CCO", "SV", "CV", "SV"),
    Term("CCOs", "SVs", "CVs", "SVs"),
    Term("Change Order", "Variation", "Variation", "Variation"),
    Term("Change Orders", "Variations", "Variations", "Variations"),
    Term("Prime Contract", "Head Contract", "Funding", "Client Contract"),
    Term("Prime Contracts", "Head Contracts", "Funding", "Client Contracts"),
    Term("Owner Invoice", "Owner Invoice", "Funding Invoice", "Client Invoice"),
    Term("Owner Invoices", "Owner Invoices", "Funding Invoices", "Client Invoices"),
    Term("Owner-developer", "Owner-developer", "Funding", "Owner-developer"),
    Term("Owner/Client", "Owner/Client", "Owner/Client", "HC/Client"),
    # the tool and the process; the documents it makes are progress claims
    Term("Progress Billing", "Progress Claiming", "Progress Claiming", "Progress Billing"),
    Term("Progress Billings", "Progress Claiming", "Progress Claiming", "Progress Billings",
         lower={"head_contractor": "progress claims", "owner": "progress claims"}),
    Term("Revenue", "Revenue", "Funding", "Revenue"),
    Term("Commitment", "Subcontract", "Contract", "Subcontract"),
    Term("Commitments", "Subcontracts", "Contracts", "Subcontracts"),
    Term("Subcontract", "Subcontract", "Contract", "Subcontract"),
    Term("Subcontracts", "Subcontracts", "Contracts", "Subcontracts"),
    Term("Subcontractor", "Subcontractor", "Contractor", "Subcontractor"),
    Term("Subcontractors", "Subcontractors", "Contractors", "Subcontractors"),
)

# text a translation must keep as it is: placeholders, markup, entities
PROTECTED = re.compile(
    r"%\([^)]*\)[a-z]|%[a-z%]|\$\{[^}]*\}|\{\{.*?\}\}|\{[^{}]*\}|<[^>]*>|&#?\w+;",
    re.DOTALL,
)


def _lower_word(word):
    """Lower-case a word unless it is an abbreviation (HC, CSOV)."""
    return word if word.isupper() and len(word) > 1 else word.lower()


def _lower(phrase):
    return re.sub(r"[^\s/-]+", lambda match: _lower_word(match.group()), phrase)


def _sentence(phrase):
    lowered = _lower(phrase)
    return lowered[:1].upper() + lowered[1:]


def term_forms(dictionary_key):
    """{our word as written: the dictionary's word} for every way a term is
    written: Title Case, lower case, sentence case and upper case; an
    abbreviation only as it is."""
    forms = {}
    for term in TERMS:
        theirs = getattr(term, dictionary_key)
        if term.ours.rstrip("s").isupper():
            forms[term.ours] = theirs
            continue
        lower = (term.lower or {}).get(dictionary_key) or _lower(theirs)
        forms[term.ours.upper()] = theirs.upper()
        forms[_sentence(term.ours)] = lower[:1].upper() + lower[1:]
        forms[_lower(term.ours)] = lower
        forms[term.ours] = theirs
    return forms


def term_pattern(forms):
    """A regex matching any of ``forms`` as whole words, longest first."""
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def unprotected_parts(text):
    """Split ``text`` into (is_protected, part) pairs."""
    position = 0
    for match in PROTECTED.finditer(text):
        if match.start() > position:
            yield False, text[position:match.start()]
        yield True, match.group()
        position = match.end()
    if position < len(text):
        yield False, text[position:]
