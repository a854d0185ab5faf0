"""Where a change came from, as a person reads it: the stored source ("portal", "api", "project:31",
"import:12", ...) is a key for machines; pages show a Persian phrase, and a link to the record it names."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .formatting import digits

# A source with no number.
PLAIN = {"portal": lambda: _("the portal"), "api": lambda: _("the API"), "demo": lambda: _("demo data"),
         "cli": lambda: _("command line")}

# A source that names a record: "kind:pk" -> (phrase with {n}, the record's page).
NUMBERED = {"project": (lambda: _("half-finished project {n}"), "programs:project_detail"),
            "clinic": (lambda: _("clinic case {n}"), "programs:case_detail"),
            "import": (lambda: _("file import {n}"), "")}


def source_label(source: str) -> tuple[str, str]:
    """(the phrase, the URL of the record it names or "") for a stored source; unknown ones as they are."""
    if source in PLAIN:
        return PLAIN[source](), ""
    kind, _sep, pk = source.partition(":")
    if kind not in NUMBERED or not pk.isdigit():
        return source, ""
    phrase, url_name = NUMBERED[kind]
    try:
        url = reverse(url_name, args=[int(pk)]) if url_name else ""
    except NoReverseMatch:
        url = ""
    return phrase().format(n=digits(pk)), url


def source_html(source: str):
    """The phrase, a link when the source names a record that has a page."""
    if not source:
        return "—"
    text, url = source_label(source)
    return format_html('<a href="{}">{}</a>', url, text) if url else text
