"""Identification runs in the portal: candidates, review, confirmed clusters, comparison."""

import datetime as dt

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from khoosheh.accounts.models import AuditEntry
from khoosheh.analysis import IdentifyParams
from khoosheh.clusters import services
from khoosheh.clusters.models import Candidate, Cluster
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ProductionUnit

pytestmark = pytest.mark.django_db

MIX = ["1010", "1410", "2220", "2511", "3100", "2395"]


def write(path, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "isic", "province", "county", "lat", "lon", "employees", "status"])
        w.writerows(rows)
    return path


@pytest.fixture
def registry(tmp_path):
    """General industry in Yazd (Meybod) and Isfahan (Kashan); tiles packed in Meybod, carpets in Kashan."""
    rng = np.random.default_rng(7)
    rows = []
    towns = (("m", "یزد", "میبد", 32.25, 54.02), ("k", "اصفهان", "کاشان", 33.98, 51.43))
    for place, province, county, lat, lon in towns:
        rows += [[f"{place}{i}", rng.choice(MIX), province, county, lat + rng.normal(0, 0.15),
                  lon + rng.normal(0, 0.15), 10, "فعال"] for i in range(1200)]
    rows += [[f"tile{i}", "2393", "یزد", "میبد", 32.25 + rng.normal(0, 0.01), 54.10 + rng.normal(0, 0.01), 30, "فعال"]
             for i in range(30)]
    rows += [[f"rug{i}", "1393", "اصفهان", "کاشان", 33.98 + rng.normal(0, 0.01), 51.50 + rng.normal(0, 0.01), 8,
              "راکد"] for i in range(25)]
    assert import_units(write(tmp_path / "u.csv", rows)).written


@pytest.fixture
def run(registry, cast):
    return services.run_identification(cast.national, IdentifyParams())


def candidate(run, isic):
    return run.candidates.get(activity_id=isic)


def test_a_run_stores_its_parameters_and_candidates_with_members(run, cast):
    assert run.params["min_units"] == 10 and run.n_units == 2455 and run.created_by == cast.national
    # Which test the run made, not "auto": a registry of 2,455 units is tested by Monte Carlo.
    assert run.params["significance"] == "monte carlo"
    assert sorted(run.candidates.values_list("activity_id", flat=True)) == ["1393", "2393"]
    tiles = candidate(run, "2393")
    assert tiles.members.filter(name__startswith="tile").count() >= 28
    assert tiles.province_id == "21" and tiles.review == "pending"


def test_only_national_staff_run_identification(registry, cast):
    with pytest.raises(PermissionDenied):
        services.run_identification(cast.isfahan, IdentifyParams())


def test_confirming_makes_a_cluster_with_members_and_an_audit(run, cast):
    cluster = services.confirm(candidate(run, "2393"), cast.national)
    assert cluster.name.startswith("خوشه") and "میبد" in cluster.name
    assert cluster.members.count() == candidate(run, "2393").members.count()
    assert candidate(run, "2393").review == "confirmed" and candidate(run, "2393").cluster == cluster
    assert AuditEntry.objects.filter(record_type="clusters.cluster", action="create").count() == 1


def test_a_candidate_is_reviewed_once(run, cast):
    services.confirm(candidate(run, "2393"), cast.national)
    with pytest.raises(ValidationError):
        services.reject(candidate(run, "2393"), cast.national, reason="دوباره")


def test_rejecting_needs_a_reason(run, cast):
    with pytest.raises(ValidationError):
        services.reject(candidate(run, "1393"), cast.national, reason="  ")
    services.reject(candidate(run, "1393"), cast.national, reason="یک شرکت با چند انبار")
    assert candidate(run, "1393").review_reason == "یک شرکت با چند انبار"


def test_provincial_staff_review_only_their_province(run, cast):
    with pytest.raises(PermissionDenied):
        services.confirm(candidate(run, "2393"), cast.isfahan)  # a Yazd cluster
    services.confirm(candidate(run, "1393"), cast.isfahan)


def test_merging_joins_members_of_one_activity(registry, cast, tmp_path):
    # A second tile group 15 km north of the first: two candidates, one cluster after merging.
    rng = np.random.default_rng(8)
    assert import_units(write(tmp_path / "more.csv", [
        [f"tile-north{i}", "2393", "یزد", "میبد", 32.39 + rng.normal(0, 0.01), 54.10 + rng.normal(0, 0.01), 30,
         "فعال"] for i in range(30)])).written
    run = services.run_identification(cast.national, IdentifyParams())
    tiles = list(run.candidates.filter(activity_id="2393"))
    assert len(tiles) == 2
    cluster = services.merge(tiles, cast.national, name="خوشه کاشی میبد")
    assert cluster.name == "خوشه کاشی میبد" and cluster.members.count() == sum(t.n_units for t in tiles)
    assert cluster.n_units == ProductionUnit.objects.filter(candidate_clusters__in=tiles).distinct().count()
    assert set(Candidate.objects.filter(pk__in=[t.pk for t in tiles]).values_list("review", flat=True)) == {"merged"}


