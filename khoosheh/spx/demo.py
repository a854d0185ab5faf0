"""Demo SPX data: capability profiles for manufacturing units, enquiries
followed to contracts, and an exhibition with its B2B schedule."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from khoosheh.registry.models import ProductionUnit

from . import services
from .models import Exhibition, Participant

# ISIC class -> (processes, materials, products as a unit would write them)
CAPABILITIES = {
    "2431": (["casting", "cnc_machining"], ["چدن", "فولاد"], "قطعات ریخته‌گری چدنی، بدنه پمپ و شیرآلات"),
    "2592": (["cnc_machining", "surface_coating", "heat_treatment"], ["فولاد", "آلومینیوم"],
             "تراشکاری دقیق، شفت و بوش، آبکاری"),
    "2511": (["welding", "sheet_metal", "laser_cutting"], ["فولاد"], "سازه فلزی، مخازن و اسکلت"),
    "2599": (["sheet_metal", "forging"], ["فولاد"], "پیچ و مهره، یراق‌آلات و قطعات پرسی"),
    "2593": (["forging", "grinding"], ["فولاد"], "چاقو، ابزار دستی و یراق"),
    "2930": (["sheet_metal", "injection_moulding", "welding"], ["فولاد", "پلاستیک"],
             "قطعات بدنه خودرو، قطعات پلاستیکی خودرو"),
    "2220": (["injection_moulding", "extrusion", "blow_moulding"], ["پلاستیک"],
             "قطعات پلاستیکی تزریقی، لوله پلی‌اتیلن، بطری"),
    "2219": (["rubber_moulding"], ["لاستیک"], "واشر و قطعات لاستیکی صنعتی"),
    "2610": (["electronics_assembly"], ["مس"], "مونتاژ برد الکترونیکی"),
    "2732": (["wire_harness", "extrusion"], ["مس"], "سیم و کابل، دسته‌سیم خودرو"),
    "2813": (["casting", "cnc_machining", "assembly"], ["چدن", "برنج"], "پمپ آب و شیرآلات صنعتی"),
    "2819": (["welding", "cnc_machining", "assembly"], ["فولاد"], "ماشین‌آلات صنعتی و قطعات یدکی"),
    "3100": (["woodworking", "surface_coating"], ["چوب", "ام‌دی‌اف"], "مبلمان اداری و خانگی"),
    "1410": (["sewing"], ["پارچه"], "لباس کار و پوشاک"),
    "1702": (["packaging"], ["مقوا"], "کارتن و جعبه بسته‌بندی"),
    "2393": (["ceramic_firing"], ["خاک رس"], "کاشی و سرامیک"),
}
CERTS = (("ISO 9001", 0.45), ("ISO 14001", 0.12), ("IATF 16949", 0.06))

ENQUIRIES = [
    ("subcontracting", "ایران‌خودرو", "قطعات پرسی بدنه خودرو", ["sheet_metal"], "فولاد", 20000, ["IATF 16949"], "23"),
    ("subcontracting", "سایپا", "قطعات پلاستیکی داشبورد", ["injection_moulding"], "پلاستیک", 15000, [], "23"),
    ("subcontracting", "پتروشیمی بندر امام", "پروانه و بدنه پمپ چدنی", ["casting", "cnc_machining"], "چدن", 200,
     ["ISO 9001"], "06"),
    ("import_substitution", "شرکت ملی گاز", "شیر توپی فولادی", ["casting", "cnc_machining"], "فولاد", 3000, [], "10"),
    ("subcontracting", "فولاد مبارکه", "شفت و بوش یاتاقان", ["cnc_machining", "heat_treatment"], "فولاد", 500,
     ["ISO 9001"], "10"),
    ("import_substitution", "شرکت برق منطقه‌ای", "کابل مسی فشار ضعیف", ["extrusion"], "مس", 8000, [], "09"),
    ("subcontracting", "مپنا", "سازه فلزی و مخازن", ["welding"], "فولاد", 40, [], "23"),
    ("subcontracting", "صنایع غذایی", "کارتن بسته‌بندی پنج لایه", ["packaging"], "مقوا", 100000, [], "07"),
]


def build_demo_spx(user, *, seed: int = 1404) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    units = list(ProductionUnit.objects.filter(activity_id__in=CAPABILITIES, status="active").order_by("pk")[:6000])
    for unit in units:
        processes, materials, products = CAPABILITIES[unit.activity_id]
        chosen = [p for p in processes if rng.random() < 0.85] or processes[:1]
        services.save_profile(unit, user, processes=chosen, materials=materials[: 1 + int(rng.integers(2))],
                              certifications=[c for c, share in CERTS if rng.random() < share],
                              monthly_capacity=int(rng.lognormal(7, 1)), lead_time_days=int(rng.integers(7, 60)),
                              products=products)
    enquiries = 0
    today = timezone.localdate()
    quoted = []
    for i, (kind, buyer, title, processes, material, quantity, certs, province) in enumerate(ENQUIRIES):
        extra = {"hs_code": "848180", "yearly_quantity": quantity, "imported_value_usd": 1_500_000 + 250_000 * i} \
            if kind == "import_substitution" else {}
        enquiry = services.create_enquiry(user, province_code=province, kind=kind, buyer=buyer, title=title,
                                          processes=processes, material=material, quantity=quantity,
                                          certifications=certs, deadline=today + dt.timedelta(days=120), **extra)
        matches = services.match_enquiry(enquiry, user)
        enquiries += 1
        if i % 3 == 2 or not matches:
            continue
        services.send_to_suppliers(enquiry, user, [m.pk for m in matches[:5]])
        if i % 3 == 0:
            quoted.append(enquiry.matches.get(pk=matches[0].pk))
    # Quotes and contracts after all the matching: each one changes suppliers' track records, and so the
    # supplier index, which would otherwise be rebuilt for every enquiry after it.
    for match in quoted:
        services.record_quote(match, user, value=int(rng.integers(2, 40)) * 10**9)
        services.record_contract(match, user, value=int(match.quote_value * 0.95), on=today)
    _exhibition(user, rng, today)
    return {"profiles": len(units), "enquiries": enquiries}


# The exhibition's participants, one name each: large buyers and the divisions that buy for them, investors,
# and knowledge-based companies (invented names, as the demo units' are).
BUYERS = [
    "ایران‌خودرو", "سایپا", "مپنا", "فولاد مبارکه", "پتروشیمی جم", "شرکت ملی نفت", "ذوب آهن اصفهان",
    "پارس‌خودرو", "بهمن موتور", "ایران‌خودرو دیزل", "فولاد خوزستان", "ملی صنایع مس ایران", "شرکت ملی گاز",
    "پتروشیمی بندر امام", "پتروشیمی مارون", "پالایش نفت اصفهان", "پالایش نفت بندرعباس", "شرکت ملی حفاری",
    "ایران‌ترانسفو", "ماشین‌سازی اراک", "تراکتورسازی تبریز", "هپکو", "راه‌آهن جمهوری اسلامی ایران",
    "شرکت بهره‌برداری متروی تهران", "گروه صنعتی انتخاب",
]
INVESTORS = [
    "صندوق نوآوری و شکوفایی", "صندوق توسعه ملی", "بانک صنعت و معدن", "صندوق ضمانت سرمایه‌گذاری صنایع کوچک",
    "صندوق پژوهش و فناوری استان تهران", "صندوق پژوهش و فناوری استان اصفهان", "صندوق پژوهش و فناوری خراسان رضوی",
    "صندوق پژوهش و فناوری استان یزد", "صندوق پژوهش و فناوری آذربایجان شرقی", "صندوق پژوهش و فناوری استان فارس",
    "صندوق پژوهش و فناوری استان مرکزی", "صندوق پژوهش و فناوری استان البرز", "سرمایه‌گذاری خطرپذیر سرآوا",
    "صندوق سرمایه‌گذاری جسورانه فناوری", "شرکت سرمایه‌گذاری توسعه صنعتی ایران",
]
KNOWLEDGE_BASED = [
    "فناوران پیشرو صنعت آریا", "هوشمندسازان خط تولید پارس", "رایان‌سامانه کنترل صنعتی", "نوآوران مواد پیشرفته سپاهان",
    "طراحان قالب دقیق البرز", "پویش لیزر فناور", "آزمون‌گستر کیفیت", "ساخت‌افزایشی نوین", "کیمیا پوشش فناور",
    "رباتیک صنعتی مهرگان",
]


def _exhibition(user, rng, today) -> None:
    exhibition = Exhibition.objects.create(name="نمایشگاه توانمندی‌های ساخت داخل", city="تهران", province_id="23",
                                           starts_on=today + dt.timedelta(days=30), slots=10, tables=40)
    tags = list(CAPABILITIES)
    for kind, names in (("buyer", BUYERS), ("investor", INVESTORS)):
        for name in names:
            Participant.objects.create(exhibition=exhibition, kind=kind, name=name,
                                       needs=list(rng.choice(tags, 3, replace=False)))
    profiled = ProductionUnit.objects.filter(capability__isnull=False).order_by("pk")[:70]
    for unit in profiled:
        Participant.objects.create(exhibition=exhibition, kind="unit", name=unit.name, unit=unit,
                                   offers=[unit.activity_id, *rng.choice(tags, 1)])
    for name in KNOWLEDGE_BASED:
        Participant.objects.create(exhibition=exhibition, kind="knowledge_based", name=name,
                                   offers=list(rng.choice(tags, 3, replace=False)))
    services.build_schedule(exhibition, user)
