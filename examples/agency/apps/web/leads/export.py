"""CSV export of a site's leads, for clients who keep their own spreadsheet."""

import csv
from collections.abc import Iterable
from io import StringIO

from .models import Submission

COLUMNS = ("created_at", "name", "email", "phone", "status", "message")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting with one of these is run as a formula by spreadsheet programs.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def submissions_csv(submissions: Iterable[Submission]) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for submission in submissions:
        writer.writerow(
            [
                submission.created_at.isoformat(timespec="seconds"),
                _cell(submission.name),
                _cell(submission.email),
                _cell(submission.phone),
                submission.status,
                _cell(submission.message),
            ]
        )
    return out.getvalue()
