"""Every English string of the portal has its Persian, and the compiled
catalogue (which is what Django reads) matches the source."""

import gettext
from pathlib import Path

import polib

import khoosheh

LOCALE = Path(khoosheh.__file__).parent / "locale" / "fa" / "LC_MESSAGES"


def translated(entry) -> bool:
    # A message with a plural (ngettext) keeps its Persian in msgstr_plural, not msgstr.
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    return all(forms) and "fuzzy" not in entry.flags


def test_every_message_is_translated_to_persian():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and not translated(e)]
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [e.msgid for e in po if not e.obsolete and not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr]
    assert stale == [], "run `make messages`"
