import csv
from io import StringIO

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User
from factories import SiteFactory, SubmissionFactory, UserFactory
from leads.export import submissions_csv
from leads.models import Submission

pytestmark = pytest.mark.django_db


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(StringIO(text)))


def test_csv_has_a_header_and_one_row_per_lead() -> None:
    SubmissionFactory.create(name="Ada", phone="+1 555 0100")
    SubmissionFactory.create(name="Grace")
    table = rows(submissions_csv(Submission.objects.order_by("created_at", "id")))
    assert table[0] == ["created_at", "name", "email", "phone", "status", "message"]
    assert [row[1] for row in table[1:]] == ["Ada", "Grace"]
    assert table[1][3] == "'+1 555 0100"


def test_csv_neutralises_spreadsheet_formulas() -> None:
    SubmissionFactory.create(name='=HYPERLINK("http://evil.example")', message="@SUM(A1:A9)")
    (row,) = rows(submissions_csv(Submission.objects.all()))[1:]
    assert row[1].startswith("'=")
    assert row[5].startswith("'@")


def test_export_requires_a_login() -> None:
    url = reverse("leads:export", args=["rosemary-bakery"])
    response = HttpClient().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_download_a_sites_leads(staff_client: HttpClient) -> None:
    SubmissionFactory.create(site="rosemary-bakery", name="Ada")
    SubmissionFactory.create(site="northside-plumbing", name="Linus")
    response = staff_client.get(reverse("leads:export", args=["rosemary-bakery"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="rosemary-bakery-leads-' in response["Content-Disposition"]
    names = [row[1] for row in rows(response.content.decode())[1:]]
    assert names == ["Ada"]


def test_client_cannot_download_another_clients_leads() -> None:
    bakery = SiteFactory.create(slug="rosemary-bakery")
    SiteFactory.create(slug="northside-plumbing")
    owner = UserFactory.create(role=User.Role.CLIENT, client=bakery.client)
    client = HttpClient()
    client.force_login(owner)
    assert client.get(reverse("leads:export", args=["rosemary-bakery"])).status_code == 200
    assert client.get(reverse("leads:export", args=["northside-plumbing"])).status_code == 403
