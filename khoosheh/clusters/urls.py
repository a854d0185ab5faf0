from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("", views.cluster_list, name="cluster_list"),
    path("<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("<int:pk>/rename/", views.cluster_rename, name="cluster_rename"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/merge/", views.candidates_merge, name="candidates_merge"),
    path("runs/compare/", views.run_compare, name="run_compare"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/review/", views.candidate_review, name="candidate_review"),
]
