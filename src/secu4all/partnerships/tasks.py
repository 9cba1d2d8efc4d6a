"""Background work of partnerships: the nightly reminder of certificates about to lapse."""

from django_tasks import task

from secu4all.partnerships.services.certification import certification_send_reminders


@task()
def send_certificate_reminders(within_days: int = 90) -> int:
    """Enqueue from a scheduler (cron: ``secu4all manage certificate_reminders``) or here."""
    return certification_send_reminders(within_days=within_days)
