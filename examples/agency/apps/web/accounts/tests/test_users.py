import pytest
from django.db import IntegrityError

from accounts.models import User
from factories import ClientFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_email_lower_cased() -> None:
    user = User.objects.create_user("maria", "Maria.Lopez@Agency.Example", "s3cret-pass")
    assert user.email == "maria.lopez@agency.example"
    assert User.objects.get_by_email("MARIA.LOPEZ@agency.example") == user


def test_create_user_without_email_is_refused() -> None:
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("nobody", "", "s3cret-pass")


def test_email_addresses_are_unique_ignoring_case() -> None:
    User.objects.create_user("first", "same@agency.example", "s3cret-pass")
    with pytest.raises(IntegrityError):
        User.objects.create_user("second", "SAME@agency.example", "s3cret-pass")


def test_client_account_must_belong_to_a_client() -> None:
    with pytest.raises(IntegrityError):
        User.objects.create_user("orphan", "orphan@x.example", "pw-12345678", role="client")


def test_staff_see_every_site_and_clients_only_their_own() -> None:
    bakery = SiteFactory.create(slug="rosemary-bakery")
    SiteFactory.create(slug="northside-plumbing")
    staff = User.objects.create_user("staff", "staff@agency.example", "pw-12345678")
    owner = User.objects.create_user(
        "owner", "owner@bakery.example", "pw-12345678", role="client", client=bakery.client
    )
    assert staff.can_see_site("northside-plumbing")
    assert owner.can_see_site("rosemary-bakery")
    assert not owner.can_see_site("northside-plumbing")


def test_client_without_sites_sees_nothing() -> None:
    client = ClientFactory.create()
    owner = User.objects.create_user(
        "owner", "owner@new.example", "pw-12345678", role="client", client=client
    )
    assert not owner.can_see_site("rosemary-bakery")
