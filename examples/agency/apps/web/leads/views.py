from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User

from .export import submissions_csv
from .models import Submission


@require_GET
@login_required
def export_site_leads(request: HttpRequest, site: str) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.can_see_site(site):
        return HttpResponseForbidden("You cannot see this site's leads.")
    rows = Submission.objects.for_site(site).order_by("created_at")
    filename = f"{site}-leads-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(submissions_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
