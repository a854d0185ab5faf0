from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "khoosheh.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        from .signals import note_last_login

        # Django's own receiver writes last_login and would wait behind an import's write lock on SQLite.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(note_last_login, dispatch_uid="khoosheh_note_last_login")
