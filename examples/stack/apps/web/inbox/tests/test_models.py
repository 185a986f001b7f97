import pytest

from apps.web.inbox.models import Submission


@pytest.mark.django_db
def test_submissions_list_newest_first() -> None:
    first = Submission.objects.create(
        client="coffee-shop", channel="form", name="A", email="a@example.com", message="one"
    )
    second = Submission.objects.create(
        client="coffee-shop", channel="form", name="B", email="b@example.com", message="two"
    )

    assert list(Submission.objects.all()) == [second, first]


def test_str_names_client_channel_and_sender() -> None:
    submission = Submission(client="coffee-shop", channel="form", name="Ada", email="a@example.com")

    assert str(submission) == "coffee-shop/form: Ada <a@example.com>"
