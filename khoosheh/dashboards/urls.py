from django.urls import path, register_converter

from . import report_views, views


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
    path("report.<fmt:fmt>", report_views.report, name="report"),
    path("clusters/<int:pk>/report.<fmt:fmt>", report_views.cluster_report, name="cluster_report"),
    path("reports/", report_views.job_list, name="report_jobs"),
    path("reports/new/", report_views.start_job, name="report_start"),
    path("reports/<int:pk>/", report_views.job_detail, name="report_job"),
    path("reports/<int:pk>/status/", report_views.job_status, name="report_status"),
    path("reports/<int:pk>/download/", report_views.job_download, name="report_download"),
]
