from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

slug_validator = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "Use lower-case letters, digits and single hyphens, e.g. rosemary-bakery.",
)


class Client(models.Model):
    """A business the agency builds and runs sites for."""

    name = models.CharField(max_length=120)
    contact_email = models.EmailField()
    notify_on_lead = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(models.QuerySet["Site"]):
    def live(self) -> "SiteQuerySet":
        return self.filter(is_live=True)


class Site(models.Model):
    """One client site; `slug` is the name its contact form posts under."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=120)
    slug = models.CharField(max_length=64, unique=True, validators=[slug_validator])
    domain = models.CharField(max_length=253, unique=True)
    is_live = models.BooleanField(default=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return f"{self.name} ({self.domain})"

    def clean(self) -> None:
        domain = self.domain.strip().lower().removeprefix("https://").removeprefix("http://")
        domain = domain.removeprefix("www.").rstrip("/")
        if "/" in domain or "." not in domain:
            raise ValidationError({"domain": "Enter a bare domain such as rosemarybakery.com."})
        self.domain = domain
