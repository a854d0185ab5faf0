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
