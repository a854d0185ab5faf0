from django.urls import path

from . import views

app_name = "spx"
urlpatterns = [
    path("", views.enquiry_list, name="enquiry_list"),
    path("enquiries/new/", views.enquiry_new, name="enquiry_new"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<int:pk>/action/", views.enquiry_action, name="enquiry_action"),
    path("profiles/<int:unit_pk>/", views.profile_edit, name="profile_edit"),
    path("exhibitions/", views.exhibition_list, name="exhibition_list"),
    path("exhibitions/<int:pk>/", views.exhibition_detail, name="exhibition_detail"),
]
