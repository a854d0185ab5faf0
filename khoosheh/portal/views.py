"""Pages of the portal itself: the 400 page, the user's account (password, API tokens)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.tokens import live_tokens, make_token, revoke


def bad_request(request, exception=None):
    """400 in the site's layout, with the reason the check gave (web.params), in Persian."""
    # Only our own refusals carry a reason meant for people; Django's (a bad Host header…) stay generic.
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "portal/400.html", {"reason": reason}, status=400)


# --- the user's account: password and API tokens ----------------------------------------------------------------

@login_required
def account(request, new_token: str = ""):
    return render(request, "portal/account.html", {"tokens": live_tokens(request.user), "new_token": new_token,
                                                   "token_days": settings.KHOOSHEH_API_TOKEN_DAYS})


@login_required
@require_POST
def token_new(request):
    # Shown once, on this answer only: never stored in a message (a cookie) or anywhere but its hash.
    token = make_token(request.user)
    made = request.user.api_tokens.get(prefix=token[:8], revoked_at__isnull=True)
    record_change(request.user, "create", made, after={"prefix": made.prefix, "expires_at": str(made.expires_at)})
    return account(request, new_token=token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = request.user.api_tokens.filter(pk=pk, revoked_at__isnull=True).first()
    if token is not None and revoke(request.user, pk):
        record_change(request.user, "revoke", token, {"revoked": False}, {"revoked": True})
        messages.success(request, _("The token was revoked."))
    return redirect("account")


def account_message(title: str, text: str, next_url: str, next_label: str):
    """A one-paragraph page of the password flows (sent, changed, done)."""
    def view(request, *args, **kwargs):
        return render(request, "portal/account_message.html", {"title": title, "text": text, "next_url": next_url,
                                                               "next_label": next_label})
    return view
