from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ("created_at", "site", "name", "email", "status", "handled_by")
    list_filter = ("status", "site")
    search_fields = ("name", "email", "message")
    readonly_fields = ("site", "name", "email", "phone", "message", "created_at", "contacted_at")
    date_hierarchy = "created_at"
    actions = ("mark_contacted", "mark_won", "mark_lost")

    def _mark(self, request: HttpRequest, queryset: QuerySet[Submission], status: str) -> None:
        user = request.user if isinstance(request.user, User) else None
        for submission in queryset:
            if submission.status != status:
                submission.mark(Submission.Status(status), user)
        self.message_user(request, f"{queryset.count()} lead(s) marked {status}.")

    @admin.action(description="Mark as contacted")
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        self._mark(request, queryset, Submission.Status.CONTACTED)

    @admin.action(description="Mark as won")
    def mark_won(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        self._mark(request, queryset, Submission.Status.WON)

    @admin.action(description="Mark as lost")
    def mark_lost(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        self._mark(request, queryset, Submission.Status.LOST)