def test_merging_refuses_mixed_activities(run, cast):
    with pytest.raises(ValidationError):
        services.merge(list(run.candidates.all()), cast.national)


def test_renaming_is_audited(run, cast):
    cluster = services.confirm(candidate(run, "2393"), cast.national)
    services.rename(cluster, cast.national, "خوشه کاشی و سرامیک میبد")
    entry = AuditEntry.objects.filter(record_type="clusters.cluster", action="update").get()
    assert entry.after == {"name": "خوشه کاشی و سرامیک میبد"} and entry.before["name"].startswith("خوشه")


def test_renaming_to_the_same_name_writes_no_empty_entry(run, cast):
    cluster = services.confirm(candidate(run, "2393"), cast.national)
    services.rename(cluster, cast.national, cluster.name)
    assert not AuditEntry.objects.filter(record_type="clusters.cluster", action="update").exists()


def test_an_empty_name_is_refused_under_the_name_box_on_the_clusters_page(client, run, cast):
    from django.test.html import parse_html

    from tests.form_pages import assert_error_follows_its_field, summary_links

    cluster = services.confirm(candidate(run, "2393"), cast.national)
    client.force_login(cast.national)
    page = client.post(reverse("clusters:cluster_rename", args=[cluster.pk]), {"name": "  "})
    assert page.status_code == 200  # the cluster's page again, not a redirect with a message on top
    html = parse_html(page.content.decode())
    assert "#id_name" in summary_links(html)
    assert "نام خوشه خالی است" in assert_error_follows_its_field(html, "name")
    assert not list(page.context["messages"])
    assert Cluster.objects.get(pk=cluster.pk).name == cluster.name


def test_a_new_name_goes_back_to_the_cluster_saying_so(client, run, cast):
    cluster = services.confirm(candidate(run, "2393"), cast.national)
    client.force_login(cast.national)
    page = client.post(reverse("clusters:cluster_rename", args=[cluster.pk]), {"name": "خوشه سرامیک میبد"},
                       follow=True)
    assert page.redirect_chain == [(reverse("clusters:cluster_detail", args=[cluster.pk]), 302)]
    assert Cluster.objects.get(pk=cluster.pk).name == "خوشه سرامیک میبد"
    assert len(list(page.context["messages"])) == 1


def test_clusters_count_in_the_jalali_year_they_were_confirmed(run, cast):
    cluster = services.confirm(candidate(run, "2393"), cast.national)
    # 29 Esfand 1403 = 19 March 2025 (1403 is a leap year, so 30 Esfand = 20 March also exists).
    last_day = timezone.make_aware(dt.datetime(2025, 3, 20, 23, 0))
    first_day = timezone.make_aware(dt.datetime(2025, 3, 21, 0, 30))
    cluster.identified_year = None
    cluster.confirmed_at = last_day
    cluster.save()
    assert cluster.identified_year == 1403
    other = services.confirm(candidate(run, "1393"), cast.national)
    other.identified_year, other.confirmed_at = None, first_day
    other.save()
    assert other.identified_year == 1404


def test_comparing_runs_finds_new_gone_and_changed(run, cast):
    tighter = services.run_identification(cast.national, IdentifyParams(min_units=28))
    comparison = services.compare_runs(run, tighter)
    assert [c.activity_id for c in comparison.gone] == ["1393"]  # 25 rugs < 28
    assert [(a.activity_id, b.activity_id) for a, b in comparison.same] == [("2393", "2393")]
    assert comparison.new == []


def test_pages_scope_clusters_to_the_province(client, run, cast):
    services.confirm(candidate(run, "2393"), cast.national)
    services.confirm(candidate(run, "1393"), cast.national)
    client.force_login(cast.isfahan)
    page = client.get(reverse("clusters:cluster_list"))
    assert [c.activity_id for c in page.context["clusters"]] == ["1393"]
    yazd = Cluster.objects.get(activity_id="2393")
    assert client.get(reverse("clusters:cluster_detail", args=[yazd.pk])).status_code == 404
    run_page = client.get(reverse("clusters:run_detail", args=[run.pk]))
    assert [c.activity_id for c in run_page.context["candidates"]] == ["1393"]


