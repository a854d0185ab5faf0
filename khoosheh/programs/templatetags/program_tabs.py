"""The programs pages' tabs: only the sections the reader's role has (permissions.sections), so no tab leads a
role to a page that sends it elsewhere."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from khoosheh.programs.permissions import sections

register = template.Library()

LABELS = {
    "programs:overview": _("Targets and achievements"),
    "programs:development_list": _("Cluster development"),
    "programs:consortium_list": _("Export consortia"),
    "programs:case_list": _("Business clinic"),
    "programs:project_pipeline": _("Half-finished projects"),
}


@register.simple_tag(takes_context=True)
def program_tabs(context) -> list[tuple[str, str]]:
    """(URL name, label) of each tab the signed-in user has."""
    return [(name, LABELS[name]) for name in sections(context["request"].user)]
