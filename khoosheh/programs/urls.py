from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/", views.set_target, name="set_target"),
    path("developments/", views.development_list, name="development_list"),
    path("developments/start/<int:cluster_pk>/", views.development_start, name="development_start"),
    path("developments/<int:pk>/", views.development_detail, name="development_detail"),
    path("developments/<int:pk>/study/", views.development_study, name="development_study"),
    path("developments/<int:pk>/update/", views.development_update, name="development_update"),
    path("clinic/", views.case_list, name="case_list"),
    path("clinic/open/<int:unit_pk>/", views.case_open, name="case_open"),
    path("clinic/<int:pk>/", views.case_detail, name="case_detail"),
    path("clinic/<int:pk>/<str:step>/", views.case_step, name="case_step"),
    path("projects/", views.project_pipeline, name="project_pipeline"),
    path("projects/register/<int:unit_pk>/", views.project_register, name="project_register"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/update/", views.project_update, name="project_update"),
    path("consortia/", views.consortium_list, name="consortium_list"),
    path("consortia/new/<int:cluster_pk>/", views.consortium_new, name="consortium_new"),
    path("consortia/<int:pk>/", views.consortium_detail, name="consortium_detail"),
]
