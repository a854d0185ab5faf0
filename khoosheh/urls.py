from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from khoosheh.api.v1 import api as api_v1
from khoosheh.dashboards import views as dashboard_views
from khoosheh.portal import views as portal_views

urlpatterns = [
    path("", dashboard_views.national, name="home"),
    path("dashboard/", include("khoosheh.dashboards.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("registry/", include("khoosheh.registry.urls")),
    path("clusters/", include("khoosheh.clusters.urls")),
    path("programs/", include("khoosheh.programs.urls")),
    path("spx/", include("khoosheh.spx.urls")),
    path("jobs/", include("khoosheh.jobs.urls")),
    path("iran.geojson", portal_views.iran_outline, name="iran_outline"),
    path("api/v1/", api_v1.urls),
    path("admin/", admin.site.urls),
]

handler403 = "khoosheh.portal.errors.permission_denied"
handler404 = "khoosheh.portal.errors.page_not_found"
handler500 = "khoosheh.portal.errors.server_error"
