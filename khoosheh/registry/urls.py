from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/status/", views.unit_change_status, name="unit_change_status"),
    path("units/export/", views.unit_export, name="unit_export"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/import/map/<slug:token>/", views.unit_import_map, name="unit_import_map"),
    path("units/import/mappings/", views.mapping_list, name="mapping_list"),
    path("units/import/mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
]
urlpatterns.append(path("units/import/sample.csv", views.import_sample, name="unit_import_sample"))
urlpatterns.append(path("units/import/template.xlsx", views.import_template, name="unit_import_template"))
