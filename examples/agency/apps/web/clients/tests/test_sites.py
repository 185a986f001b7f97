import pytest
from django.core.exceptions import ValidationError

from clients.models import Site
from factories import ClientFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("https://www.RosemaryBakery.com/", "rosemarybakery.com"),
        ("northsideplumbing.net", "northsideplumbing.net"),
        ("http://bright-dental.co.uk", "bright-dental.co.uk"),
    ],
)
def test_clean_normalises_the_domain(entered: str, stored: str) -> None:
    site = Site(client=ClientFactory.create(), name="A site", slug="a-site", domain=entered)
    site.full_clean()
    assert site.domain == stored


@pytest.mark.parametrize("domain", ["localhost", "rosemarybakery.com/contact"])
def test_clean_rejects_what_is_not_a_bare_domain(domain: str) -> None:
    site = Site(client=ClientFactory.create(), name="A site", slug="a-site", domain=domain)
    with pytest.raises(ValidationError) as excinfo:
        site.full_clean()
    assert "domain" in excinfo.value.message_dict


@pytest.mark.parametrize("slug", ["Rosemary", "rosemary--bakery", "-bakery", "bakery_1"])
def test_slug_must_be_lower_case_words_joined_by_hyphens(slug: str) -> None:
    site = Site(client=ClientFactory.create(), name="A site", slug=slug, domain="ok.example")
    with pytest.raises(ValidationError) as excinfo:
        site.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_live_lists_only_sites_that_are_live() -> None:
    live = SiteFactory.create(is_live=True)
    SiteFactory.create(is_live=False)
    assert list(Site.objects.live()) == [live]
