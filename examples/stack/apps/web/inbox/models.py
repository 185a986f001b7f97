from django.db import models


class Submission(models.Model):
    """One message a visitor sent through a client's site, as forwarded by the intake worker."""

    class Channel(models.TextChoices):
        FORM = "form", "Web form"
        EMAIL = "email", "Email"

    client = models.SlugField(max_length=64)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    message = models.TextField(max_length=5000)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["client", "-created_at"], name="inbox_client_recent"),)

    def __str__(self) -> str:
        return f"{self.client}/{self.channel}: {self.name} <{self.email}>"
