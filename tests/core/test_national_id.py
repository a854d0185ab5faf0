import pytest

from khoosheh.core.national_id import check_digit, is_valid_national_id, make_national_id


def test_check_digit_by_hand():
    # 1010123456 + check: tenth digit 6 + 2 = 8 is added to each digit,
    # weights 29 27 23 19 17 29 27 23 19 17:
    # (1+8)29 + (0+8)27 + (1+8)23 + (0+8)19 + (1+8)17 + (2+8)29 + (3+8)27 + (4+8)23 + (5+8)19 + (6+8)17
    # = 261 + 216 + 207 + 152 + 153 + 290 + 297 + 276 + 247 + 238 = 2337; 2337 mod 11 = 5.
    assert check_digit("1010123456") == 5
    assert is_valid_national_id("10101234565")


def test_remainder_ten_counts_as_zero():
    weights = (29, 27, 23, 19, 17) * 2
    prefixes = (f"10{n:08d}" for n in range(1_000_000, 1_010_000))
    prefix = next(p for p in prefixes
                  if sum((int(d) + int(p[9]) + 2) * w for d, w in zip(p, weights, strict=True)) % 11 == 10)
    assert make_national_id(prefix).endswith("0")
    assert is_valid_national_id(prefix + "0")


@pytest.mark.parametrize("value", ["10101234566", "1010123456", "101012345650", "00000000000",
                                   "10100000005", "1010123456a", "۱۰۱۰۱۲۳۴۵۶۵"])
def test_wrong_ids_are_refused(value):
    assert not is_valid_national_id(value)