def test_review_through_the_page(client, run, cast):
    client.force_login(cast.national)
    tiles = candidate(run, "2393")
    client.post(reverse("clusters:candidate_review", args=[tiles.pk]), {"action": "confirm"})
    assert Cluster.objects.filter(activity_id="2393").exists()
    page = client.get(reverse("clusters:cluster_detail", args=[Cluster.objects.get().pk]))
    assert page.status_code == 200 and "leaflet.js" in page.content.decode()


def test_a_viewer_can_read_but_not_review_or_run(client, run, cast):
    client.force_login(cast.viewer)
    assert client.get(reverse("clusters:run_detail", args=[run.pk])).status_code == 200
    response = client.post(reverse("clusters:candidate_review", args=[candidate(run, "2393").pk]),
                           {"action": "confirm"})
    assert response.status_code == 403 and not Cluster.objects.exists()
    assert client.post(reverse("clusters:run_list"), {"distance_km": 4}).status_code == 403


def test_running_from_the_page(client, registry, cast):
    client.force_login(cast.national)
    response = client.post(reverse("clusters:run_list"), {"distance_km": 4, "min_units": 10, "min_employees": 0,
                                                          "alpha": 0.01, "min_lq": 1.5, "activity_level": 4})
    assert response.status_code == 302
    job = client.get(response.url).context["job"]
    assert job.status == "done" and job.result["candidates"] == 2
    assert client.get(reverse("clusters:run_detail", args=[job.result["run"]])).context["run"].n_candidates == 2


# --- the same concentration seen again by a newer run ---


@pytest.fixture
def reconfirmed(run, cast, tmp_path):
    """The Meybod tile cluster confirmed last year; five more tile makers since; a newer run."""
    cluster = services.confirm(candidate(run, "2393"), cast.national, name="خوشه کاشی میبد")
    cluster.confirmed_at, cluster.identified_year = timezone.now() - dt.timedelta(days=400), None
    cluster.save()
    rng = np.random.default_rng(9)
    assert import_units(write(tmp_path / "new-tiles.csv", [
        [f"tile-new{i}", "2393", "یزد", "میبد", 32.25 + rng.normal(0, 0.01), 54.10 + rng.normal(0, 0.01), 30,
         "فعال"] for i in range(5)])).written
    newer = services.run_identification(cast.national, IdentifyParams())
    return cluster, newer


def test_a_newer_runs_candidate_is_matched_to_the_cluster_it_overlaps(reconfirmed):
    cluster, newer = reconfirmed
    tiles, rugs = candidate(newer, "2393"), candidate(newer, "1393")
    matches = services.existing_clusters_for([tiles, rugs])
    # The tiles share most members with the confirmed cluster; the rugs were never confirmed.
    assert matches[tiles.pk][0] == cluster and matches[tiles.pk][1] >= services.SAME_CLUSTER_JACCARD
    assert rugs.pk not in matches


def test_confirming_the_same_concentration_again_is_refused_not_duplicated(reconfirmed, cast):
    cluster, newer = reconfirmed
    with pytest.raises(ValidationError, match="خوشه کاشی میبد"):
        services.confirm(candidate(newer, "2393"), cast.national)
    assert Cluster.objects.count() == 1


def test_updating_refreshes_members_and_figures_and_keeps_name_year_and_history(reconfirmed, cast, run):
    cluster, newer = reconfirmed
    year, tiles = cluster.identified_year, candidate(newer, "2393")
    services.update_cluster(tiles, cluster, cast.national)
    cluster.refresh_from_db()
    assert cluster.members.count() == tiles.members.count() == cluster.n_units == tiles.n_units
    assert cluster.members.filter(name__startswith="tile-new").count() == 5
    assert cluster.name == "خوشه کاشی میبد" and cluster.identified_year == year
    # Both runs' candidates point at the one cluster, and the update is in its audit trail.
    assert sorted(cluster.candidates.values_list("run_id", flat=True)) == [run.pk, newer.pk]
    entry = AuditEntry.objects.get(record_type="clusters.cluster", record_id=str(cluster.pk), action="update")
    assert entry.after["members_added"] == 5 and entry.after["run"] == newer.pk


