"""Where a change came from, as a person reads it: the stored source ("portal", "api", "project:31",
"import:12", ...) is a key for machines; pages show a Persian phrase, and a link to the record it names —
only when the reader may open that record (a link that answers 404 is worse than none).

The web floor cannot know who may see a program's record, so the apps that own the records register, in
their ready(), a function answering which of some ids a user may open (their selectors')."""

from __future__ import annotations

from collections.abc import Callable, Iterable

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

# kind -> (user, ids) -> the ids among them the user may open; registered by the app owning the records.
OPENABLE: dict[str, Callable[[object, set[int]], Iterable[int]]] = {}


def register_openable(kind: str, openable: Callable[[object, set[int]], Iterable[int]]) -> None:
    OPENABLE[kind] = openable


def _parse(source: str) -> tuple[str, int] | None:
    kind, _sep, pk = source.partition(":")
    return (kind, int(pk)) if kind in NUMBERED and pk.isdigit() else None


def openable(user, sources: Iterable[str]) -> frozenset[str]:
    """The sources among ``sources`` naming a record ``user`` may open: one query per kind of record."""
    wanted: dict[str, set[int]] = {}
    for source in sources:
        parsed = _parse(source or "")
        if parsed and parsed[0] in OPENABLE:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    return frozenset(f"{kind}:{pk}" for kind, pks in wanted.items() for pk in OPENABLE[kind](user, pks))


def source_label(source: str) -> tuple[str, str]:
    """(the phrase, the URL of the record it names or "") for a stored source; unknown ones as they are."""
    if source in PLAIN:
        return PLAIN[source](), ""
    parsed = _parse(source)
    if parsed is None:
        return source, ""
    kind, pk = parsed
    phrase, url_name = NUMBERED[kind]
    try:
        url = reverse(url_name, args=[pk]) if url_name else ""
    except NoReverseMatch:
        url = ""
    return phrase().format(n=digits(pk)), url


def source_html(source: str, may_open: Iterable[str] = ()):
    """The phrase; a link when the source names a record that has a page and is among ``may_open``
    (what `openable` answered for the reader), plain text otherwise."""
    if not source:
        return "—"
    text, url = source_label(source)
    return format_html('<a href="{}">{}</a>', url, text) if url and source in may_open else text
