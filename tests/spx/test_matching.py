"""Matching suppliers to an enquiry: hard filters, ranking, reasons, Persian text."""

import numpy as np
import pytest

from khoosheh.analysis.matching import Enquiry, SupplierColumns, SupplierIndex, keyword_baseline
from khoosheh.analysis.textindex import TextIndex, tokens


def suppliers(rows):
    """rows: (name, text, processes, materials, certs, capacity, lead, lat, lon, in_cluster, quotes, contracts)"""
    cols = list(zip(*rows, strict=True))
    return SupplierIndex(SupplierColumns(
        ids=np.arange(1, len(rows) + 1), names=list(cols[0]), texts=list(cols[1]),
        processes=[set(x) for x in cols[2]], materials=[set(x) for x in cols[3]],
        certifications=[set(x) for x in cols[4]], monthly_capacity=np.array(cols[5], float),
        lead_time_days=np.array(cols[6], float), lat=np.array(cols[7], float), lon=np.array(cols[8], float),
        in_cluster=np.array(cols[9], bool), quotes=np.array(cols[10]), contracts=np.array(cols[11])))


FOUNDRY = ("ریخته‌گری پارس", "ریخته گری قطعات چدنی پمپ و شیرآلات", ["casting"], ["چدن"], ["ISO 9001"],
           5000, 20, 35.7, 51.4, True, 4, 3)
FOUNDRY_FAR = ("ریخته‌گری زاهدان", "قطعات چدنی پمپ", ["casting"], ["چدن"], ["ISO 9001"],
               5000, 20, 29.5, 60.9, False, 0, 0)
NO_CERT = ("ریخته‌گری بی‌گواهی", "قطعات چدنی پمپ آب", ["casting"], ["چدن"], [], 5000, 20, 35.7, 51.4, False, 0, 0)
SMALL = ("کارگاه کوچک", "قطعات چدنی پمپ", ["casting"], ["چدن"], ["ISO 9001"], 50, 20, 35.7, 51.4, False, 0, 0)
MACHINE_SHOP = ("تراشکاری دقیق", "تراشکاری شفت پمپ", ["cnc_machining"], ["فولاد"], ["ISO 9001"],
                9000, 10, 35.7, 51.4, False, 0, 0)

PUMP_BODY = Enquiry(text="بدنه چدنی پمپ آب", processes={"casting"}, certifications={"ISO 9001"}, material="چدن",
                    quantity=1000, deadline_days=60, lat=35.7, lon=51.4)


def test_hard_filters_remove_suppliers_lacking_a_process_certificate_or_capacity():
    index = suppliers([FOUNDRY, NO_CERT, SMALL, MACHINE_SHOP])
    # 1,000 pieces in 60 days: the small workshop makes 50 a month (100 by the deadline).
    assert [m.name for m in index.match(PUMP_BODY)] == ["ریخته‌گری پارس"]


def test_unknown_capacity_is_not_a_refusal():
    unknown = FOUNDRY[:5] + (float("nan"), float("nan")) + FOUNDRY[7:]
    assert [m.name for m in suppliers([unknown]).match(PUMP_BODY)] == ["ریخته‌گری پارس"]


def test_nearer_and_proven_suppliers_rank_first_with_their_reasons():
    [first, second] = suppliers([FOUNDRY_FAR, FOUNDRY]).match(PUMP_BODY)
    assert (first.name, second.name) == ("ریخته‌گری پارس", "ریخته‌گری زاهدان")
    reasons = " | ".join(first.reasons)
    assert "فرایند لازم: ریخته‌گری" in reasons and "گواهی ISO 9001" in reasons
    assert "«چدنی»" in reasons and "«پمپ»" in reasons and "با چدن کار می‌کند" in reasons
    # Figures in Persian digits, as the reasons are read in Persian.
    assert "فاصله ۰ کیلومتر" in reasons and "عضو یک خوشه" in reasons and "۳ قرارداد از ۴" in reasons
    assert first.score > second.score


def test_persian_normalisation_and_synonyms_in_search():
    index = TextIndex(["قطعه ریخته‌گری چدن", "تلمبه آب", "پارچه نخی"])
    # Arabic letters, a space for the ZWNJ, the plural, and the synonym "pump" for "تلمبه".
    assert index.scores("قطعات ريخته گري")[0] > 0 and index.scores("قطعات ريخته گري")[1] == 0
    assert index.scores("پمپ")[1] > 0
    assert tokens("قطعات") == tokens("قطعه")
    assert set(tokens("ریخته‌گری")) <= set(tokens("ريخته گري"))  # ZWNJ or a space: the same word


def test_the_keyword_baseline_misses_what_normalisation_finds():
    texts = ["قطعه ریخته‌گری چدن", "پارچه نخی"]
    assert keyword_baseline(texts, "ريخته‌گري") == []  # Arabic yeh: no literal match
    assert TextIndex(texts).scores("ريخته‌گري")[0] > 0


def test_nothing_passes_filters_means_no_result():
    enquiry = Enquiry(text="برد الکترونیکی", processes={"electronics_assembly"})
    assert suppliers([FOUNDRY, MACHINE_SHOP]).match(enquiry) == []


@pytest.mark.parametrize("top", [1, 2])
def test_top_limits_the_list(top):
    assert len(suppliers([FOUNDRY, FOUNDRY_FAR, NO_CERT]).match(Enquiry(text="پمپ"), top=top)) == top