def test_reconfirming_leaves_the_national_total_and_this_years_count_unchanged(reconfirmed, cast):
    from khoosheh.core.jalali import jalali_year
    from khoosheh.dashboards.figures import cluster_figures

    cluster, newer = reconfirmed
    this_year = jalali_year(timezone.localdate())
    before = cluster_figures(cast.national, None, this_year)
    services.update_cluster(candidate(newer, "2393"), cluster, cast.national)
    after = cluster_figures(cast.national, None, this_year)
    assert (after["total"], after["in_year"]) == (before["total"], before["in_year"]) == (1, 0)


def test_the_review_page_offers_the_update_and_the_comparison_links_the_cluster(client, reconfirmed, cast, run):
    cluster, newer = reconfirmed
    client.force_login(cast.national)
    page = client.get(reverse("clusters:run_detail", args=[newer.pk])).content.decode()
    detail = reverse("clusters:cluster_detail", args=[cluster.pk])
    assert 'value="update"' in page and detail in page
    client.post(reverse("clusters:candidate_review", args=[candidate(newer, "2393").pk]),
                {"action": "update", "cluster": cluster.pk})
    assert Cluster.objects.count() == 1 and candidate(newer, "2393").cluster == cluster
    compare = client.get(reverse("clusters:run_compare"), {"a": run.pk, "b": newer.pk}).content.decode()
    assert detail in compare


