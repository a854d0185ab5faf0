from django.urls import path, register_converter

from . import views


class ReportFormat:
    regex = "xlsx|pdf"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReportFormat, "fmt")

app_name = "dashboards"
urlpatterns = [
    path("province/<str:code>/", views.province, name="province"),
    path("report.<fmt:fmt>", views.report, name="report"),
    path("clusters/<int:pk>/report.<fmt:fmt>", views.cluster_report, name="cluster_report"),
]
