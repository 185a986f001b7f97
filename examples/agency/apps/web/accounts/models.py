from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class AgencyUserManager(UserManager["User"]):
    """Stores every email address lower-cased, so logins and lookups ignore case."""

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return super().normalize_email(email).lower()

    def get_by_email(self, email: str) -> "User":
        return self.get(email=self.normalize_email(email))

    def create_user(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        if not email:
            raise ValueError("Every account needs an email address")
        return super().create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        STAFF = "staff", "Agency staff"
        CLIENT = "client", "Client"

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Only for client accounts: the client whose leads they may see.",
    )

    objects: ClassVar[AgencyUserManager] = AgencyUserManager()

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(role="staff") | models.Q(client__isnull=False),
                name="client_account_has_client",
            ),
        ]

    def can_see_site(self, site_slug: str) -> bool:
        if self.is_superuser or self.role == self.Role.STAFF:
            return True
        return self.client is not None and self.client.sites.filter(slug=site_slug).exists()
