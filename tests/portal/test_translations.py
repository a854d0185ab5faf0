"""Every English string of the portal has its Persian, and the compiled
catalogue (which is what Django reads) matches the source."""

import gettext
from pathlib import Path

import polib

import khoosheh

LOCALE = Path(khoosheh.__file__).parent / "locale" / "fa" / "LC_MESSAGES"


def test_every_message_is_translated_to_persian():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [e.msgid for e in po if not e.obsolete and not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr]
    assert stale == [], "run `make messages`"
