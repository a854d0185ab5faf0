"""What a unit's page (registry/unit_detail.html) offers to start in the programs.  The registry sits below the
programs and does not import them; its page asks here, and here asks the services' own rule, so a button is
shown exactly to those whose press the service would take."""

from __future__ import annotations

from django import template

from khoosheh.programs import services

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_offers(context, unit) -> dict[str, bool]:
    """``case``: a business-clinic case may be opened on the unit (idle, no open case, the user may open one
    there: provincial staff of its province, a parks company of its park, national staff); ``project``: its
    half-finished project may be registered (by the same people)."""
    user = context["request"].user
    return {"case": services.opens_case(unit, user), "project": services.registers_project(unit, user)}
