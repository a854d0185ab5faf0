"""The portal's forms and the API's schemas are made from one description of each program input, so a page and
a client are held to the same labels, choices and bounds."""

import pytest
from django import forms as django_forms

from khoosheh.api.program_schemas import DiagnosisIn, InterventionIn, ProjectFields
from khoosheh.programs import forms, services

pytestmark = pytest.mark.django_db

SHARED = [(forms.DiagnosisForm, DiagnosisIn), (forms.InterventionForm, InterventionIn),
          (forms.ProjectForm, ProjectFields)]


@pytest.mark.parametrize(("form", "schema"), SHARED)
def test_a_text_is_bounded_alike_on_the_page_and_in_the_api(form, schema):
    properties = schema.model_json_schema()["properties"]
    for name, field in form.base_fields.items():
        if isinstance(field, django_forms.CharField) and field.max_length:
            said = properties[name].get("maxLength") or properties[name]["anyOf"][0]["maxLength"]
            assert field.max_length == said, name


def test_a_choice_offers_the_same_values_on_the_page_and_in_the_api():
    offered = [value for value, _ in forms.InterventionForm.base_fields["kind"].choices]
    # The page's box starts at an empty "—" the person must change; the rest are the API's values.
    assert offered[0] == "" and offered[1:] == InterventionIn.model_json_schema()["properties"]["kind"]["enum"]


def test_a_required_choice_starts_empty_and_is_refused_until_chosen():
    form = forms.InterventionForm({"kind": "", "title": "مشاوره", "started_on": "1404/01/01"})
    assert not form.is_valid() and "kind" in form.errors


def test_target_markets_longer_than_the_api_allows_are_refused_on_the_page_too():
    form = forms.ConsortiumForm({"name": "ک", "formed_on": "1404/01/01", "target_markets": "عراق، " + "ب" * 101})
    assert not form.is_valid() and "target_markets" in form.errors


def test_a_service_refuses_a_value_its_input_does_not_describe(world):
    case = services.open_case(world.units["idle_isfahan"], world.cast.national)
    with pytest.raises(TypeError, match="colour"):
        services.add_follow_up(case, world.cast.national, date=case.opened_on, note="x", colour="red")
