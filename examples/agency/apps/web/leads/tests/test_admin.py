import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User
from factories import SubmissionFactory
from leads.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(db: None) -> HttpClient:
    admin = User.objects.create_superuser("root", "root@agency.example", "pw-12345678")
    client = HttpClient()
    client.force_login(admin)
    return client


def test_admin_login_page_renders() -> None:
    response = HttpClient().get(reverse("admin:login"))
    assert response.status_code == 200
    assert b"Agency admin" in response.content


def test_admin_lists_submissions(admin_client_for: HttpClient) -> None:
    SubmissionFactory.create(name="Ada Lovelace")
    response = admin_client_for.get(reverse("admin:leads_submission_changelist"))
    assert response.status_code == 200
    assert b"Ada Lovelace" in response.content


def test_admin_action_marks_leads_contacted(admin_client_for: HttpClient) -> None:
    submission = SubmissionFactory.create()
    response = admin_client_for.post(
        reverse("admin:leads_submission_changelist"),
        {"action": "mark_contacted", "_selected_action": [submission.pk]},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CONTACTED
    assert submission.handled_by is not None
    assert submission.handled_by.username == "root"
