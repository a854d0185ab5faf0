"""The Iranian legal-entity national ID (شناسه ملی اشخاص حقوقی).

Eleven digits; the last is a check digit over the first ten, each added to
(the tenth digit + 2) and weighted 29, 27, 23, 19, 17 in turn, modulo 11
(a remainder of 10 counts as 0).  This is the rule the National Organization
for Civil Registration publishes and every Iranian form validator applies.
"""

from __future__ import annotations

_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def check_digit(first_ten: str) -> int:
    bump = int(first_ten[9]) + 2
    total = sum((int(d) + bump) * w for d, w in zip(first_ten, _WEIGHTS, strict=True))
    remainder = total % 11
    return 0 if remainder == 10 else remainder


def is_valid_national_id(value: str) -> bool:
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        return False
    if int(value) == 0 or int(value[3:9]) == 0:
        return False
    return check_digit(value[:10]) == int(value[10])


def make_national_id(first_ten: str) -> str:
    """Complete ten digits with their check digit (for demo data and tests)."""
    return first_ten + str(check_digit(first_ten))
