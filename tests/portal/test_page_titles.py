"""A record's page names it in the browser tab as its heading does: in Persian digits, «شرکت پارس ریخته‌گری ۴۴ ·
خوشه», not «شرکت پارس ریخته‌گری 44 · خوشه» above a heading with «۴۴»."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from khoosheh.programs import services as programs
from khoosheh.spx import services as spx
from khoosheh.spx.models import Exhibition, Participant

pytestmark = pytest.mark.django_db


def title_and_heading(client, url) -> tuple[str, str]:
    html = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    return " ".join(unescape(title).split()), " ".join(unescape(heading).split())


def rename(record, name):
    record.name = name
    record.save()
    return record


def unit_page(world):
    unit = rename(world.units["idle_isfahan"], "شرکت پارس ریخته‌گری 44")
    return reverse("registry:unit_detail", args=[unit.pk]), "شرکت پارس ریخته‌گری ۴۴"


def case_page(world):
    unit = rename(world.units["idle_isfahan"], "کارگاه ریخته‌گری 7")
    case = programs.open_case(unit, world.cast.isfahan)
    return reverse("programs:case_detail", args=[case.pk]), "کارگاه ریخته‌گری ۷"


def project_page(world):
    unit = rename(world.units["half_isfahan"], "طرح نیمه‌تمام 12")
    project = programs.register_project(unit, world.cast.national, physical_progress=40)
    return reverse("programs:project_detail", args=[project.pk]), "طرح نیمه‌تمام ۱۲"


def consortium_page(world):
    consortium = programs.form_consortium(world.cast.national, name="کنسرسیوم کاشی 2", province_code="21",
                                          members=world.members[:3])
    return reverse("programs:consortium_detail", args=[consortium.pk]), "کنسرسیوم کاشی ۲"


def development_page(world):
    cluster = rename(world.cluster, "خوشه کاشی میبد 2")
    development = programs.start_development(cluster, world.cast.national)
    return reverse("programs:development_detail", args=[development.pk]), "خوشه کاشی میبد ۲"


def cluster_page(world):
    cluster = rename(world.cluster, "خوشه کاشی میبد 3")
    return reverse("clusters:cluster_detail", args=[cluster.pk]), "خوشه کاشی میبد ۳"


def enquiry_page(world):
    enquiry = spx.create_enquiry(world.cast.national, province_code="21", buyer="ایران‌خودرو",
                                 title="قطعه پرسی 206", processes=["casting"])
    return reverse("spx:enquiry_detail", args=[enquiry.pk]), "قطعه پرسی ۲۰۶"


def exhibition_page(world):
    exhibition = Exhibition.objects.create(name="نمایشگاه ساخت داخل 1405", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    return reverse("spx:exhibition_detail", args=[exhibition.pk]), "نمایشگاه ساخت داخل ۱۴۰۵"


def profile_page(world):
    unit = rename(world.members[0], "کاشی یزد 9")
    return reverse("spx:profile_edit", args=[unit.pk]), "کاشی یزد ۹"


PAGES = [unit_page, case_page, project_page, consortium_page, development_page, cluster_page, enquiry_page,
         exhibition_page, profile_page]


@pytest.mark.parametrize("page", PAGES, ids=[p.__name__ for p in PAGES])
def test_a_records_tab_title_gives_its_name_in_the_headings_persian_digits(client, world, page):
    url, shown = page(world)
    client.force_login(world.cast.national)
    title, heading = title_and_heading(client, url)
    # The name as the heading shows it, with Persian digits, and no Latin digit left in the tab.
    assert shown in heading, heading
    assert title.startswith(shown) or f": {shown}" in title, title
    assert not re.search(r"[0-9]", title), title


def test_an_agenda_title_names_its_participant_in_persian_digits(client, world):
    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    buyer = Participant.objects.create(exhibition=exhibition, kind="buyer", name="خریدار 3", needs=["casting"])
    client.force_login(world.cast.national)
    title, heading = title_and_heading(client, reverse("spx:exhibition_detail", args=[exhibition.pk])
                                       + f"?participant={buyer.pk}")
    assert "خریدار ۳" in title and "خریدار ۳" in heading and not re.search(r"[0-9]", title)
