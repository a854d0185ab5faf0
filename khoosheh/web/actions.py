"""Running a domain service from a view: a refusal becomes a message for the person."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def attempt(request, call, success: str):
    """Call the service; on success say so and return its result (or True); on a
    refusal (ValidationError with a Persian message) show the message and return None.
    PermissionDenied is not caught: it is a 403, not a message."""
    try:
        value = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success)
    return True if value is None else value


def show_form_errors(request, form) -> None:
    """A refused form on a page that redirects: each error as a message, with its field's label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
