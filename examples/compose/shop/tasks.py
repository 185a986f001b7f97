from celery import shared_task

from .models import Order


@shared_task
def count_orders() -> int:
    """How many orders there are (run by the Celery worker for the nightly report)."""
    return Order.objects.count()
