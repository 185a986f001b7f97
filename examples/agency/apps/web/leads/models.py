from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def open(self) -> "SubmissionQuerySet":
        return self.filter(status=Submission.Status.NEW)

    def for_site(self, site_slug: str) -> "SubmissionQuerySet":
        return self.filter(site=site_slug)


class Submission(models.Model):
    """A contact-form submission.

    Rows are written by the intake worker (workers/intake) straight into this table, so every
    column the worker does not send has a database default (db_default), not only a Python one.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    site = models.CharField(max_length=64, db_index=True, help_text="Slug of the site posted from")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=32, blank=True, db_default="")
    message = models.TextField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.NEW, db_default=Status.NEW
    )
    created_at = models.DateTimeField(db_default=Now())
    contacted_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_submissions",
    )
    notes = models.TextField(blank=True, db_default="")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=("site", "status"), name="leads_site_status_idx"),)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> via {self.site}"

    def mark(self, status: "Submission.Status", user: "User | None" = None) -> None:
        """Moves the lead on; the first move away from `new` records who and when."""
        if status == self.Status.NEW:
            raise ValueError("A lead cannot be moved back to new")
        if self.status == self.Status.NEW:
            self.contacted_at = timezone.now()
            self.handled_by = user
        self.status = status
        self.save(update_fields=("status", "contacted_at", "handled_by"))
