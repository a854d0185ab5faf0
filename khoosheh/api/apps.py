from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khoosheh.api"
    label = "api"
    verbose_name = "API"
