"""The template filters for Persian readers (built in to every template, settings.TEMPLATES): the
functions of `web/formatting.py`, plus the audit trail of a record."""

from django import template

from khoosheh.accounts.models import AuditEntry
from khoosheh.web import formatting
from khoosheh.web.history import readable
from khoosheh.web.sources import source_html

register = template.Library()

for _name in ("digits", "num", "decimal", "latlon", "jdate", "jdatetime", "percent", "stars", "star_reason",
              "code", "code_text", "person", "row_runs"):
    register.filter(_name, getattr(formatting, _name))

register.filter("source", source_html)


@register.filter
def label_in(value, labels) -> str:
    """The human label of a stored choice value, from a {value: label} dict."""
    return str(labels.get(value, value))


@register.simple_tag(takes_context=True)
def history_of(context, record, limit: int = 50):
    """The audit trail of one record (who, when, what before, what after), newest first, worded for the page's
    reader."""
    request = context.get("request")
    return readable(AuditEntry.objects.filter(record_type=record._meta.label_lower, record_id=str(record.pk))
                    .select_related("actor")[:limit], reader=getattr(request, "user", None))
