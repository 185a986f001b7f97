from django.contrib import admin

from apps.web.inbox.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ("created_at", "client", "channel", "name", "email")
    list_filter = ("client", "channel")
    search_fields = ("name", "email", "message")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
