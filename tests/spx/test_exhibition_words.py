"""Exhibition pages read in Persian: their meetings are «دیدارهای دوبه‌دو», not «B2B» inside a Persian heading."""

import pytest
from django.urls import reverse
from django.utils import timezone

from khoosheh.spx.models import Exhibition

pytestmark = pytest.mark.django_db


def test_the_exhibition_pages_name_their_meetings_in_persian(client, cast):
    exhibition = Exhibition.objects.create(name="نمایشگاه کاشی", city="یزد", province_id="21",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    client.force_login(cast.national)
    listing = client.get(reverse("spx:exhibition_list")).content.decode()
    assert "<h1>نمایشگاه‌ها و دیدارهای دوبه‌دو</h1>" in listing
    # The page of one exhibition: its way back and its button (national staff build the schedule).
    detail = client.get(reverse("spx:exhibition_detail", args=[exhibition.pk])).content.decode()
    assert "ساختن برنامهٔ دیدارهای دوبه‌دو" in detail
    assert "B2B" not in listing and "B2B" not in detail
