from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("province/<str:code>/", views.province, name="province"),
]
