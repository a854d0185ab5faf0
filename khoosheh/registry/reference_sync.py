"""Copy the packaged reference tables into the database (idempotent).

Called by migration 0002 with historical models, and by
``khoosheh sync-reference`` after an upgrade that ships newer tables.
"""

from __future__ import annotations

from khoosheh.core import reference


def parent_code(activity: reference.Activity, codes_by_level: dict[str, str]) -> str | None:
    code = activity.code
    if activity.level == "section":
        return None
    if activity.level == "division":
        return codes_by_level[code]  # its section, found while reading in order
    return code[:-1]


def sync_reference_data(Province, County, Activity) -> dict[str, int]:
    for p in reference.provinces():
        Province.objects.update_or_create(code=p.code, defaults={"name_fa": p.name_fa, "name_en": p.name_en})
    existing = set(County.objects.values_list("code", flat=True))
    new, changed = [], []
    for c in reference.counties():
        obj = County(code=c.code, province_id=c.province_code, name_fa=c.name_fa, name_en=c.name_en,
                     lat=c.lat, lon=c.lon)
        (changed if c.code in existing else new).append(obj)
    County.objects.bulk_create(new)
    County.objects.bulk_update(changed, ["province", "name_fa", "name_en", "lat", "lon"])

    section_of_division: dict[str, str] = {}
    section = None
    activities = []
    for a in reference.activities():
        if a.level == "section":
            section = a.code
        elif a.level == "division":
            section_of_division[a.code] = section
        activities.append(a)
    existing = set(Activity.objects.values_list("code", flat=True))
    # Parents before children: ISIC order already lists them so.
    for a in activities:
        fields = {"level": a.level, "title_en": a.title_en, "title_fa": a.title_fa,
                  "parent_id": parent_code(a, section_of_division)}
        if a.code in existing:
            Activity.objects.filter(code=a.code).update(**fields)
        else:
            Activity.objects.create(code=a.code, **fields)
    return {"provinces": Province.objects.count(), "counties": County.objects.count(),
            "activities": Activity.objects.count()}
