"""factory_boy factories for the tests (call .create(): factory_boy has no type hints)."""

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from clients.models import Client, Site
from leads.models import Submission


class ClientFactory(DjangoModelFactory[Client]):
    class Meta:
        model = Client

    name = Sequence(lambda n: f"Client {n}")
    contact_email = Sequence(lambda n: f"owner{n}@client.example")


class SiteFactory(DjangoModelFactory[Site]):
    class Meta:
        model = Site

    client = SubFactory(ClientFactory)
    name = Sequence(lambda n: f"Site {n}")
    slug = Sequence(lambda n: f"site-{n}")
    domain = Sequence(lambda n: f"site{n}.example")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"user{n}")
    email = Sequence(lambda n: f"user{n}@agency.example")
    password = Password("correct horse battery")


class SubmissionFactory(DjangoModelFactory[Submission]):
    class Meta:
        model = Submission

    site = "rosemary-bakery"
    name = "Ada Lovelace"
    email = "ada@example.com"
    message = "Do you bake sourdough on Sundays?"
