import pytest
from django.db import connection

from accounts.models import User
from factories import SubmissionFactory
from leads.models import Submission

pytestmark = pytest.mark.django_db


def test_columns_the_worker_leaves_out_get_database_defaults() -> None:
    # The intake worker INSERTs only these columns; the database must fill in the rest.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO leads_submission (site, name, email, phone, message)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            ["rosemary-bakery", "Ada", "ada@example.com", "", "Hello"],
        )
        (submission_id,) = cursor.fetchone()
    submission = Submission.objects.get(pk=submission_id)
    assert submission.status == Submission.Status.NEW
    assert submission.created_at is not None
    assert submission.notes == ""
    assert submission.handled_by is None


def test_open_and_for_site_filter_leads() -> None:
    new_bakery = SubmissionFactory.create(site="rosemary-bakery")
    SubmissionFactory.create(site="rosemary-bakery", status=Submission.Status.WON)
    SubmissionFactory.create(site="northside-plumbing")
    assert list(Submission.objects.for_site("rosemary-bakery").open()) == [new_bakery]


def test_first_move_records_who_and_when(staff_user: User) -> None:
    submission = SubmissionFactory.create()
    submission.mark(Submission.Status.CONTACTED, staff_user)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CONTACTED
    assert submission.handled_by == staff_user
    assert submission.contacted_at is not None


def test_later_moves_keep_the_first_contact(staff_user: User) -> None:
    submission = SubmissionFactory.create()
    submission.mark(Submission.Status.CONTACTED, staff_user)
    first_contact = submission.contacted_at
    submission.mark(Submission.Status.WON, None)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WON
    assert submission.contacted_at == first_contact
    assert submission.handled_by == staff_user


def test_a_lead_cannot_go_back_to_new() -> None:
    submission = SubmissionFactory.create(status=Submission.Status.CONTACTED)
    with pytest.raises(ValueError, match="back to new"):
        submission.mark(Submission.Status.NEW)
