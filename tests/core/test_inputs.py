"""An input's one description tells a service what it may be given and what it gets when a value is left out."""

import pytest

from khoosheh.core.inputs import Description, Entry, Kind

NOTE = Description({
    "date": Entry(Kind.DAY, "Date"),
    "amount": Entry(Kind.MONEY, "Amount", default=0),
    "note": Entry(Kind.TEXT, "Note", default="", max_length=300),
})


def test_the_values_left_out_take_their_defaults():
    assert NOTE.accept({"date": "d"}) == {"date": "d", "amount": 0, "note": ""}


def test_a_value_the_description_does_not_name_is_refused():
    with pytest.raises(TypeError, match="colour"):
        NOTE.accept({"date": "d", "colour": "red"})


def test_a_required_value_left_out_is_refused():
    with pytest.raises(TypeError, match="date"):
        NOTE.accept({"amount": 5})


def test_a_partial_input_keeps_only_what_was_given():
    assert NOTE.accept({"note": "x"}, partial=True) == {"note": "x"}


def test_a_narrower_description_keeps_the_entries_named_in_its_order():
    assert list(NOTE.only("note", "date").entries) == ["note", "date"]
    assert list(NOTE.without("amount").entries) == ["date", "note"]
