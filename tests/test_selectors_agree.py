"""Pages, the API and the selectors agree on who sees what.

Each app's `selectors.py` is the one place that says which records a user may see. For every role and every
record of the shared world, a record's page opens (200) exactly when the selector lists it for that user, and
so does its API resource; otherwise both answer 404. A page or endpoint that scoped records through a helper of
its own would disagree for some role here."""

import pytest
from django.urls import reverse

from khoosheh.accounts.tokens import make_token
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.programs import services as programs
from khoosheh.programs.models import ClinicCase, ClusterDevelopment, HalfFinishedProject
from khoosheh.programs.selectors import visible
from khoosheh.registry.selectors import visible_units
from khoosheh.spx import services as spx
from khoosheh.spx.selectors import visible_enquiries

pytestmark = pytest.mark.django_db

ROLES = ["national", "isfahan", "tehran", "viewer", "agent", "parks_company", "owner"]


@pytest.fixture
def records(world_with_owner):
    world = world_with_owner
    national = world.cast.national
    development = programs.start_development(world.cluster, national, agent=world.cast.agent)
    cases = [programs.open_case(world.units[key], national) for key in ("idle_isfahan", "idle_yazd")]
    projects = [programs.register_project(world.units[key], national) for key in ("half_isfahan", "half_yazd")]
    enquiries = [spx.create_enquiry(national, province_code=code, buyer="خریدار", title="پمپ") for code in ("10", "21")]
    units = [*world.units.values(), *world.members]
    # (page url name, API path or None, the records, the selector of that kind for a user)
    return [
        ("registry:unit_detail", "/api/v1/units/{}", units, visible_units),
        ("clusters:cluster_detail", "/api/v1/clusters/{}", [world.cluster], visible_clusters),
        ("programs:development_detail", "/api/v1/programs/developments/{}", [development],
         lambda user: visible(user, ClusterDevelopment.objects.all())),
        ("programs:case_detail", "/api/v1/programs/clinic-cases/{}", cases,
         lambda user: visible(user, ClinicCase.objects.all())),
        ("programs:project_detail", "/api/v1/programs/projects/{}", projects,
         lambda user: visible(user, HalfFinishedProject.objects.all())),
        ("spx:enquiry_detail", "/api/v1/spx/enquiries/{}/matches", enquiries, visible_enquiries),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_a_record_opens_on_its_page_and_in_the_api_exactly_when_its_selector_lists_it(client, world, records, role):
    user = getattr(world.cast, role)
    client.force_login(user)
    token = {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}
    disagreements = []
    for url_name, api_path, items, selector in records:
        listed = set(selector(user).values_list("pk", flat=True))
        for item in items:
            expected = 200 if item.pk in listed else 404
            page = client.get(reverse(url_name, args=[item.pk])).status_code
            api = client.get(api_path.format(item.pk), **token).status_code
            if page != expected or api != expected:
                disagreements.append(f"{url_name} #{item.pk}: selector {expected}, page {page}, API {api}")
    assert disagreements == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_part_and_only_national_readers_see_everything(world, records, role):
    """The agreement above would hold trivially if the selectors showed nothing or everything to everyone.
    The world holds Isfahan and Yazd records only, so Tehran's staff see none of them."""
    user = getattr(world.cast, role)
    seen = sum(selector(user).filter(pk__in=[i.pk for i in items]).count() for _, _, items, selector in records)
    total = sum(len(items) for _, _, items, _ in records)
    assert (seen > 0) == (role != "tehran")
    assert (seen == total) == (role in ("national", "viewer"))
