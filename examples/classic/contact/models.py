from django.db import models

from .validators import validate_attachment


class Message(models.Model):
    """An enquiry sent with the website's contact form."""

    name = models.CharField(max_length=200)
    email = models.EmailField()
    message = models.TextField()
    attachment = models.FileField(
        upload_to="attachments/%Y/%m/",
        blank=True,
        validators=[validate_attachment],
    )
    handled = models.BooleanField(
        default=False, help_text="Someone has answered this message."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} <{self.email}>"
