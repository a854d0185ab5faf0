"""A list narrowed to a province by `?province=` says in its heading which province it shows, as the program
lists do: the registry's units and the confirmed clusters."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["registry:unit_list", "clusters:cluster_list"]


def heading(client, name: str, **query) -> str:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_narrowed_to_a_province_names_it_in_its_heading(client, world, name):
    client.force_login(world.cast.national)
    assert heading(client, name, province="21").endswith(" · یزد")
    # The whole country's list names no province.
    assert "یزد" not in heading(client, name) and "·" not in heading(client, name)