def test_a_candidate_is_reviewed_on_its_own_page_with_members_and_a_map(client, run, cast):
    client.force_login(cast.national)
    tiles = candidate(run, "2393")
    page = client.get(reverse("clusters:candidate_detail", args=[tiles.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="members-map"' in html and 'id="map-points"' in html
    assert len(page.context["points"]) == tiles.members.count()
    assert reverse("registry:unit_detail", args=[tiles.members.first().pk]) in html
    assert 'value="confirm"' in html
    # Isfahan's staff are told the Yazd candidate is outside their province.
    client.force_login(cast.isfahan)
    assert client.get(reverse("clusters:candidate_detail", args=[tiles.pk])).status_code == 404


def test_a_candidates_code_in_its_heading_and_title_is_isolated_left_to_right(client, run, cast):
    """«2930-2301-1» inside Persian text would read «1-2930-2301» without a left-to-right isolate."""
    import re

    from khoosheh.core.text import to_persian_digits

    client.force_login(cast.national)
    tiles = candidate(run, "2393")
    html = client.get(reverse("clusters:candidate_detail", args=[tiles.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    code = to_persian_digits(tiles.code)  # in the digits of the Persian ISIC codes beside it
    assert f'<bdi dir="ltr" class="code">{code}</bdi>' in heading
    assert f"\u2066{code}\u2069" in title


def test_the_comparison_pages_title_is_its_name_alone(client, run, cast):
    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_compare"), {"a": run.pk, "b": run.pk}).content.decode()
    title = html[html.index("<title>"):html.index("</title>")]
    assert "<table" not in title and "<h2" not in title


def latin_digits(text: str) -> list[str]:
    return [c for c in text if c.isascii() and c.isdigit()]


def test_the_runs_list_gives_each_runs_parameters_in_persian_words_and_digits(client, run, cast):
    import re

    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_list")).content.decode()
    link = reverse("clusters:run_detail", args=[run.pk])
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if link in r)
    params = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[5]
    assert "کیلومتر" in params and "۱۰" in params and not latin_digits(params)


def test_a_runs_page_title_gives_its_number_in_persian_digits(client, run, cast):
    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_detail", args=[run.pk])).content.decode()
    title = html[html.index("<title>") + 7:html.index("</title>")]
    from khoosheh.core.text import to_persian_digits

    assert to_persian_digits(run.pk) in title and not latin_digits(title)


def test_a_runs_heading_separates_its_number_from_its_date_and_time(client, run, cast):
    import re

    from khoosheh.core.text import to_persian_digits

    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_detail", args=[run.pk])).content.decode()
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    # «اجرای شناسایی شمارهٔ ۱ — ۱۴۰۵/۰۹/۱۱، ساعت ۰۸:۲۰», not «اجرای شناسایی ۱ ۱۴۰۵/۰۹/۱۱ ۰۸:۲۰».
    number = to_persian_digits(run.pk)
    assert re.fullmatch(rf"اجرای شناسایی شمارهٔ {number} — [۰-۹]{{4}}/[۰-۹]{{2}}/[۰-۹]{{2}}، ساعت [۰-۹]{{2}}:[۰-۹]{{2}}",
                        " ".join(heading.split())), heading


def test_a_runs_candidates_have_their_codes_in_persian_digits_kept_left_to_right(client, run, cast):
    from khoosheh.core.text import to_persian_digits

    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_detail", args=[run.pk])).content.decode()
    for c in run.candidates.all():
        assert f'<bdi dir="ltr" class="code">{to_persian_digits(c.code)}</bdi>' in html
        assert c.code not in html


def test_the_comparison_gives_codes_in_persian_digits_and_units_before_on_the_right(client, reconfirmed, cast, run):
    import re

    from khoosheh.core.text import to_persian_digits

    cluster, newer = reconfirmed
    before, after = candidate(run, "2393"), candidate(newer, "2393")
    client.force_login(cast.national)
    html = client.get(reverse("clusters:run_compare"), {"a": run.pk, "b": newer.pk}).content.decode()
    changed = html[html.index("<h2>تغییر"):]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", changed, re.S) if "class=\"code\"" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[0] == f'<bdi dir="ltr" class="code">{to_persian_digits(before.code)}</bdi>'
    assert cells[1] == f'<bdi dir="ltr" class="code">{to_persian_digits(after.code)}</bdi>'
    # Under «واحدها پیش ← پس» (read right to left) the count before is on the right, the arrow pointing to after.
    assert cells[3] == f"{to_persian_digits(before.n_units)} ← {to_persian_digits(after.n_units)}"
    assert before.code not in html and after.code not in html


def test_an_identification_jobs_title_gives_its_radius_and_minimum_in_persian_digits(cast, settings):
    from khoosheh.clusters import jobs

    settings.KHOOSHEH_JOBS_IN_BACKGROUND = True  # queued only: the title is what is asked about
    job = jobs.start(cast.national, IdentifyParams(distance_km=15.0, min_units=10))
    assert "شعاع ۱۵ کیلومتر" in job.title and "دست‌کم ۱۰ واحد" in job.title and not latin_digits(job.title)


def empty_cluster_list_says(client, user) -> str:
    import re

    client.force_login(user)
    html = client.get(reverse("clusters:cluster_list")).content.decode()
    return re.search(r'<td colspan="8" class="muted">(.*?)</td>', html, re.S).group(1)


def test_national_staff_facing_no_cluster_are_told_to_run_an_identification(client, cast):
    assert "شناسایی را اجرا کنید" in empty_cluster_list_says(client, cast.national)


def test_a_unit_owner_facing_no_cluster_is_not_told_to_run_an_identification(client, cast, django_user_model):
    from khoosheh.accounts.models import Role

    owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    said = empty_cluster_list_says(client, owner)
    assert said and "شناسایی را اجرا کنید" not in said
    assert said != empty_cluster_list_says(client, cast.isfahan)  # provincial staff review candidates


# --- what a run's pages say about it ---


def test_a_runs_pages_say_which_test_it_made_and_who_ran_it_by_name(client, run, cast):
    cast.national.first_name, cast.national.last_name = "مریم", "احمدی"
    cast.national.save()
    client.force_login(cast.national)
    for page in (reverse("clusters:run_detail", args=[run.pk]), reverse("clusters:run_list")):
        html = client.get(page).content.decode()
        assert "آزمون مونت‌کارلو" in html and "سطح معناداری" in html and "مریم احمدی" in html, page
        assert ">national<" not in html


def test_a_provincial_reader_counts_the_candidates_of_their_own_province(client, run, cast):
    client.force_login(cast.isfahan)
    page = client.get(reverse("clusters:run_detail", args=[run.pk]))
    assert run.n_candidates == 2 and page.context["n_visible"] == 1  # the rug makers of Kashan only


def test_the_cluster_lists_year_cards_count_the_province_its_heading_names(client, run, cast):
    services.confirm(candidate(run, "2393"), cast.national)
    services.confirm(candidate(run, "1393"), cast.national)
    client.force_login(cast.national)
    everywhere = client.get(reverse("clusters:cluster_list")).context["by_year"]
    isfahan = client.get(reverse("clusters:cluster_list") + "?province=10")
    assert [row["n"] for row in everywhere] == [2] and [row["n"] for row in isfahan.context["by_year"]] == [1]
    assert "province=10&amp;year=" in isfahan.content.decode()  # a year card keeps the province


def test_the_job_list_names_who_started_a_job(client, registry, cast):
    cast.national.first_name, cast.national.last_name = "مریم", "احمدی"
    cast.national.save()
    client.force_login(cast.national)
    client.post(reverse("clusters:run_list"), {"distance_km": 4, "min_units": 10, "min_employees": 0,
                                               "alpha": 0.01, "min_lq": 1.5, "activity_level": 4})
    html = client.get(reverse("jobs:list")).content.decode()
    assert "<td>مریم احمدی</td>" in html and "<td>national</td>" not in html  # the page's header names the reader
