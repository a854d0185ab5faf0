from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The web pages' shell: layout, login, home, language, template filters."""

    name = "khoosheh.portal"
    label = "portal"
