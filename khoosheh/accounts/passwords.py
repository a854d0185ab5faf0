"""Password rules as Persian readers read them: Django's own, with the numbers in the reader's digits."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import get_language, ngettext

from khoosheh.core.text import to_persian_digits


def _in_readers_digits(text: str) -> str:
    return to_persian_digits(text) if (get_language() or "fa").startswith("fa") else text


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """«… حداقل ۸ کاراکتر …», not «8»: Django's Persian translation formats the number with %d."""

    def get_error_message(self) -> str:
        # Django's own words, asked of our catalog: Django 5.2's Persian one has no translation for them, so a
        # refused password was explained in English.
        return _in_readers_digits(ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            self.min_length) % self.min_length)

    def get_help_text(self) -> str:
        return _in_readers_digits(super().get_help_text())
