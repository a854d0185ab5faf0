"""Running a domain service from a view: a refusal becomes a message for the person, or (a submitted form)
the errors of the form shown again."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


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


def submit(request, form, call: Callable[[dict], object], success: str | Callable[[object], str], *, then,
           refused: Callable[[], HttpResponse]) -> HttpResponse:
    """A submitted form, POST/redirect/GET: valid and accepted by the service (``call(cleaned_data)``), say
    ``success`` (or what a function of the service's result says) and redirect to ``then`` (a URL, or a function of
    the service's result giving one).  Refused by
    the form or by the service, ``refused()`` renders the page again with this bound form (forms/_form.html):
    each error under its field, the service's reason in the form's summary, what was typed kept, nothing saved.
    PermissionDenied is not caught: it is a 403."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _for_form(form, exc))
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(then(result) if callable(then) else then)
    return refused()


def _for_form(form, exc: ValidationError):
    # A service's error keyed by this form's fields goes under them; any other reason goes on top of the form.
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
        return exc
    return exc.messages
