from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "apps.web.inbox"
    label = "inbox"
    verbose_name = "Inbox"
    default_auto_field = "django.db.models.BigAutoField"
