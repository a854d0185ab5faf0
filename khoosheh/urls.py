from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from khoosheh.api.v1 import api as api_v1
from khoosheh.dashboards import map_views
from khoosheh.dashboards import views as dashboard_views
from khoosheh.portal import manage
from khoosheh.portal import views as portal_views

urlpatterns = [
    path("", dashboard_views.national, name="home"),
    path("dashboard/", include("khoosheh.dashboards.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", portal_views.account, name="account"),
    path("account/tokens/new/", portal_views.token_new, name="token_new"),
    path("account/tokens/<int:pk>/revoke/", portal_views.token_revoke, name="token_revoke"),
    path("account/password/", auth_views.PasswordChangeView.as_view(
        template_name="portal/account_form.html", extra_context={
            "title": _("Change your password"), "button": _("Change password"),
            "intro": _("Your API tokens stop working when the password changes.")}), name="password_change"),
    path("account/password/done/", portal_views.account_message(
        _("Password changed"), _("Your password was changed. Your API tokens no longer work; make new ones."),
        "account", _("Your account")), name="password_change_done"),
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="portal/account_form.html", email_template_name="portal/password_reset_email.txt",
        subject_template_name="portal/password_reset_subject.txt", extra_context={
            "title": _("Forgot your password?"), "button": _("Send the link"), "saves_nothing": True,
            "intro": _("Write the email address of your account; a link to choose a new password is sent to it.")}),
        name="password_reset"),
    path("password-reset/sent/", portal_views.account_message(
        _("Link sent"), _("If an account has that address, a link to choose a new password was sent to it."),
        "login", _("Log in")), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="portal/account_form.html", extra_context={
            "title": _("Choose a new password"), "button": _("Change password"), "intro": ""}),
        name="password_reset_confirm"),
    path("password-reset/done/", portal_views.account_message(
        _("Password changed"), _("Your password was changed; log in with the new one."), "login", _("Log in")),
        name="password_reset_complete"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("registry/", include("khoosheh.registry.urls")),
    path("clusters/", include("khoosheh.clusters.urls")),
    path("programs/", include("khoosheh.programs.urls")),
    path("spx/", include("khoosheh.spx.urls")),
    path("jobs/", include("khoosheh.jobs.urls")),
    path("manage/", manage.index, name="manage"),
    path("manage/users/new/", manage.user_edit, name="manage_user_new"),
    path("manage/users/<int:pk>/", manage.user_edit, name="manage_user"),
    path("manage/users/<int:pk>/units/", manage.user_link, {"kind": "units"}, name="manage_user_units"),
    path("manage/users/<int:pk>/clusters/", manage.user_link, {"kind": "clusters"}, name="manage_user_clusters"),
    path("manage/parks/new/", manage.park_edit, name="manage_park_new"),
    path("manage/parks/<int:pk>/", manage.park_edit, name="manage_park"),
    path("manage/exhibitions/new/", manage.exhibition_edit, name="manage_exhibition_new"),
    path("manage/exhibitions/<int:pk>/", manage.exhibition_edit, name="manage_exhibition"),
    path("iran.geojson", map_views.outline, name="iran_outline"),
    path("map/boundaries/<str:level>.geojson", map_views.boundaries, name="map_boundaries"),
    path("map/towns.json", map_views.towns, name="map_towns"),
    path("api/v1/", api_v1.urls),
    path("admin/", admin.site.urls),
]

handler403 = "khoosheh.web.errors.permission_denied"
handler404 = "khoosheh.web.errors.page_not_found"
handler500 = "khoosheh.web.errors.server_error"

handler400 = "khoosheh.portal.views.bad_request"
